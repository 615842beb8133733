import { DISCIPLINE_LABELS } from '../../../shared/disciplines.js';
import { userColor } from '../../../shared/colors.js';
import { useAuth, useUser } from '../lib/auth.js';
import { Link, matchRoute, navigate, useLocation } from '../lib/router.js';
import { Avatar } from './Avatar.js';
import { NotificationBell } from './discussion/NotificationBell.js';

/**
 * The app bar: name, the main sections (cases, conferences, the quality report), the notification
 * bell, the signed-in user with their discipline (a link to their account screen), and sign out.
 */
export function TopBar() {
  const user = useUser();
  const { signOut } = useAuth();
  const route = matchRoute(useLocation().split('?')[0] ?? '/').name;
  const inConferences = route === 'conferences' || route === 'newConference' || route === 'conference' || route === 'conferenceLive';
  return (
    <header className="topbar">
      <Link to="/cases" className="brand">
        Consilium
      </Link>
      <nav aria-label="Main" className="topbar-nav">
        <Link to="/cases" aria-current={route === 'cases' ? 'page' : undefined}>
          My cases
        </Link>
        <Link to="/conferences" aria-current={inConferences ? 'page' : undefined}>
          Conferences
        </Link>
        <Link to="/reports/quality" aria-current={route === 'qualityReport' ? 'page' : undefined}>
          Quality report
        </Link>
      </nav>
      <div className="topbar-user">
        <NotificationBell />
        <Link to="/account" className="topbar-account" aria-current={route === 'account' ? 'page' : undefined}>
          <Avatar name={user.name} color={userColor(user.id)} size="sm" decorative />
          <span className="topbar-who" title={user.name}>
            <span className="topbar-name">{user.name}</span>
            <span className="topbar-discipline">{DISCIPLINE_LABELS[user.discipline]}</span>
          </span>
          <span className="visually-hidden">, your account</span>
        </Link>
        <button
          type="button"
          className="btn ghost"
          onClick={() => {
            void signOut().then(() => navigate('/signin', { replace: true }));
          }}
        >
          Sign out
        </button>
      </div>
    </header>
  );
}
