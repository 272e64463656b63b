/**
 * The room's behaviour: joins the mesh, speaks the control protocol (room-protocol.ts) with
 * the other participants, and runs computations in the MPC worker. Views call its methods
 * and read the store; nothing here renders.
 *
 * Privacy: the private input text is parsed here and handed to the worker on Start; it is
 * never put in a control message. MPC frames are opaque bytes relayed between the worker's
 * MessagePort and the data channels, tagged with the run id so that frames of an aborted
 * run can never leak into the next one.
 */
import { createEngineClient, type EngineClient, type RunBridge } from '../../../worker/engine-client';
import { MeshTag, openMesh, type MeshHandle } from '../../../transport';
import { parseValues, type ValueSchema } from './parse-values';
import { rememberMembership } from './room-memory';
import {
  cleanName,
  encodeControlMessage,
  parseControlMessage,
  type ComputationSpec,
  type ControlMessage,
} from './room-protocol';
import { useRoomStore, type Participant, type RoomState } from './room-store';

export const DEFAULT_SPEC: ComputationSpec = { computation: 'sum', decimals: 2 };
const MAX_ABS = 1e12;
const MAX_LENGTH = 100_000;

const set = (patch: Partial<RoomState> | ((s: RoomState) => Partial<RoomState>)) => useRoomStore.setState(patch);
const get = () => useRoomStore.getState();

