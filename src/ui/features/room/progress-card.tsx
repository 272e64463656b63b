/** Progress of a running computation. */
import { useRoomStore } from './room-store';

export function ProgressCard() {
  const run = useRoomStore((s) => s.run);
  if (run.status !== 'running') return null;
  return (
    <section className="card" data-testid="progress" data-phase={run.phase} aria-live="polite">
      <h2>Computing…</h2>
      <p>{phaseText(run.phase)}</p>
      <progress aria-label="progress" />
    </section>
  );
}

function phaseText(phase: string | undefined): string {
  switch (phase) {
    case 'preparing':
      return 'Preparing: setting up secret shares with every participant.';
    case 'computing':
      return 'Computing on secret shares.';
    case 'revealing':
      return 'Revealing the result.';
    default:
      return 'Starting…';
  }
}
