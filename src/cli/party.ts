/**
 * A room participant that is not a browser tab: joins the mesh (same signaling client,
 * sealed envelopes, identity handshake, framing) over Node's WebRTC (@roamhq/wrtc), speaks
 * the room control protocol (src/ui/features/room/room-protocol.ts) as the browser's
 * RoomController does, and runs the same engine (src/worker/run-job.ts) in this process.
 *
 * One run per process: join, show the safety code, become ready (at once with `autoReady`,
 * otherwise when `confirmReady` resolves), wait for the host's start (or, as host, start
 * when `startWhen` participants are ready), run, and resolve with the result or a failure
 * and its exit code (exit-codes.ts).
 *
 * Consent, as in the browser: Ready is consent to one spec and one group; a spec change or
 * a leaver withdraws it; a start whose spec, roster or counts differ from what this party
 * agreed to is refused before any input is used, and every engine run first checks that all
 * parties hold the same spec and roster (agreeOnDigest). The host is the member whose host
 * statement verifies against the fingerprint in the link (transport/host-key.ts), as in the
 * browser; `parley host` makes the room's host key and signs its statement.
 *
 * Security assumption: as for a tab (docs/threat-model.md). Private input stays in this
 * process: it goes to the engine only, never into a control message or a log line.
 */
import wrtc from '@roamhq/wrtc';
import WebSocket from 'ws';
import { randomBytes } from '@noble/hashes/utils.js';
import { encodeBase64url } from '../transport/base64url.ts';
import { deriveRoomKeys, MeshTag, openMesh, signHostStatement, verifyHostStatement, type HostKey, type HostStatement, type MeshHandle, type PeerLeftCode, type RoomLink } from '../transport/index.ts';
import { createPeerLinkWith } from '../transport/peer-link.ts';
import type { WebSocketLike } from '../transport/signaling-client.ts';
import { computationFor } from '../core/computations/registry.ts';
import type { Job, Progress } from '../worker/jobs.ts';
import { cleanName, encodeControlMessage, isPsi, parseControlMessage, type ControlMessage, type RoomSpec } from '../ui/features/room/room-protocol.ts';
import { readPrivateInput, type PrivateInput } from '../ui/features/room/private-input.ts';
import { latestSummary, rowCountSentence, rowsReadSentence, setColumnChoice, takesTable } from '../ui/features/table/table-read-state.ts';
import { hasTableFrame } from '../core/table/index.ts';
import type { InputText } from './input.ts';
import { EXIT, exitForError, type ExitCode } from './exit-codes.ts';
import { resultJson } from './result-json.ts';
import { describeFailure, isRefusal, nodeRoundTimeout, publicReason, specForRun } from './room-rules.ts';
import { EngineHost } from './engine-host.ts';
import { describeSpec } from './terminal.ts';
import type { RunPolicy } from './ledger-file.ts';

export interface PartyOptions {
  /** The room link's secret and pinned host fingerprint, and the signaling WebSocket URL. */
  link: RoomLink;
  signalingUrl: string;
  name: string;
  /** Host: the room's host key, the spec it offers, and how many participants (itself included) to start with. */
  host?: { key: HostKey; spec: RoomSpec; startWhen: number };
  /** The private input as it would be pasted (read against the spec once it is known). */
  inputText: string;
  /** A whole CSV table (`--csv` without `--column`): its header and the `--map` picks. */
  table?: InputText['table'];
  autoReady: boolean;
  /** Interactive consent: resolves when the person confirms Ready for the spec shown. */
  confirmReady?: (summary: string) => Promise<void>;
  /** Guest: refuse a room that computes another kind. */
  expectKind?: string;
  /** Give up waiting for a start after this long (0: wait for ever). */
  waitMs: number;
  /** How long to wait for one message of a run (--round-timeout); default: nodeRoundTimeout's rule. */
  roundTimeoutMs?: number;
  log: (line: string) => void;
  /** Progress while a run goes on (a terminal rewrites one line). */
  progress: (p: RunProgress) => void;
  /** This party's own rules for runs (the privacy ledger, ledger-file.ts): refuse, then charge. */
  policy?: RunPolicy;
}

export interface RunProgress {
  phase: Progress['phase'] | 'starting';
  fraction?: number;
  sent: number;
  received: number;
  millis: number;
}

export interface PartyOutcome {
  exit: ExitCode;
  message: string;
  result?: Record<string, unknown>;
}

