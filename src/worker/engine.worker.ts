/**
 * The MPC worker: receives a job (with this party's private values) over comlink and runs
 * the engine (src/core) over a MessagePort channel whose frames the main thread relays to
 * the data channels without reading them. Private values exist only here and in the UI
 * that validated them.
 */
import * as Comlink from 'comlink';
import { MpcError, toErrorInfo } from '../core/errors';
import { assertSumFits, encodeFixed, formatDecimalTrimmed, parseDecimal } from '../core/fixed-point';
import { partyId } from '../core/session/channel';
import { createPortChannel } from '../core/session/port-network';
import { Session } from '../core/session/session';
import { secureSum } from '../core/protocols/sum';
import { decodeSignedVector } from '../core/ring';
import type { EngineApi, Job, JobResult, Progress } from './jobs';

const MAX_PARTIES = 64;
/** Largest absolute input value (in units, before scaling); the UI enforces the same. */
const MAX_ABS = '1000000000000';
const MAX_LENGTH = 1_000_000;
/** Extra decimals shown for a mean, beyond the input's own. */
const MEAN_EXTRA_DECIMALS = 4;

function checkJob(job: Job): void {
  const bad = (what: string) => {
    throw new MpcError('INVALID_ARGUMENT', what);
  };
  if (!Number.isInteger(job.parties) || job.parties < 2 || job.parties > MAX_PARTIES) bad(`parties must be 2..${MAX_PARTIES}, got ${job.parties}`);
  if (!Number.isInteger(job.self) || job.self < 0 || job.self >= job.parties) bad(`self must be a party index, got ${job.self}`);
  if (!Number.isInteger(job.length) || job.length < 1 || job.length > MAX_LENGTH) bad(`length must be 1..${MAX_LENGTH}, got ${job.length}`);
  if (!Array.isArray(job.values) || job.values.length !== job.length) bad(`expected ${job.length} values, got ${job.values?.length}`);
}

/** Round-half-away-from-zero division of a scaled value, for the mean. */
function divRound(x: bigint, d: bigint): bigint {
  const q = x / d;
  const r = x % d;
  if (2n * (r < 0n ? -r : r) >= d) return q + (x < 0n ? -1n : 1n);
  return q;
}

async function run(job: Job, port: MessagePort, onProgress?: (p: Progress) => void): Promise<JobResult> {
  const started = performance.now();
  let session: Session | undefined;
  const progress = (p: Progress) => {
    void Promise.resolve(onProgress?.(p)).catch(() => undefined);
  };
  try {
    checkJob(job);
    // Validate and encode again here: the worker trusts nothing the main thread parsed.
    const max = parseDecimal(MAX_ABS, job.decimals);
    const bounds = { min: -max, max };
    assertSumFits(bounds, job.parties, job.decimals);
    const scaled = encodeFixed(job.values, job.decimals, bounds);
    const channel = createPortChannel(port, partyId(job.self), job.parties);
    session = new Session(channel, { timeoutMs: job.timeoutMs ?? 30_000 });
    progress({ phase: 'computing', fraction: 0.1 });
    const sums = decodeSignedVector(await secureSum(session, scaled));
    progress({ phase: 'revealing', fraction: 0.9 });
    let values: string[];
    if (job.computation === 'sum') {
      values = sums.map((v) => formatDecimalTrimmed(v, job.decimals));
    } else {
      const scale = 10n ** BigInt(MEAN_EXTRA_DECIMALS);
      values = sums.map((v) => formatDecimalTrimmed(divRound(v * scale, BigInt(job.parties)), job.decimals + MEAN_EXTRA_DECIMALS));
    }
    const stats = { sent: [...session.stats.sent], received: [...session.stats.received], millis: performance.now() - started };
    return { ok: true, values, stats };
  } catch (e) {
    const stats = session ? { sent: [...session.stats.sent], received: [...session.stats.received], millis: performance.now() - started } : undefined;
    return { ok: false, error: toErrorInfo(e), stats };
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
