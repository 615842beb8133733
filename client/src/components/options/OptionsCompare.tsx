import { useEffect, useRef, useState, type ReactNode, type RefObject } from 'react';
import type { EvidenceView } from '../../../../shared/schemas/evidence.js';
import type { OptionView } from '../../../../shared/schemas/options.js';
import { fullTime, relativeTime } from '../../lib/format.js';
import { StrengthBadge } from '../records/EvidenceCard.js';
import { supportingEvidence } from './supportingEvidence.js';

/** Said wherever the case has no options yet. */
export const NO_OPTIONS = 'No options yet — propose the alternatives the team should weigh';

interface Props {
  /** In the order they were proposed. */
  options: OptionView[];
  library: EvidenceView[] | null;
  onClose(): void;
}

type Aspect = { key: string; label: string; cell(o: OptionView): ReactNode };

const text = (value: string) => (value ? <span className="compare-text">{value}</span> : <span className="muted">Not stated</span>);

/**
 * The options side by side in a modal dialog over the workspace: one column per option, one
 * row per aspect (benefit, risks, burden, evidence strongest first, proposer). The table
 * scrolls sideways within its region when the options do not fit, with the aspect names kept
 * in view. Escape, the Close button or a click outside closes it; focus returns to the opener.
 */
export function OptionsCompare({ options, library, onClose }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const overflowing = useOverflow(scroller, options.length);

  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
  }, []);

  const aspects: Aspect[] = [
    ...(options.some((o) => o.description) ? [{ key: 'description', label: 'Description', cell: (o: OptionView) => text(o.description) }] : []),
    { key: 'benefit', label: 'Expected benefit', cell: (o) => text(o.expectedBenefit) },
    { key: 'risks', label: 'Risks', cell: (o) => text(o.risks) },
    { key: 'burden', label: 'Burden for the patient', cell: (o) => text(o.burden) },
    {
      key: 'evidence',
      label: 'Supporting evidence (strongest first)',
      cell: (o) => {
        const items = supportingEvidence(o, library);
        if (items.length === 0) return <span className="muted">No evidence cited</span>;
        return (
          <ul className="compare-evidence">
            {items.map((e) => (
              <li key={e.id}>
                <StrengthBadge strength={e.strength} /> <span className="compare-evidence-title">{e.title}</span>
              </li>
            ))}
          </ul>
        );
      },
    },
    {
      key: 'proposer',
      label: 'Proposed by',
      cell: (o) => (
        <>
          {o.createdBy.name}{' '}
          <time className="muted" dateTime={o.createdAt} title={fullTime(o.createdAt)}>
            {relativeTime(o.createdAt)}
          </time>
        </>
      ),
    },
  ];

  return (
    // Clicks on the backdrop land on the dialog itself; clicks inside land on its content.
    <dialog ref={dialog} className="compare-dialog" aria-labelledby="compare-heading" onClose={onClose} onClick={(e) => e.target === dialog.current && dialog.current.close()}>
      <div className="compare-head">
        <div>
          <h2 id="compare-heading">Compare the options</h2>
          {options.length > 0 && (
            <p className="muted small">
              {options.length} {options.length === 1 ? 'option' : 'options'}, in the order proposed; evidence is listed strongest first.
              {overflowing && ' Scroll the table sideways to see them all.'}
            </p>
          )}
        </div>
        <button type="button" className="btn small" onClick={() => dialog.current?.close()}>
          Close
        </button>
      </div>
      {options.length === 0 ? (
        <div className="records-empty compare-empty">
          <p>{NO_OPTIONS}.</p>
        </div>
      ) : (
        <div ref={scroller} className="compare-scroll" role="region" aria-label="Options side by side" tabIndex={0}>
          <table className="compare-table" style={{ width: `max(100%, calc(var(--compare-row-head) + ${options.length} * var(--compare-col)))` }}>
            <caption className="visually-hidden">The options side by side: benefit, risks, burden, supporting evidence and who proposed each</caption>
            <colgroup>
              <col className="compare-col-head" />
              {options.map((o) => <col key={o.id} />)}
            </colgroup>
            <thead>
              <tr>
                <td className="compare-corner" />
                {options.map((o) => (
                  <th key={o.id} scope="col">{o.title}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {aspects.map((a) => (
                <tr key={a.key}>
                  <th scope="row">{a.label}</th>
                  {options.map((o) => (
                    <td key={o.id}>{a.cell(o)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </dialog>
  );
}

/** Whether the element's content is wider than the element (checked again when it resizes or `key` changes). */
function useOverflow(ref: RefObject<HTMLElement | null>, key: unknown): boolean {
  const [over, setOver] = useState(false);
  useEffect(() => {
    const el = ref.current;
    if (!el) return setOver(false);
    const measure = () => setOver(el.scrollWidth > el.clientWidth + 1);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref, key]);
  return over;
}
