import { useEffect, useMemo, useState } from 'react';
import type * as Y from 'yjs';
import { resolveBriefAnchor } from '../../../../shared/anchors.js';
import type { ThreadView } from '../../../../shared/schemas/threads.js';

const NONE: ReadonlySet<string> = new Set();

/**
 * The ids of brief threads whose passage has been deleted, worked out from the live Yjs
 * document (the same rule the server uses) and refreshed a moment after each change.
 * Nothing is called detached before the server's copy has arrived.
 */
export function useDetached(doc: Y.Doc | null, threads: ThreadView[] | null, synced: boolean): ReadonlySet<string> {
  const [version, setVersion] = useState(0);

  useEffect(() => {
    if (!doc) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onUpdate = () => {
      timer ??= setTimeout(() => {
        timer = undefined;
        setVersion((v) => v + 1);
      }, 250);
    };
    doc.on('update', onUpdate);
    return () => {
      doc.off('update', onUpdate);
      clearTimeout(timer);
    };
  }, [doc]);

  return useMemo(() => {
    if (!doc || !synced || !threads) return NONE;
    const gone = new Set<string>();
    for (const t of threads) {
      if (t.anchor.kind === 'brief' && resolveBriefAnchor(doc, t.anchor)?.detached) gone.add(t.id);
    }
    return gone;
    // `version` stands for the document's content, which useMemo cannot see by itself.
  }, [doc, threads, synced, version]);
}
