/**
 * N-party private set intersection, its size, or the sum of values attached to it, secure
 * against any coalition of up to N−1 semi-honest parties. The structure is the OPPRF-based
 * circuit PSI of [CGS+21] (itself built on [KMPRT17]): an oblivious programmable PRF
 * (OPPRF) between one "leader" and each other party turns "is the leader's item in bin b
 * also in X_j" into XOR shares that are equal exactly when it is, and the test of all
 * those equalities runs inside the MPC engine, which opens only the declared output.
 *
 * Setup. Public: the set sizes (after deduplication) and a context hashed from everyone's
 * nonce, so values of different runs are unrelated. The leader L is the party with the
 * smallest set (ties: a coin from the context). Being leader gives no extra view (see the
 * proof sketch), so it does not matter that the server orders the roster.
 *
 *   1. Bins (cuckoo.ts). B = ⌈1.27·n_L⌉ + 32. L places each item y in one of its three
 *      candidate bins (cuckoo hashing, ≤ 1 item per bin); every P_j (j ≠ L) considers each
 *      of its items x in all three candidate bins.
 *   2. OPRF (oprf.ts). P_j has a key k_j. L sends H(y‖b)^r for every occupied bin b and its
 *      item y; P_j answers with the k_j power; L learns F_j(y‖b) for those pairs only.
 *   3. OPPRF hint (okvs.ts). P_j draws, per bin, r_{j,b} and w_{j,b} (uniform 64-bit words)
 *      and encodes the key-value store  (x‖b) ↦ (r_{j,b}, v_j(x) + w_{j,b}) ⊕ pad(F_j(x‖b))
 *      for each of its items x and candidate bins b (3·n_j keys; a repeated candidate bin is
 *      replaced by a random key, so the count is public). L decodes at its (y_b‖b) and strips
 *      the pad: it gets (a_{j,b}, c_{j,b}) = (r_{j,b}, v_j(y_b) + w_{j,b}) if y_b ∈ X_j, and a
 *      pseudorandom pair otherwise.
 *   4. Shares. For each bin: d_b = (⊕_j a_{j,b}) held by L, ⊕ r_{j,b} held by each P_j (XOR
 *      shares; L uses a random word for an empty bin). d_b = 0 iff y_b is in every set
 *      (false positive 2^-64 per bin and party). V_b = v_L(y_b) + Σ_j c_{j,b} at L and −w_{j,b}
 *      at P_j are additive shares of Σ_p v_p(y_b) when y_b is common.
 *   5. MPC (src/core/protocols, triples by OT, no dealer). ind_b = [d_b = 0] by a 63-AND
 *      tree (6 rounds). Then:  psi — ind is opened to L only; L announces the common items
 *      (that is the output: every party learns ∩, which is its own common items);  psi-size —
 *      Σ_b ind_b is computed on shares (popcount circuit + B2A) and only it is opened;
 *      psi-sum — ind is converted to additive shares, multiplied with V (Beaver), and only
 *      (Σ ind_b, Σ ind_b·V_b) are opened.
 *
 * Proof sketch (semi-honest, static coalition C of at most N−1 parties; h ∉ C honest).
 * The simulator gets C's inputs and outputs and runs C's code; it replaces h's messages:
 *   - h = L: h's messages are blinded queries H(y‖b)^r — uniform group elements under DDH
 *     (one r per run, distinct inputs) — and MPC messages. Simulate with random points.
 *   - h = P_j: h sends OPRF answers and one OKVS table. The simulator picks its own k_j and
 *     answers honestly (k_j is independent of X_j). The table encodes values of the form
 *     r_{j,b} ⊕ pad; each bin's r_{j,b} is uniform and appears in C's view only through this
 *     table and the later MPC, and L can unmask at most one key per bin (its own (y_b‖b): the
 *     OPRF input carries the bin, and L obtains F_j only for the pairs it queried), so the
 *     values are uniform to C and the RB-OKVS table is then uniform and independent of the
 *     keys [BPSY23, obliviousness]. Simulate with a uniform table. L's decoded a_{j,b} and
 *     c_{j,b} are then uniform too, whether or not y_b ∈ X_j (r_{j,b}, w_{j,b} are secret).
 *   - Step 4 gives C only its own shares. In step 5 every message is a Beaver opening masked
 *     by a fresh triple share of a party outside C, so it is uniform [Bea91]; the only values
 *     ever opened are the declared output (ind_b to L in psi mode — L's own common items,
 *     which follow from ∩; or the count; or the count and the sum).
 * Hence C's joint view is simulatable from C's inputs and outputs: nothing about any
 * partial intersection, which of h's items are common (in psi-size / psi-sum), or any
 * value of h leaks. Note what the simple alternatives get wrong: opening d_b (or any value
 * from which C can subtract its own contributions) to L would tell a coalition of L and all
 * but P_j whether P_j holds y_b; letting L evaluate F_j on an item in a bin other than the
 * one it queried would let it compare r_{j,b} across two of its items. The tests in
 * mp-psi.test.ts run the old ring protocol's pairwise-intersection attack against this one.
 *
 * Also public, by design: every set size; the leader's identity. Not covered: malicious
 * parties (anyone may substitute its input set; a deviating leader can announce a wrong
 * intersection in psi mode, and a deviating party can make any output wrong).
 *
 * [KMPRT17] Kolesnikov, Matania, Pinkas, Rosulek, Trieu. Practical Multi-party Private Set
 *           Intersection from Symmetric-Key Techniques. CCS 2017.
 * [CGS+21]  Chandran, Gupta, Sastry, Singh et al. Efficient Linear Multiparty PSI and
 *           Extensions to Circuit/Quorum PSI. CCS 2021.
 * [BPSY23]  Bienstock, Patel, Seo, Yeo. Near-Optimal Oblivious Key-Value Stores. USENIX Sec. 2023.
 * [Bea91]   Beaver. Efficient Multiparty Protocols Using Circuit Randomization. CRYPTO 1991.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { MpcError } from '../errors.ts';
import { concatBytes, utf8Decode, utf8Encode } from '../codec.ts';
import { randomBytes, randomU64 } from '../random.ts';
import { type PartyId, partyId } from '../session/channel.ts';
import { Protocol } from '../session/round.ts';
import type { Session } from '../session/session.ts';
import { createTripleSource } from '../triples/triple-source.ts';
import type { TripleSource } from '../triples/types.ts';
import { POINT_BYTES, psiDst, randomExponent } from './blinding.ts';
import { HASHES, binCount, candidateBins, cuckooPlace } from './cuckoo.ts';
import { OKVS_KEY_BYTES, okvsColumns, okvsDecode, okvsEncode } from './okvs.ts';
import { OPRF_OUT_BYTES, blindInputs, evaluateBlinded, evaluateDirect, invertExponent, oprfInput, unblindOutputs } from './oprf.ts';
import { countCommon, openCommonToLeader, sumCommon, zeroTest } from './zero-test.ts';

export type PsiMode = 'psi' | 'psi-size' | 'psi-sum';

export interface PsiProgress {
  /** Group operations (hash, exponentiation) this party has done, and will do in total. */
  done: number;
  total: number;
  /** 'oprf' while exponentiating, 'mpc' for the final test and opening. */
  stage: 'oprf' | 'mpc';
}