interface Member {
  name: string;
  creator: boolean;
  connected: boolean;
  ready: boolean;
  length?: number;
}

/** After the last send, how long the data channels get to drain before the process closes them. */
const DRAIN_LIMIT_MS = 10_000;
/** Once drained, time for the SCTP layer to deliver what it holds (it is not reported). */
const LINGER_MS = 500;

export class Party {
  private mesh?: MeshHandle;
  private readonly engine: EngineHost;
  private readonly members = new Map<string, Member>();
  private selfId?: string;
  private selfKey = '';
  private keys: Record<string, string> = {};
  private hostId?: string;
  private readonly roomId: string;
  private statement?: HostStatement;
  private spec?: RoomSpec;
  private ready = false;
  private asking = false;
  /** The spec the person confirmed interactively (consent is withdrawn with `withdrawReady`). */
  private confirmed?: RoomSpec;
  private running?: string;
  private earlyAborts: string[] = [];
  private shownCode = '';
  private lastRead?: { key: string; value: PrivateInput | undefined };
  /** The spec whose table read-back was printed (printed once per spec). */
  private readBackFor?: RoomSpec;
  private readonly pending = new Set<Promise<unknown>>();
  private settle: (o: PartyOutcome) => void = () => undefined;
  private finished = false;
  private waitTimer?: ReturnType<typeof setTimeout>;
  readonly name: string;

  constructor(private readonly o: PartyOptions) {
    this.name = cleanName(o.name) || 'Anonymous';
    this.spec = o.host?.spec;
    this.roomId = deriveRoomKeys(o.link.secret).roomId;
    this.engine = new EngineHost((to, bytes) => this.track(this.mesh!.send(to, MeshTag.Mpc, bytes)));
  }

