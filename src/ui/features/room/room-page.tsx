/**
 * One room: the link to share, who is here, the private input, Start, progress, result.
 * The controller (room-controller.ts) does the work; this file only renders the store.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { rememberedName } from '../landing/landing';
import { COMPUTATIONS, type Computation } from './room-protocol';
import { COMPUTATION_LABELS, revealNotes } from './labels';
import { pendingCreation } from './pending-creation';
import { RoomController, startBlocker } from './room-controller';
import { initialRoomState, participantState, useRoomStore } from './room-store';
import { ResultView } from './result-view';

export function RoomPage({ secret }: { secret: string }) {
  const controller = useRef<RoomController | null>(null);
  const joined = useRoomStore((s) => s.joined);

  useEffect(() => {
    const link = `${window.location.origin}${window.location.pathname}#/room/${secret}`;
    useRoomStore.setState({ ...initialRoomState(), secret, link });
    const created = pendingCreation.take(secret);
    if (created) {
      const c = new RoomController(secret, true);
      controller.current = c;
      void c.join(created.name, created.spec);
    }
    return () => {
      controller.current?.leave();
      controller.current = null;
      useRoomStore.setState(initialRoomState());
    };
  }, [secret]);

  const join = (name: string) => {
    if (controller.current) return;
    const c = new RoomController(secret, false);
    controller.current = c;
    void c.join(name);
  };

  if (!joined) return <JoinForm onJoin={join} />;
  return <Room controller={controller} />;
}

function JoinForm({ onJoin }: { onJoin: (name: string) => void }) {
  const [name, setName] = useState(rememberedName);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onJoin(name.trim() || 'Guest');
  };
  return (
    <section className="card">
      <h1>Join this Parley room</h1>
      <p className="lead">Someone invited you to compute a joint answer. Your own values will stay in this tab.</p>
      <form onSubmit={submit} className="stack">
        <label>
          Your name (shown to the others in the room)
          <input data-testid="display-name" value={name} maxLength={40} autoFocus autoComplete="nickname" onChange={(e) => setName(e.target.value)} placeholder="e.g. Bob" />
        </label>
        <button type="submit" className="primary" data-testid="join-room">
          Join room
        </button>
      </form>
    </section>
  );
}

function Room({ controller }: { controller: React.RefObject<RoomController | null> }) {
  const s = useRoomStore();
  const c = () => controller.current;
  const running = s.run.status === 'running';
  const blocker = startBlocker(s);
  const computation = s.spec?.computation;

  return (
    <div className="room">
      <section className="card">
        <h2>Invite the others</h2>
        <p className="hint">Send this link to each participant (by chat or e-mail). Anyone with the link can join, so share it only with them.</p>
        <div className="link-row">
          <code data-testid="room-link" className="room-link">{s.link}</code>
          <CopyButton text={s.link} />
        </div>
      </section>

      <section className="card" aria-labelledby="people-h">
        <h2 id="people-h">
          Participants <span className="count">({s.participants.length})</span>
        </h2>
        {s.signaling === 'connecting' && <p className="hint">Connecting to the room…</p>}
        <ul className="participants">
          {s.participants.map((p) => {
            const state = participantState(p);
            return (
              <li key={p.id} data-testid="participant" data-state={state} className={`participant ${state}`}>
                <span className="dot" aria-hidden="true" />
                <span className="pname">
                  {p.name}
                  {p.self && <span className="tag"> (you)</span>}
                  {p.creator && <span className="tag"> · host</span>}
                </span>
                <span className="pstate">{state === 'ready' ? `ready${p.length !== undefined ? ` · ${p.length} value${p.length === 1 ? '' : 's'}` : ''}` : state}</span>
              </li>
            );
          })}
        </ul>
        <p className="hint">Connections are direct between browsers (WebRTC), so participants can see each other’s IP addresses.</p>
      </section>

      <section className="card" aria-labelledby="compute-h">
        <h2 id="compute-h">Computation</h2>
        {s.isCreator ? (
          <label>
            What the room computes
            <select
              data-testid="computation"
              value={computation ?? 'sum'}
              disabled={running}
              onChange={(e) => c()?.setSpec({ computation: e.target.value as Computation, decimals: s.spec?.decimals ?? 2 })}
            >
              {COMPUTATIONS.map((k) => (
                <option key={k} value={k}>
                  {COMPUTATION_LABELS[k].title}
                </option>
              ))}
            </select>
          </label>
        ) : (
          <p>
            <strong>{computation ? COMPUTATION_LABELS[computation].title : 'Waiting for the host…'}</strong>
          </p>
        )}
        {computation && (
          <>
            <p className="hint">{COMPUTATION_LABELS[computation].description}</p>
            <ul className="reveal">
              {revealNotes(computation, s.participants.length).map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
          </>
        )}
      </section>

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
          onChange={(e) => c()?.setInput(e.target.value)}
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
            <button type="button" data-testid="ready" aria-pressed="true" onClick={() => c()?.setReady(false)} disabled={running}>
              Ready ✓ (click to edit)
            </button>
          ) : (
            <button type="button" className="primary" data-testid="ready" aria-pressed="false" onClick={() => c()?.setReady(true)} disabled={!!s.inputError || !s.input.trim()}>
              I’m ready
            </button>
          )}
          {s.isCreator && (
            <button type="button" className="primary" data-testid="start" onClick={() => c()?.start()} disabled={!!blocker || running}>
              Start
            </button>
          )}
        </div>
        {s.isCreator && blocker && !running && <p className="hint">{blocker}</p>}
        {!s.isCreator && s.ready && !running && s.run.status !== 'done' && <p className="hint">Waiting for the host to start.</p>}
        {s.notice && <p className="hint">{s.notice}</p>}
      </section>

      {running && (
        <section className="card" data-testid="progress" data-phase={s.run.phase} aria-live="polite">
          <h2>Computing…</h2>
          <p>{phaseText(s.run.phase)}</p>
          <progress aria-label="progress" />
        </section>
      )}

      {s.error && (
        <section className="card error" data-testid="error" role="alert">
          {s.error}
        </section>
      )}

      {s.result && <ResultView result={s.result} />}
    </div>
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

function CopyButton({ text }: { text: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      setCopied(false);
    }
  };
  return (
    <button type="button" onClick={() => void copy()} aria-live="polite">
      {copied ? 'Copied' : 'Copy link'}
    </button>
  );
}