export interface PsiOptions {
  /** psi-sum: one signed integer per item (already scaled), aligned with `items`. */
  values?: readonly bigint[];
  /** Triples for the final test; created over OT on this session when absent. */
  triples?: TripleSource;
  onProgress?(p: PsiProgress): void;
  /** Extra context bound into every hash (e.g. the run id). */
  context?: Uint8Array;
  /**
   * Tests: called with this party's own intermediate values (part of its view), so that a
   * test can play a coalition that pools its members' views (mp-psi-coalition.test.ts).
   */
  inspect?(view: PsiLocalView): void;
}

export interface PsiLocalView {
  leader: number;
  bins: number;
  /** This party's XOR share of d_b and additive share of V_b (psi-sum), per bin. */
  shareD: BigUint64Array;
  shareV?: BigUint64Array;
  /** Leader only: per other party, the (a, c) words decoded at each occupied bin. */
  decoded?: Map<number, BigUint64Array>;
}

export interface PsiResult {
  mode: PsiMode;
  /** |X_0 ∩ … ∩ X_{N−1}| after deduplication. */
  size: number;
  /** `psi` only: this party's items in the intersection, in the order of its input. */
  items?: string[];
  /** `psi-sum` only: Σ over common items of Σ over parties of the attached value. */
  sum?: bigint;
}

