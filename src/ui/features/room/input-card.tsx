/** The private input, its validation message, Ready and (for the host) Start. */
import type { RoomController } from './room-controller';
import { startBlocker } from './room-controller';
import { useRoomStore } from './room-store';

export function InputCard({ controller }: { controller: () => RoomController | null }) {
  const s = useRoomStore();
  const running = s.run.status === 'running';
  const blocker = startBlocker(s);
  return (
    <section className="card" aria-labelledby="input-h">
      <h2 id="input-h">Your private values</h2>
      <label htmlFor="private-input" className="hint">
        One number, or a list separated by commas, spaces or new lines (up to {s.spec?.decimals ?? 2} decimals). They never leave this tab.
      </label>
      <textarea
        id="private-input"
        data-testid="private-input"
        rows={4}
        value={s.input}
        disabled={s.ready || running}
        aria-invalid={s.inputError ? true : undefined}
        aria-describedby={s.inputError ? 'input-error' : undefined}
        onChange={(e) => controller()?.setInput(e.target.value)}
        placeholder="e.g. 52000"
        spellCheck={false}
      />
      {s.inputError && (
        <p id="input-error" data-testid="input-error" className="field-error" role="alert">
          {s.inputError}
        </p>
      )}
      <div className="actions">
        {s.ready ? (
          <button type="button" data-testid="ready" aria-pressed="true" onClick={() => controller()?.setReady(false)} disabled={running}>
            Ready ✓ (click to edit)
          </button>
        ) : (
          <button type="button" className="primary" data-testid="ready" aria-pressed="false" onClick={() => controller()?.setReady(true)} disabled={!!s.inputError || !s.input.trim()}>
            I’m ready
          </button>
        )}
        {s.isCreator && (
          <button type="button" className="primary" data-testid="start" onClick={() => controller()?.start()} disabled={!!blocker || running}>
            Start
          </button>
        )}
      </div>
      {s.isCreator && blocker && !running && <p className="hint">{blocker}</p>}
      {!s.isCreator && s.ready && !running && s.run.status !== 'done' && <p className="hint">Waiting for the host to start.</p>}
      {s.notice && <p className="hint">{s.notice}</p>}
    </section>
  );
}
