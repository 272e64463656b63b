/** Who is in the room, and the state of each connection. */
import { participantLabels, participantState, useRoomStore } from './room-store';
import { computationFor } from '../../../core/computations/registry';

export function ParticipantsCard() {
  const participants = useRoomStore((s) => s.participants);
  const signaling = useRoomStore((s) => s.signaling);
  const signalingError = useRoomStore((s) => s.signalingError);
  const safetyCode = useRoomStore((s) => s.safetyCode);
  const notices = useRoomStore((s) => s.connectionNotices);
  const unit = useRoomStore((s) => (s.spec && computationFor(s.spec.kind).inputShape.startsWith('item') ? 'item' : 'value'));
  // Tables (own input cards): how many rows each participant uses is private, or said in the reveal notes.
  const counted = useRoomStore((s) => !(s.spec && computationFor(s.spec.kind).inputShape === 'own-card'));
  // The code covers connected peers only: while someone connects it would differ between tabs.
  const settled = participants.every((p) => p.link === 'connected');
  const labels = participantLabels(participants);
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
                {labels.get(p.id)}
                {p.self && <span className="tag"> (you)</span>}
                {p.creator && <span className="tag"> · host</span>}
              </span>
              {!p.self && p.path && (
                <span className="tag" title={p.path === 'direct' ? 'Direct connection' : 'Relayed through a TURN server (it sees only encrypted traffic)'}>
                  {p.path === 'direct' ? 'direct' : 'via relay'}
                </span>
              )}
              <span className="pstate">{state === 'ready' ? `ready${p.length !== undefined && counted ? ` · ${p.length.toLocaleString('en')} ${unit}${p.length === 1 ? '' : 's'}` : ''}` : state}</span>
            </li>
          );
        })}
      </ul>
      {notices.length > 0 && (
        <div data-testid="connection-notices" role="status">
          <ul className="warning notices">
            {notices.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        </div>
      )}
      {participants.length > 1 && !(safetyCode && settled) && (
        <p className="safety hint" data-testid="safety-code-pending" role="status">
          Safety code: being established… (wait until every participant is connected and the words appear before comparing)
        </p>
      )}
      {safetyCode && participants.length > 1 && settled && (
        <div className="safety">
          <p>
            Safety code: <strong data-testid="safety-code">{safetyCode}</strong>
          </p>
          <p className="hint">
            Read it aloud to each other on a call: if everyone sees the same words, nobody is sitting in the middle of your connections. If the words differ,
            leave the room and create a new one.
          </p>
        </div>
      )}
      {signalingError && (
        <p className="warning" role="status">
          Lost the connection to the server that introduces browsers ({signalingError}). Existing connections keep working; new participants cannot join until
          you reload.
        </p>
      )}
      <p className="hint">Connections are direct between browsers (WebRTC), so participants can see each other’s IP addresses.</p>
    </section>
  );
}
