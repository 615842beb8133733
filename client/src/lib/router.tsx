import { useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react';

/** The screens of the app, parsed from the location path. */
export type Route =
  | { name: 'signin' }
  | { name: 'signup' }
  | { name: 'cases' }
  | { name: 'newCase' }
  | { name: 'case'; caseId: string }
  | { name: 'conferences' }
  | { name: 'newConference' }
  | { name: 'conference'; conferenceId: string }
  | { name: 'conferenceLive'; conferenceId: string }
  | { name: 'qualityReport' }
  | { name: 'account' }
  | { name: 'notFound' };

const NAV_EVENT = 'consilium:navigate';

/** Parses a path such as "/cases/abc" into a Route. */
export function matchRoute(path: string): Route {
  const p = path.replace(/\/+$/, '') || '/';
  if (p === '/signin') return { name: 'signin' };
  if (p === '/signup') return { name: 'signup' };
  if (p === '/' || p === '/cases') return { name: 'cases' };
  if (p === '/cases/new') return { name: 'newCase' };
  const m = /^\/cases\/([^/]+)$/.exec(p);
  if (m?.[1]) return { name: 'case', caseId: decodeURIComponent(m[1]) };
  if (p === '/conferences') return { name: 'conferences' };
  if (p === '/conferences/new') return { name: 'newConference' };
  const c = /^\/conferences\/([^/]+)(\/live)?$/.exec(p);
  if (c?.[1]) return { name: c[2] ? 'conferenceLive' : 'conference', conferenceId: decodeURIComponent(c[1]) };
  if (p === '/reports/quality') return { name: 'qualityReport' };
  if (p === '/account') return { name: 'account' };
  return { name: 'notFound' };
}

/** Moves to another screen through the history API (no page load). */
export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  if (opts.replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  window.dispatchEvent(new Event(NAV_EVENT));
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(NAV_EVENT, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(NAV_EVENT, onChange);
  };
}

/** The current path plus query string, re-rendering on every navigation. */
export function useLocation(): string {
  return useSyncExternalStore(subscribe, () => location.pathname + location.search);
}

/** An anchor that navigates in-app on a plain click and behaves normally with modifier keys. */
export function Link({ to, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { to: string }) {
  const handle = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
  return <a href={to} onClick={handle} {...rest} />;
}
