/**
 * TEST ONLY — the previous PSI protocol (on main until the collusion fix), kept as the
 * negative control of mp-psi-coalition.test.ts: two colluders who are not the comparer learn
 * pairwise intersections from it (issue 10, part 3). Never imported by product code.
 *
 * N-party private set intersection by commutative Diffie–Hellman blinding over ristretto255:
 * the construction of [Mea86] and [HFH99] (two parties, as also used in [AES03]), extended
 * to N parties by passing every blinded set once around the ring of parties, as in the
 * commutative-encryption protocol of [VC05]. Group operations are in blinding.ts.
 *
 * Each party i holds a secret exponent k_i and its deduplicated items X_i in a private random
 * order π_i. With H the session-bound hash to the group and K = k_0·k_1·…·k_{N−1}:
 *   0. hello:  everyone broadcasts |X_i| and a 16-byte nonce; the session context is the
 *              hash of all of them (so blinded values of different sessions are unrelated).
 *   1..N−1.    hop h: party p sends the chain it holds to p+1 and blinds the chain it gets
 *              from p−1 with k_p. The chain of owner i starts as H(X_i)^{k_i} (hop 0); after
 *              hop h it carries the h+1 ring-consecutive exponents k_i … k_{i+h}, and after
 *              hop N−1 it is fully blinded, G_i = H(X_i)^K, at party i−1. In `psi-size`
 *              mode every hop also shuffles the chain (Fisher–Yates); in `psi` mode the
 *              chain keeps the owner's order π_i so that the result can name positions
 *              (π_i is uniformly random and private, so positions tell the others nothing).
 *   N.  collect: every party sends the fully blinded chain it holds to the comparer
 *              (party 0), which computes I = ∩_i G_i. Nobody else ever holds two fully
 *              blinded sets, or two chains under the same exponents, so nobody else can
 *              compare anything.
 *   N+1. result: `psi`: the comparer tells each party i the positions (in π_i) of its
 *              items whose G_i value is in I; `psi-size`: it broadcasts |I|.
 *
 * What each party learns (semi-honest, no collusion), beyond its own output:
 * - everyone: all set sizes |X_j| (public by design; after deduplication);
 * - `psi`: each party learns which of its own items are in the intersection; `psi-size`:
 *   only |∩|;
 * - the comparer (party 0) additionally sees each G_j separately, so it learns the size of
 *   every partial intersection |∩_{j∈S} X_j| for every set S of two or more parties (for
 *   N = 2 that is only |∩|: nothing extra). It does not learn which items those are. Plain
 *   DH-PSI cannot avoid this: whoever compares fully blinded sets of known origin sees their
 *   overlaps; we confine it to one party. The UI should say so when N ≥ 3.
 * - everyone else sees only values whose exponent sets differ pairwise, pseudorandom under
 *   DDH, and its own output.
 * Colluding parties learn more, e.g. the comparer with party i learns which of X_i's items
 * lie in each partial intersection.
 *
 * Assumptions: semi-honest parties; DDH in ristretto255; hash-to-curve as a random oracle.
 * A malicious party can substitute any input set (as in every PSI) and a malicious
 * comparer can misreport; validation below only guarantees well-formed messages.
 *
 * [Mea86] Meadows. A More Efficient Cryptographic Matchmaking Protocol for Use in the
 *         Absence of a Continuously Available Third Party. IEEE S&P 1986.
 * [HFH99] Huberman, Franklin, Hogg. Enhancing Privacy and Trust in Electronic Communities.
 *         ACM EC 1999.
 * [AES03] Agrawal, Evfimievski, Srikant. Information Sharing Across Private Databases.
 *         SIGMOD 2003.
 * [VC05]  Vaidya, Clifton. Secure Set Intersection Cardinality with Application to
 *         Association Rule Mining. Journal of Computer Security 13(4), 2005.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { MpcError } from '../errors.ts';
import { concatBytes, utf8Encode } from '../codec.ts';
import { randomBytes } from '../random.ts';
import { type PartyId, partyId } from '../session/channel.ts';
import { Protocol } from '../session/round.ts';
import type { Session } from '../session/session.ts';
import {
  POINT_BYTES,
  blindReceived,
  blockKey,
  hashAndBlind,
  psiDst,
  randomExponent,
  shuffleBlocks,
  shuffleInPlace,
  validateBlocks,
} from './blinding.ts';

export type RingPsiMode = 'psi' | 'psi-size';

export interface PsiProgress {
  /** Items this party has blinded so far, over all chains (its own included). */
  blinded: number;
  /** Items this party blinds in total: the sum of all set sizes. */
  total: number;
  /** Hops finished by this party (hop 0 = its own set). */
  hops: number;
  hopsTotal: number;
}

