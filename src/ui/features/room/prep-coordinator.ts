/**
 * Preparation before Start (issue 19), in the room: when the connected group has settled, the
 * host announces `{t:'prep', prepId, roster}`; every tab whose connected group is exactly that
 * roster runs the worker's `prepare` over a bridge whose run id is the prep id, so the base
 * OTs (most of a small run's time) are done while people type. A group change cancels the
 * prep and discards what was prepared; Start cancels an unfinished prep and names the
 * finished one in the job.
 *
 * Security: nothing here decides whether prepared material is used — the run's first round
 * (core/ot/prepared-ot.ts `choosePrepared`) does, and a mismatch (one tab prepared, another
 * not, different ids) only means a fresh setup. A prepared setup serves one run: the id is
 * forgotten once named. Only the host's announcement counts, and a prep id is begun once.
 *
 * Invariant: a prep and a run never overlap on the engine client (it relays frames for one
 * bridge at a time): every prep step runs on one queue, and `beforeRun` waits for that queue
 * to drain before the run's bridge opens.
 */
import type { EngineClient, RunBridge } from '../../../worker/engine-client';
import type { PrepResult } from '../../../worker/jobs';

/** How long the group must stay the same before the host announces a prep. */
export const SETTLE_MS = 400;
/** Per-round timeout of a prep: a tab that joined the announced group late still catches up. */
const PREP_ROUND_MS = 30_000;

export interface PrepDeps {
  engine: Pick<EngineClient, 'bridge' | 'discardPrepared'>;
  /** This tab's member id, once known. */
  selfId(): string | undefined;
  /** Whether this tab is the room's host (announces preps). */
  isHost(): boolean;
  /** The member id of the verified host, if any (only its announcements count). */
  hostId(): string | undefined;
  /** Identity keys as the mesh authenticated them (the prep is bound to them, like a run). */
  keys(): { self: string; peers: Readonly<Record<string, string>> };
  sendMpc(to: string, bytes: Uint8Array): Promise<void>;
  sendPrep(to: string[], msg: { t: 'prep'; prepId: string; roster: string[] }): void;
  /** The spec this tab shows now: the worker prepares its triples too (tabs that differ skip them). */
  spec?(): unknown;
  newId(): string;
  /** A prep is under way here (shown as "Preparing the secure channel…"), one is ready, or neither. */
  onState(state: PrepState): void;
  /** Calls `fn` once after `ms` unless the returned function is called first. */
  schedule?(fn: () => void, ms: number): () => void;
}

export type PrepState = 'none' | 'preparing' | 'ready';

interface Task {
  prepId: string;
  roster: string[];
  cancelled: boolean;
  bridge?: RunBridge;
}

const sameMembers = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().join(',') === [...b].sort().join(',');

export class PrepCoordinator {
  private group: string[] = [];
  private current?: Task;
  private ready?: { prepId: string; roster: string[] };
  /** The host's latest announcement, kept until this tab's group matches it (a link still connecting). */
  private pending?: { prepId: string; roster: string[] };
  private readonly begun = new Set<string>();
  private queue: Promise<void> = Promise.resolve();
  private runActive = false;
  private closed = false;
  private unschedule?: () => void;
  private readonly schedule: (fn: () => void, ms: number) => () => void;
  private shown: PrepState = 'none';

  constructor(private readonly deps: PrepDeps) {
    this.schedule =
      deps.schedule ??
      ((fn, ms) => {
        const t = setTimeout(fn, ms);
        return () => clearTimeout(t);
      });
  }

  /** The connected group changed (sorted member ids, self included). */
  groupChanged(members: readonly string[]): void {
    this.group = [...members];
    let dropped = false;
    if (this.current && !sameMembers(this.current.roster, members)) {
      this.cancelCurrent('The group changed during preparation.');
      dropped = true;
    }
    if (this.ready && !sameMembers(this.ready.roster, members)) {
      this.ready = undefined;
      dropped = true;
    }
    if (dropped) this.enqueue(() => this.deps.engine.discardPrepared());
    this.show();
    if (this.deps.isHost()) this.announceLater();
    else this.beginPendingIfMatching();
  }

  /** A `prep` control message from `from`. */
  onPrep(from: string, msg: { prepId: string; roster: string[] }): void {
    const self = this.deps.selfId();
    if (this.deps.isHost() || from !== this.deps.hostId()) {
      console.warn('Parley: ignored a preparation message that did not come from the host');
      return;
    }
    if (!self || !msg.roster.includes(self)) return;
    this.pending = { prepId: msg.prepId, roster: [...msg.roster] };
    this.beginPendingIfMatching();
  }

