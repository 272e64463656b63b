/**
 * Progress of a run: the phases in order, a bar with percent (indeterminate when the
 * protocol cannot tell), bytes exchanged so far and, for long runs, an estimate of the time
 * left. It stays, compact, after the run finishes so the steps can be read afterwards.
 */
import { useRef } from 'react';
import { useRoomStore, type RunPhase } from './room-store';
import { estimateLeft, formatBytes, formatDuration } from '../../components/format';

/** No change in bytes, fraction or phase for this long means the run is waiting on a peer. */
const STALL_MS = 5000;

export const PHASES: { phase: Exclude<RunPhase, 'done'>; label: string; text: string }[] = [
  { phase: 'starting', label: 'Connecting', text: 'Connecting the participants’ workers.' },
  { phase: 'checking', label: 'Checking agreement', text: 'Checking that everyone agreed on the same computation and participants.' },
  { phase: 'preparing', label: 'Preparing', text: 'Preparing: creating correlated randomness with every participant (the longest step for large inputs).' },
  { phase: 'computing', label: 'Computing', text: 'Computing on secret shares.' },
  { phase: 'revealing', label: 'Revealing', text: 'Revealing the result.' },
];

export function ProgressCard() {
  const run = useRoomStore((s) => s.run);
  const millis = useRoomStore((s) => s.result?.millis);
  // When nothing moves (no bytes, no fraction, same phase) the run is waiting on someone:
  // say so instead of extrapolating a time left from a stalled fraction. The controller
  // re-publishes progress every 250 ms, so this re-renders while waiting.
  const activity = useRef({ key: '', at: 0 });
  const key = `${run.runId}|${run.phase}|${run.progress?.fraction}|${run.progress?.sent}|${run.progress?.received}`;
  const now = Date.now();
  if (activity.current.key !== key) activity.current = { key, at: now };
  const quiet = now - activity.current.at;
  if (run.status !== 'running' && run.status !== 'done') return null;
  const done = run.status === 'done';
  const phase = run.phase ?? 'starting';
  const at = done ? PHASES.length : Math.max(0, PHASES.findIndex((p) => p.phase === phase));
  const progress = run.progress;
  const fraction = done ? 1 : progress?.fraction;
  const elapsed = progress ? Date.now() - progress.startedAt : 0;
  const stalled = !done && quiet >= STALL_MS;
  const left = done || stalled ? undefined : estimateLeft(fraction, elapsed);
  const percent = fraction === undefined ? undefined : Math.round(Math.min(1, Math.max(0, fraction)) * 100);

  return (
    <section className={`card progress${done ? ' finished' : ''}`} data-testid="progress" data-phase={phase} aria-labelledby="progress-h">
      <h2 id="progress-h">{done ? 'Finished' : 'Computing…'}</h2>
      <ol className="phases">
        {PHASES.map((p, i) => {
          const state = i < at ? 'done' : i === at ? 'current' : 'todo';
          return (
            <li key={p.phase} className={`phase ${state}`} data-phase-step={p.phase} aria-current={state === 'current' ? 'step' : undefined}>
              <span className="phase-mark" aria-hidden="true">
                {state === 'done' ? '✓' : i + 1}
              </span>
              <span className="phase-label">
                {p.label}
                <span className="visually-hidden">{state === 'done' ? ' (done)' : state === 'current' ? ' (in progress)' : ''}</span>
              </span>
            </li>
          );
        })}
      </ol>
      <p role="status" className="phase-text">
        {done ? `All steps done${millis !== undefined ? ` in ${(millis / 1000).toFixed(2)} s` : ''}.` : (PHASES[at]?.text ?? 'Working…')}
      </p>
      {!done && (
        <>
          <div className="bar-row">
            <progress aria-label="Computation progress" max={1} value={fraction === undefined ? undefined : fraction} />
            <span className="percent" data-testid="progress-percent">
              {percent === undefined ? '…' : `${percent}%`}
            </span>
          </div>
          <p className="hint stats-line">
            <span data-testid="progress-bytes">
              {formatBytes(progress?.sent ?? 0)} sent · {formatBytes(progress?.received ?? 0)} received
            </span>
            {elapsed >= 1000 && <span> · {formatDuration(elapsed)} elapsed</span>}
            {left !== undefined && left >= 3000 && <span data-testid="progress-eta"> · about {formatDuration(left)} left</span>}
            {stalled && <span data-testid="progress-waiting"> · waiting for the other participants (nothing for {formatDuration(quiet)})</span>}
          </p>
        </>
      )}
    </section>
  );
}