export interface PsiOptions {
  onProgress?(p: PsiProgress): void;
  /** Extra context bound into the hash (e.g. the room id and agreed spec hash). */
  context?: Uint8Array;
}

export interface PsiResult {
  mode: RingPsiMode;
  /** |X_0 ∩ … ∩ X_{N−1}| after deduplication. */
  size: number;
  /** `psi` only: this party's items in the intersection, in the order of its input. */
  items?: string[];
}

/** Largest set: one hop must fit in a 128 MiB frame. */
export const MAX_PSI_ITEMS = 4_000_000;
/** Items blinded between two progress reports (and event-loop yields). */
const BATCH = 1024;
const NONCE_BYTES = 16;
const HELLO_BYTES = 4 + NONCE_BYTES;
const COMPARER = partyId(0);
const CONTEXT_DOMAIN = utf8Encode('parley/psi/context/v1');

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

function u32(x: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, x);
  return b;
}

/** The session context: every party's nonce and size, the party count and the caller's context. */
function sessionContext(n: number, hellos: readonly Uint8Array[], extra: Uint8Array): Uint8Array {
  return sha256(concatBytes(CONTEXT_DOMAIN, u32(n), u32(extra.length), extra, ...hellos));
}

/**
 * Private set intersection of the parties' `items` (strings, compared exactly: normalise
 * them first, see normalise.ts). Duplicates are removed. All parties must call it with the
 * same `mode` and `context`. See the module header for what each party learns.
 */
export async function ringSetIntersection(s: Session, items: readonly string[], mode: RingPsiMode, opts: PsiOptions = {}): Promise<PsiResult> {
  if (mode !== 'psi' && mode !== 'psi-size') throw new MpcError('INVALID_ARGUMENT', `PSI mode must be 'psi' or 'psi-size', got ${String(mode)}`);
  for (const x of items) if (typeof x !== 'string') throw new MpcError('INVALID_ARGUMENT', 'PSI items must be strings');
  // The private order π_self: chains travel in this order, so positions reveal nothing.
  const own = [...new Set(items)];
  if (own.length > MAX_PSI_ITEMS) throw new MpcError('INVALID_ARGUMENT', `PSI supports at most ${MAX_PSI_ITEMS} items per party, got ${own.length}`);
  shuffleInPlace(own);

  const n = s.n;
  const self = s.self;
  const instance = s.nextInstance(Protocol.Psi);
  const round = (step: number) => s.round(Protocol.Psi, instance, step);
  const next = partyId((self + 1) % n);
  const prev = partyId((self - 1 + n) % n);

  // 0. hello: sizes (public) and nonces for the session context
  const hello = concatBytes(u32(own.length), randomBytes(NONCE_BYTES));
  const got = n > 1 ? await s.exchange(round(0), () => hello, HELLO_BYTES) : new Map<PartyId, Uint8Array>();
  const hellos = Array.from({ length: n }, (_, p) => (p === self ? hello : (got.get(partyId(p)) as Uint8Array)));
  const sizes = hellos.map((h, p) => {
    const m = new DataView(h.buffer, h.byteOffset, 4).getUint32(0);
    if (m > MAX_PSI_ITEMS) throw new MpcError('MALFORMED_MESSAGE', `PSI: party ${p} announced ${m} items, limit ${MAX_PSI_ITEMS}`, p);
    return m;
  });
  const dst = psiDst(sessionContext(n, hellos, opts.context ?? new Uint8Array(0)));
  const k = randomExponent();

  const progress: PsiProgress = { blinded: 0, total: sizes.reduce((a, b) => a + b, 0), hops: 0, hopsTotal: n };
  const report = (): void => opts.onProgress?.({ ...progress });
  /** Runs blind(from, to) over [0, count) in batches, reporting and yielding between them. */
  const inBatches = async (count: number, blind: (from: number, to: number) => void): Promise<void> => {
    for (let from = 0; from < count; from += BATCH) {
      const to = Math.min(count, from + BATCH);
      blind(from, to);
      progress.blinded += to - from;
      report();
      if (to < count) await yieldToEventLoop();
    }
    progress.hops++;
    report();
  };

  // hop 0: own chain H(X_self)^{k_self}, in the private order
  let chain: Uint8Array = new Uint8Array(own.length * POINT_BYTES);
  await inBatches(own.length, (from, to) => hashAndBlind(own, k, dst, chain, from, to));

  // hops 1..N−1: pass on the chain we hold, blind the one from prev (owner self − h)
  for (let h = 1; h < n; h++) {
    s.send(next, round(h), chain);
    const owner = (self - h + n) % n;
    const input = await s.receive(prev, round(h), sizes[owner] * POINT_BYTES);
    const out = new Uint8Array(input.length);
    await inBatches(sizes[owner], (from, to) => blindReceived(input, k, out, from, to, prev));
    if (mode === 'psi-size') shuffleBlocks(out);
    chain = out;
  }

  // N: the fully blinded chain G_{self+1} goes to the comparer
  if (self !== COMPARER) {
    s.send(COMPARER, round(n), chain);
    const answer = await s.receive(COMPARER, round(n + 1));
    if (mode === 'psi-size') return { mode, size: readSize(answer, Math.min(...sizes)) };
    return ownItems(items, own, readPositions(answer, own.length, Math.min(...sizes)));
  }

  // N+1: the comparer intersects G_0 … G_{N−1} and announces
  const full: Uint8Array[] = new Array<Uint8Array>(n);
  full[(self + 1) % n] = chain;
  for (const p of s.others) {
    const owner = (p + 1) % n;
    const g = await s.receive(p, round(n), sizes[owner] * POINT_BYTES);
    validateBlocks(g, 0, sizes[owner], p);
    full[owner] = g;
  }
  // One key set alive at a time besides `common` (sets of 100k keys are tens of MB).
  let common = new Set<string>();
  for (let owner = 0; owner < n; owner++) {
    const keys = keySet(full[owner], sizes[owner], (owner - 1 + n) % n);
    if (owner === 0) common = keys;
    else for (const key of common) if (!keys.has(key)) common.delete(key);
  }
  if (mode === 'psi-size') {
    s.broadcast(round(n + 1), u32(common.size));
    return { mode, size: common.size };
  }
  const positionsOf = (owner: number): number[] => {
    const out: number[] = [];
    for (let i = 0; i < sizes[owner]; i++) if (common.has(blockKey(full[owner], i))) out.push(i);
    return out;
  };
  for (const p of s.others) s.send(p, round(n + 1), encodePositions(positionsOf(p)));
  return ownItems(items, own, positionsOf(self));
}

