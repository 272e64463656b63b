/**
 * One run of the engine for one party, over any Channel: what the browser's MPC worker
 * (engine.worker.ts, over a MessagePort) and the Node party (src/cli, over the mesh
 * directly) both execute. DOM-free and comlink-free.
 *
 * Order of a run: (1) agree on the digest of spec + roster (with identity keys) + run id,
 * so a host showing different specs to different people aborts before any input is used;
 * (2) the computation: numeric kinds via runComputation on OT-generated triples (no
 * dealer), set intersection via the OPPRF-based PSI (src/core/psi/mp-psi.ts).
 */
import { MpcError, toErrorInfo } from '../core/errors.ts';
import { parseComputationSpec, parseInputs, protectionOf, runComputation } from '../core/computations/index.ts';
import { privateSetIntersection } from '../core/psi/index.ts';
import { agreeOnDigest, specDigest } from '../core/protocols/agree.ts';
import { partyId, type Channel, type PartyId } from '../core/session/channel.ts';
import { Session } from '../core/session/session.ts';
import { createTripleSource } from '../core/triples/index.ts';
import { createBackend } from '../core/backend/index.ts';
import { utf8Encode } from '../core/codec.ts';
import { formatDecimal, parseDecimal } from '../core/fixed-point.ts';
import type { Job, JobOutput, JobResult, Progress } from './jobs.ts';

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

/** psi-sum: one exact decimal per item, each within ±10^12 (the core checks the total). */
function psiSumValues(texts: readonly string[], count: number, decimals: number): bigint[] {
  if (texts.length !== count) throw new MpcError('INVALID_ARGUMENT', `psi-sum needs one value per item: ${count} items, ${texts.length} values`);
  const limit = 10n ** BigInt(12 + decimals);
  return texts.map((t, i) => {
    const v = parseDecimal(t, decimals);
    if (v > limit || v < -limit) throw new MpcError('INPUT_OUT_OF_RANGE', `value ${i + 1} is outside ±1,000,000,000,000`);
    return v;
  });
}

async function compute(session: Session, job: Job, progress: (p: Progress) => void): Promise<JobOutput> {
  if (job.spec.kind === 'psi' || job.spec.kind === 'psi-size' || job.spec.kind === 'psi-sum') {
    const items = job.items ?? [];
    if (items.length !== job.counts[job.self]) throw new MpcError('INVALID_ARGUMENT', `declared ${job.counts[job.self]} items but supplied ${items.length}`);
    const decimals = job.spec.decimals ?? 0;
    const values = job.spec.kind === 'psi-sum' ? psiSumValues(job.values ?? [], items.length, decimals) : undefined;
    progress({ phase: 'computing', fraction: 0.05 });
    const r = await privateSetIntersection(session, items, job.spec.kind, {
      values,
      context: utf8Encode(`parley/room-run/${job.agreement.nonce}`),
      // group operations are nearly all of the time; the final MPC test is the last 10 %
      onProgress: (p) => progress({ phase: 'computing', fraction: p.stage === 'mpc' ? 0.9 : 0.05 + 0.85 * (p.total ? p.done / p.total : 1) }),
    });
    if (r.sum !== undefined) return { kind: job.spec.kind, size: r.size, sum: formatDecimal(r.sum, decimals), decimals };
    return { kind: job.spec.kind, size: r.size, items: r.items };
  }
  const parsed = parseComputationSpec(job.spec);
  if (!parsed.ok) throw new MpcError('INVALID_ARGUMENT', `invalid computation: ${parsed.error}`);
  const spec = parsed.spec;
  // Validate and encode again here: the engine trusts nothing the caller parsed.
  const input = parseInputs(spec, job.values ?? [], job.weights);
  // No fraction here: the numeric protocols do not report their own progress yet, and a
  // made-up percentage would mislead; callers show the phase only.
  progress({ phase: 'preparing' });
  progress({ phase: 'computing' });
  // strict: SPDZ2k with MAC checks (backend/strict); fast: semi-honest (backend/fast)
  const backend = createBackend(session, protectionOf(spec), () => createTripleSource(session));
  const output = await runComputation(backend, spec, input, job.counts);
  progress({ phase: 'revealing' });
  return output;
}

/**
 * Runs `job` over the channel `open` makes for this party (called once the job is checked).
 * Never throws: failures come back as `{ ok: false, error }` with a `code` (STYLE §6).
 */
export async function runJob(job: Job, open: (self: PartyId, parties: number) => Channel, onProgress?: (p: Progress) => void | Promise<void>): Promise<JobResult> {
  const started = performance.now();
  let session: Session | undefined;
  const progress = (p: Progress) => {
    void Promise.resolve(onProgress?.(p)).catch(() => undefined);
  };
  const statsNow = () => (session ? { sent: [...session.stats.sent], received: [...session.stats.received], millis: performance.now() - started } : undefined);
  try {
    checkJob(job);
    session = new Session(open(partyId(job.self), job.parties), { timeoutMs: job.timeoutMs ?? 30_000 });
    progress({ phase: 'checking' });
    await agreeOnDigest(session, specDigest(job.agreement.specJson, job.agreement.roster, job.agreement.nonce));
    const output = await compute(session, job, progress);
    return { ok: true, output, stats: statsNow() ?? { sent: [], received: [], millis: 0 } };
  } catch (e) {
    return { ok: false, error: toErrorInfo(e), stats: statsNow() };
  } finally {
    session?.close();
  }
}
