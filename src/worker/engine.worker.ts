/**
 * The MPC worker: receives a job (with this party's private values) over comlink and runs
 * the engine (src/core) over a MessagePort channel whose frames the main thread relays to
 * the data channels without reading them. Private values exist only here and in the UI
 * that validated them.
 *
 * Order of a run: (1) agree on the digest of spec + roster (with identity keys) + run id,
 * so a host showing different specs to different people aborts before any input is used;
 * (2) the computation: numeric kinds via runComputation on OT-generated triples (no
 * dealer), set intersection via the OPPRF-based PSI (src/core/psi/mp-psi.ts).
 */
import * as Comlink from 'comlink';
import { MpcError, toErrorInfo } from '../core/errors';
import { parseComputationSpec, parseInputs, runComputation } from '../core/computations';
import { privateSetIntersection } from '../core/psi';
import { agreeOnDigest, specDigest } from '../core/protocols/agree';
import { partyId } from '../core/session/channel';
import { createPortChannel } from '../core/session/port-network';
import { Session } from '../core/session/session';
import { createTripleSource } from '../core/triples';
import { createFastBackend } from '../core/backend';
import { utf8Encode } from '../core/codec';
import type { EngineApi, Job, JobOutput, JobResult, Progress } from './jobs';

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

async function compute(session: Session, job: Job, progress: (p: Progress) => void): Promise<JobOutput> {
  if (job.spec.kind === 'psi' || job.spec.kind === 'psi-size') {
    const items = job.items ?? [];
    if (items.length !== job.counts[job.self]) throw new MpcError('INVALID_ARGUMENT', `declared ${job.counts[job.self]} items but supplied ${items.length}`);
    progress({ phase: 'computing', fraction: 0.05 });
    const r = await privateSetIntersection(session, items, job.spec.kind, {
      context: utf8Encode(`parley/room-run/${job.agreement.nonce}`),
      // group operations are nearly all of the time; the final MPC test is the last 10 %
      onProgress: (p) => progress({ phase: 'computing', fraction: p.stage === 'mpc' ? 0.9 : 0.05 + 0.85 * (p.total ? p.done / p.total : 1) }),
    });
    return { kind: job.spec.kind, size: r.size, items: r.items };
  }
  const parsed = parseComputationSpec(job.spec);
  if (!parsed.ok) throw new MpcError('INVALID_ARGUMENT', `invalid computation: ${parsed.error}`);
  const spec = parsed.spec;
  // Validate and encode again here: the worker trusts nothing the main thread parsed.
  const input = parseInputs(spec, job.values ?? [], job.weights);
  // No fraction here: the numeric protocols do not report their own progress yet, and a
  // made-up percentage would mislead; the UI shows the phase with an indeterminate bar.
  progress({ phase: 'preparing' });
  const triples = createTripleSource(session);
  progress({ phase: 'computing' });
  const output = await runComputation(createFastBackend(session, triples), spec, input, job.counts);
  progress({ phase: 'revealing' });
  return output;
}

async function run(job: Job, port: MessagePort, onProgress?: (p: Progress) => void): Promise<JobResult> {
  const started = performance.now();
  let session: Session | undefined;
  const progress = (p: Progress) => {
    void Promise.resolve(onProgress?.(p)).catch(() => undefined);
  };
  const statsNow = () => (session ? { sent: [...session.stats.sent], received: [...session.stats.received], millis: performance.now() - started } : undefined);
  try {
    checkJob(job);
    const channel = createPortChannel(port, partyId(job.self), job.parties);
    session = new Session(channel, { timeoutMs: job.timeoutMs ?? 30_000 });
    progress({ phase: 'checking' });
    await agreeOnDigest(session, specDigest(job.agreement.specJson, job.agreement.roster, job.agreement.nonce));
    const output = await compute(session, job, progress);
    return { ok: true, output, stats: statsNow() ?? { sent: [], received: [], millis: 0 } };
  } catch (e) {
    return { ok: false, error: toErrorInfo(e), stats: statsNow() };
  } finally {
    session?.close();
    // Messages on one port are ordered, but the comlink reply travels on another: this
    // marker tells the main thread that every frame we posted is ahead of it (see
    // engine-client.ts), so none is dropped when the run ends right after a send.
    port.postMessage({ kind: 'flushed' });
    port.close();
  }
}

const api: EngineApi = {
  run,
  async ping() {
    return 'pong';
  },
};

Comlink.expose(api);
