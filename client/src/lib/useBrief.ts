import { useCallback, useEffect, useState } from 'react';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { briefDocName, DOC_CLOSE, YJS_PATH } from '../../../shared/brief.js';
import { api, ApiError } from './api.js';

/** What the connection badge shows; `signedOut` and `revoked` are final for this session. */
export type BriefStatus = 'syncing' | 'connected' | 'offline' | 'signedOut' | 'revoked';

/** One open brief: its Yjs document and the provider that syncs it. */
export interface BriefSession {
  doc: Y.Doc;
  provider: WebsocketProvider;
}

/** The brief's connection as the workspace sees it. */
export interface BriefState {
  /** Null until the document and provider exist (the first effect has run). */
  session: BriefSession | null;
  status: BriefStatus;
  /** True once the server's copy has been received at least once. */
  everSynced: boolean;
  /** True while offline with local edits the server has not received yet. */
  unsyncedEdits: boolean;
}

/** The connection state plus the notice about refused edits. */
export interface Brief extends BriefState {
  /** The server refused this user's edits (no longer allowed to edit); the brief was reloaded from its copy. */
  editsRefused: boolean;
  dismissEditsRefused(): void;
}

const FINAL: ReadonlySet<BriefStatus> = new Set(['signedOut', 'revoked']);
/** How long a connection must stay down before asking the server why. */
const CHECK_AFTER_MS = 1500;

/** The y-websocket endpoint on this page's own host. */
function briefUrl(): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${YJS_PATH}`;
}

/**
 * Why a dropped connection stays down: the session ended, access to the case was lost, or
 * neither (a network problem, for which null keeps the "offline" state).
 */
async function whyOffline(caseId: string): Promise<'signedOut' | 'revoked' | null> {
  try {
    await api.me();
    await api.getCase(caseId);
    return null;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return 'signedOut';
    if (err instanceof ApiError && err.status === 404) return 'revoked';
    return null;
  }
}

/**
 * Opens the case's brief document over y-websocket and reports its connection state. The
 * document, provider and listeners are destroyed on unmount or when the case changes. The
 * server applies role changes to the open connection, so it never needs reopening for that;
 * but when it refuses edits (4409) the local copy holds changes it will never accept, so the
 * document is thrown away and opened afresh from the server's copy.
 */
export function useBrief(caseId: string): Brief {
  const [state, setState] = useState<BriefState>({ session: null, status: 'syncing', everSynced: false, unsyncedEdits: false });
  const [generation, setGeneration] = useState(0);
  const [editsRefused, setEditsRefused] = useState(false);

  useEffect(() => {
    const doc = new Y.Doc();
    const provider = new WebsocketProvider(briefUrl(), briefDocName(caseId), doc);
    const patch = (p: Partial<BriefState>) => setState((s) => (FINAL.has(s.status) && p.status !== undefined ? s : { ...s, ...p }));
    setState({ session: { doc, provider }, status: 'syncing', everSynced: false, unsyncedEdits: false });
    // y-websocket reports "connecting" on every retry but "disconnected" only once, so once
    // a connection has dropped we stay offline until a connection actually opens.
    const onStatus = ({ status }: { status: 'connected' | 'disconnected' | 'connecting' }) => {
      if (status === 'connected') patch({ status: provider.synced ? 'connected' : 'syncing' });
      else if (status === 'disconnected') patch({ status: 'offline' });
      else setState((s) => (s.status === 'offline' || FINAL.has(s.status) ? s : { ...s, status: 'syncing' }));
    };
    const onSync = (synced: boolean) => {
      if (synced) patch({ status: 'connected', everSynced: true, unsyncedEdits: false });
      else if (provider.wsconnected) patch({ status: 'syncing' });
    };
    const onClose = (event: CloseEvent | null) => {
      const final = event?.code === DOC_CLOSE.accessRevoked ? 'revoked' : event?.code === DOC_CLOSE.signedOut ? 'signedOut' : null;
      if (final) {
        provider.disconnect();
        setState((s) => ({ ...s, status: final }));
      } else if (event?.code === DOC_CLOSE.editRefused) {
        provider.disconnect();
        setEditsRefused(true);
        setGeneration((g) => g + 1);
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
  }, [caseId, generation]);

  // A connection that stays down: ask the server once whether the session or the access ended.
  const provider = state.session?.provider;
  useEffect(() => {
    if (state.status !== 'offline' || !provider) return;
    let live = true;
    const timer = setTimeout(() => {
      void whyOffline(caseId).then((verdict) => {
        if (!live || !verdict) return;
        provider.disconnect();
        setState((s) => ({ ...s, status: verdict }));
      });
    }, CHECK_AFTER_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [state.status, provider, caseId]);

  useEffect(() => {
    if (!((state.status === 'offline' || state.status === 'signedOut') && state.unsyncedEdits)) return;
    const warn = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [state.status, state.unsyncedEdits]);

  const dismissEditsRefused = useCallback(() => setEditsRefused(false), []);
  return { ...state, editsRefused, dismissEditsRefused };
}