  /**
   * Start: cancel an unfinished prep, wait until no prep holds the engine client, and return
   * the finished prep id for exactly `roster` (then forgotten: one run per prep), if any.
   */
  async beforeRun(roster: readonly string[]): Promise<string | undefined> {
    this.runActive = true;
    this.pending = undefined;
    this.unschedule?.();
    if (this.current) this.cancelCurrent('The run started before preparation finished.');
    await this.queue;
    const ready = this.ready;
    this.ready = undefined;
    this.show();
    return ready && ready.roster.join(',') === roster.join(',') ? ready.prepId : undefined;
  }

  /** The run ended (any outcome): its prep is used up, so the host prepares the next one. */
  afterRun(): void {
    this.runActive = false;
    if (this.deps.isHost()) this.announceLater();
    else this.beginPendingIfMatching();
  }

  close(): void {
    this.closed = true;
    this.unschedule?.();
    if (this.current) this.cancelCurrent('You left the room.');
  }

  // ---- internals -----------------------------------------------------------------------

  private announceLater(): void {
    this.unschedule?.();
    this.unschedule = undefined;
    const self = this.deps.selfId();
    if (this.runActive || this.closed || !self || this.group.length < 2 || !this.group.includes(self)) return;
    if (this.current && sameMembers(this.current.roster, this.group)) return;
    if (this.ready && sameMembers(this.ready.roster, this.group)) return;
    this.unschedule = this.schedule(() => {
      this.unschedule = undefined;
      if (this.runActive || this.closed) return;
      const roster = [...this.group].sort();
      const prep = { prepId: this.deps.newId(), roster };
      this.deps.sendPrep(
        roster.filter((id) => id !== self),
        { t: 'prep', ...prep },
      );
      this.begin(prep);
    }, SETTLE_MS);
  }

  private beginPendingIfMatching(): void {
    const p = this.pending;
    if (p && !this.runActive && !this.closed && sameMembers(p.roster, this.group)) {
      this.pending = undefined;
      this.begin(p);
    }
  }

  private begin(prep: { prepId: string; roster: string[] }): void {
    if (this.begun.has(prep.prepId)) return;
    this.begun.add(prep.prepId);
    if (this.current) this.cancelCurrent('A newer preparation was announced.');
    this.ready = undefined;
    const task: Task = { ...prep, cancelled: false };
    this.current = task;
    this.show();
    this.enqueue(async () => {
      try {
        const result = await this.runPrep(task);
        if (result?.ok && !task.cancelled) this.ready = { prepId: task.prepId, roster: task.roster };
        else if (result && !result.ok && !task.cancelled) console.warn(`Parley: preparation ${task.prepId} failed (${result.error.code}); the next run sets up afresh`);
      } finally {
        if (this.current === task) this.current = undefined;
        this.show();
      }
    });
  }

  private async runPrep(task: Task): Promise<PrepResult | undefined> {
    const self = this.deps.selfId();
    if (task.cancelled || this.runActive || this.closed || !self) return undefined;
    const keys = this.deps.keys();
    const roster = task.roster.map((id) => ({ id, publicKey: id === self ? keys.self : (keys.peers[id] ?? '') }));
    // Identities not yet authenticated: the run would bind other keys, so preparing is wasted.
    if (roster.some((r) => !r.publicKey)) return undefined;
    const bridge = this.deps.engine.bridge(task.prepId, task.roster, self, (to, bytes) => this.deps.sendMpc(to, bytes));
    task.bridge = bridge;
    return bridge.prepare({ prepId: task.prepId, self: task.roster.indexOf(self), roster, timeoutMs: PREP_ROUND_MS, spec: this.deps.spec?.() });
  }

  private cancelCurrent(reason: string): void {
    const task = this.current;
    if (!task) return;
    task.cancelled = true;
    task.bridge?.cancel(reason);
    this.current = undefined;
    this.show();
  }

  private show(): void {
    const state: PrepState = this.current ? 'preparing' : this.ready ? 'ready' : 'none';
    if (state === this.shown) return;
    this.shown = state;
    this.deps.onState(state);
  }

  private enqueue(step: () => Promise<void>): void {
    this.queue = this.queue.then(step).catch((e: unknown) => console.warn('Parley: preparation step failed', e));
  }
}
