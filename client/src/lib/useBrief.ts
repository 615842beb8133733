import { useEffect, useState } from 'react';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { briefDocName, DOC_CLOSE, YJS_PATH } from '../../../shared/brief.js';

/** What the connection badge shows. */
export type BriefStatus = 'syncing' | 'connected' | 'offline' | 'revoked';

/** One open brief: its Yjs document and the provider that syncs it. */
export interface BriefSession {
  doc: Y.Doc;
  provider: WebsocketProvider;
}

export interface BriefState {
  /** Null until the document and provider exist (the first effect has run). */
  session: BriefSession | null;
  status: BriefStatus;
  /** True once the server's copy has been received at least once. */
  everSynced: boolean;
  /** True while offline with local edits the server has not received yet. */
  unsyncedEdits: boolean;
}

/** The y-websocket endpoint on this page's own host. */
function briefUrl(): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${YJS_PATH}`;
}

/**
 * Opens the case's brief document over y-websocket and reports its connection state. The
 * document, provider and listeners are destroyed on unmount or when the case changes. The
 * server applies role changes to the open connection, so it never needs reopening for that.
 */
export function useBrief(caseId: string): BriefState {
  const [state, setState] = useState<BriefState>({ session: null, status: 'syncing', everSynced: false, unsyncedEdits: false });

  useEffect(() => {
    const doc = new Y.Doc();
    const provider = new WebsocketProvider(briefUrl(), briefDocName(caseId), doc);
    const patch = (p: Partial<BriefState>) => setState((s) => (s.status === 'revoked' && p.status !== undefined ? s : { ...s, ...p }));
    setState({ session: { doc, provider }, status: 'syncing', everSynced: false, unsyncedEdits: false });
    // y-websocket reports "connecting" on every retry but "disconnected" only once, so once
    // a connection has dropped we stay offline until a connection actually opens.
    const onStatus = ({ status }: { status: 'connected' | 'disconnected' | 'connecting' }) => {
      if (status === 'connected') patch({ status: provider.synced ? 'connected' : 'syncing' });
      else if (status === 'disconnected') patch({ status: 'offline' });
      else setState((s) => (s.status === 'offline' || s.status === 'revoked' ? s : { ...s, status: 'syncing' }));
    };
    const onSync = (synced: boolean) => {
      if (synced) patch({ status: 'connected', everSynced: true, unsyncedEdits: false });
      else if (provider.wsconnected) patch({ status: 'syncing' });
    };
    const onClose = (event: CloseEvent | null) => {
      if (event?.code === DOC_CLOSE.accessRevoked) {
        provider.disconnect();
        setState((s) => ({ ...s, status: 'revoked' }));
      } else {
        patch({ status: 'offline' });
      }
    };
    // Edits made while the server cannot hear them: warn before the tab is closed.
    const onUpdate = (_update: Uint8Array, origin: unknown) => {
      if (origin !== provider && !(provider.wsconnected && provider.synced)) patch({ unsyncedEdits: true });
    };

    provider.on('status', onStatus);
    provider.on('sync', onSync);
    provider.on('connection-close', onClose);
    doc.on('update', onUpdate);
    return () => {
      provider.off('status', onStatus);
      provider.off('sync', onSync);
      provider.off('connection-close', onClose);
      doc.off('update', onUpdate);
      provider.destroy();
      doc.destroy();
    };
  }, [caseId]);

  useEffect(() => {
    if (!(state.status === 'offline' && state.unsyncedEdits)) return;
    const warn = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [state.status, state.unsyncedEdits]);

  return state;
}