  /** Joins, takes part in one run, and resolves with its outcome (never rejects). */
  async run(): Promise<PartyOutcome> {
    const outcome = new Promise<PartyOutcome>((resolve) => (this.settle = resolve));
    if (this.o.waitMs > 0) {
      this.waitTimer = setTimeout(() => {
        if (!this.running) this.finish(EXIT.CONNECT, `No run started within ${Math.round(this.o.waitMs / 1000)} s; giving up.`);
      }, this.o.waitMs);
    }
    try {
      this.mesh = await openMesh(this.o.link.secret, this.handlers(), {
        signalingUrl: this.o.signalingUrl,
        createSocket: (url) => new WebSocket(url) as unknown as WebSocketLike,
        createLink: createPeerLinkWith(wrtc),
      });
    } catch (e) {
      this.finish(EXIT.CONNECT, `Could not join the room: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (this.o.host) this.log(`Computation: ${describeSpec(this.o.host.spec, this.o.host.startWhen)}`);
    const result = await outcome;
    await this.drain();
    this.mesh?.close();
    return result;
  }

  /** Stop now (Ctrl-C): others hear that the run stopped. */
  interrupt(why: string): void {
    if (this.running) this.sendTo(this.rosterIds(), { t: 'abort', runId: this.running, reason: `${this.name} stopped the run. No result was revealed.` });
    this.finish(EXIT.INTERRUPTED, why);
  }

  private handlers(): Parameters<typeof openMesh>[1] {
    return {
      welcome: (self) => {
        this.selfId = self;
        this.log(`Joined the room as ${this.name}${this.o.host ? ' (host)' : ''}; waiting for the others…`);
        this.evaluate();
      },
      peerState: (id, state) => {
        this.upsert(id, { connected: state === 'connected' });
        if (state === 'connected') {
          const host = this.hostStatement();
          this.sendTo([id], { t: 'hello', name: this.name, creator: !!this.o.host, spec: this.o.host ? this.spec : undefined, ...(host ? { host } : {}) });
          const own = this.read();
          if (this.ready && own?.ok) this.sendTo([id], { t: 'ready', ready: true, length: own.count });
        }
      },
      peerLeft: (id, reason, code) => this.onPeerLeft(id, reason, code),
      message: (id, tag, bytes) => {
        if (tag === MeshTag.Control) this.onControl(id, bytes);
        else if (tag === MeshTag.Mpc && this.members.has(id)) this.engine.deliver(id, bytes);
      },
      identities: (info) => {
        this.keys = { ...info.peers };
        this.selfKey = info.self;
      },
      // Words only once the group's commit-then-reveal exchange is final (safety-exchange.ts).
      safetyCode: (state) => {
        if (state.status !== 'final' || state.code === this.shownCode) return;
        this.log(`${this.shownCode ? 'The group changed; new safety code' : 'Safety code'}: ${state.code}  (${state.members.length + 1} participants; compare these words with the others by voice)`);
        this.shownCode = state.code;
      },
      warning: (message, _peer, code) => {
        if (code === 'REFUSED') this.log(`Warning: ${message}`);
      },
      error: (message) => {
        // Existing links keep working without signaling; only a party with nobody left is stuck.
        if (!this.selfId || this.members.size === 0) this.finish(EXIT.CONNECT, `Could not reach the signaling server: ${message}`);
        else this.log(`Signaling closed (${message}); connected participants stay connected, nobody new can join.`);
      },
    };
  }

  // ---- control protocol (as RoomController) -------------------------------------------

  private onControl(from: string, bytes: Uint8Array): void {
    const msg = parseControlMessage(bytes);
    if (!msg) return;
    const sender = this.members.get(from);
    switch (msg.t) {
      case 'hello': {
        const creator = msg.creator || msg.host !== undefined ? this.checkHostClaim(from, msg) : false;
        this.upsert(from, { name: msg.name, creator });
        if (creator && msg.spec) this.acceptSpec(msg.spec);
        break;
      }
      case 'spec':
        if (sender?.creator && !this.o.host) this.acceptSpec(msg.spec);
        break;
      case 'ready':
        this.upsert(from, { ready: msg.ready, length: msg.ready ? msg.length : undefined });
        break;
      case 'start':
        if (sender?.creator && !this.o.host) this.onStart(msg);
        return;
      case 'abort':
        if (this.running === msg.runId) this.engine.peerAborted(from, msg.reason);
        else this.earlyAborts = [...this.earlyAborts.slice(-15), msg.runId];
        return;
    }
    this.evaluate();
  }

  /**
   * Is `from` the host the link names? Only a statement signed by the pinned host key for
   * the session key `from` proved on this connection counts (as RoomController).
   */
  private checkHostClaim(from: string, msg: Extract<ControlMessage, { t: 'hello' }>): boolean {
    const sessionKey = this.keys[from];
    const check = sessionKey && msg.host ? verifyHostStatement(msg.host, this.o.link.host, this.roomId, sessionKey) : { ok: false as const };
    if (!check.ok) {
      this.log(`${msg.name} claims to be the host, but the room link names a different host. Refused: no rules or Start are accepted from ${msg.name}.`);
      return false;
    }
    if (this.o.host) {
      this.log(`${msg.name} holds this room's host key too; this party stays the host.`);
      return false;
    }
    const current = this.hostId !== undefined && this.hostId !== from ? this.members.get(this.hostId) : undefined;
    if (current) {
      this.log(`${msg.name} also holds the host key, but ${current.name} is hosting. Ignored.`);
      return false;
    }
    this.hostId = from;
    return true;
  }

  /** Our host statement for our session key (host only; signed once). */
  private hostStatement(): HostStatement | undefined {
    if (!this.o.host || !this.mesh) return undefined;
    this.statement ??= signHostStatement(this.o.host.key, this.roomId, this.mesh.publicKey);
    return this.statement;
  }

  private acceptSpec(spec: RoomSpec): void {
    const before = this.spec;
    if (JSON.stringify(spec) === JSON.stringify(before)) return;
    this.spec = spec;
    this.log(`${before ? 'The host changed the computation' : 'Computation'}: ${describeSpec(spec, this.members.size + 1)}`);
    if (this.o.expectKind && spec.kind !== this.o.expectKind) {
      this.finish(EXIT.REFUSED, `This room computes ${spec.kind}, not ${this.o.expectKind} (--computation); not taking part.`);
      return;
    }
    // Learning the spec for the first time is not a change: others' Ready stands.
    if (before) this.withdrawReady();
  }

  /** Readiness and, for the host, whether to start: called after every change. */
  private evaluate(): void {
    if (this.finished || this.running || !this.spec || !this.selfId) return;
    const input = this.read();
    if (!input) return this.finish(EXIT.INPUT, 'The private input is empty.');
    if (!input.ok) return this.finish(EXIT.INPUT, `The private input does not fit this computation: ${input.error}`);
    this.showReadBack();
    if (!this.ready) {
      if (this.o.autoReady || this.confirmed === this.spec) this.setReady(input);
      else if (!this.asking && this.o.confirmReady) {
        this.asking = true;
        const spec = this.spec;
        const summary = takesTable(spec) ? 'Table read (above).' : `${input.count.toLocaleString('en')} ${isPsi(spec) ? 'items' : 'values'} read${input.notes.length ? ` (${input.notes.join(' ')})` : ''}.`;
        void this.o.confirmReady(summary).then(() => {
          this.asking = false;
          if (this.spec !== spec) return;
          this.confirmed = spec;
          this.evaluate();
        });
      }
    }
    if (this.o.host && this.ready) this.maybeStart();
  }

  private setReady(input: Extract<PrivateInput, { ok: true }>): void {
    this.ready = true;
    const what = this.spec && takesTable(this.spec) ? 'your table' : `${input.count.toLocaleString('en')} ${this.spec && isPsi(this.spec) ? 'items' : 'values'}`;
    this.log(`Ready with ${what}${input.notes.length ? ` (${input.notes.join(' ')})` : ''}.`);
    this.broadcast({ t: 'ready', ready: true, length: input.count });
  }

  /** Consent covers one spec and one group: withdraw it (ours and others') when either changes. */
  private withdrawReady(): void {
    this.confirmed = undefined;
    for (const m of this.members.values()) {
      m.ready = false;
      m.length = undefined;
    }
    if (this.ready) {
      this.ready = false;
      this.broadcast({ t: 'ready', ready: false, length: 0 });
    }
  }

  private maybeStart(): void {
    const spec = this.spec;
    const want = this.o.host?.startWhen ?? 2;
    const all = [...this.members.values()];
    if (!spec || !this.selfId || all.length + 1 < want || !all.every((m) => m.connected && m.ready)) return;
    const own = this.read();
    if (!own?.ok) return;
    if (spec.minParties !== undefined && all.length + 1 < spec.minParties) return;
    const roster = [this.selfId, ...this.members.keys()].sort();
    const counts = roster.map((id) => (id === this.selfId ? own.count : (this.members.get(id)?.length ?? 0)));
    if (computationFor(spec.kind).sameCount && new Set(counts).size > 1) return this.finish(EXIT.INPUT, 'Participants entered different numbers of values.');
    const runSpec = specForRun(spec, counts);
    const refusal = this.o.policy?.refuse(runSpec);
    if (refusal) return this.finish(EXIT.REFUSED, `Not starting: ${refusal}. No input was used.`);
    const runId = encodeBase64url(randomBytes(9));
    this.log(`Everyone is ready (${roster.length} participants): starting.`);
    this.broadcast({ t: 'start', runId, spec: runSpec, roster, counts });
    void this.compute(runId, runSpec, roster, counts);
  }

  private onStart(msg: Extract<ControlMessage, { t: 'start' }>): void {
    const self = this.selfId;
    const refuse = (reason: string) => this.sendTo(msg.roster, { t: 'abort', runId: msg.runId, reason });
    if (!self || !msg.roster.includes(self) || this.earlyAborts.includes(msg.runId)) return;
    if (this.running) return refuse(`${this.name} is still busy with another run.`);
    if (!this.ready) return refuse(`${this.name} is not ready.`);
    const own = this.read();
    if (!own?.ok || own.count !== msg.counts[msg.roster.indexOf(self)]) return refuse(`${this.name} has a different number of values.`);
    const expectedRoster = [self, ...[...this.members].filter(([, m]) => m.ready).map(([id]) => id)].sort();
    const expectedCounts = expectedRoster.map((id) => (id === self ? own.count : (this.members.get(id)?.length ?? -1)));
    if (!this.spec || JSON.stringify(msg.spec) !== JSON.stringify(specForRun(this.spec, expectedCounts))) {
      refuse(`${this.name} refused: the host started a different computation from the one they agreed to. No input was used.`);
      return this.finish(EXIT.REFUSED, 'The host started a different computation from the one shown here, so this party refused it. No input was used.');
    }
    if (JSON.stringify(msg.roster) !== JSON.stringify(expectedRoster) || JSON.stringify(msg.counts) !== JSON.stringify(expectedCounts)) {
      refuse(`${this.name} refused: the host started with a different group of participants from the ones they saw ready. No input was used.`);
      return this.finish(EXIT.REFUSED, 'The host started with a different group of participants from the one shown here, so this party refused it. No input was used.');
    }
    // This party's own privacy ledger refuses here whatever the host's says.
    const refusal = this.o.policy?.refuse(msg.spec);
    if (refusal) {
      refuse(`${this.name} refused: ${refusal}. No input was used.`);
      return this.finish(EXIT.REFUSED, `This party refused the run: ${refusal}. No input was used.`);
    }
    void this.compute(msg.runId, msg.spec, msg.roster, msg.counts);
  }

  private async compute(runId: string, spec: RoomSpec, roster: string[], counts: number[]): Promise<void> {
    const self = this.selfId!;
    const input = this.read();
    if (!input?.ok) return;
    // Charged before any input is used: a stopped run may still have opened its noisy result.
    const unpaid = this.o.policy?.charge(runId, spec);
    if (unpaid) {
      this.sendTo(roster, { t: 'abort', runId, reason: `${this.name} refused: ${unpaid}. No input was used.` });
      return this.finish(EXIT.REFUSED, `This party refused the run: ${unpaid}. No input was used.`);
    }
    this.running = runId;
    clearTimeout(this.waitTimer);
    const names = roster.map((id) => (id === self ? this.name : (this.members.get(id)?.name ?? 'someone')));
    const started = performance.now();
    let last: RunProgress = { phase: 'starting', sent: 0, received: 0, millis: 0 };
    const report = (p?: Progress, t?: { sent: number; received: number }) => {
      last = { ...last, ...(p ? { phase: p.phase, fraction: p.fraction } : {}), ...(t ?? {}), millis: performance.now() - started };
      this.o.progress(last);
    };
    const ticker = setInterval(() => report(undefined, this.engine.traffic()), 1000);
    const job: Job = {
      spec,
      self: roster.indexOf(self),
      parties: roster.length,
      counts,
      values: input.values,
      weights: input.weights,
      items: input.items,
      data: input.data,
      timeoutMs: nodeRoundTimeout(spec, counts, this.o.roundTimeoutMs),
      agreement: {
        specJson: JSON.stringify(spec),
        roster: roster.map((id) => ({ id, publicKey: id === self ? this.selfKey : (this.keys[id] ?? '') })),
        nonce: runId,
      },
    };
    let outcome;
    try {
      ({ result: outcome } = await this.engine.run(runId, roster, self, job, report));
    } finally {
      clearInterval(ticker);
    }
    if (outcome.ok) {
      this.finish(EXIT.OK, `Done in ${((performance.now() - started) / 1000).toFixed(1)} s.`, resultJson(outcome.output));
      return;
    }
    const e = outcome.error;
    const blamed = e.party !== undefined ? names[e.party] : undefined;
    const claimedBy = e.reporter !== undefined ? names[e.reporter] : undefined;
    this.sendTo(roster, { t: 'abort', runId, reason: publicReason(e.code, blamed), code: e.code });
    this.finish(exitForError(e.code), (claimedBy ? `${claimedBy} reports: ` : '') + describeFailure(e.code, blamed, e.message, { terminal: true }));
  }

  // ---- mesh events ----------------------------------------------------------------------

  private onPeerLeft(id: string, reason: string, code: PeerLeftCode): void {
    const who = this.members.get(id);
    if (isRefusal(code)) this.log(`${who && who.name !== 'Joining…' ? who.name : 'A participant who tried to join'}: ${reason}`);
    this.members.delete(id);
    if (!who) return;
    this.engine.peerGone(id, `${who.name} left the room.`);
    // The transport's reason (signaling said so, the channel closed, a timeout) tells an
    // operator whether the peer quit or the network failed.
    if (reason) this.log(`${who.name}'s connection ended: ${code === 'LEFT' ? 'the signaling server reported it gone' : reason}`);
    if (this.running) return;
    this.log(`${who.name} left the room.`);
    if (id === this.hostId) return this.finish(EXIT.HOST_LEFT, `The host (${who.name}) left before starting; nobody can start a run.`);
    // Consent was given for the group as it was: with one fewer person, a sum can reveal more.
    if (who.ready || this.ready) this.withdrawReady();
    this.evaluate();
  }

  private upsert(id: string, patch: Partial<Member>): void {
    const m = this.members.get(id) ?? { name: 'Joining…', creator: false, connected: false, ready: false };
    this.members.set(id, { ...m, ...patch });
  }

  // ---- helpers --------------------------------------------------------------------------

  private read(): PrivateInput | undefined {
    if (!this.spec || !this.o.inputText.trim()) return undefined;
    const others = [...this.members.values()].filter((m) => m.ready && m.length !== undefined);
    const key = `${JSON.stringify(this.spec)}\u0000${others[0]?.length ?? ''}`;
    if (this.lastRead?.key === key) return this.lastRead.value;
    const value = this.readFor(this.spec, others[0]?.length);
    this.lastRead = { key, value };
    return value;
  }

  /**
   * The input read for `spec`: a whole table for the table-shaped kinds (the table card's
   * reader, with the `--map` picks as the card's column picks), one list otherwise. A table
   * where a list is wanted, or the reverse, is refused with the option that fixes it.
   */
  private readFor(spec: RoomSpec, othersCount: number | undefined): PrivateInput {
    const table = this.o.table;
    if (!takesTable(spec)) {
      if (table) return { ok: false, error: `${spec.kind} takes one list of numbers or items, not a whole table: add --column NAME to use one column of the CSV file.` };
      return readPrivateInput(this.o.inputText, spec, othersCount);
    }
    if (!table) return { ok: false, error: `${spec.kind} takes a whole table: give --csv FILE without --column (columns are matched to the host's by header; --map COLUMN=HEADER where they differ).` };
    const schema = hasTableFrame(spec) ? spec.schema.columns.map((c) => c.name) : [];
    const unknown = Object.keys(table.picks).filter((c) => !schema.includes(c));
    if (unknown.length) return { ok: false, error: `--map names ${unknown.map((c) => `"${c}"`).join(', ')}, but the host's table has no such column. Its columns: ${schema.join(', ')}.` };
    setColumnChoice(table.picks);
    const read = readPrivateInput(this.o.inputText, spec, othersCount);
    if (read.ok) return read;
    const summary = latestSummary(this.o.inputText, spec);
    const unmapped = summary && !summary.ok ? (summary.unmapped ?? []) : [];
    if (!unmapped.length) return read;
    const example = `--map ${unmapped[0]}=${JSON.stringify(table.headers[0] ?? 'HEADER')}`;
    return { ok: false, error: `${read.error} Map them with --map COLUMN=HEADER, e.g. ${example}; your file's columns: ${table.headers.map((h) => JSON.stringify(h)).join(', ')}.` };
  }

  /** What the table was read as (the table card's read-back), once per spec. */
  private showReadBack(): void {
    const spec = this.spec;
    if (!spec || this.readBackFor === spec || !takesTable(spec)) return;
    const summary = latestSummary(this.o.inputText, spec);
    if (!summary?.ok) return;
    this.readBackFor = spec;
    const filtered = hasTableFrame(spec) && spec.where.length > 0;
    this.log([`Your table: ${rowsReadSentence(summary, filtered)}`, ...summary.lines.map((l) => `  ${l}`), rowCountSentence(summary.count)].join('\n'));
  }

  private rosterIds(): string[] {
    return [...this.members.keys()];
  }

  private broadcast(m: ControlMessage): void {
    this.sendTo([...this.members].filter(([, p]) => p.connected).map(([id]) => id), m);
  }

  private sendTo(to: readonly string[], m: ControlMessage): void {
    const bytes = encodeControlMessage(m);
    for (const id of to) if (id !== this.selfId && this.mesh) this.track(this.mesh.send(id, MeshTag.Control, bytes)).catch(() => undefined);
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.pending.add(p);
    const forget = () => this.pending.delete(p);
    p.then(forget, forget);
    return p;
  }

  /** Before closing: every queued message handed over and the channels' buffers empty. */
  private async drain(): Promise<void> {
    const deadline = Date.now() + DRAIN_LIMIT_MS;
    await Promise.race([Promise.allSettled([...this.pending]), new Promise((r) => setTimeout(r, DRAIN_LIMIT_MS))]);
    while (Date.now() < deadline && (this.mesh?.peers() ?? []).some((p) => p.buffered > 0)) await new Promise((r) => setTimeout(r, 20));
    if ((this.mesh?.peers() ?? []).some((p) => p.state === 'connected')) await new Promise((r) => setTimeout(r, LINGER_MS));
  }

  private finish(exit: ExitCode, message: string, result?: Record<string, unknown>): void {
    if (this.finished) return;
    this.finished = true;
    clearTimeout(this.waitTimer);
    this.settle({ exit, message, result });
  }

  private log(line: string): void {
    this.o.log(line);
  }
}
