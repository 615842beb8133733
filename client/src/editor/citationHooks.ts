import { useEffect, useState, useSyncExternalStore } from 'react';
import type * as Y from 'yjs';
import type { EvidenceView } from '../../../shared/schemas/evidence.js';
import { CitationIndex } from './citationIndex.js';

/**
 * One citation index for the workspace: it follows the brief's document and knows the
 * evidence library. When a citation in the brief is activated, the Records tab's evidence
 * section is chosen and `onOpen` is called (to show the Records tab).
 */
export function useCitationIndex(
  doc: Y.Doc | null,
  records: { evidence: EvidenceView[] | null; setSection(s: 'evidence'): void },
  onOpen: (evidenceId: string) => void,
): CitationIndex {
  const [index] = useState(() => new CitationIndex());
  const evidence = records.evidence;
  index.onOpen = (id) => {
    records.setSection('evidence');
    onOpen(id);
  };

  useEffect(() => (doc ? index.attach(doc) : undefined), [doc, index]);
  useEffect(() => index.setEvidence(evidence), [evidence, index]);
  return index;
}

/** Re-renders the caller whenever the index changes; returns the index for convenience. */
export function useCitations(index: CitationIndex): CitationIndex {
  useSyncExternalStore(index.subscribe, index.getVersion);
  return index;
}
