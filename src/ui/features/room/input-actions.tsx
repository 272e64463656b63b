/**
 * Ready and (for the host) Start, with why Start waits: under the private input, and under
 * any computation's own input card (src/ui/features/table), so every card behaves alike.
 */
import type { RoomController } from './room-controller';
import { startBlocker } from './room-controller';
import { useRoomStore } from './room-store';

export function InputActions({ controller, readyDisabled, onReady }: { controller: () => RoomController | null; readyDisabled: boolean; onReady?: () => void }) {
  const s = useRoomStore();
  const running = s.run.status === 'running';
  const blocker = startBlocker(s);
  return (
    <>
      <div className="actions">
        {s.ready ? (
          <button key="unready" type="button" data-testid="ready" aria-pressed="true" onClick={() => controller()?.setReady(false)} disabled={running}>
            Ready ✓ (click to edit)
          </button>
        ) : (
          // type="button" with its own key: a button that turned into a submit button during
          // the click would submit the form and undo the un-ready at once.
          <button key="ready" type="button" className="primary" data-testid="ready" aria-pressed="false" onClick={() => (onReady ? onReady() : controller()?.setReady(true))} disabled={readyDisabled}>
            I’m ready
          </button>
        )}
        {s.isCreator && (
          <button type="button" className="primary" data-testid="start" onClick={() => controller()?.start()} disabled={!!blocker || running}>
            {s.run.status === 'done' ? 'Run again' : 'Start'}
          </button>
        )}
      </div>
      {s.isCreator && blocker && !running && <p className="hint">{blocker}</p>}
      {!s.isCreator && s.ready && !running && <p className="hint">Waiting for the host to start.</p>}
      {s.notice && <p className="hint">{s.notice}</p>}
    </>
  );
}