/** Largest set: one OKVS table must fit in a 128 MiB frame. */
export const MAX_PSI_ITEMS = 2_000_000;
const BATCH = 512;
const NONCE_BYTES = 16;
const HELLO_BYTES = 4 + NONCE_BYTES;
const MAX_ATTEMPTS = 4;
const CONTEXT_DOMAIN = utf8Encode('parley/mp-psi/context/v1');
const TWO63 = 1n << 63n;

// Steps of the Psi instance.
const HELLO = 0;
const QUERY = 1;
const ANSWER = 2;
const ANNOUNCE = 3;

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

function u32(x: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, x);
  return b;
}

/** Deduplicate; psi-sum sums the values of a repeated item (several rows of one customer). */
function ownSet(items: readonly string[], values: readonly bigint[] | undefined, n: number): { list: string[]; value: Map<string, bigint> } {
  const value = new Map<string, bigint>();
  let abs = 0n;
  items.forEach((x, i) => {
    if (typeof x !== 'string') throw new MpcError('INVALID_ARGUMENT', 'PSI items must be strings');
    const v = values ? values[i] : 0n;
    if (typeof v !== 'bigint') throw new MpcError('INVALID_ARGUMENT', `PSI value ${i + 1} must be an integer`);
    abs += v < 0n ? -v : v;
    value.set(x, (value.get(x) ?? 0n) + v);
  });
  // |Σ over parties| < 2^63 whatever the others hold: every party keeps its own total below 2^63/N
  if (abs >= TWO63 / BigInt(n)) throw new MpcError('INVALID_ARGUMENT', `PSI: the values' absolute total must stay below 2^63/${n} so the sum cannot overflow`);
  return { list: [...value.keys()], value };
}

/** Leader: smallest set; ties broken by a coin from the context nobody controls alone. */
function chooseLeader(sizes: readonly number[], context: Uint8Array): PartyId {
  const min = Math.min(...sizes);
  const tied = sizes.flatMap((m, p) => (m === min ? [p] : []));
  const coin = new DataView(sha256(concatBytes(utf8Encode('leader'), context)).buffer).getUint32(0);
  return partyId(tied[coin % tied.length]);
}

/**
 * PSI of the parties' `items` (compared exactly: normalise first, see normalise.ts), with
 * duplicates removed. All parties call it with the same `mode` and `context`. See the
 * module header for what is revealed (the declared output and the set sizes, nothing else).
 */
