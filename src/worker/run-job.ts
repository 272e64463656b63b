/**
 * One run of the engine for one party, over any Channel: what the browser's MPC worker
 * (engine.worker.ts, over a MessagePort) and the Node party (src/cli, over the mesh
 * directly) both execute. DOM-free and comlink-free.
 *
 * Order of a run: (1) agree on the digest of spec + roster (with identity keys) + run id,
 * so a host showing different specs to different people aborts before any input is used;
 * (2) the computation, dispatched through the computation registry
 * (src/core/computations/registry.ts): numeric kinds run on OT-generated triples (no
 * dealer), set intersection on the OPPRF-based PSI (src/core/psi/mp-psi.ts).
 */
import { MpcError, toErrorInfo } from '../core/errors.ts';
import { computationFor, isRegisteredKind } from '../core/computations/registry.ts';
import type { RunContext } from '../core/computations/registry-types.ts';
import { protectionOf } from '../core/computations/spec.ts';
import { agreeOnDigest, specDigest } from '../core/protocols/agree.ts';
import { partyId, type Channel, type PartyId } from '../core/session/channel.ts';
import { Session } from '../core/session/session.ts';
import { createTripleSource } from '../core/triples/index.ts';
import { createBackend } from '../core/backend/index.ts';
import type { Backend, ProtectionLevel } from '../core/backend/types.ts';
import type { Job, JobOutput, JobResult, PrepJob, PrepResult, Progress } from './jobs.ts';
import { choosePrepared, prepareOt, type PrepStore, type PreparedSetups } from '../core/ot/prepared-ot.ts';
import type { RosterEntry } from '../core/protocols/agree.ts';
import { plannedTripleSource, pooledTripleSource, type TriplePlan } from '../core/protocols/planned-triples.ts';
import type { ComputationSpec } from '../core/computations/spec.ts';
import { PLANNABLE_KINDS, planTriples, prepWish } from './plan-triples.ts';

/** A roster as prepared material is bound to it: member ids and identity keys, in party order. */
export const rosterKey = (roster: readonly RosterEntry[]): string => JSON.stringify(roster.map((r) => [r.id, r.publicKey]));

const MAX_PARTIES = 32;

function checkJob(job: Job): void {
  const bad = (what: string) => {
    throw new MpcError('INVALID_ARGUMENT', what);
  };
  if (!Number.isInteger(job.parties) || job.parties < 2 || job.parties > MAX_PARTIES) bad(`parties must be 2..${MAX_PARTIES}, got ${job.parties}`);
  if (!Number.isInteger(job.self) || job.self < 0 || job.self >= job.parties) bad(`self must be a party index, got ${job.self}`);
  if (!Array.isArray(job.counts) || job.counts.length !== job.parties) bad('expected one count per party');
  if (job.agreement.roster.length !== job.parties) bad('the roster does not match the number of parties');
}

/**
 * Every kind goes the same way, through its registry entry: its own parser checks the spec
 * again, `parseInput` re-validates and normalises this party's payload (the engine trusts
 * nothing the caller parsed), then `run`.
 */
async function compute(session: Session, job: Job, progress: (p: Progress) => void, prepared: PreparedSetups | undefined, planning: Promise<TriplePlan | undefined>): Promise<JobOutput> {
  const kind: unknown = (job.spec as { kind?: unknown } | undefined)?.kind;
  if (!isRegisteredKind(kind)) throw new MpcError('INVALID_ARGUMENT', `unknown computation ${JSON.stringify(kind)}`);
  const def = computationFor(kind);
  const parsed = def.parseSpec(job.spec);
  if (!parsed.ok) throw new MpcError('INVALID_ARGUMENT', `invalid computation: ${parsed.error}`);
  const spec = parsed.spec;
  const input = def.parseInput({ values: job.values, weights: job.weights, items: job.items, data: job.data }, spec, job.counts[job.self]);
  let backend: Backend | undefined;
  const plan = await planning;
  const triples = () => {
    const fresh = createTripleSource(session, { ot: prepared?.['semi-honest'] });
    const t = prepared?.triples ? pooledTripleSource(fresh, prepared.triples) : fresh;
    return plan ? plannedTripleSource(t, plan) : t;
  };
  const ctx: RunContext = {
    session,
    nonce: job.agreement.nonce,
    progress,
    // strict: SPDZ2k with MAC checks (backend/strict); fast: semi-honest (backend/fast)
    backend: () => (backend ??= createBackend(session, protectionOf(spec), triples, prepared?.malicious)),
  };
  return (await def.run(ctx, spec, input, job.counts)) as JobOutput;
}

