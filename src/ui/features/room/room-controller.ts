/**
 * The room's adapter between the world and its pure parts: joins the mesh, verifies host
 * statements, reads the private input, and feeds every event to the control-protocol reducer
 * (room-reducer.ts), then performs the effects it returns (control messages, a run to start
 * through the run orchestrator, run-orchestrator.ts). Views call its methods and read the
 * store; nothing here renders and no protocol rule lives here.
 *
 * Privacy: the private input text is read here and handed to the worker on Start; it is
 * never put in a control message. MPC frames are opaque bytes relayed between the worker's
 * MessagePort and the data channels, tagged with the run id so that frames of an aborted
 * run can never leak into the next one.
 *
 * Host: the member whose host statement verifies against the fingerprint in the link
 * (transport/host-key.ts); the reducer accepts specs and Start from that member only.
 *
 * Hooks (RunHooks): `refuse` (a tab-local policy refuses a run: features/dp's ledger),
 * `accepted` (this tab takes part in a run, before any input is used: dp charges its
 * ledger) and `groupChanged` (the connected group changed: preparation before Start).
 */
import { createEngineClient, type EngineClient } from '../../../worker/engine-client';
import { deriveRoomKeys, MeshTag, openMesh, signHostStatement, verifyHostStatement, type HostKey, type HostStatement, type MeshHandle, type RoomLink } from '../../../transport';
import { readPrivateInput, type PrivateInput } from './private-input';
import { rememberHost, rememberMembership } from './room-memory';
import { cleanName, encodeControlMessage, parseControlMessage, type ControlMessage, type RoomSpec } from './room-protocol';
import { defaultSpec } from './spec-defaults';
import { budgetOfHash } from '../dp/budget-link';
import { ledgerRefusal, pinBudget, spend } from '../dp/ledger';
import { useRoomStore, type RoomState } from './room-store';
import { reduceControl, withNotice, type ControlEffect, type ControlEvent, type ControlState, type HostClaim } from './room-reducer';
import { RunOrchestrator } from './run-orchestrator';
import { PrepCoordinator } from './prep-coordinator';
import { isRefusal, roundTimeout, specForRun } from './room-rules';

export const DEFAULT_SPEC: RoomSpec = defaultSpec('sum');

const set = (patch: Partial<RoomState> | ((s: RoomState) => Partial<RoomState>)) => useRoomStore.setState(patch);
const get = () => useRoomStore.getState();

