import type { ExportDocument } from '../../lib/exportsApi.js';
import { fullTime } from '../../lib/format.js';

type Block = ExportDocument['blocks'][number];

/**
 * A document as it will be exported, drawn by React from the server's model: every block is
 * plain text, so whatever the brief or a comment holds shows as text, never as markup. Places
 * the author must complete are highlighted; a draft says so at the top.
 */
export function DocumentPreview({ doc, busy }: { doc: ExportDocument; busy: boolean }) {
  return (
    <article className={`export-preview${busy ? ' is-updating' : ''}`} aria-label={`Preview: ${doc.title}`} aria-busy={busy}>
      {doc.draft && (
        <p className="export-draft-banner">
          <strong>DRAFT</strong> No decision yet: every page of this document is marked as a draft.
        </p>
      )}
      <header className="export-preview-head">
        <h4 className="export-preview-title">{doc.title}</h4>
        {doc.subtitle && <p className="export-preview-subtitle">{doc.subtitle}</p>}
      </header>
      {doc.facts.length > 0 && (
        <dl className="export-facts">
          {doc.facts.map(([k, v], i) => (
            <div key={i}>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
      )}
      {doc.blocks.map((b, i) => (
        <BlockView key={i} block={b} />
      ))}
      <footer className="export-preview-foot">
        <span>Generated {fullTime(doc.generatedAt)}</span>
        <span>
          Content hash <code className="export-hash">{doc.contentHash}</code>
        </span>
      </footer>
    </article>
  );
}

function BlockView({ block }: { block: Block }) {
  switch (block.kind) {
    case 'heading':
      return block.level === 3 ? <h6 className="export-h3">{block.text}</h6> : <h5 className={`export-h${block.level}`}>{block.text}</h5>;
    case 'paragraph':
      return <p className="export-p">{block.text}</p>;
    case 'list': {
      const items = block.items.map((item, i) => <li key={i}>{item}</li>);
      return block.ordered ? <ol className="export-list">{items}</ol> : <ul className="export-list">{items}</ul>;
    }
    case 'table':
      return (
        // A wide table scrolls on its own; the region lets a keyboard user scroll it.
        <div className="export-table-wrap" role="region" aria-label={`Table: ${block.header.join(', ')}`} tabIndex={0}>
          <table className="export-table">
            <thead>
              <tr>
                {block.header.map((h, i) => (
                  <th key={i} scope="col">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {block.rows.map((row, r) => (
                <tr key={r}>
                  {row.map((cell, c) => (
                    <td key={c}>{cell}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      );
    case 'quote':
      return (
        <figure className="export-quote">
          <blockquote>{block.text}</blockquote>
          {block.by && <figcaption>{block.by}</figcaption>}
        </figure>
      );
    case 'placeholder':
      return (
        <p className="export-placeholder">
          <span className="export-placeholder-label">To complete</span> {block.text}
        </p>
      );
    case 'note':
      return <p className="export-note">{block.text}</p>;
  }
}
