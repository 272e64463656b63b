/**
 * The room's control protocol as a pure reducer: (state, event) → new state and effects
 * (control messages to send, a run to start, a run to stop). No store, mesh, worker, crypto
 * or storage here: the controller (room-controller.ts) verifies host statements, reads the
 * private input and performs the effects; the run orchestrator (run-orchestrator.ts) runs
 * the MPC. So every rule of the protocol can be tested in memory, several tabs at once
 * (room-reducer.test.ts), like the core.
 *
 * Consent: Ready means "I agree to compute this spec with my input". A spec change or a
 * change of the group withdraws everyone's Ready; at Start a tab runs only exactly the spec,
 * group and counts it saw ready (every worker then checks all tabs hold the same digest).
 *
 * Hooks for other features: `env.refuseRun` (a tab-local policy such as the privacy ledger
 * of features/dp refuses a run it would not take part in) and the `run` effect (the one
 * place a run is accepted: preparation and ledger spending hang off it in the controller).
 */
import type { ErrorCode } from '../../../core/errors';
import { computationFor } from '../../../core/computations/registry';
import type { HostStatement } from '../../../transport/host-key';
import type { PrivateInput } from './private-input';
import type { ControlMessage, RoomSpec } from './room-protocol';
import { specForRun } from './room-rules';
import type { Participant, RoomState, RunResultView } from './room-store';

/** Protocol state that is not shown: which member is host, which runs were aborted early. */
export interface ControlState {
  room: RoomState;
  /** The member this tab accepts as host (its statement matched the link's host key). */
  hostId?: string;
  /** Run ids aborted before their start reached us (bounded). */
  earlyAborts: readonly string[];
}

/** What the caller checked about a hello's host claim (the reducer does no crypto). */
export type HostClaim = 'valid' | 'invalid';

export type ControlEvent =
  /** A validated control message from a member (`hostClaim` set for hellos that claim host). */
  | { type: 'control'; from: string; msg: ControlMessage; hostClaim?: HostClaim }
  /** The mesh link to a member changed; `host` is our statement to include in the hello. */
  | { type: 'peer-state'; id: string; state: 'connecting' | 'connected'; host?: HostStatement }
  /** A member left (or its connection was refused: `refused` carries the plain-words reason). */
  | { type: 'peer-left'; id: string; refused?: string }
  | { type: 'set-spec'; spec: RoomSpec }
  | { type: 'set-input'; text: string }
  /** The input was read anew elsewhere (a table card's worker): check it again. */
  | { type: 'input-read' }
  | { type: 'set-ready'; ready: boolean }
  | { type: 'confirm-input'; confirmed: boolean }
  /** Host: start a run with a fresh `runId` (randomness is the caller's). */
  | { type: 'start'; runId: string };

export type ControlEffect =
  | { t: 'send'; to: string[]; msg: ControlMessage }
  /** This tab takes part in run `runId` (host: it started it; guest: it accepted the start). */
  | { t: 'run'; runId: string; spec: RoomSpec; roster: string[]; counts: number[] }
  /** A member aborted the run in progress. */
  | { t: 'run-aborted'; runId: string; from: string; reason: string; code?: ErrorCode }
  /** A member of the run in progress left. */
  | { t: 'run-peer-left'; id: string; text: string };

export interface ControlEnv {
  /** This participant's input read against the state's spec (the caller memoises it). */
  readOwn(room: RoomState): PrivateInput | undefined;
  /** A tab-local reason to refuse a run with this spec (features/dp's ledger), or undefined. */
  refuseRun?(spec: RoomSpec): string | undefined;
}

export interface ControlStep {
  state: ControlState;
  effects: ControlEffect[];
}

export const initialControlState = (room: RoomState): ControlState => ({ room, earlyAborts: [] });

export const RUN_IN_PROGRESS = 'A run is in progress among the others, so Start waits until it ends. You can prepare your input and take part in the next run.';

