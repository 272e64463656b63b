/**
 * Top-level view: the landing page, or a room when the URL fragment is `#/room/<secret>`.
 * The room secret never leaves the fragment, so the server never sees it.
 */
import { useEffect, useState, type MouseEvent } from 'react';
import { Landing } from './features/landing/landing';
import { RoomPage } from './features/room/room-page';
import { ErrorBoundary } from './components/error-boundary';

const ROOM = /^#\/room\/([A-Za-z0-9_-]{22})$/;

function readRoute(): { secret?: string; invalid: boolean } {
  const hash = window.location.hash;
  const m = ROOM.exec(hash);
  if (m) return { secret: m[1], invalid: false };
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
        <ErrorBoundary key={route.secret ?? 'landing'} what={route.secret ? 'this room' : 'this page'}>
          {route.secret ? <RoomPage key={route.secret} secret={route.secret} /> : <Landing invalidLink={route.invalid} />}
        </ErrorBoundary>
      </main>
      <footer className="foot">
        Your values stay in this tab. Only random-looking secret shares travel, directly between browsers.
      </footer>
    </div>
  );
}
