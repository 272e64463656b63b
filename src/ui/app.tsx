/**
 * Top-level view: the landing page, or a room when the URL fragment is `#/room/<secret>`.
 * The room secret never leaves the fragment, so the server never sees it.
 */
import { lazy, Suspense, useEffect, useState, type MouseEvent } from 'react';
import { Landing } from './features/landing/landing';
import { RoomPage } from './features/room/room-page';
import { ErrorBoundary } from './components/error-boundary';
import { parseRoomLinkPath, type RoomLink } from '../transport';
import { stripBudget } from './features/dp/budget-link';

// Survey mode (Prio3, HPKE) loads only when a survey page is opened.
const SurveyRoutes = lazy(() => import('./features/survey/survey-routes'));

/** `#/room/<secret>.<host fingerprint>` (transport/host-key.ts); `#/survey/…` (features/survey). */
function readRoute(): { room?: RoomLink; survey?: string; invalid: boolean } {
  const hash = window.location.hash;
  if (hash.startsWith('#/survey/')) return { survey: hash.slice('#/survey/'.length), invalid: false };
  const room = hash.startsWith('#/room/') ? parseRoomLinkPath(stripBudget(hash.slice('#/room/'.length))) : undefined;
  if (room) return { room, invalid: false };
  return { invalid: hash.startsWith('#/room/') };
}

/** Hash routing owns the fragment, so the skip link moves focus itself instead of navigating. */
function skipToMain(e: MouseEvent) {
  e.preventDefault();
  document.getElementById('main')?.focus();
}

export function App() {
  const [route, setRoute] = useState(readRoute);
  useEffect(() => {
    const onHash = () => setRoute(readRoute());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  return (
    <div className="app">
      <a className="skip-link" href="#main" onClick={skipToMain}>
        Skip to content
      </a>
      <header className="top">
        <a className="brand" href="#/" aria-label="Parley home">
          <span className="logo" aria-hidden="true">◐◑</span> Parley
        </a>
        <span className="tagline">joint answers, private inputs</span>
      </header>
      <main id="main" tabIndex={-1}>
        <ErrorBoundary key={route.room?.secret ?? route.survey ?? 'landing'} what={route.room ? 'this room' : route.survey ? 'this survey' : 'this page'}>
          {route.room ? (
            <RoomPage key={`${route.room.secret}.${route.room.host}`} room={route.room} />
          ) : route.survey !== undefined ? (
            <Suspense fallback={<p className="card">Loading…</p>}>
              <SurveyRoutes path={route.survey} />
            </Suspense>
          ) : (
            <Landing invalidLink={route.invalid} />
          )}
        </ErrorBoundary>
      </main>
      <footer className="foot">
        Your values stay in this tab. Only random-looking secret shares travel, directly between browsers.
      </footer>
    </div>
  );
}