function randomId(bytes: number): string {
  const b = crypto.getRandomValues(new Uint8Array(bytes));
  return btoa(String.fromCharCode(...b)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export class RoomController {
  private mesh?: MeshHandle;
  private engine?: EngineClient;
  private bridge?: RunBridge;
  private closed = false;

  constructor(
    private readonly secret: string,
    private readonly creator: boolean,
  ) {}

  /** Connect to the room under `name`. */
  async join(name: string, spec?: ComputationSpec): Promise<void> {
    const clean = cleanName(name) || 'Anonymous';
    set({ name: clean, joined: true, isCreator: this.creator, signaling: 'connecting', spec: this.creator ? (spec ?? DEFAULT_SPEC) : undefined });
    try {
      localStorage.setItem('parley/name', clean);
    } catch {
      // Storage may be disabled; remembering the name is a convenience only.
    }
    rememberMembership(this.secret, { name: clean, creator: this.creator, spec: this.creator ? (spec ?? DEFAULT_SPEC) : undefined });
    this.engine = createEngineClient();
    this.mesh = await openMesh(this.secret, {
      welcome: (self) => {
        set((s) => ({
          selfId: self,
          signaling: 'open',
          participants: [{ id: self, name: s.name, self: true, creator: this.creator, link: 'connected', ready: s.ready }, ...s.participants.filter((p) => !p.self)],
        }));
      },
      peerState: (id, state) => this.onPeerState(id, state),
      peerLeft: (id) => this.onPeerLeft(id),
      message: (id, tag, bytes) => {
        if (tag === MeshTag.Control) this.onControl(id, bytes);
        else if (tag === MeshTag.Mpc) this.engine?.deliver(id, bytes);
      },
      error: (message) => {
        if (!this.closed) set({ error: message, signaling: 'closed' });
      },
    });
  }

  leave(): void {
    this.closed = true;
    this.bridge?.cancel('You left the room.');
    this.mesh?.close();
    this.engine?.terminate();
  }

  setSpec(spec: ComputationSpec): void {
    if (!this.creator || get().run.status === 'running') return;
    set({ spec });
    rememberMembership(this.secret, { name: get().name, creator: true, spec });
    this.broadcast({ t: 'spec', spec });
    this.revalidate();
  }

  setInput(text: string): void {
    set({ input: text });
    this.revalidate();
    if (get().ready && get().inputError) this.setReady(false);
  }

  setReady(ready: boolean): void {
    const s = get();
    if (ready && (s.inputError !== undefined || !s.input.trim())) return;
    const length = ready ? this.parsed()?.length ?? 0 : 0;
    set((st) => ({ ready, participants: st.participants.map((p) => (p.self ? { ...p, ready, length } : p)) }));
    this.broadcast({ t: 'ready', ready, length });
  }

  /** Creator: start a run with everyone who is in the room (all must be ready). */
  start(): void {
    const s = get();
    if (!this.creator || !s.spec || !s.selfId || s.run.status === 'running') return;
    const blocker = startBlocker(s);
    if (blocker) {
      set({ notice: blocker });
      return;
    }
    const roster = s.participants.map((p) => p.id).sort();
    const length = s.participants.find((p) => p.self)?.length ?? 0;
    const runId = randomId(9);
    this.broadcast({ t: 'start', runId, spec: s.spec, roster, length });
    void this.runComputation(runId, s.spec, roster, length);
  }

  // ---- control protocol ----------------------------------------------------------------

  private onControl(from: string, bytes: Uint8Array): void {
    const msg = parseControlMessage(bytes);
    if (!msg) return; // Malformed control messages are ignored; they carry no secrets.
    const sender = get().participants.find((p) => p.id === from);
    switch (msg.t) {
      case 'hello':
        this.upsert(from, { name: msg.name, creator: msg.creator });
        if (msg.creator && msg.spec && !this.creator) {
          set({ spec: msg.spec });
          this.revalidate();
        }
        break;
      case 'spec':
        if (sender?.creator && !this.creator) {
          set({ spec: msg.spec });
          this.revalidate();
        }
        break;
      case 'ready':
        this.upsert(from, { ready: msg.ready, length: msg.ready ? msg.length : undefined });
        this.revalidate();
        break;
      case 'start':
        if (!sender?.creator || this.creator) return;
        this.onStart(msg);
        break;
      case 'abort':
        if (get().run.runId === msg.runId) this.bridge?.peerAborted(from, msg.reason);
        break;
    }
  }

  private onStart(msg: Extract<ControlMessage, { t: 'start' }>): void {
    const s = get();
    const refuse = (reason: string) => this.send(msg.roster, { t: 'abort', runId: msg.runId, reason });
    if (!s.selfId || !msg.roster.includes(s.selfId)) return;
    if (s.run.status === 'running') return refuse(`${s.name} is still busy with another run.`);
    if (!s.ready) return refuse(`${s.name} is not ready.`);
    if (this.parsed()?.length !== msg.length) return refuse(`${s.name} has a different number of values.`);
    set({ spec: msg.spec });
    void this.runComputation(msg.runId, msg.spec, msg.roster, msg.length);
  }

  private async runComputation(runId: string, spec: ComputationSpec, roster: string[], length: number): Promise<void> {
    const s = get();
    const values = this.parsed();
    if (!this.engine || !this.mesh || !s.selfId || !values) return;
    const mesh = this.mesh;
    const names = roster.map((id) => s.participants.find((p) => p.id === id)?.name ?? 'someone');
    const startedAt = Date.now();
    let fraction: number | undefined;
    const progressNow = () => {
      let sent = 0;
      let received = 0;
      for (const t of bridge.traffic().values()) {
        sent += t.sent;
        received += t.received;
      }
      return { fraction, sent, received, startedAt };
    };
    set({ run: { status: 'running', phase: 'starting', runId, progress: { sent: 0, received: 0, startedAt } }, result: undefined, error: undefined, notice: undefined });
    const bridge = this.engine.bridge(runId, roster, s.selfId, (to, bytes) => mesh.send(to, MeshTag.Mpc, bytes));
    this.bridge = bridge;
    const ticker = setInterval(() => {
      const r = get().run;
      if (r.runId === runId && r.status === 'running') set({ run: { ...r, progress: progressNow() } });
    }, 250);
    const outcome = await bridge.run(
      { computation: spec.computation, self: roster.indexOf(s.selfId), parties: roster.length, decimals: spec.decimals, length, values },
      (p) => {
        fraction = p.fraction;
        if (get().run.runId === runId) set({ run: { status: 'running', phase: p.phase, runId, progress: progressNow() } });
      },
    );
    clearInterval(ticker);
    if (this.bridge === bridge) this.bridge = undefined;
    if (get().run.runId !== runId || this.closed) return;
    if (outcome.ok) {
      const self = roster.indexOf(s.selfId);
      set({
        run: { status: 'done', phase: 'done', runId },
        result: {
          computation: spec.computation,
          values: outcome.values,
          parties: roster.length,
          names,
          millis: outcome.stats.millis,
          traffic: roster
            .map((id, i) => {
              const t = bridge.traffic().get(id);
              return { name: names[i], sent: t?.sent ?? outcome.stats.sent[i], received: t?.received ?? outcome.stats.received[i], sample: t?.sample ?? '' };
            })
            .filter((_, i) => i !== self),
        },
      });
    } else {
      const blamed = outcome.error.party !== undefined ? names[outcome.error.party] : undefined;
      const text = describeFailure(outcome.error.code, blamed, outcome.error.message);
      set({ run: { status: 'failed', runId }, error: text });
      // Tell the others at once, so nobody waits for a timeout to learn the run is over.
      this.send(roster, { t: 'abort', runId, reason: text });
    }
  }

  // ---- mesh events ---------------------------------------------------------------------

  private onPeerState(id: string, state: 'connecting' | 'connected'): void {
    this.upsert(id, { link: state });
    if (state === 'connected') {
      const s = get();
      this.send([id], { t: 'hello', name: s.name, creator: this.creator, spec: this.creator ? s.spec : undefined });
      if (s.ready) this.send([id], { t: 'ready', ready: true, length: this.parsed()?.length ?? 0 });
    }
  }

  private onPeerLeft(id: string): void {
    const who = get().participants.find((p) => p.id === id);
    set((s) => ({ participants: s.participants.filter((p) => p.id !== id) }));
    if (who) this.bridge?.peerLeft(id, `${who.name} left the room.`);
    this.revalidate();
  }

  private upsert(id: string, patch: Partial<Participant>): void {
    set((s) => {
      const existing = s.participants.find((p) => p.id === id);
      if (existing) return { participants: s.participants.map((p) => (p.id === id ? { ...p, ...patch } : p)) };
      const fresh: Participant = { id, name: 'Joining…', self: false, creator: false, link: 'connecting', ready: false, ...patch };
      return { participants: [...s.participants, fresh] };
    });
  }

  // ---- helpers -------------------------------------------------------------------------

  private schema(): ValueSchema {
    const s = get();
    const others = s.participants.filter((p) => !p.self && p.ready && p.length !== undefined);
    return { decimals: s.spec?.decimals ?? DEFAULT_SPEC.decimals, maxAbs: MAX_ABS, maxLength: MAX_LENGTH, length: others[0]?.length };
  }

  private parsed(): string[] | undefined {
    const r = parseValues(get().input, this.schema());
    return r.ok ? r.values : undefined;
  }

  private revalidate(): void {
    const s = get();
    if (!s.input.trim()) {
      set({ inputError: undefined });
      return;
    }
    const r = parseValues(s.input, this.schema());
    set({ inputError: r.ok ? undefined : r.error });
  }

  private broadcast(m: ControlMessage): void {
    const s = get();
    this.send(s.participants.filter((p) => !p.self && p.link === 'connected').map((p) => p.id), m);
  }

  private send(to: string[], m: ControlMessage): void {
    const self = get().selfId;
    const bytes = encodeControlMessage(m);
    for (const id of to) if (id !== self) void this.mesh?.send(id, MeshTag.Control, bytes).catch(() => undefined);
  }
}

/** Why Start is not possible yet, in plain words, or undefined when it is. */
export function startBlocker(s: RoomState): string | undefined {
  if (s.participants.length < 2) return 'Waiting for at least one more participant.';
  const notConnected = s.participants.filter((p) => p.link !== 'connected');
  if (notConnected.length) return `Still connecting to ${notConnected.map((p) => p.name).join(', ')}.`;
  const notReady = s.participants.filter((p) => !p.ready);
  if (notReady.length) return `Waiting for ${notReady.map((p) => (p.self ? 'you' : p.name)).join(', ')} to be ready.`;
  const lengths = new Set(s.participants.map((p) => p.length));
  if (lengths.size > 1) return 'Participants entered different numbers of values.';
  return undefined;
}

function describeFailure(code: string, blamed: string | undefined, message: string): string {
  const who = blamed ?? 'A participant';
  switch (code) {
    case 'PEER_LEFT':
      return `${who} left during the computation. No result was revealed. You can start again.`;
    case 'ROUND_TIMEOUT':
      return `${who} stopped responding. No result was revealed. You can start again.`;
    case 'MALFORMED_MESSAGE':
      return `${who} sent an invalid message, so the run was stopped. No result was revealed.`;
    case 'ABORTED':
      // A peer's abort message (already a sentence) or a local failure.
      return blamed ? `${blamed} stopped the run: ${message}` : `The computation was stopped: ${message}`;
    default:
      return `The computation was stopped: ${message} No result was revealed.`;
  }
}
