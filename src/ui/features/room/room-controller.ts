/**
 * The room's behaviour: joins the mesh, speaks the control protocol (room-protocol.ts) with
 * the other participants, and runs computations in the MPC worker. Views call its methods
 * and read the store; nothing here renders.
 *
 * Privacy: the private input text is read here and handed to the worker on Start; it is
 * never put in a control message. MPC frames are opaque bytes relayed between the worker's
 * MessagePort and the data channels, tagged with the run id so that frames of an aborted
 * run can never leak into the next one.
 *
 * Host: the member whose host statement verifies against the fingerprint in the link
 * (transport/host-key.ts). Specs and Start are accepted from that member only; a claim
 * without a valid statement is refused with a notice, whoever makes it first.
 *
 * Consent: Ready means "I agree to compute this spec with my input". A spec change resets
 * everyone's Ready, and at Start every worker checks that all parties hold the same spec
 * and roster (agreeOnDigest) before any input is used.
 */
import { isDeviation, publicReason, roundTimeout, specForRun } from './room-rules';
import { DEVIATION_MESSAGE } from '../../../core/backend/types';
import { createEngineClient, type EngineClient, type RunBridge } from '../../../worker/engine-client';
import type { Job } from '../../../worker/jobs';
import { computationFor } from '../../../core/computations/registry';
import { isTableOutput } from '../../../core/table';
import { deriveRoomKeys, MeshTag, openMesh, signHostStatement, verifyHostStatement, type HostKey, type HostStatement, type MeshHandle, type RoomLink } from '../../../transport';
import { readPrivateInput, type PrivateInput } from './private-input';
import { rememberHost, rememberMembership } from './room-memory';
import { cleanName, encodeControlMessage, parseControlMessage, type ControlMessage, type RoomSpec } from './room-protocol';
import { defaultSpec } from './spec-defaults';
import { budgetOfHash } from '../dp/budget-link';
import { ledgerRefusal, pinBudget, spend } from '../dp/ledger';
import { useRoomStore, type Participant, type RoomState, type RunResultView } from './room-store';

export const DEFAULT_SPEC: RoomSpec = defaultSpec('sum');

const set = (patch: Partial<RoomState> | ((s: RoomState) => Partial<RoomState>)) => useRoomStore.setState(patch);
const get = () => useRoomStore.getState();

