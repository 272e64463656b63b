/**
 * One room: the join form, then the room's cards (one file each). The controller
 * (room-controller.ts) does the work; views only render the store and call it.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { rememberedName } from '../landing/landing';
import { pendingCreation } from './pending-creation';
import { forgetMembership, recallMembership } from './room-memory';
import { RoomController } from './room-controller';
import { initialRoomState, useRoomStore } from './room-store';
import { OutcomeView } from './outcome-view';
import { InviteCard } from './invite-card';
import { ParticipantsCard } from './participants-card';
import { ComputationCard } from './computation-card';
import { InputCard } from './input-card';
import { ProgressCard } from './progress-card';

export function RoomPage({ secret }: { secret: string }) {
  const controller = useRef<RoomController | null>(null);
  const joined = useRoomStore((s) => s.joined);

  useEffect(() => {
    const link = `${window.location.origin}${window.location.pathname}#/room/${secret}`;
    useRoomStore.setState({ ...initialRoomState(), secret, link });
    // A room just created here, or one this tab was already in (refresh, phone sleep).
    const created = pendingCreation.take(secret);
    const again = created ? { ...created, creator: true } : recallMembership(secret);
    if (again) {
      const c = new RoomController(secret, again.creator);
      controller.current = c;
      void c.join(again.name, again.spec);
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
  const error = useRoomStore((s) => s.error);
  const result = useRoomStore((s) => s.result);
  const secret = useRoomStore((s) => s.secret);
  const c = () => controller.current;
  const leave = () => {
    forgetMembership(secret);
    window.location.hash = '#/';
  };
  return (
    <div className="room">
      <div className="room-bar">
        <button type="button" data-testid="leave-room" onClick={leave}>
          Leave room
        </button>
      </div>
      <InviteCard />
      <ParticipantsCard />
      <ComputationCard controller={c} />
      <InputCard controller={c} />
      <ProgressCard />
      {error && (
        <section className="card error" data-testid="error" role="alert">
          {error}
        </section>
      )}
      {result && <OutcomeView result={result} />}
    </div>
  );
}
