/**
 * One room: the join form, then the room's cards (one file each). The controller
 * (room-controller.ts) does the work; views only render the store and call it.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { rememberedName } from '../landing/landing';
import { pendingCreation } from './pending-creation';
import { forgetHost, forgetMembership, recallHost, recallMembership } from './room-memory';
import type { RoomLink } from '../../../transport';
import { COMPUTATION_LABELS } from './labels';
import { RoomController } from './room-controller';
import { initialRoomState, useRoomStore } from './room-store';
import { OutcomeView } from './outcome-view';
import { InviteCard } from './invite-card';
import { ParticipantsCard } from './participants-card';
import { ComputationCard } from './computation-card';
import { InputCard } from './input-card';
import { ProgressCard } from './progress-card';
import { ResultsHistory } from './results-history';
import { budgetOfHash } from '../dp/budget-link';

export function RoomPage({ room }: { room: RoomLink }) {
  const controller = useRef<RoomController | null>(null);
  const joined = useRoomStore((s) => s.joined);
  const { secret } = room;
  // This browser created the room: its host key is remembered for this room (localStorage).
  const [hosted] = useState(() => recallHost(room));

  useEffect(() => {
    const budget = budgetOfHash(window.location.hash);
    const link = `${window.location.origin}${window.location.pathname}#/room/${room.secret}.${room.host}${budget ? `~budget=${budget}` : ''}`;
    useRoomStore.setState({ ...initialRoomState(), secret: room.secret, link });
    // A room just created here, or one this tab was already in (refresh, phone sleep).
    const created = pendingCreation.take(room.secret);
    const member = created ? undefined : recallMembership(room.secret);
    const key = created?.key ?? (member?.creator ? recallHost(room)?.key : undefined);
    const again = created ?? member;
    if (again) {
      const c = new RoomController(room, key);
      controller.current = c;
      void c.join(again.name, again.spec, { reloadedMidRun: member?.running === true });
    }
    return () => {
      controller.current?.leave();
      controller.current = null;
      useRoomStore.setState(initialRoomState());
    };
  }, [room]);

  const join = (name: string, asHost: boolean) => {
    if (controller.current) return;
    const c = new RoomController(room, asHost ? hosted?.key : undefined);
    controller.current = c;
    void c.join(name, asHost ? hosted?.spec : undefined);
  };

  if (!joined) return <JoinForm onJoin={join} hosted={hosted ? { name: hosted.name } : undefined} secret={secret} />;
  return <Room controller={controller} />;
}

function JoinForm({ onJoin, hosted, secret }: { onJoin: (name: string, asHost: boolean) => void; hosted?: { name: string }; secret: string }) {
  const [name, setName] = useState(() => hosted?.name ?? rememberedName());
  if (hosted) {
    const submit = (e: FormEvent) => {
      e.preventDefault();
      onJoin(name.trim() || 'Host', true);
    };
    return (
      <section className="card">
        <h1>Rejoin your room as its host</h1>
        <p className="lead">You created this room in this browser, so you can host it again: the others’ tabs recognise you from the room link.</p>
        <form onSubmit={submit} className="stack">
          <label>
            Your name (shown to the others in the room)
            <input data-testid="display-name" value={name} maxLength={40} autoFocus autoComplete="nickname" onChange={(e) => setName(e.target.value)} />
          </label>
          <button type="submit" className="primary" data-testid="join-room">
            Rejoin as host
          </button>
          <button
            type="button"
            className="linkish"
            onClick={() => {
              forgetHost(secret);
              onJoin(name.trim() || 'Guest', false);
            }}
          >
            Join as an ordinary participant instead (this browser forgets it hosts this room)
          </button>
        </form>
      </section>
    );
  }
  return <GuestJoinForm onJoin={(n) => onJoin(n, false)} />;
}

function GuestJoinForm({ onJoin }: { onJoin: (name: string) => void }) {
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
  const refusal = useRoomStore((s) => s.refusal);
  const result = useRoomStore((s) => s.result);
  const secret = useRoomStore((s) => s.secret);
  const c = () => controller.current;
  const isCreator = useRoomStore((s) => s.isCreator);
  const kind = useRoomStore((s) => s.spec?.kind);
  // For tests and curious readers: whether OT setups for this group are prepared (issue 19).
  const prep = useRoomStore((s) => s.prep);
  const leave = () => {
    // Leaving on purpose: this tab rejoins no more. A host keeps its key (room-memory.ts),
    // so opening the link again in this browser lets it host again, as the others are told.
    forgetMembership(secret);
    window.location.hash = '#/';
  };
  if (refusal) {
    return (
      <section className="card error" aria-labelledby="refused-h">
        <h1 id="refused-h">Could not join this room</h1>
        <p data-testid="error" role="alert">
          {refusal}
        </p>
        <p>
          <a href="#/">Back to the start page</a>
        </p>
      </section>
    );
  }
  return (
    <div className="room" data-prep={prep}>
      <div className="room-bar">
        <h1 className="room-title">
          {`Parley room${kind ? `: ${COMPUTATION_LABELS[kind].title}` : ''}`}
          {isCreator && <span className="tag"> · you host</span>}
        </h1>
        <button type="button" data-testid="leave-room" onClick={leave}>
          Leave room
        </button>
      </div>
      <InviteCard />
      <ParticipantsCard />
      <PreparingNote />
      <ComputationCard controller={c} />
      <InputCard controller={c} />
      <ProgressCard />
      {error && (
        <section className="card error" data-testid="error" role="alert">
          {error}
        </section>
      )}
      {result && <OutcomeView result={result} />}
      <ResultsHistory />
    </div>
  );
}

/**
 * While the group's OT setups are prepared before Start (prep-coordinator.ts); nothing once
 * done. Not beside a result either: the preparation for the next run that follows every run
 * goes on quietly (the room's data-prep still says it), or the note would read as if the
 * result shown were not yet final.
 */
function PreparingNote() {
  const preparing = useRoomStore((s) => s.prep === 'preparing' && s.run.status !== 'running' && !s.result);
  if (!preparing) return null;
  return (
    <p className="card preparing" data-testid="preparing" role="status">
      Preparing the secure channel… (this speeds up the next run; you can keep typing)
    </p>
  );
}