export async function privateSetIntersection(s: Session, items: readonly string[], mode: PsiMode, opts: PsiOptions = {}): Promise<PsiResult> {
  if (mode !== 'psi' && mode !== 'psi-size' && mode !== 'psi-sum') throw new MpcError('INVALID_ARGUMENT', `PSI mode must be 'psi', 'psi-size' or 'psi-sum', got ${String(mode)}`);
  if (s.n < 2) throw new MpcError('INVALID_ARGUMENT', 'PSI needs at least 2 parties');
  if (mode === 'psi-sum' && opts.values?.length !== items.length) throw new MpcError('INVALID_ARGUMENT', `psi-sum needs one value per item: ${items.length} items, ${opts.values?.length ?? 0} values`);
  const own = ownSet(items, mode === 'psi-sum' ? opts.values : undefined, s.n);
  if (own.list.length > MAX_PSI_ITEMS) throw new MpcError('INVALID_ARGUMENT', `PSI supports at most ${MAX_PSI_ITEMS} items per party, got ${own.list.length}`);

  const n = s.n;
  const instance = s.nextInstance(Protocol.Psi);
  const round = (step: number) => s.round(Protocol.Psi, instance, step);

  // 0. hello: sizes (public) and nonces for the context
  const hello = concatBytes(u32(own.list.length), randomBytes(NONCE_BYTES));
  const got = await s.exchange(round(HELLO), () => hello, HELLO_BYTES);
  const hellos = Array.from({ length: n }, (_, p) => (p === s.self ? hello : (got.get(partyId(p)) as Uint8Array)));
  const sizes = hellos.map((h, p) => {
    const m = new DataView(h.buffer, h.byteOffset, 4).getUint32(0);
    if (m > MAX_PSI_ITEMS) throw new MpcError('MALFORMED_MESSAGE', `PSI: party ${p} announced ${m} items, limit ${MAX_PSI_ITEMS}`, p);
    return m;
  });
  const extra = opts.context ?? new Uint8Array(0);
  const context = sha256(concatBytes(CONTEXT_DOMAIN, u32(n), utf8Encode(mode), u32(extra.length), extra, ...hellos));
  const dst = psiDst(context);
  const leader = chooseLeader(sizes, context);
  const bins = binCount(sizes[leader]);
  const vw = mode === 'psi-sum' ? 4 : 2;
  const triples = opts.triples ?? createTripleSource(s);

  const total = s.self === leader ? 2 * sizes[leader] + (n - 1) * sizes[leader] : 2 * HASHES * own.list.length + sizes[leader];
  const progress: PsiProgress = { done: 0, total, stage: 'oprf' };
  const inBatches = async (count: number, work: (from: number, to: number) => void, weight = 1): Promise<void> => {
    for (let from = 0; from < count; from += BATCH) {
      const to = Math.min(count, from + BATCH);
      work(from, to);
      progress.done += weight * (to - from);
      opts.onProgress?.({ ...progress });
      await yieldToEventLoop();
    }
  };

  let shareD: BigUint64Array;
  let shareV: BigUint64Array | undefined;
  let leaderBins: Int32Array | undefined;
  if (s.self === leader) {
    // 1. cuckoo placement and blinded queries for the occupied bins, in bin order
    leaderBins = cuckooPlace(candidateBins(own.list, context, bins), own.list.length, bins);
    const occupied: number[] = [];
    for (let b = 0; b < bins; b++) if (leaderBins[b] >= 0) occupied.push(b);
    const inputs = occupied.map((b) => oprfInput(own.list[(leaderBins as Int32Array)[b]], b));
    const r = randomExponent();
    const queries = new Uint8Array(inputs.length * POINT_BYTES);
    await inBatches(inputs.length, (from, to) => blindInputs(inputs, r, dst, queries, from, to), 2);
    for (const p of s.others) s.send(p, round(QUERY), queries);
    // 2–3. per party: unblind the answers, decode its table at our keys
    const rInv = invertExponent(r);
    const e = new BigUint64Array(bins);
    e.set(randomU64(bins));
    for (const b of occupied) e[b] = 0n;
    const vsum = new BigUint64Array(bins);
    const decodedBy = new Map<number, BigUint64Array>();
    for (const b of occupied) vsum[b] = BigInt.asUintN(64, own.value.get(own.list[leaderBins[b]]) ?? 0n);
    for (const p of s.others) {
      const cols = okvsColumns(HASHES * sizes[p]);
      const msg = await s.receive(p, round(ANSWER), 1 + inputs.length * POINT_BYTES + cols * vw * 4);
      const attempt = msg[0];
      if (attempt >= MAX_ATTEMPTS) throw new MpcError('MALFORMED_MESSAGE', `PSI: party ${p} sent encoding attempt ${attempt}`, p);
      const answers = msg.subarray(1, 1 + inputs.length * POINT_BYTES);
      const table = new Uint32Array(msg.slice(1 + inputs.length * POINT_BYTES).buffer);
      const outs = new Uint8Array(inputs.length * OPRF_OUT_BYTES);
      await inBatches(inputs.length, (from, to) => unblindOutputs(inputs, answers, rInv, p, outs, from, to));
      const { digests, pads } = keysAndPads(outs, inputs.length, attempt, vw);
      const decoded = okvsDecode(table, HASHES * sizes[p], vw, digests);
      for (let i = 0; i < decoded.length; i++) decoded[i] ^= pads[i];
      const words = new BigUint64Array(decoded.buffer);
      decodedBy.set(p, words);
      occupied.forEach((b, i) => {
        e[b] ^= words[(vw / 2) * i];
        if (vw === 4) vsum[b] += words[2 * i + 1];
      });
    }
    shareD = e;
    shareV = vw === 4 ? vsum : undefined;
    opts.inspect?.({ leader, bins, shareD, shareV, decoded: decodedBy });
  } else {
    // 3. our OPPRF hint: (x‖b) ↦ (r_b, v(x) + w_b) ⊕ pad, three keys per item
    const m = own.list.length;
    const cand = candidateBins(own.list, context, bins);
    const k = randomExponent();
    const inputs: Uint8Array[] = [];
    const keyBin = new Int32Array(HASHES * m).fill(-1);
    for (let i = 0; i < m; i++) {
      for (let h = 0; h < HASHES; h++) {
        const b = cand[HASHES * i + h];
        let repeated = false;
        for (let g = 0; g < h; g++) if (cand[HASHES * i + g] === b) repeated = true;
        if (!repeated) keyBin[HASHES * i + h] = b;
      }
    }
    const real: number[] = [];
    for (let t = 0; t < HASHES * m; t++) if (keyBin[t] >= 0) real.push(t);
    for (const t of real) inputs.push(oprfInput(own.list[Math.floor(t / HASHES)], keyBin[t]));
    const outs = new Uint8Array(inputs.length * OPRF_OUT_BYTES);
    progress.total = 2 * inputs.length + sizes[leader];
    await inBatches(inputs.length, (from, to) => evaluateDirect(inputs, k, s.self, dst, outs, from, to), 2);
    const rb = randomU64(bins);
    const wb = randomU64(bins);
    let attempt = 0;
    let table: Uint32Array | null = null;
    for (; attempt < MAX_ATTEMPTS && !table; attempt++) {
      const { digests: realDigests, pads } = keysAndPads(outs, inputs.length, attempt, vw);
      // a repeated candidate bin gets a random key and value, so 3·m keys whatever the set
      const digests = randomBytes(HASHES * m * OKVS_KEY_BYTES);
      const values = new Uint32Array(randomBytes(HASHES * m * vw * 4).buffer);
      const vals64 = new BigUint64Array(values.buffer);
      const pads64 = new BigUint64Array(pads.buffer);
      real.forEach((t, j) => {
        digests.set(realDigests.subarray(j * OKVS_KEY_BYTES, (j + 1) * OKVS_KEY_BYTES), t * OKVS_KEY_BYTES);
        const b = keyBin[t];
        const q = (vw / 2) * t;
        vals64[q] = rb[b] ^ pads64[(vw / 2) * j];
        if (vw === 4) vals64[q + 1] = BigInt.asUintN(64, (own.value.get(own.list[Math.floor(t / HASHES)]) ?? 0n) + wb[b]) ^ pads64[2 * j + 1];
      });
      table = okvsEncode(digests, values, vw);
      if (table) break;
    }
    if (!table) throw new MpcError('ABORTED', `PSI: the key-value encoding failed ${MAX_ATTEMPTS} times (probability below 2^-160); run again`);
    // 2. answer the leader's queries with our key
    const queries = await s.receive(leader, round(QUERY), sizes[leader] * POINT_BYTES);
    const answers = new Uint8Array(queries.length);
    await inBatches(sizes[leader], (from, to) => evaluateBlinded(queries, k, answers, from, to, leader));
    s.send(leader, round(ANSWER), concatBytes(Uint8Array.of(attempt), answers, new Uint8Array(table.buffer)));
    shareD = rb;
    if (vw === 4) {
      shareV = new BigUint64Array(bins);
      for (let b = 0; b < bins; b++) shareV[b] = BigInt.asUintN(64, -wb[b]);
    }
    opts.inspect?.({ leader, bins, shareD, shareV });
  }

  // 5. the only test and the only openings: inside the MPC
  opts.onProgress?.({ done: progress.total, total: progress.total, stage: 'mpc' });
  const ind = await zeroTest(s, shareD, triples);
  if (mode === 'psi-size') return { mode, size: await countCommon(s, ind, triples) };
  if (mode === 'psi-sum') {
    const { count, sum } = await sumCommon(s, ind, shareV as BigUint64Array, triples);
    return { mode, size: count, sum };
  }
  const bits = await openCommonToLeader(s, leader, ind);
  if (bits) {
    const common: string[] = [];
    for (let b = 0; b < bins; b++) if (bits[b] && (leaderBins as Int32Array)[b] >= 0) common.push(own.list[(leaderBins as Int32Array)[b]]);
    s.broadcast(round(ANNOUNCE), encodeItems(common));
    return { mode, size: common.length, items: inInputOrder(items, new Set(common)) };
  }
  const announced = decodeItems(await s.receive(leader, round(ANNOUNCE)), leader, Math.min(...sizes));
  for (const x of announced) if (!own.value.has(x)) throw new MpcError('MALFORMED_MESSAGE', `PSI: party ${leader} announced a common item that is not in this party's set`, leader);
  return { mode, size: announced.size, items: inInputOrder(items, announced) };
}