function encodePositions(positions: readonly number[]): Uint8Array {
  const out = new Uint8Array(positions.length * 4);
  const v = new DataView(out.buffer);
  positions.forEach((i, j) => v.setUint32(4 * j, i));
  return out;
}

function readSize(answer: Uint8Array, bound: number): number {
  if (answer.length !== 4) throw new MpcError('MALFORMED_MESSAGE', `PSI: expected a 4-byte size from the comparer, got ${answer.length} bytes`, COMPARER);
  const size = new DataView(answer.buffer, answer.byteOffset, 4).getUint32(0);
  if (size > bound) throw new MpcError('MALFORMED_MESSAGE', `PSI: intersection size ${size} exceeds the smallest set (${bound})`, COMPARER);
  return size;
}

/** Strictly increasing u32 positions below `count`, at most `bound` of them. */
function readPositions(answer: Uint8Array, count: number, bound: number): number[] {
  if (answer.length % 4 !== 0 || answer.length / 4 > bound) {
    throw new MpcError('MALFORMED_MESSAGE', `PSI: ${answer.length} bytes of positions from the comparer, expected at most ${bound} u32s`, COMPARER);
  }
  const v = new DataView(answer.buffer, answer.byteOffset, answer.length);
  const out: number[] = [];
  for (let off = 0; off < answer.length; off += 4) {
    const i = v.getUint32(off);
    if (i >= count || (out.length > 0 && i <= out[out.length - 1])) {
      throw new MpcError('MALFORMED_MESSAGE', `PSI: position ${i} from the comparer is out of range or out of order`, COMPARER);
    }
    out.push(i);
  }
  return out;
}

/** The items at `positions` of the private order, reported in the caller's input order. */
function ownItems(items: readonly string[], own: readonly string[], positions: readonly number[]): PsiResult {
  const inCommon = new Set(positions.map((i) => own[i]));
  const result: string[] = [];
  for (const x of items) if (inCommon.delete(x)) result.push(x);
  return { mode: 'psi', size: result.length, items: result };
}

/** Keys of `count` blocks; a repeated value means a malformed set from `party`. */
function keySet(buf: Uint8Array, count: number, party?: number): Set<string> {
  const keys = new Set<string>();
  for (let i = 0; i < count; i++) keys.add(blockKey(buf, i));
  if (keys.size !== count) throw new MpcError('MALFORMED_MESSAGE', `PSI: party ${party ?? 'self'} sent ${count - keys.size} repeated values`, party);
  return keys;
}