function randomId(bytes: number): string {
  const b = crypto.getRandomValues(new Uint8Array(bytes));
  return btoa(String.fromCharCode(...b)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export { roundTimeout, specForRun };
export { startBlocker } from './room-reducer';

/** Where other features plug into a room's runs (all optional, all tab-local). */
export interface RunHooks {
  /** A reason this tab refuses to start or join a run with `spec`, or undefined. */
  refuse?(spec: RoomSpec): string | undefined;
  /** This tab takes part in run `runId` (before any input is used). */
  accepted?(runId: string, spec: RoomSpec): void;
  /** The members this tab is connected to changed (sorted ids, self included). */
  groupChanged?(members: readonly string[]): void;
}

/**
 * The privacy ledger of features/dp: refuse runs over the room's budget, and in a room with a
 * budget (`linkBudget`, or one the ledger pinned) any run without ε; charge the ones taken.
 */
function dpHooks(roomId: string, linkBudget: string | undefined): RunHooks {
  return {
    refuse: (spec) => ledgerRefusal(roomId, 'epsilon' in spec ? spec : {}, linkBudget),
    accepted: (runId, spec) => {
      if ('epsilon' in spec && spec.epsilon !== undefined) spend(roomId, runId, spec.epsilon);
    },
  };
}

export class RoomController {
  private mesh?: MeshHandle;
  private engine?: EngineClient;
  private runs?: RunOrchestrator;
  private prep?: PrepCoordinator;
  private closed = false;
  /** Identity keys (base64url) by member id, as authenticated by the mesh. */
  private keys: Record<string, string> = {};
  private selfKey = '';
  /** The last final safety code (to announce a change). */
  private shownCode: string | undefined;
  /** Our host statement for our current session key (creator only). */
  private statement?: { sessionKey: string; statement: HostStatement };
  /** The reducer's state that the store does not show (host id, early aborts). */
  private control: Omit<ControlState, 'room'> = { earlyAborts: [] };
  private readonly roomId: string;
  private readonly secret: string;
  private readonly creator: boolean;
  private readonly hooks: RunHooks[];
  /** The connected group last reported to `groupChanged`. */
  private group = '';
  /** Memo of the last input reading (re-reading 100k values on every peer message froze tabs). */
  private lastRead?: { key: string; value: PrivateInput | undefined };

  constructor(
    private readonly link: RoomLink,
    /** The room's host key when this tab is its creator (from creation or this browser's memory). */
    private readonly hostKey?: HostKey,
    hooks: readonly RunHooks[] = [],
  ) {
    this.secret = link.secret;
    this.creator = hostKey !== undefined;
    this.roomId = deriveRoomKeys(link.secret).roomId;
    // Preparation before Start follows the connected group (prep-coordinator.ts).
    // The room's privacy budget, pinned by the link into this tab's ledger (features/dp).
    const linkBudget = budgetOfHash(window.location.hash);
    this.hooks = [dpHooks(this.roomId, linkBudget), { groupChanged: (members) => this.prep?.groupChanged(members) }, ...hooks];
    this.pinNotice = pinBudget(this.roomId, linkBudget);
  }

  private readonly pinNotice: string | undefined;

  /** Connect to the room under `name`. */
  async join(name: string, spec?: RoomSpec, { reloadedMidRun = false } = {}): Promise<void> {
    const clean = cleanName(name) || 'Anonymous';
    const ownSpec = this.creator ? (spec ?? DEFAULT_SPEC) : undefined;
    set({ name: clean, joined: true, isCreator: this.creator, signaling: 'connecting', spec: ownSpec });
    try {
      localStorage.setItem('parley/name', clean);
    } catch {
      // Storage may be disabled; remembering the name is a convenience only.
    }
    rememberMembership(this.secret, { name: clean, creator: this.creator, spec: ownSpec });
    if (this.pinNotice) this.notice(this.pinNotice);
    if (reloadedMidRun) {
      this.notice('This tab was reloaded during a run, which stopped that run for everyone. Your input is never stored, so enter it again for the next run.');
    }
    if (this.hostKey) rememberHost(this.link, { key: this.hostKey, name: clean, spec: ownSpec });
    const engine = createEngineClient();
    this.engine = engine;
    this.runs = new RunOrchestrator({
      engine,
      sendMpc: (to, bytes) => this.mesh?.send(to, MeshTag.Mpc, bytes) ?? Promise.reject(new Error('not connected')),
      sendControl: (to, msg) => this.send(to, msg),
      keys: () => ({ self: this.selfKey, peers: this.keys }),
      remember: (running) => rememberMembership(this.secret, { name: get().name, creator: this.creator, spec: this.creator ? get().spec : undefined, ...(running ? { running } : {}) }),
      closed: () => this.closed,
    });
    this.prep = new PrepCoordinator({
      engine,
      selfId: () => get().selfId,
      // bench/browser.ts --prep sets this in the host's page to time the same run unprepared.
      isHost: () => this.creator && (globalThis as { __PARLEY_BENCH_NO_PREP__?: boolean }).__PARLEY_BENCH_NO_PREP__ !== true,
      hostId: () => this.control.hostId,
      keys: () => ({ self: this.selfKey, peers: this.keys }),
      sendMpc: (to, bytes) => this.mesh?.send(to, MeshTag.Mpc, bytes) ?? Promise.reject(new Error('not connected')),
      sendPrep: (to, msg) => this.send(to, msg),
      spec: () => get().spec,
      newId: () => randomId(9),
      onState: (prep) => set({ prep }),
    });
    this.mesh = await openMesh(this.secret, {
      welcome: (self) => {
        set((s) => ({
          selfId: self,
          signaling: 'open',
          participants: [{ id: self, name: s.name, self: true, creator: this.creator, link: 'connected', ready: s.ready }, ...s.participants.filter((p) => !p.self)],
        }));
        this.reportGroup();
      },
      peerState: (id, state) => this.dispatch({ type: 'peer-state', id, state, host: state === 'connected' ? this.hostStatement() : undefined }),
      // Connections that never became trustworthy are refusals (shown with their reason),
      // not departures: the transport's code says which (PeerLeftCode in transport/mesh.ts).
      peerLeft: (id, reason, code) => this.dispatch({ type: 'peer-left', id, ...(isRefusal(code) ? { refused: reason } : {}) }),
      path: (id, path) => set((s) => ({ participants: s.participants.map((p) => (p.id === id ? { ...p, path: path.kind } : p)) })),
      message: (id, tag, bytes) => {
        if (tag === MeshTag.Control) this.onControl(id, bytes);
        // Protocol frames only from current participants (not from someone who left).
        else if (tag === MeshTag.Mpc && get().participants.some((p) => p.id === id && !p.self)) this.engine?.deliver(id, bytes);
      },
      identities: (info) => {
        this.keys = { ...info.peers };
        this.selfKey = info.self;
      },
      // No words while the exchange of a new group runs (they would not be final yet).
      safetyCode: (state) => {
        const code = state.status === 'final' ? state.code : undefined;
        set({ safetyCode: code });
        if (!code) return;
        // A code compared earlier no longer covers the group: say so rather than change it silently.
        if (this.shownCode && this.shownCode !== code && Object.keys(this.keys).length > 0) {
          this.notice('The group changed, so the safety code changed: compare the new words again.');
        }
        this.shownCode = code;
      },
      warning: (message, _peer, code) => {
        console.warn(`Parley: ${message}`);
        if (code === 'REFUSED') this.notice(capitalise(message));
      },
      error: (message, code) => {
        if (this.closed) return;
        // Refused before we were in: say exactly why, and show no room we are not in.
        if (!get().selfId) {
          const size = /\((\d+)/.exec(message)?.[1];
          const refusal =
            code === 'ROOM_FULL'
              ? `This room is full${size ? ` (${size})` : ''}: nobody else can join until someone leaves. Ask the host, or create a new room.`
              : `The server did not let this tab into the room (${message}). Try again in a minute.`;
          set({ refusal, signaling: 'closed' });
          return;
        }
        set({ signalingError: message, signaling: 'closed' });
      },
    });
  }

  leave(): void {
    this.closed = true;
    this.prep?.close();
    this.runs?.cancel('You left the room.');
    this.mesh?.close();
    this.engine?.terminate();
  }

  setSpec(spec: RoomSpec): void {
    if (!this.creator || get().run.status === 'running') return;
    rememberMembership(this.secret, { name: get().name, creator: true, spec });
    if (this.hostKey) rememberHost(this.link, { key: this.hostKey, name: get().name, spec });
    this.dispatch({ type: 'set-spec', spec });
  }

  setInput(text: string): void {
    this.dispatch({ type: 'set-input', text });
  }

  setReady(ready: boolean): void {
    this.dispatch({ type: 'set-ready', ready });
  }

  /** The input was read again off the main thread (a table card's worker): check it anew. */
  refreshInput(): void {
    this.lastRead = undefined;
    this.dispatch({ type: 'input-read' });
  }

  /** The person checked the readings the input card warned about (or withdrew that). */
  confirmInput(confirmed: boolean): void {
    this.dispatch({ type: 'confirm-input', confirmed });
  }

  /** Creator: start a run with everyone who is in the room (all must be ready). */
  start(): void {
    this.dispatch({ type: 'start', runId: randomId(9) });
  }

  // ---- the reducer and its effects -----------------------------------------------------

  private dispatch(event: ControlEvent): void {
    const step = reduceControl({ room: get(), ...this.control }, event, {
      readOwn: (room) => this.read(room),
      refuseRun: (spec) => this.hooks.map((h) => h.refuse?.(spec)).find((r) => r !== undefined),
    });
    const { room, ...control } = step.state;
    this.control = control;
    useRoomStore.setState(room, true);
    for (const effect of step.effects) this.perform(effect);
    this.reportGroup();
  }

  private perform(effect: ControlEffect): void {
    switch (effect.t) {
      case 'send':
        return this.send(effect.to, effect.msg);
      case 'run':
        return void this.runComputation(effect.runId, effect.spec, effect.roster, effect.counts);
      case 'run-aborted':
        return this.runs?.peerAborted(effect.from, effect.reason, effect.code);
      case 'run-peer-left':
        return this.runs?.peerLeft(effect.id, effect.text);
    }
  }

  private async runComputation(runId: string, spec: RoomSpec, roster: string[], counts: number[]): Promise<void> {
    if (!this.runs) return;
    for (const h of this.hooks) h.accepted?.(runId, spec);
    if (this.creator) this.broadcast({ t: 'status', running: true });
    try {
      await this.runs.run(runId, spec, roster, counts, this.read(get()), () => this.prep?.beforeRun(roster) ?? Promise.resolve(undefined));
    } finally {
      this.prep?.afterRun();
    }
    if (this.creator && !this.closed) this.broadcast({ t: 'status', running: false });
  }

  private onControl(from: string, bytes: Uint8Array): void {
    const msg = parseControlMessage(bytes);
    if (!msg) return; // Malformed control messages are ignored; they carry no secrets.
    if (msg.t === 'prep') return this.prep?.onPrep(from, msg);
    this.dispatch({ type: 'control', from, msg, ...(msg.t === 'hello' && (msg.creator || msg.host) ? { hostClaim: this.checkHostStatement(from, msg.host) } : {}) });
  }

  /**
   * Only a statement signed by the pinned host key for the session key `from` proved on
   * this connection counts (the reducer decides what a valid or invalid claim means).
   */
  private checkHostStatement(from: string, host: HostStatement | undefined): HostClaim {
    const sessionKey = this.keys[from];
    return sessionKey && host && verifyHostStatement(host, this.link.host, this.roomId, sessionKey).ok ? 'valid' : 'invalid';
  }

  /** Tell `groupChanged` hooks when the connected group changes (preparation before Start). */
  private reportGroup(): void {
    const members = get()
      .participants.filter((p) => p.link === 'connected')
      .map((p) => p.id)
      .sort();
    const key = members.join(',');
    if (key === this.group) return;
    this.group = key;
    for (const h of this.hooks) h.groupChanged?.(members);
  }

  // ---- helpers -------------------------------------------------------------------------

  /** This participant's input read against the room's spec, or undefined with no spec yet. */
  private read(s: RoomState): PrivateInput | undefined {
    if (!s.spec || !s.input.trim()) return undefined;
    const others = s.participants.filter((p) => !p.self && p.ready && p.length !== undefined);
    const key = `${JSON.stringify(s.spec)}\u0000${others[0]?.length ?? ''}\u0000${s.input}`;
    if (this.lastRead?.key === key) return this.lastRead.value;
    const value = readPrivateInput(s.input, s.spec, others[0]?.length);
    this.lastRead = { key, value };
    return value;
  }

  /** Our host statement for our current session key (signed once per session). */
  private hostStatement(): HostStatement | undefined {
    if (!this.hostKey || !this.selfKey) return undefined;
    if (this.statement?.sessionKey !== this.selfKey) this.statement = { sessionKey: this.selfKey, statement: signHostStatement(this.hostKey, this.roomId, this.selfKey) };
    return this.statement.statement;
  }

  private notice(text: string): void {
    set((s) => ({ connectionNotices: withNotice(s.connectionNotices, text) }));
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

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