/** The fast backend's triple plan (plan-triples.ts) for a plannable numeric spec, else undefined. */
function planFor(job: Job): Promise<TriplePlan | undefined> {
  const spec = plannableSpec(job.spec);
  return spec ? planTriples(spec, job.counts) : Promise.resolve(undefined);
}

/** The spec, parsed, if it is a fast run of a kind plan-triples.ts covers. */
function plannableSpec(raw: unknown): ComputationSpec | undefined {
  const kind: unknown = (raw as { kind?: unknown } | undefined)?.kind;
  if (!isRegisteredKind(kind) || !PLANNABLE_KINDS.has(kind as ComputationSpec['kind'])) return undefined;
  const parsed = computationFor(kind).parseSpec(raw);
  return parsed.ok && protectionOf(parsed.spec as ComputationSpec) === 'fast' ? (parsed.spec as ComputationSpec) : undefined;
}

/**
 * Runs `job` over the channel `open` makes for this party (called once the job is checked).
 * Never throws: failures come back as `{ ok: false, error }` with a `code` (STYLE §6).
 */
export async function runJob(job: Job, open: (self: PartyId, parties: number) => Channel, onProgress?: (p: Progress) => void | Promise<void>, prepStore?: PrepStore): Promise<JobResult> {
  const started = performance.now();
  let session: Session | undefined;
  const progress = (p: Progress) => {
    void Promise.resolve(onProgress?.(p)).catch(() => undefined);
  };
  const statsNow = () => (session ? { sent: [...session.stats.sent], received: [...session.stats.received], millis: performance.now() - started } : undefined);
  try {
    checkJob(job);
    // started before the first round, so the dry run's CPU overlaps the agreement's waits
    const planning = planFor(job);
    session = new Session(open(partyId(job.self), job.parties), { timeoutMs: job.timeoutMs ?? 30_000 });
    progress({ phase: 'checking' });
    // Which prepared setup (if any) every party holds; the digest names the choice, so a party
    // that told peers different things makes the run abort instead of diverge.
    const chosen = await choosePrepared(session, prepStore, job.prepId, rosterKey(job.agreement.roster));
    // The resolved protection level is bound too: a spec without `protection` means strict
    // today, and a party whose app resolved it otherwise must abort here, not diverge later.
    const level = protectionOf((job.spec ?? {}) as { protection?: ProtectionLevel });
    await agreeOnDigest(session, specDigest(job.agreement.specJson, job.agreement.roster, `${job.agreement.nonce}\u0000prep:${chosen?.prepId ?? ''}\u0000protection:${level}`));
    const output = await compute(session, job, progress, chosen?.setups, planning);
    return { ok: true, output, stats: statsNow() ?? { sent: [], received: [], millis: 0 } };
  } catch (e) {
    return { ok: false, error: toErrorInfo(e), stats: statsNow() };
  } finally {
    session?.close();
  }
}

/**
 * Prepares the OT setups of `prep.roster` before Start (over a channel of its own, with the
 * prep id as its run id) into `store`. Agrees on roster + prep id first, like a run.
 */
export async function runPrep(prep: PrepJob, open: (self: PartyId, parties: number) => Channel, store: PrepStore): Promise<PrepResult> {
  const started = performance.now();
  let session: Session | undefined;
  try {
    if (!Number.isInteger(prep.self) || prep.self < 0 || prep.self >= prep.roster.length || prep.roster.length < 2 || prep.roster.length > MAX_PARTIES) {
      throw new MpcError('INVALID_ARGUMENT', `a preparation needs 2..${MAX_PARTIES} parties and this party's index`);
    }
    session = new Session(open(partyId(prep.self), prep.roster.length), { timeoutMs: prep.timeoutMs ?? 30_000 });
    await agreeOnDigest(session, specDigest('"parley/prep"', prep.roster, prep.prepId));
    // the triples of the room's spec with every party at its most values (plan-triples.ts)
    const spec = plannableSpec(prep.spec);
    const wish = spec ? await prepWish(spec, prep.roster.length) : undefined;
    await prepareOt(session, store, prep.prepId, rosterKey(prep.roster), wish);
    return { ok: true, millis: performance.now() - started };
  } catch (e) {
    return { ok: false, error: toErrorInfo(e) };
  } finally {
    session?.close();
  }
}
