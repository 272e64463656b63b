/**
 * OT-based preprocessing for N parties (DESIGN §3): arithmetic Beaver triples over Z_2^64
 * by Gilboa products [Gil99] and bit-sliced AND triples by random OT [ALSZ13], both on OT
 * extension (SoftSpokenOT, or IKNP for k = 1; src/core/ot) between every ordered pair, as
 * in ABY [DSZ15] generalised to N parties. No dealer.
 *
 * Each party i picks random a_i, b_i. Then
 *   c_i = a_i·b_i + Σ_{j≠i} ( ⟨a_i·b_j⟩_i  +  ⟨a_j·b_i⟩_i )
 * where ⟨a_i·b_j⟩ are the two-party shares of the cross term computed by the pair (i as OT
 * sender with a_i, j as OT receiver choosing the bits of b_j). Summing over parties gives
 * Σc = (Σa)(Σb). Boolean: the same with XOR and AND.
 *
 * Rounds: OT setup once per session (3 rounds, on first use); then every batch of up to
 * `chunk` triples costs 2 rounds (extension columns, then the sender corrections), all
 * peers in parallel, and consecutive batches are pipelined (transfer overlaps compute). Traffic per party per triple, with SoftSpokenOT parameter k:
 * (N−1)·(64·128/k + 2080) bits arithmetic, (N−1)·(128/k + 1) bits boolean; k = 1 (IKNP)
 * is exactly the cost model of DESIGN §3, the default k = 2 halves its OT part (plus
 * 8-byte frame headers).
 *
 * Security: semi-honest against any coalition of up to N−1 parties, under the assumptions
 * of src/core/ot (base-ot.ts, iknp.ts / softspoken.ts, cr-hash.ts).
 *
 * [Gil99] Gilboa. Two Party RSA Key Generation. CRYPTO 1999.
 * [ALSZ13] Asharov, Lindell, Schneider, Zohner. More Efficient Oblivious Transfer and
 *          Extensions for Faster Secure Computation. CCS 2013.
 * [DSZ15] Demmler, Schneider, Zohner. ABY. NDSS 2015.
 */
import { MpcError } from '../errors.ts';
import { extendFinish, extendStart, hashToRandomOts, setupOt, type SessionOt, type SoftSpokenK } from '../ot/ot-setup.ts';
import { randomBytes, randomU64 } from '../random.ts';
import type { PartyId } from '../session/channel.ts';
import { Protocol } from '../session/round.ts';
import type { Session } from '../session/session.ts';
import { andReceive, andSend } from './and-ot.ts';
import { GILBOA_BYTES_PER_PRODUCT, gilboaReceive, gilboaSend } from './gilboa.ts';
import type { ArithTriples, BitTriples, TripleSource } from './types.ts';

export interface TripleSourceOptions {
  /** OT extension: SoftSpokenOT parameter k (1 = IKNP); default 2 (ot-setup.ts). */
  otK?: SoftSpokenK;
  /** Largest arithmetic batch per round pair (transient memory ≈ 6 KiB per triple per peer). */
  arithChunk?: number;
  /** Largest boolean batch per round pair, in 32-bit words (≈ 2.5 KiB per word per peer). */
  bitWordsChunk?: number;
  /** A semi-honest OT setup prepared before Start (ot/prepared-ot.ts), used instead of running setupOt. */
  ot?: SessionOt;
}

/**
 * Default batch sizes keep transient memory near 25 MiB per party whatever N (two batches
 * in flight; chunks shrink as peers grow), so a browser worker with 15 peers is comfortable.
 */
const defaultArithChunk = (n: number): number => Math.max(128, Math.floor(2048 / Math.max(1, n - 1)));
const defaultBitWordsChunk = (n: number): number => Math.max(256, Math.floor(4096 / Math.max(1, n - 1)));

function checkCount(what: string, n: number): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new MpcError('INVALID_ARGUMENT', `${what} must be a non-negative integer, got ${n}`);
}

