import type { WarningView } from '../../../../shared/schemas/conferences.js';
import { useUser } from '../../lib/auth.js';
import { viewerTimeZone } from '../../lib/conferenceTime.js';
import { warningText } from './words.js';

interface Props {
  warnings: WarningView[];
  /** Case titles by agenda item id. */
  caseTitle?(itemId: string): string;
  label: string;
  /** When the warnings span several meetings, each names its meeting. */
  meetingOf?(occurrence: string): string | null;
}

/** Warnings in plain words, as a list with a heading-like label; nothing when there are none. */
export function WarningList({ warnings, caseTitle = () => 'A case', label, meetingOf }: Props) {
  const me = useUser();
  if (warnings.length === 0) return null;
  const ctx = { caseTitle, viewerZone: viewerTimeZone(), meId: me.id };
  // The same conflict is reported per person; identical sentences are said once.
  const lines = [...new Set(warnings.map((w) => {
    const meeting = meetingOf?.(w.occurrence);
    return `${meeting ? `${meeting}: ` : ''}${warningText(w, ctx)}`;
  }))];
  return (
    <div className="notice warn conf-warnings" role="group" aria-label={label}>
      <p className="conf-warnings-title">{label}</p>
      <ul>
        {lines.map((l) => (
          <li key={l}>{l}</li>
        ))}
      </ul>
    </div>
  );
}