/** OKVS digests (32 B) and value pads (vw words) of each OPRF output; a retry re-hashes the digest. */
function keysAndPads(outs: Uint8Array, count: number, attempt: number, vw: number): { digests: Uint8Array; pads: Uint32Array } {
  const digests = new Uint8Array(count * OKVS_KEY_BYTES);
  const pads = new Uint32Array(count * vw);
  const padBytes = new Uint8Array(pads.buffer);
  for (let i = 0; i < count; i++) {
    const o = outs.subarray(i * OPRF_OUT_BYTES, (i + 1) * OPRF_OUT_BYTES);
    digests.set(attempt === 0 ? o.subarray(0, 32) : sha256(concatBytes(Uint8Array.of(attempt), o.subarray(0, 32))), i * OKVS_KEY_BYTES);
    padBytes.set(o.subarray(32, 32 + vw * 4), i * vw * 4);
  }
  return { digests, pads };
}

function inInputOrder(items: readonly string[], common: ReadonlySet<string>): string[] {
  const left = new Set(common);
  const out: string[] = [];
  for (const x of items) if (left.delete(x)) out.push(x);
  return out;
}

/** u32 count, then per item u32 length ‖ UTF-8. */
function encodeItems(items: readonly string[]): Uint8Array {
  const parts: Uint8Array[] = [u32(items.length)];
  for (const x of items) {
    const b = utf8Encode(x);
    parts.push(u32(b.length), b);
  }
  return concatBytes(...parts);
}

function decodeItems(bytes: Uint8Array, from: number, bound: number): Set<string> {
  const bad = (what: string) => new MpcError('MALFORMED_MESSAGE', `PSI: the common items from party ${from} are malformed (${what})`, from);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 4) throw bad('too short');
  const count = v.getUint32(0);
  if (count > bound) throw bad(`${count} items, more than the smallest set (${bound})`);
  const out = new Set<string>();
  let off = 4;
  for (let i = 0; i < count; i++) {
    if (off + 4 > bytes.length) throw bad('truncated');
    const len = v.getUint32(off);
    off += 4;
    if (off + len > bytes.length) throw bad('truncated');
    out.add(utf8Decode(bytes.subarray(off, off + len), from));
    off += len;
  }
  if (off !== bytes.length || out.size !== count) throw bad('trailing bytes or repeated items');
  return out;
}
