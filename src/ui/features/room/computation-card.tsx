/** What the room computes (the host chooses) and what the result will reveal. */
import { COMPUTATIONS, type Computation } from './room-protocol';
import { COMPUTATION_LABELS, revealNotes } from './labels';
import type { RoomController } from './room-controller';
import { useRoomStore } from './room-store';

export function ComputationCard({ controller }: { controller: () => RoomController | null }) {
  const s = useRoomStore();
  const running = s.run.status === 'running';
  const computation = s.spec?.computation;
  return (
    <section className="card" aria-labelledby="compute-h">
      <h2 id="compute-h">Computation</h2>
      {s.isCreator ? (
        <label>
          What the room computes
          <select
            data-testid="computation"
            value={computation ?? 'sum'}
            disabled={running}
            onChange={(e) => controller()?.setSpec({ computation: e.target.value as Computation, decimals: s.spec?.decimals ?? 2 })}
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
  );
}