function randomId(bytes: number): string {
  const b = crypto.getRandomValues(new Uint8Array(bytes));
  return btoa(String.fromCharCode(...b)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export { roundTimeout, specForRun };

export class RoomController {
  private mesh?: MeshHandle;
  private engine?: EngineClient;
  private bridge?: RunBridge;
  private closed = false;
  /** Identity keys (base64url) by member id, as authenticated by the mesh. */
  private keys: Record<string, string> = {};
  private selfKey = '';
  /** The last final safety code (to announce a change). */
  private shownCode: string | undefined;
  /** The member this tab accepts as host: the one whose statement matches the link's host key. */
  private hostId?: string;
  /** Our host statement for our current session key (creator only). */
  private statement?: { sessionKey: string; statement: HostStatement };
  private readonly roomId: string;
  private readonly secret: string;
  private readonly creator: boolean;
  /** Run ids aborted before their start reached us (bounded). */
  private earlyAborts: string[] = [];
  /** Memo of the last input reading (re-reading 100k values on every peer message froze tabs). */
  private lastRead?: { key: string; value: PrivateInput | undefined };

  constructor(
    private readonly link: RoomLink,
    /** The room's host key when this tab is its creator (from creation or this browser's memory). */
    private readonly hostKey?: HostKey,
  ) {
    this.secret = link.secret;
    this.creator = hostKey !== undefined;
    this.roomId = deriveRoomKeys(link.secret).roomId;
    // The room's privacy budget, pinned by the link into this tab's ledger (features/dp).
    this.pinNotice = pinBudget(this.roomId, budgetOfHash(window.location.hash));
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
      peerLeft: (id, reason) => this.onPeerLeft(id, reason),
      path: (id, path) => this.upsert(id, { path: path.kind }),
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
      warning: (message) => {
        console.warn(`Parley: ${message}`);
        if (/^refused the connection/i.test(message)) this.notice(capitalise(message));
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
    this.bridge?.cancel('You left the room.');
    this.mesh?.close();
    this.engine?.terminate();
  }

  setSpec(spec: RoomSpec): void {
    if (!this.creator || get().run.status === 'running') return;
    set({ spec });
    rememberMembership(this.secret, { name: get().name, creator: true, spec });
    if (this.hostKey) rememberHost(this.link, { key: this.hostKey, name: get().name, spec });
    this.broadcast({ t: 'spec', spec });
    this.onSpecChanged();
  }

  setInput(text: string): void {
    // A confirmation was for the text as it was: a changed text needs a new one.
    set({ input: text, inputConfirmed: false });
    this.revalidate();
    if (get().ready && get().inputError) this.setReady(false);
  }

  setReady(ready: boolean): void {
    const s = get();
    const input = this.read();
    if (ready && (!s.spec || !input?.ok || (input.confirm && !s.inputConfirmed))) return;
    const length = ready && input?.ok ? input.count : 0;
    set((st) => ({ ready, participants: st.participants.map((p) => (p.self ? { ...p, ready, length: ready ? length : undefined } : p)) }));
    this.broadcast({ t: 'ready', ready, length });
  }

  /** The input was read again off the main thread (a table card's worker): check it anew. */
  refreshInput(): void {
    this.lastRead = undefined;
    this.revalidate();
    if (get().ready && get().inputError) this.setReady(false);
  }

  /** The person checked the readings the input card warned about (or withdrew that). */
  confirmInput(confirmed: boolean): void {
    set({ inputConfirmed: confirmed });
    if (!confirmed && get().ready) this.setReady(false);
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
    const counts = roster.map((id) => s.participants.find((p) => p.id === id)?.length ?? 0);
    const spec = specForRun(s.spec, counts);
    const runId = randomId(9);
    const overBudget = 'epsilon' in spec ? ledgerRefusal(this.roomId, spec) : undefined;
    if (overBudget) {
      set({ notice: `This tab refuses to start: ${overBudget}.` });
      return;
    }
    if ('epsilon' in spec && spec.epsilon !== undefined) spend(this.roomId, runId, spec.epsilon);
    this.broadcast({ t: 'start', runId, spec, roster, counts });
    void this.runComputation(runId, spec, roster, counts);
  }

  // ---- control protocol ----------------------------------------------------------------

  private onControl(from: string, bytes: Uint8Array): void {
    const msg = parseControlMessage(bytes);
    if (!msg) return; // Malformed control messages are ignored; they carry no secrets.
    const sender = get().participants.find((p) => p.id === from);
    switch (msg.t) {
      case 'hello': {
        const creator = msg.creator || msg.host !== undefined ? this.checkHostClaim(from, msg) : false;
        this.upsert(from, { name: msg.name, creator });
        this.clearNoticesAbout(msg.name);
        if (creator && msg.spec) this.acceptSpec(msg.spec);
        if (creator) this.onHostBusy(msg.running === true);
        break;
      }
      case 'spec':
        if (sender?.creator && !this.creator) this.acceptSpec(msg.spec);
        break;
      case 'status':
        if (sender?.creator && !this.creator) this.onHostBusy(msg.running);
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
        // An abort can overtake the host's start on another link: remember it, so that
        // start is not run only to wait for a timeout.
        else this.earlyAborts = [...this.earlyAborts.slice(-15), msg.runId];
        break;
    }
  }

  /**
   * Is `from` the host the link names? Only a statement signed by the pinned host key for
   * the session key `from` proved on this connection counts; anything else is refused
   * with a notice, so an insider who claims host first cannot take the room.
   */
  private checkHostClaim(from: string, msg: Extract<ControlMessage, { t: 'hello' }>): boolean {
    const sessionKey = this.keys[from];
    const check = sessionKey && msg.host ? verifyHostStatement(msg.host, this.link.host, this.roomId, sessionKey) : { ok: false as const };
    if (!check.ok) {
      this.notice(`${msg.name} claims to be the host, but the room link names a different host. Refused: no rules or Start are accepted from ${msg.name}.`);
      return false;
    }
    if (this.creator) {
      this.notice(`${msg.name} holds this room's host key too (is the room open as host in another tab?). This tab stays the host.`);
      return false;
    }
    const current = this.hostId !== undefined && this.hostId !== from ? get().participants.find((p) => p.id === this.hostId) : undefined;
    if (current) {
      this.notice(`${msg.name} also holds the host key, but ${current.name} is hosting. Ignored while ${current.name} is here.`);
      return false;
    }
    if (this.hostId !== from) this.clearNotices((n) => n.startsWith('The host ('));
    this.hostId = from;
    return true;
  }

  /** A run we are not part of is under way (or over): say so to someone who joined late. */
  private onHostBusy(running: boolean): void {
    const text = 'A run is in progress among the others, so Start waits until it ends. You can prepare your input and take part in the next run.';
    if (running && get().run.status !== 'running') this.notice(text);
    else this.clearNotices((n) => n === text);
  }

  private acceptSpec(spec: RoomSpec): void {
    const before = get().spec;
    if (JSON.stringify(spec) === JSON.stringify(before)) return;
    set({ spec });
    // Learning the host's spec for the first time is not a change: others who are already
    // ready agreed to this very spec (their Ready may have reached us before the host's hello).
    if (before === undefined) this.revalidate();
    else this.onSpecChanged();
  }

  /** A different computation needs fresh consent: everyone's Ready is withdrawn. */
  private onSpecChanged(): void {
    this.withdrawReady();
    // The result shown so far stays in the room's list of results; only Ready is withdrawn.
    if (get().run.status !== 'running') set((s) => ({ result: undefined, history: archive(s), error: undefined, run: { status: 'idle' } }));
    this.revalidate();
  }

  /** Everyone's Ready is consent to one spec and one group: withdraw it when either changes. */
  private withdrawReady(): void {
    set((s) => ({ participants: s.participants.map((p) => (p.self ? p : { ...p, ready: false, length: undefined })) }));
    if (get().ready) this.setReady(false);
  }

  private onStart(msg: Extract<ControlMessage, { t: 'start' }>): void {
    const s = get();
    const refuse = (reason: string) => this.send(msg.roster, { t: 'abort', runId: msg.runId, reason });
    if (!s.selfId || !msg.roster.includes(s.selfId)) return;
    if (this.earlyAborts.includes(msg.runId)) return; // already stopped by someone
    if (s.run.status === 'running') return refuse(`${s.name} is still busy with another run.`);
    if (!s.ready) return refuse(`${s.name} is not ready.`);
    const own = this.read();
    if (!own?.ok || own.count !== msg.counts[msg.roster.indexOf(s.selfId)]) return refuse(`${s.name} has a different number of values.`);
    // Ready was consent to the spec and the people this tab saw: the run must be exactly
    // that. (Every worker then checks that all tabs hold the same spec and roster.)
    const expectedRoster = s.participants.filter((p) => p.ready).map((p) => p.id).sort();
    const expectedCounts = expectedRoster.map((id) => s.participants.find((p) => p.id === id)?.length ?? -1);
    if (!s.spec || JSON.stringify(msg.spec) !== JSON.stringify(specForRun(s.spec, expectedCounts))) {
      set({ error: 'The host started a different computation from the one shown here, so this tab refused it. No input was used.' });
      return refuse(`${s.name} refused: the host started a different computation from the one they agreed to. No input was used.`);
    }
    if (JSON.stringify(msg.roster) !== JSON.stringify(expectedRoster) || JSON.stringify(msg.counts) !== JSON.stringify(expectedCounts)) {
      set({ error: 'The host started with a different group of participants from the one shown here, so this tab refused it. No input was used.' });
      return refuse(`${s.name} refused: the host started with a different group of participants from the ones they saw ready. No input was used.`);
    }
    // Every tab keeps its own privacy ledger: a run over the room's budget is refused here
    // whatever the host's tab says (features/dp/ledger.ts).
    const overBudget = 'epsilon' in msg.spec ? ledgerRefusal(this.roomId, msg.spec) : undefined;
    if (overBudget) {
      set({ error: `This tab refused the run: ${overBudget}. No input was used.` });
      return refuse(`${s.name} refused: ${overBudget}. No input was used.`);
    }
    if ('epsilon' in msg.spec && msg.spec.epsilon !== undefined) spend(this.roomId, msg.runId, msg.spec.epsilon);
    void this.runComputation(msg.runId, msg.spec, msg.roster, msg.counts);
  }

  private async runComputation(runId: string, spec: RoomSpec, roster: string[], counts: number[]): Promise<void> {
    try {
      await this.runUnguarded(runId, spec, roster, counts);
    } catch (e) {
      // Nothing may leave the room stuck in 'running': report and free it for the next run.
      if (get().run.runId === runId && get().run.status === 'running') {
        set({ run: { status: 'failed', runId }, error: `The run could not start: ${e instanceof Error ? e.message : String(e)}` });
      }
      this.send(roster, { t: 'abort', runId, reason: 'The run was stopped. No result was revealed.' });
    }
  }

  private async runUnguarded(runId: string, spec: RoomSpec, roster: string[], counts: number[]): Promise<void> {
    const s = get();
    const input = this.read();
    if (!this.engine || !this.mesh || !s.selfId || !input?.ok) return;
    const mesh = this.mesh;
    const names = roster.map((id) => s.participants.find((p) => p.id === id)?.name ?? 'someone');
    const startedAt = Date.now();
    let fraction: number | undefined;
    set((st) => ({ run: { status: 'running', phase: 'starting', runId, progress: { sent: 0, received: 0, startedAt } }, result: undefined, history: archive(st), error: undefined, notice: undefined }));
    // A reload now stops the run: remember that, to tell the person why the input is gone.
    rememberMembership(this.secret, { name: s.name, creator: this.creator, spec: this.creator ? s.spec : undefined, running: true });
    if (this.creator) this.broadcast({ t: 'status', running: true });
    const bridge = this.engine.bridge(runId, roster, s.selfId, (to, bytes) => mesh.send(to, MeshTag.Mpc, bytes));
    this.bridge = bridge;
    const progressNow = () => {
      let sent = 0;
      let received = 0;
      for (const t of bridge.traffic().values()) {
        sent += t.sent;
        received += t.received;
      }
      return { fraction, sent, received, startedAt };
    };
    const ticker = setInterval(() => {
      const r = get().run;
      if (r.runId === runId && r.status === 'running') set({ run: { ...r, progress: progressNow() } });
    }, 250);
    const job: Job = {
      spec,
      self: roster.indexOf(s.selfId),
      parties: roster.length,
      counts,
      values: input.values,
      weights: input.weights,
      items: input.items,
      data: input.data,
      timeoutMs: roundTimeout(spec, counts),
      agreement: {
        specJson: JSON.stringify(spec),
        roster: roster.map((id) => ({ id, publicKey: id === s.selfId ? this.selfKey : (this.keys[id] ?? '') })),
        nonce: runId,
      },
    };
    const outcome = await bridge.run(job, (p) => {
      fraction = p.fraction;
      if (get().run.runId === runId) set({ run: { status: 'running', phase: p.phase, runId, progress: progressNow() } });
    });
    clearInterval(ticker);
    if (this.bridge === bridge) this.bridge = undefined;
    if (!this.closed) {
      rememberMembership(this.secret, { name: s.name, creator: this.creator, spec: this.creator ? get().spec : undefined });
      if (this.creator) this.broadcast({ t: 'status', running: false });
    }
    if (get().run.runId !== runId || this.closed) return;
    if (outcome.ok) {
      const self = roster.indexOf(s.selfId);
      const traffic = bridge.traffic();
      const output = outcome.output;
      set({
        run: { status: 'done', phase: 'done', runId },
        result: {
          computation: spec.kind,
          output,
          values: !isTableOutput(output) && 'value' in output && output.value !== undefined ? (Array.isArray(output.value) ? output.value : [output.value]) : [],
          parties: roster.length,
          names,
          millis: outcome.stats.millis,
          traffic: roster
            .map((id, i) => {
              const t = traffic.get(id);
              return { name: names[i], sent: t?.sent ?? outcome.stats.sent[i], received: t?.received ?? outcome.stats.received[i], sample: t?.sample ?? '' };
            })
            .filter((_, i) => i !== self),
        },
      });
    } else {
      const blamed = outcome.error.party !== undefined ? names[outcome.error.party] : undefined;
      // A failure another party reported to our session is its claim, not our observation:
      // say who claims it, so nobody can silently pin the blame on someone else.
      const reporter = /^party (\d+) aborted: /.exec(outcome.error.message);
      const claimedBy = reporter ? names[Number(reporter[1])] : undefined;
      const deviation = isDeviation(outcome.error.code, outcome.error.message);
      const text = (claimedBy && !deviation ? `${claimedBy} reports: ` : '') + describeFailure(outcome.error.code, blamed, outcome.error.message);
      set({ run: { status: 'failed', runId }, error: text });
      // Tell the others at once, so nobody waits for a timeout to learn the run is over —
      // in fixed words only: local messages can quote this participant's own values.
      this.send(roster, { t: 'abort', runId, reason: publicReason(outcome.error.code, blamed, outcome.error.message) });
    }
  }

  // ---- mesh events ---------------------------------------------------------------------

  private onPeerState(id: string, state: 'connecting' | 'connected'): void {
    this.upsert(id, { link: state });
    if (state === 'connected') {
      const s = get();
      const host = this.hostStatement();
      const running = this.creator && s.run.status === 'running';
      this.send([id], { t: 'hello', name: s.name, creator: this.creator, spec: this.creator ? s.spec : undefined, ...(host ? { host } : {}), ...(running ? { running } : {}) });
      const own = this.read();
      if (s.ready && own?.ok) this.send([id], { t: 'ready', ready: true, length: own.count });
    }
  }

  private onPeerLeft(id: string, reason = ''): void {
    const who = get().participants.find((p) => p.id === id);
    // Connections that never became trustworthy: say so, naming them when we know the name.
    if (/^could not (connect|prove)/i.test(reason)) {
      const name = who && who.name !== 'Joining…' ? who.name : 'A participant who tried to join';
      this.notice(`${name}: ${reason}`);
    }
    set((s) => ({ participants: s.participants.filter((p) => p.id !== id) }));
    if (who) this.bridge?.peerLeft(id, `${who.name} left the room.`);
    if (id === this.hostId) {
      this.hostId = undefined;
      this.notice(`The host (${who?.name ?? 'unknown'}) left: nobody can start a run until they open the room link again in the browser they created it in.`);
    }
    // Consent was given for the group as it was: with one fewer person, a sum can reveal more.
    if (who?.ready || get().ready) this.withdrawReady();
    if (get().ready) this.setReady(false);
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

  /** This participant's input read against the room's spec, or undefined with no spec yet. */
  private read(): PrivateInput | undefined {
    const s = get();
    if (!s.spec || !s.input.trim()) return undefined;
    const others = s.participants.filter((p) => !p.self && p.ready && p.length !== undefined);
    const key = `${JSON.stringify(s.spec)}\u0000${others[0]?.length ?? ''}\u0000${s.input}`;
    if (this.lastRead?.key === key) return this.lastRead.value;
    const value = readPrivateInput(s.input, s.spec, others[0]?.length);
    this.lastRead = { key, value };
    return value;
  }

  private revalidate(): void {
    const r = this.read();
    set({ inputError: r && !r.ok ? r.error : undefined, inputNotes: r?.ok ? r.notes : [], inputWarnings: r?.ok ? r.confirm : undefined });
  }

  /** Our host statement for our current session key (signed once per session). */
  private hostStatement(): HostStatement | undefined {
    if (!this.hostKey || !this.selfKey) return undefined;
    if (this.statement?.sessionKey !== this.selfKey) this.statement = { sessionKey: this.selfKey, statement: signHostStatement(this.hostKey, this.roomId, this.selfKey) };
    return this.statement.statement;
  }

  private clearNotices(drop: (text: string) => boolean): void {
    set((s) => ({ connectionNotices: s.connectionNotices.filter((n) => !drop(n)) }));
  }

  /** Notices that someone left or could not connect are stale once they are back. */
  private clearNoticesAbout(name: string): void {
    this.clearNotices((n) => n.startsWith(`${name}: could not`) || n === `${name} left the room.`);
  }

  private notice(text: string): void {
    set((s) => ({ connectionNotices: [...s.connectionNotices.filter((n) => n !== text), text].slice(-5) }));
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

/** The room's past results with the current one added (bounded: a tab keeps the last 20). */
function archive(s: RoomState): RunResultView[] {
  return s.result ? [s.result, ...s.history].slice(0, 20) : s.history;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Why Start is not possible yet, in plain words, or undefined when it is. */
export function startBlocker(s: RoomState): string | undefined {
  if (s.participants.length < 2) return 'Waiting for at least one more participant.';
  const min = s.spec?.minParties;
  if (min !== undefined && s.participants.length < min) return `This room needs at least ${min} participants; ${s.participants.length} are here.`;
  const notConnected = s.participants.filter((p) => p.link !== 'connected');
  if (notConnected.length) return `Still connecting to ${notConnected.map((p) => p.name).join(', ')}.`;
  const notReady = s.participants.filter((p) => !p.ready);
  if (notReady.length) return `Waiting for ${notReady.map((p) => (p.self ? 'you' : p.name)).join(', ')} to be ready.`;
  if (s.spec && computationFor(s.spec.kind).sameCount && new Set(s.participants.map((p) => p.length)).size > 1) {
    return 'Participants entered different numbers of values.';
  }
  return undefined;
}

function describeFailure(code: string, blamed: string | undefined, message: string): string {
  const who = blamed ?? 'A participant';
  // A failed integrity check (strict mode) names nobody: the fixed sentence, as is.
  if (isDeviation(code, message)) return `The computation was stopped: ${DEVIATION_MESSAGE}. No result was revealed.`;
  switch (code) {
    case 'PEER_LEFT':
      return `${who} left during the computation. No result was revealed. You can start again.`;
    case 'ROUND_TIMEOUT':
      return `${who} stopped responding. No result was revealed. You can start again.`;
    case 'MALFORMED_MESSAGE':
      return `${who} sent an invalid message, so the run was stopped. No result was revealed.`;
    case 'SPEC_MISMATCH':
      return `${who} was shown a different computation or participant list, so the run was stopped before any input was used.`;
    case 'INPUT_OUT_OF_RANGE':
      return `Some input was out of range, so nothing else was revealed. (${message})`;
    case 'ABORTED':
      // A peer's abort message (already a sentence) or a local failure.
      return blamed ? `${blamed} stopped the run: ${message}` : `The computation was stopped: ${message}`;
    default:
      return `The computation was stopped: ${message.replace(/\.?$/, '.')} No result was revealed.`;
  }
}
