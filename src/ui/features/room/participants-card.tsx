/** Who is in the room, and the state of each connection. */
import { participantState, useRoomStore } from './room-store';

export function ParticipantsCard() {
  const participants = useRoomStore((s) => s.participants);
  const signaling = useRoomStore((s) => s.signaling);
  return (
    <section className="card" aria-labelledby="people-h">
      <h2 id="people-h">
        Participants <span className="count">({participants.length})</span>
      </h2>
      {signaling === 'connecting' && <p className="hint">Connecting to the room…</p>}
      <ul className="participants">
        {participants.map((p) => {
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
  );
}
