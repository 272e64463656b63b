/**
 * N-party private set intersection by commutative Diffie–Hellman blinding over ristretto255
 * (the construction of [Mea86] and [HFH99], extended to N parties by passing every blinded
 * set once around the ring of parties, as in the multi-party DH-PSI variants surveyed in
 * [MPRST20 §2]). Group operations are in blinding.ts.
 *
 * Each party i holds a secret exponent k_i and its deduplicated items X_i in a private random
 * order π_i. With H the session-bound hash to the group and K = k_0·k_1·…·k_{N−1}:
 *   0. hello:  everyone broadcasts |X_i| and a 16-byte nonce; the session context is the
 *              hash of all of them (so blinded values of different sessions are unrelated).
 *   1..N−1.    hop h: party p sends the chain it holds to p+1 and blinds the chain it gets
 *              from p−1 with k_p. The chain of owner i starts as H(X_i)^{k_i} (hop 0) and
 *              after N−1 hops holds F_i = H(X_i)^K. In `psi-size` mode every hop also
 *              shuffles the chain (Fisher–Yates); in `psi` mode others keep the owner's
 *              order so that the owner can map F_i back to its items (π_i is random and
 *              private, so positions tell the others nothing).
 *   N.  return: each fully blinded chain goes back to its owner.
 *   N+1. collect: every party except the comparer (party 0) reshuffles its F_i and sends
 *              it to the comparer, which computes I = ∩_i F_i.
 *   N+2. result: the comparer broadcasts I (sorted) in `psi` mode, |I| in `psi-size` mode.
 *              Party i's output is { x ∈ X_i : F_i[x] ∈ I } (psi) or |I|.
 *
 * What each party learns (semi-honest, no collusion), beyond its own output:
 * - everyone: all set sizes |X_j| (public by design; after deduplication);
 * - `psi`: every party learns the intersection, as items of its own list; `psi-size`: |∩|;
 * - the comparer (party 0) additionally sees each F_j separately, so it learns the size of
 *   every partial intersection |∩_{j∈S} X_j| for every subset S of parties that contains
 *   at least two parties (for N = 2 this is just |∩|, so nothing extra). It does not learn
 *   which items those are. Plain DH-PSI cannot avoid this: whoever can compare fully
 *   blinded sets of known origin sees their overlaps; we confine it to one party.
 * - intermediate parties see only partially blinded values, pseudorandom under DDH.
 * Colluding parties learn more: e.g. the comparer together with party i learns which of
 * X_i's items lie in each partial intersection. Against a coalition that includes every
 * party but one, this is the inherent leakage of the size profile plus those items.
 *
 * Assumptions: semi-honest parties; DDH in ristretto255; hash-to-curve as a random oracle.
 * A malicious party could substitute any input set (as in every PSI) and, here, could also
 * misreport at the comparer; validation below only guarantees well-formed messages.
 *
 * [Mea86]  Meadows. A More Efficient Cryptographic Matchmaking Protocol for Use in the
 *          Absence of a Continuously Available Third Party. IEEE S&P 1986.
 * [HFH99]  Huberman, Franklin, Hogg. Enhancing Privacy and Trust in Electronic Communities.
 *          ACM EC 1999.
 * [MPRST20] Miao, Patel, Raykova, Seth, Yung. Two-Sided Malicious Security for Private
 *          Intersection-Sum with Cardinality. CRYPTO 2020 (DH-PSI and its variants, §2).
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

export type PsiMode = 'psi' | 'psi-size';

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
  mode: PsiMode;
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
export async function privateSetIntersection(s: Session, items: readonly string[], mode: PsiMode, opts: PsiOptions = {}): Promise<PsiResult> {
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

  // N: every fully blinded chain returns to its owner
  let mine = chain;
  if (n > 1) {
    s.send(next, round(n), chain);
    mine = await s.receive(prev, round(n), own.length * POINT_BYTES);
    validateBlocks(mine, 0, own.length, prev);
  }

  // N+1, N+2: the comparer intersects and announces
  let common: Set<string>;
  if (self === COMPARER) {
    common = keySet(mine, own.length, n > 1 ? prev : undefined);
    for (const p of s.others) {
      const f = await s.receive(p, round(n + 1), sizes[p] * POINT_BYTES);
      validateBlocks(f, 0, sizes[p], p);
      const theirs = keySet(f, sizes[p], p);
      for (const key of common) if (!theirs.has(key)) common.delete(key);
    }
    if (mode === 'psi') s.broadcast(round(n + 2), encodeKeys([...common].sort()));
    else s.broadcast(round(n + 2), u32(common.size));
  } else {
    const copy = mine.slice();
    shuffleBlocks(copy);
    s.send(COMPARER, round(n + 1), copy);
    const bound = Math.min(...sizes);
    const answer = await s.receive(COMPARER, round(n + 2));
    if (mode === 'psi-size') {
      if (answer.length !== 4) throw new MpcError('MALFORMED_MESSAGE', `PSI: expected a 4-byte size from the comparer, got ${answer.length} bytes`, COMPARER);
      const size = new DataView(answer.buffer, answer.byteOffset, 4).getUint32(0);
      if (size > bound) throw new MpcError('MALFORMED_MESSAGE', `PSI: intersection size ${size} exceeds the smallest set (${bound})`, COMPARER);
      return { mode, size };
    }
    if (answer.length % POINT_BYTES !== 0 || answer.length / POINT_BYTES > bound) {
      throw new MpcError('MALFORMED_MESSAGE', `PSI: intersection of ${answer.length} bytes is not at most ${bound} points`, COMPARER);
    }
    common = keySet(answer, answer.length / POINT_BYTES, COMPARER);
  }
  if (mode === 'psi-size') return { mode, size: common.size };
  const inCommon = new Set<string>();
  for (let i = 0; i < own.length; i++) if (common.has(blockKey(mine, i))) inCommon.add(own[i]);
  if (inCommon.size !== common.size && self !== COMPARER) {
    throw new MpcError('MALFORMED_MESSAGE', `PSI: the comparer announced ${common.size} common values, ${inCommon.size} of them are ours`, COMPARER);
  }
  // Report in the caller's order (first occurrence), not the private shuffle order.
  const result: string[] = [];
  for (const x of items) if (inCommon.delete(x)) result.push(x);
  return { mode, size: result.length, items: result };
}

/** Keys of `count` blocks; a repeated value means a malformed set from `party`. */
function keySet(buf: Uint8Array, count: number, party?: number): Set<string> {
  const keys = new Set<string>();
  for (let i = 0; i < count; i++) keys.add(blockKey(buf, i));
  if (keys.size !== count) throw new MpcError('MALFORMED_MESSAGE', `PSI: party ${party ?? 'self'} sent ${count - keys.size} repeated values`, party);
  return keys;
}

function encodeKeys(keys: readonly string[]): Uint8Array {
  const out = new Uint8Array(keys.length * POINT_BYTES);
  keys.forEach((key, i) => {
    for (let j = 0; j < POINT_BYTES; j++) out[i * POINT_BYTES + j] = parseInt(key.slice(2 * j, 2 * j + 2), 16);
  });
  return out;
}
