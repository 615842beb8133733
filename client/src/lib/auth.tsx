import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { UserView } from '../../../shared/schemas/auth.js';
import { api, isUnauthenticated } from './api.js';

interface AuthValue {
  /** The signed-in user; null when signed out. */
  user: UserView | null;
  /** Records the user after sign-in or sign-up. */
  signedIn(user: UserView): void;
  /** Signs out on the server, then forgets the user. */
  signOut(): Promise<void>;
  /** Call with any request error: a 401 means the session ended, so the user is forgotten. */
  handleError(err: unknown): void;
}

const AuthContext = createContext<AuthValue | null>(null);

type State = { phase: 'loading' } | { phase: 'error'; message: string } | { phase: 'ready'; user: UserView | null };

/** Loads the current user once, then provides it; renders `loading` until it is known. */
export function AuthProvider({ children, loading }: { children: ReactNode; loading: ReactNode }) {
  const [state, setState] = useState<State>({ phase: 'loading' });

  const load = useCallback(() => {
    setState({ phase: 'loading' });
    api.me().then(
      ({ user }) => setState({ phase: 'ready', user }),
      (err: unknown) =>
        isUnauthenticated(err)
          ? setState({ phase: 'ready', user: null })
          : setState({ phase: 'error', message: 'Consilium could not reach its server. Check your connection, then try again.' }),
    );
  }, []);
  useEffect(load, [load]);

  const user = state.phase === 'ready' ? state.user : null;
  const value = useMemo<AuthValue>(
    () => ({
      user,
      signedIn: (u) => setState({ phase: 'ready', user: u }),
      signOut: async () => {
        await api.signOut().catch(() => undefined);
        setState({ phase: 'ready', user: null });
      },
      handleError: (err) => {
        if (isUnauthenticated(err)) setState({ phase: 'ready', user: null });
      },
    }),
    [user],
  );

  if (state.phase === 'loading') return <>{loading}</>;
  if (state.phase === 'error') {
    return (
      <main className="center-page">
        <div className="card narrow" role="alert">
          <h1>Cannot connect</h1>
          <p>{state.message}</p>
          <button type="button" className="btn primary" onClick={load}>
            Try again
          </button>
        </div>
      </main>
    );
  }
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

/** The signed-in user and the session actions. */
export function useAuth(): AuthValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth must be used inside <AuthProvider>.');
  return value;
}

/** The signed-in user, for screens that are only shown when someone is signed in. */
export function useUser(): UserView {
  const { user } = useAuth();
  if (!user) throw new Error('useUser needs a signed-in user.');
  return user;
}
