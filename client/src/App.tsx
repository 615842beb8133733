import { lazy, Suspense, useEffect, useRef } from 'react';
import { TopBar } from './components/TopBar.js';
import { AuthProvider, useAuth } from './lib/auth.js';
import { Link, matchRoute, navigate, useLocation, type Route } from './lib/router.js';
import { SocketProvider } from './lib/socket.js';
import { CaseListPage } from './pages/CaseListPage.js';
import { NewCasePage } from './pages/NewCasePage.js';
import { SignInPage } from './pages/SignInPage.js';
import { SignUpPage } from './pages/SignUpPage.js';

/** The whole app: the session, the top bar and the screen for the current path. */
export function App() {
  return (
    <AuthProvider loading={<p className="center-page muted" role="status">Loading Consilium…</p>}>
      <Screens />
    </AuthProvider>
  );
}

// The workspace carries the editor and the CRDT stack; load it only when a case is opened.
const WorkspacePage = lazy(() => import('./pages/WorkspacePage.js').then((m) => ({ default: m.WorkspacePage })));

// Conferences are a screen set of their own: fetched when first opened.
const ConferencesPage = lazy(() => import('./pages/ConferencesPage.js').then((m) => ({ default: m.ConferencesPage })));
const NewConferencePage = lazy(() => import('./pages/NewConferencePage.js').then((m) => ({ default: m.NewConferencePage })));
const ConferencePage = lazy(() => import('./pages/ConferencePage.js').then((m) => ({ default: m.ConferencePage })));
const ConferenceLivePage = lazy(() => import('./pages/ConferenceLivePage.js').then((m) => ({ default: m.ConferenceLivePage })));

// The quality report (its charts) is a screen of its own, fetched when first opened.
const QualityReportPage = lazy(() => import('./pages/QualityReportPage.js').then((m) => ({ default: m.QualityReportPage })));

// The account screen (password change) is rarely opened: fetched when first opened.
const AccountPage = lazy(() => import('./pages/AccountPage.js').then((m) => ({ default: m.AccountPage })));

const PUBLIC = new Set<Route['name']>(['signin', 'signup']);

/** Where to go after signing in: a same-site path from ?next=, else the case list. */
function nextPath(search: string): string {
  const next = new URLSearchParams(search).get('next');
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/cases';
}

function Screens() {
  const { user } = useAuth();
  const loc = useLocation();
  const [path = '/', search = ''] = loc.split('?');
  const route = matchRoute(path);
  const isPublic = PUBLIC.has(route.name);
  const redirect = !user && !isPublic ? `/signin?next=${encodeURIComponent(loc)}` : user && isPublic ? nextPath(`?${search}`) : null;

  useEffect(() => {
    if (redirect) navigate(redirect, { replace: true });
  }, [redirect]);

  // Move focus to the new screen's heading so that keyboard and screen-reader users land on it.
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    document.querySelector<HTMLElement>('main h1')?.focus();
  }, [path]);

  if (redirect) return null;
  return (
    <SocketProvider enabled={user !== null}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      {user && <TopBar />}
      <main id="main" className={user ? 'app-main' : 'center-page'}>
        <Screen route={route} afterSignIn={nextPath(`?${search}`)} />
      </main>
    </SocketProvider>
  );
}

function Screen({ route, afterSignIn }: { route: Route; afterSignIn: string }) {
  switch (route.name) {
    case 'signin':
      return <SignInPage next={afterSignIn} />;
    case 'signup':
      return <SignUpPage next={afterSignIn} />;
    case 'cases':
      return <CaseListPage />;
    case 'newCase':
      return <NewCasePage />;
    case 'case':
      return (
        <Suspense fallback={<p className="muted" role="status">Opening the case…</p>}>
          <WorkspacePage key={route.caseId} caseId={route.caseId} />
        </Suspense>
      );
    case 'conferences':
    case 'newConference':
    case 'conference':
    case 'conferenceLive':
      return (
        <Suspense fallback={<p className="muted" role="status">Opening conferences…</p>}>
          {route.name === 'conferences' && <ConferencesPage />}
          {route.name === 'newConference' && <NewConferencePage />}
          {route.name === 'conference' && <ConferencePage key={route.conferenceId} conferenceId={route.conferenceId} />}
          {route.name === 'conferenceLive' && <ConferenceLivePage key={route.conferenceId} conferenceId={route.conferenceId} />}
        </Suspense>
      );
    case 'qualityReport':
      return (
        <Suspense fallback={<p className="muted" role="status">Opening the quality report…</p>}>
          <QualityReportPage />
        </Suspense>
      );
    case 'account':
      return (
        <Suspense fallback={<p className="muted" role="status">Opening your account…</p>}>
          <AccountPage />
        </Suspense>
      );
    case 'notFound':
      return (
        <div className="card narrow">
          <h1 tabIndex={-1}>Page not found</h1>
          <p>There is nothing at this address.</p>
          <Link to="/cases">Go to my cases</Link>
        </div>
      );
  }
}