const u64View = (w: Uint32Array): BigUint64Array => new BigUint64Array(w.buffer, w.byteOffset, w.length / 2);

/**
 * One batch in three phases, so that consecutive batches can overlap (see `pipeline`):
 * creating it computes and sends the extension columns (round 0); `correct` receives the
 * peers' columns and sends our corrections (round 1); `finish` receives theirs.
 */
interface Batch<T> {
  correct(): Promise<void>;
  finish(): Promise<T>;
}

function startArith(s: Session, ot: SessionOt, count: number): Batch<ArithTriples> {
  const instance = s.nextInstance(Protocol.ArithTriples);
  const round1 = s.round(Protocol.ArithTriples, instance, 1);
  const a = randomU64(count), b = randomU64(count);
  const c = new BigUint64Array(count);
  for (let t = 0; t < count; t++) c[t] = BigInt.asUintN(64, a[t] * b[t]);
  const m = 64 * count;
  // Our choice bits toward every peer are the bits of b (little endian = OT order 64t + k).
  const choices = new Uint32Array(b.buffer);
  const pending = extendStart(s, ot, m, () => choices, s.round(Protocol.ArithTriples, instance, 0));
  const received = new Map<PartyId, BigUint64Array>();
  return {
    async correct() {
      for (const [p, r] of await extendFinish(s, ot, pending)) {
        const h = hashToRandomOts(s.self, ot.get(p)!, r, m, Protocol.ArithTriples);
        const sent = gilboaSend(a, u64View(h.m0), u64View(h.m1)); // a·b_p, we send
        for (let t = 0; t < count; t++) c[t] += sent.share[t];
        s.send(p, round1, sent.message);
        received.set(p, u64View(h.mr));
      }
    },
    async finish() {
      const got = await s.receiveAll(round1, count * GILBOA_BYTES_PER_PRODUCT);
      for (const p of s.others) {
        const share = gilboaReceive(b, received.get(p)!, got.get(p)!, p); // a_p·b, we receive
        for (let t = 0; t < count; t++) c[t] += share[t];
      }
      return { a, b, c };
    },
  };
}

function startBits(s: Session, ot: SessionOt, words: number): Batch<BitTriples> {
  const instance = s.nextInstance(Protocol.BoolTriples);
  const round1 = s.round(Protocol.BoolTriples, instance, 1);
  const a = new Uint32Array(randomBytes(4 * words).buffer), b = new Uint32Array(randomBytes(4 * words).buffer);
  const c = new Uint32Array(words);
  for (let w = 0; w < words; w++) c[w] = a[w] & b[w];
  const m = 32 * words;
  const pending = extendStart(s, ot, m, () => b, s.round(Protocol.BoolTriples, instance, 0));
  const received = new Map<PartyId, Uint32Array>();
  return {
    async correct() {
      for (const [p, r] of await extendFinish(s, ot, pending)) {
        const h = hashToRandomOts(s.self, ot.get(p)!, r, m, Protocol.BoolTriples);
        const sent = andSend(a, h.m0, h.m1);
        for (let w = 0; w < words; w++) c[w] ^= sent.share[w];
        s.send(p, round1, new Uint8Array(sent.message.buffer));
        received.set(p, h.mr);
      }
    },
    async finish() {
      const got = await s.receiveAll(round1, 4 * words);
      for (const p of s.others) {
        const msg = new Uint32Array(words);
        new Uint8Array(msg.buffer).set(got.get(p)!);
        const share = andReceive(b, received.get(p)!, msg, p);
        for (let w = 0; w < words; w++) c[w] ^= share[w];
      }
      return { a, b, c };
    },
  };
}

/**
 * Runs batches of the given sizes with depth-2 pipelining: batch i+1's columns are sent
 * before batch i is corrected, so in a real network the transfer of one batch overlaps the
 * computation of the previous. Every party sends — and therefore receives — in the same
 * order: s0(0), then per i: s0(i+1), s1(i); the session's per-peer FIFO check holds.
 */