/** One event. Pure: `state` is not modified. */
export function reduceControl(state: ControlState, event: ControlEvent, env: ControlEnv): ControlStep {
  const step = new Step(state, env);
  switch (event.type) {
    case 'control':
      step.onControl(event.from, event.msg, event.hostClaim);
      break;
    case 'peer-state':
      step.onPeerState(event.id, event.state, event.host);
      break;
    case 'peer-left':
      step.onPeerLeft(event.id, event.refused);
      break;
    case 'set-spec':
      step.setSpec(event.spec);
      break;
    case 'set-input':
      // A confirmation was for the text as it was: a changed text needs a new one.
      step.patch({ input: event.text, inputConfirmed: false });
      step.revalidate();
      if (step.room.ready && step.room.inputError) step.setReady(false);
      break;
    case 'input-read':
      step.revalidate();
      if (step.room.ready && step.room.inputError) step.setReady(false);
      break;
    case 'set-ready':
      step.setReady(event.ready);
      break;
    case 'confirm-input':
      step.patch({ inputConfirmed: event.confirmed });
      if (!event.confirmed && step.room.ready) step.setReady(false);
      break;
    case 'start':
      step.start(event.runId);
      break;
  }
  return { state: step.state, effects: step.effects };
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

/** The room's past results with the current one added (bounded: a tab keeps the last 20). */
export function archive(s: RoomState): RunResultView[] {
  return s.result ? [s.result, ...s.history].slice(0, 20) : s.history;
}

/** Notices are bounded (the newest five) and never repeated. */
export function withNotice(notices: readonly string[], text: string): string[] {
  return [...notices.filter((n) => n !== text), text].slice(-5);
}

/** The event being reduced: the state so far and the effects gathered. */
class Step {
  effects: ControlEffect[] = [];

  constructor(
    public state: ControlState,
    private readonly env: ControlEnv,
  ) {}

  get room(): RoomState {
    return this.state.room;
  }

  patch(p: Partial<RoomState> | ((s: RoomState) => Partial<RoomState>)): void {
    const part = typeof p === 'function' ? p(this.state.room) : p;
    this.state = { ...this.state, room: { ...this.state.room, ...part } };
  }

  notice(text: string): void {
    this.patch((s) => ({ connectionNotices: withNotice(s.connectionNotices, text) }));
  }

  clearNotices(drop: (text: string) => boolean): void {
    this.patch((s) => ({ connectionNotices: s.connectionNotices.filter((n) => !drop(n)) }));
  }

  send(to: string[], msg: ControlMessage): void {
    const self = this.room.selfId;
    const ids = to.filter((id) => id !== self);
    if (ids.length) this.effects.push({ t: 'send', to: ids, msg });
  }

  broadcast(msg: ControlMessage): void {
    this.send(this.room.participants.filter((p) => !p.self && p.link === 'connected').map((p) => p.id), msg);
  }

  revalidate(): void {
    const r = this.env.readOwn(this.room);
    this.patch({ inputError: r && !r.ok ? r.error : undefined, inputNotes: r?.ok ? r.notes : [], inputWarnings: r?.ok ? r.confirm : undefined });
  }

  upsert(id: string, patch: Partial<Participant>): void {
    this.patch((s) => {
      const existing = s.participants.find((p) => p.id === id);
      if (existing) return { participants: s.participants.map((p) => (p.id === id ? { ...p, ...patch } : p)) };
      const fresh: Participant = { id, name: 'Joining…', self: false, creator: false, link: 'connecting', ready: false, ...patch };
      return { participants: [...s.participants, fresh] };
    });
  }

  // ---- local actions -------------------------------------------------------------------

  setSpec(spec: RoomSpec): void {
    if (!this.room.isCreator || this.room.run.status === 'running') return;
    this.patch({ spec });
    this.broadcast({ t: 'spec', spec });
    this.onSpecChanged();
  }

  setReady(ready: boolean): void {
    const s = this.room;
    const input = this.env.readOwn(s);
    if (ready && (!s.spec || !input?.ok || (input.confirm && !s.inputConfirmed))) return;
    const length = ready && input?.ok ? input.count : 0;
    this.patch((st) => ({ ready, participants: st.participants.map((p) => (p.self ? { ...p, ready, length: ready ? length : undefined } : p)) }));
    this.broadcast({ t: 'ready', ready, length });
  }

  start(runId: string): void {
    const s = this.room;
    if (!s.isCreator || !s.spec || !s.selfId || s.run.status === 'running') return;
    const blocker = startBlocker(s);
    if (blocker) return this.patch({ notice: blocker });
    const roster = s.participants.map((p) => p.id).sort();
    const counts = roster.map((id) => s.participants.find((p) => p.id === id)?.length ?? 0);
    const spec = specForRun(s.spec, counts);
    const refusal = this.env.refuseRun?.(spec);
    if (refusal) return this.patch({ notice: `This tab refuses to start: ${refusal}.` });
    this.broadcast({ t: 'start', runId, spec, roster, counts });
    this.effects.push({ t: 'run', runId, spec, roster, counts });
  }

  // ---- messages from members -----------------------------------------------------------

  onControl(from: string, msg: ControlMessage, hostClaim: HostClaim | undefined): void {
    const sender = this.room.participants.find((p) => p.id === from);
    const guest = !this.room.isCreator;
    switch (msg.t) {
      case 'hello': {
        const creator = msg.creator || msg.host !== undefined ? this.checkHostClaim(from, msg.name, hostClaim) : false;
        this.upsert(from, { name: msg.name, creator });
        this.clearNoticesAbout(msg.name);
        if (creator && msg.spec) this.acceptSpec(msg.spec);
        if (creator) this.onHostBusy(msg.running === true);
        break;
      }
      case 'spec':
        if (sender?.creator && guest) this.acceptSpec(msg.spec);
        break;
      case 'status':
        if (sender?.creator && guest) this.onHostBusy(msg.running);
        break;
      case 'ready':
        this.upsert(from, { ready: msg.ready, length: msg.ready ? msg.length : undefined });
        this.revalidate();
        break;
      case 'start':
        if (sender?.creator && guest) this.onStart(msg);
        break;
      case 'abort':
        if (this.room.run.runId === msg.runId && this.room.run.status === 'running') {
          this.effects.push({ t: 'run-aborted', runId: msg.runId, from, reason: msg.reason, ...(msg.code ? { code: msg.code } : {}) });
        } else {
          // An abort can overtake the host's start on another link: remember it, so that
          // start is not run only to wait for a timeout.
          this.state = { ...this.state, earlyAborts: [...this.state.earlyAborts.slice(-15), msg.runId] };
        }
        break;
    }
  }

  /**
   * Is `from` the host the link names? Only a statement the caller verified against the
   * pinned host key counts; anything else is refused with a notice, so an insider who claims
   * host first cannot take the room.
   */
  private checkHostClaim(from: string, name: string, claim: HostClaim | undefined): boolean {
    if (claim !== 'valid') {
      this.notice(`${name} claims to be the host, but the room link names a different host. Refused: no rules or Start are accepted from ${name}.`);
      return false;
    }
    if (this.room.isCreator) {
      this.notice(`${name} holds this room's host key too (is the room open as host in another tab?). This tab stays the host.`);
      return false;
    }
    const hostId = this.state.hostId;
    const current = hostId !== undefined && hostId !== from ? this.room.participants.find((p) => p.id === hostId) : undefined;
    if (current) {
      this.notice(`${name} also holds the host key, but ${current.name} is hosting. Ignored while ${current.name} is here.`);
      return false;
    }
    if (hostId !== from) this.clearNotices((n) => n.startsWith('The host ('));
    this.state = { ...this.state, hostId: from };
    return true;
  }

  /** A run we are not part of is under way (or over): say so to someone who joined late. */
  private onHostBusy(running: boolean): void {
    if (running && this.room.run.status !== 'running') this.notice(RUN_IN_PROGRESS);
    else this.clearNotices((n) => n === RUN_IN_PROGRESS);
  }

  private acceptSpec(spec: RoomSpec): void {
    const before = this.room.spec;
    if (JSON.stringify(spec) === JSON.stringify(before)) return;
    this.patch({ spec });
    // Learning the host's spec for the first time is not a change: others who are already
    // ready agreed to this very spec (their Ready may have reached us before the host's hello).
    if (before === undefined) this.revalidate();
    else this.onSpecChanged();
  }

  /** A different computation needs fresh consent: everyone's Ready is withdrawn. */
  private onSpecChanged(): void {
    this.withdrawReady();
    // The result shown so far stays in the room's list of results; only Ready is withdrawn.
    if (this.room.run.status !== 'running') this.patch((s) => ({ result: undefined, history: archive(s), error: undefined, run: { status: 'idle' } }));
    this.revalidate();
  }

  /** Everyone's Ready is consent to one spec and one group: withdraw it when either changes. */
  private withdrawReady(): void {
    this.patch((s) => ({ participants: s.participants.map((p) => (p.self ? p : { ...p, ready: false, length: undefined })) }));
    if (this.room.ready) this.setReady(false);
  }

  private onStart(msg: Extract<ControlMessage, { t: 'start' }>): void {
    const s = this.room;
    const refuse = (reason: string) => this.send(msg.roster, { t: 'abort', runId: msg.runId, reason, code: 'ABORTED' });
    if (!s.selfId || !msg.roster.includes(s.selfId)) return;
    if (this.state.earlyAborts.includes(msg.runId)) return; // already stopped by someone
    if (s.run.status === 'running') return refuse(`${s.name} is still busy with another run.`);
    if (!s.ready) return refuse(`${s.name} is not ready.`);
    const own = this.env.readOwn(s);
    if (!own?.ok || own.count !== msg.counts[msg.roster.indexOf(s.selfId)]) return refuse(`${s.name} has a different number of values.`);
    // Ready was consent to the spec and the people this tab saw: the run must be exactly that.
    const expectedRoster = s.participants.filter((p) => p.ready).map((p) => p.id).sort();
    const expectedCounts = expectedRoster.map((id) => s.participants.find((p) => p.id === id)?.length ?? -1);
    if (!s.spec || JSON.stringify(msg.spec) !== JSON.stringify(specForRun(s.spec, expectedCounts))) {
      this.patch({ error: 'The host started a different computation from the one shown here, so this tab refused it. No input was used.' });
      return refuse(`${s.name} refused: the host started a different computation from the one they agreed to. No input was used.`);
    }
    if (JSON.stringify(msg.roster) !== JSON.stringify(expectedRoster) || JSON.stringify(msg.counts) !== JSON.stringify(expectedCounts)) {
      this.patch({ error: 'The host started with a different group of participants from the one shown here, so this tab refused it. No input was used.' });
      return refuse(`${s.name} refused: the host started with a different group of participants from the ones they saw ready. No input was used.`);
    }
    // Tab-local policies (the privacy ledger) refuse here whatever the host's tab says.
    const refusal = this.env.refuseRun?.(msg.spec);
    if (refusal) {
      this.patch({ error: `This tab refused the run: ${refusal}. No input was used.` });
      return refuse(`${s.name} refused: ${refusal}. No input was used.`);
    }
    this.effects.push({ t: 'run', runId: msg.runId, spec: msg.spec, roster: msg.roster, counts: msg.counts });
  }

  // ---- mesh events ---------------------------------------------------------------------

  onPeerState(id: string, state: 'connecting' | 'connected', host: HostStatement | undefined): void {
    this.upsert(id, { link: state });
    if (state !== 'connected') return;
    const s = this.room;
    const running = s.isCreator && s.run.status === 'running';
    this.send([id], { t: 'hello', name: s.name, creator: s.isCreator, spec: s.isCreator ? s.spec : undefined, ...(host ? { host } : {}), ...(running ? { running } : {}) });
    const own = this.env.readOwn(s);
    if (s.ready && own?.ok) this.send([id], { t: 'ready', ready: true, length: own.count });
  }

  onPeerLeft(id: string, refused: string | undefined): void {
    const who = this.room.participants.find((p) => p.id === id);
    // Connections that never became trustworthy: say so, naming them when we know the name.
    if (refused) this.notice(`${who && who.name !== 'Joining…' ? who.name : 'A participant who tried to join'}: ${refused}`);
    else if (who && who.link === 'connected' && !who.creator) this.notice(`${who.name} left the room.`);
    this.patch((s) => ({ participants: s.participants.filter((p) => p.id !== id) }));
    if (who && this.room.run.status === 'running') this.effects.push({ t: 'run-peer-left', id, text: `${who.name} left the room.` });
    if (id === this.state.hostId) {
      this.state = { ...this.state, hostId: undefined };
      this.notice(`The host (${who?.name ?? 'unknown'}) left: nobody can start a run until they open the room link again in the browser they created it in.`);
    }
    // Consent was given for the group as it was: with one fewer person, a sum can reveal more.
    if (who?.ready || this.room.ready) this.withdrawReady();
    if (this.room.ready) this.setReady(false);
    this.revalidate();
  }

  /** Notices that someone left or could not connect are stale once they are back. */
  private clearNoticesAbout(name: string): void {
    this.clearNotices((n) => n.startsWith(`${name}: could not`) || n === `${name} left the room.`);
  }
}
