/**
 * N-party simulation: run one async protocol function per party over an in-memory network
 * in this process (round-based style: the same function runs here and for real). Every
 * party's session is closed when its function returns and aborted when it throws, so a
 * failure on one party reaches the others as a typed error instead of a hang.
 */
import { MpcError } from '../errors.ts';
import { type PartyId, partyId } from './channel.ts';
import { type MemoryNetwork, type MemoryNetworkOptions, createMemoryNetwork } from './memory-network.ts';
import { Session, type SessionOptions } from './session.ts';

export interface SimulationOptions extends SessionOptions {
  network?: MemoryNetworkOptions;
  /** Called once with the network before any party starts (fault injection, counters). */
  onNetwork?: (net: MemoryNetwork) => void;
  /** Called with every party's session before it starts (stats after the run). */
  onSessions?: (sessions: readonly Session[]) => void;
}

export type PartyFn<T> = (session: Session, index: PartyId) => Promise<T>;

function asMpcError(e: unknown): MpcError {
  if (e instanceof MpcError) return e;
  return new MpcError('ABORTED', e instanceof Error ? e.message : String(e));
}

/** Runs all parties to completion; one settled result per party. Never rejects. */
export async function runPartiesSettled<T>(n: number, fn: PartyFn<T>, opts: SimulationOptions = {}): Promise<PromiseSettledResult<T>[]> {
  const net = createMemoryNetwork(n, opts.network);
  opts.onNetwork?.(net);
  const sessions = net.channels.map((ch) => new Session(ch, opts));
  opts.onSessions?.(sessions);
  return Promise.allSettled(
    sessions.map(async (s, i) => {
      try {
        const out = await fn(s, partyId(i));
        s.close();
        return out;
      } catch (e) {
        s.abort(asMpcError(e));
        throw e;
      }
    }),
  );
}

/** Runs all parties; resolves with their outputs, or rejects with the first error raised (in time). */
export async function runParties<T>(n: number, fn: PartyFn<T>, opts: SimulationOptions = {}): Promise<T[]> {
  let first: { error: unknown } | undefined;
  const results = await runPartiesSettled(
    n,
    async (s, i) => {
      try {
        return await fn(s, i);
      } catch (e) {
        first ??= { error: e };
        throw e;
      }
    },
    opts,
  );
  if (first) throw first.error;
  return results.map((r) => (r as PromiseFulfilledResult<T>).value);
}