async function pipeline<T>(sizes: readonly number[], start: (size: number) => Batch<T>, emit: (out: T, index: number) => void): Promise<void> {
  let prev: Batch<T> | undefined;
  let cur: Batch<T> | undefined = start(sizes[0]);
  for (let i = 0; cur; i++) {
    const next = i + 1 < sizes.length ? start(sizes[i + 1]) : undefined;
    await cur.correct();
    if (prev) emit(await prev.finish(), i - 1);
    prev = cur;
    cur = next;
  }
  if (prev) emit(await prev.finish(), sizes.length - 1);
}

function chunkSizes(total: number, chunk: number): number[] {
  const out: number[] = [];
  for (let off = 0; off < total; off += chunk) out.push(Math.min(chunk, total - off));
  return out;
}

/**
 * The session's triple source. Base OTs run on first use; calls are queued, so callers
 * may issue several without awaiting, but every party must issue the same calls in the
 * same order. A batch larger than the chunk size runs as several 2-round batches.
 */
export interface OtTripleSource extends TripleSource {
  /** Run the once-per-session OT setup now (e.g. while people type their inputs). */
  setup(): Promise<void>;
  /** The session's OT setup (run on first use), for protocols that extend OTs themselves (PSI's OPRF, psi/kkrt.ts). */
  sessionOt(): Promise<SessionOt>;
}

export function createTripleSource(s: Session, opts: TripleSourceOptions = {}): OtTripleSource {
  const arithChunk = opts.arithChunk ?? defaultArithChunk(s.n);
  const bitChunk = opts.bitWordsChunk ?? defaultBitWordsChunk(s.n);
  checkCount('arithChunk', arithChunk - 1);
  checkCount('bitWordsChunk', bitChunk - 1);
  let ot: Promise<SessionOt> | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  const getOt = (): Promise<SessionOt> => (ot ??= opts.ot ? Promise.resolve(opts.ot) : setupOt(s, { k: opts.otK }));
  const enqueue = <T>(job: () => Promise<T>): Promise<T> => {
    const run = queue.then(job);
    queue = run.catch(() => undefined);
    return run;
  };

  return {
    setup: () => enqueue(async () => void (await getOt())),
    sessionOt: () => enqueue(getOt),

    arith(count: number): Promise<ArithTriples> {
      checkCount('triple count', count);
      return enqueue(async () => {
        if (s.n === 1 || count === 0) return localArith(count);
        const o = await getOt();
        const out: ArithTriples = { a: new BigUint64Array(count), b: new BigUint64Array(count), c: new BigUint64Array(count) };
        await pipeline(chunkSizes(count, arithChunk), (n) => startArith(s, o, n), (t, i) => {
          out.a.set(t.a, i * arithChunk);
          out.b.set(t.b, i * arithChunk);
          out.c.set(t.c, i * arithChunk);
        });
        return out;
      });
    },

    bits(words: number): Promise<BitTriples> {
      checkCount('word count', words);
      return enqueue(async () => {
        if (s.n === 1 || words === 0) return localBits(words);
        const o = await getOt();
        const out: BitTriples = { a: new Uint32Array(words), b: new Uint32Array(words), c: new Uint32Array(words) };
        await pipeline(chunkSizes(words, bitChunk), (n) => startBits(s, o, n), (t, i) => {
          out.a.set(t.a, i * bitChunk);
          out.b.set(t.b, i * bitChunk);
          out.c.set(t.c, i * bitChunk);
        });
        return out;
      });
    },
  };
}

/** A single party (or an empty batch) needs no communication. */
function localArith(count: number): ArithTriples {
  const a = randomU64(count), b = randomU64(count), c = new BigUint64Array(count);
  for (let t = 0; t < count; t++) c[t] = BigInt.asUintN(64, a[t] * b[t]);
  return { a, b, c };
}

function localBits(words: number): BitTriples {
  const a = new Uint32Array(randomBytes(4 * words).buffer), b = new Uint32Array(randomBytes(4 * words).buffer);
  return { a, b, c: a.map((x, i) => x & b[i]) };
}
