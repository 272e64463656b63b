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
 *   2. OPRF (kkrt.ts). One batched OPRF [KKRT16] per other party P_j, on the session's OT
 *      extension: P_j sends the columns of 512 extension OTs (its secret choice s), L sends
 *      512 columns of PRG-masked codes of its items, bin by bin; L learns F_{j,b}(y_b) for
 *      each occupied bin b and its item y_b only, P_j can evaluate F_{j,b} on anything.
 *   3. OPPRF hint (okvs.ts). P_j draws, per bin, r_{j,b} and w_{j,b} (uniform 64-bit words)
 *      and encodes the key-value store  (x‖b) ↦ (r_{j,b}, v_j(x) + w_{j,b}) ⊕ pad(F_{j,b}(x))
 *      for each of its items x and candidate bins b (3·n_j keys; a repeated candidate bin is
 *      replaced by a random key, so the count is public). L decodes at its (y_b‖b) and strips
 *      the pad: it gets (a_{j,b}, c_{j,b}) = (r_{j,b}, v_j(y_b) + w_{j,b}) if y_b ∈ X_j, and a
 *      pseudorandom pair otherwise.
 *   4. Shares. For each bin: d_b = (⊕_j a_{j,b}) held by L, ⊕ r_{j,b} held by each P_j (XOR
 *      shares; L uses a random word for an empty bin). d_b = 0 iff y_b is in every set;
 *      the test looks at the low σ = 40 + ⌈log2 B⌉ bits (zero-test.ts comparisonWidth), so a
 *      run has a false positive with probability at most B·2^-σ ≤ 2^-40. V_b = v_L(y_b) + Σ_j c_{j,b} at L and −w_{j,b}
 *      at P_j are additive shares of Σ_p v_p(y_b) when y_b is common.
 *   5. MPC (src/core/protocols, triples by OT, no dealer). ind_b = [d_b = 0 mod 2^σ] by a
 *      (σ−1)-AND tree (⌈log2 σ⌉ = 6 rounds). Then:  psi — ind is opened to L only; L announces the common items
 *      (that is the output: every party learns ∩, which is its own common items);  psi-size —
 *      Σ_b ind_b is computed on shares (popcount circuit + B2A) and only it is opened;
 *      psi-sum — ind is converted to additive shares, multiplied with V (Beaver), and only
 *      (Σ ind_b, Σ ind_b·V_b) are opened.
 *
 * Proof sketch (semi-honest, static coalition C of at most N−1 parties; h ∉ C honest).
 * The simulator gets C's inputs and outputs and runs C's code; it replaces h's messages:
 *   - h = L: h's messages are (besides the hello) the OPRF columns u^i = G(k_i^0) ⊕ G(k_i^1) ⊕ c^i, each masked by a PRG output under a seed P_j did not
 *     choose [KKRT16], and MPC messages. Simulate with uniform strings.
 *   - h = P_j: h sends its extension columns (uniform to L, [IKNP03]) and one OKVS table. The
 *     simulator picks its own s and seeds (they are independent of X_j) and runs P_j's
 *     OPRF side honestly. The table encodes values of the form
 *     r_{j,b} ⊕ pad; each bin's r_{j,b} is uniform and appears in C's view only through this
 *     table and the later MPC, and L can unmask at most one key per bin (its own (y_b, b):
 *     F_{j,b} is a separate PRF per bin, and L learns it only at the one point it encoded
 *     in bin b's row), so the
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
 * [KKRT16]  Kolesnikov, Kumaresan, Rosulek, Trieu. Efficient Batched Oblivious PRF with
 *           Applications to Private Set Intersection. CCS 2016.
 * [IKNP03]  Ishai, Kilian, Nissim, Petrank. Extending Oblivious Transfers Efficiently. CRYPTO 2003.
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
import { type SessionOt, peerOt, setupOt } from '../ot/ot-setup.ts';
import type { OtTripleSource } from '../triples/triple-source.ts';
import { HASHES, binCount, cuckooPlace } from './cuckoo.ts';
import { CHUNK_BINS, CODE_BITS, CODE_WORDS, OUT_WORDS, chunkCount, chunkRows, columnBytes, hashItems, leaderChunk, leaderOutput, outputKey, receiverSeeds, rowsToColumns, senderChunk, senderOutput, senderSeeds } from './kkrt.ts';
import { OKVS_KEY_BYTES, okvsColumns, okvsDecode, okvsEncode } from './okvs.ts';
import { comparisonWidth, countCommon, openCommonToLeader, sumCommon, zeroTest } from './zero-test.ts';

export type PsiMode = 'psi' | 'psi-size' | 'psi-sum';

export interface PsiProgress {
  /** Work units done and planned: items hashed, OPRF bin rows (per peer at the leader), table keys. */
  done: number;
  total: number;
  /** 'oprf' for the OPRF and the table, 'mpc' for the final test (units: AND-triple words). */
  stage: 'oprf' | 'mpc';
  /**
   * The whole run's fraction done, from the two stages' units weighted by their measured
   * share of the time (cpu profile of psi-size N=2, m=20,000: OPRF, table and base OTs ≈ 40 %,
   * the zero test's AND triples ≈ 60 %). The zero test's triples are counted as they arrive,
   * in up to 10 pieces per request, so the MPC part moves in real steps.
   */
  fraction: number;
}

export interface PsiOptions {
  /** psi-sum: one signed integer per item (already scaled), aligned with `items`. */
  values?: readonly bigint[];
  /** Triples for the final test; created over OT on this session when absent. */
  triples?: TripleSource;
  /**
   * The session's OT setup for the OPRF (kkrt.ts). Default: the triple source's own
   * (`sessionOt()`), else a fresh setupOt. Tests pass dealt base OTs (dealer-ot.test-helpers.ts).
   */
  ot?: SessionOt;
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
const NONCE_BYTES = 16;
const HELLO_BYTES = 4 + NONCE_BYTES;
const MAX_ATTEMPTS = 4;
/** Share of the run's time before the MPC stage (see PsiProgress.fraction). */
const OPRF_SHARE = 0.4;
/** Smallest piece of a triple request reported on its own (one default triple-source chunk at N = 2). */
const PROGRESS_PIECE_WORDS = 4096;
const CONTEXT_DOMAIN = utf8Encode('parley/mp-psi/context/v2');
const TWO63 = 1n << 63n;

// Steps of the Psi instance.
const HELLO = 0;
const SEEDS = 1;
const TABLE = 2;
const ANNOUNCE = 3;
/** Chunk c of the OPRF columns is step COLUMNS + c (at most 155 chunks for MAX_PSI_ITEMS). */
const COLUMNS = 16;

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
  const leader = chooseLeader(sizes, context);
  const bins = binCount(sizes[leader]);
  const vw = mode === 'psi-sum' ? 4 : 2;
  const triples = opts.triples ?? createTripleSource(s);

  // work units: items hashed, then per bin and OPRF peer one row of columns, then the table
  // (P_j encodes 3 keys per item; L decodes one key per occupied bin and peer)
  let rowsTotal = 0;
  for (let c = 0; c < chunkCount(bins); c++) rowsTotal += chunkRows(bins, c);
  const chunkWork = (s.self === leader ? n - 1 : 1) * rowsTotal;
  const tableWork = s.self === leader ? (n - 1) * own.list.length : HASHES * own.list.length;
  const progress: PsiProgress = { done: 0, total: own.list.length + chunkWork + tableWork, stage: 'oprf', fraction: 0 };
  const report = (): void => {
    progress.fraction = progress.stage === 'oprf' ? OPRF_SHARE * (progress.total ? progress.done / progress.total : 1) : OPRF_SHARE + (1 - OPRF_SHARE) * (progress.total ? progress.done / progress.total : 1);
    opts.onProgress?.({ ...progress });
  };

  let shareD: BigUint64Array;
  let shareV: BigUint64Array | undefined;
  let leaderBins: Int32Array | undefined;
  const ot = opts.ot ?? await ('sessionOt' in triples && typeof triples.sessionOt === 'function' ? (triples as OtTripleSource).sessionOt() : setupOt(s));
  const { codes, cand } = hashItems(own.list, context, bins);
  progress.done += own.list.length;
  report();
  const chunks = chunkCount(bins);
  if (s.self === leader) {
    // 1. cuckoo placement; per other party: seeds, then the OPRF columns chunk by chunk
    leaderBins = cuckooPlace(cand, own.list.length, bins);
    const occupied: number[] = [];
    for (let b = 0; b < bins; b++) if (leaderBins[b] >= 0) occupied.push(b);
    const got = await s.receiveAll(round(SEEDS), peerOt(ot, s.others[0]).recv.messageBytes(CODE_BITS));
    const seeds = new Map(s.others.map((p) => [p, receiverSeeds(peerOt(ot, p), s.self, got.get(p) as Uint8Array)]));
    const keys = new Map(s.others.map((p) => [p, outputKey(context, p)]));
    const outs = new Map(s.others.map((p) => [p, new Uint32Array(occupied.length * OUT_WORDS)]));
    let next = 0; // index into `occupied`
    for (let c = 0; c < chunks; c++) {
      const b0 = c * CHUNK_BINS;
      const rows = chunkRows(bins, c);
      const codeRows = new Uint32Array(rows * CODE_WORDS);
      const first = next;
      for (; next < occupied.length && occupied[next] < b0 + rows; next++) codeRows.set(codes.subarray(leaderBins[occupied[next]] * CODE_WORDS, (leaderBins[occupied[next]] + 1) * CODE_WORDS), (occupied[next] - b0) * CODE_WORDS);
      const codeCols = rowsToColumns(codeRows, rows);
      for (const p of s.others) {
        const sp = seeds.get(p) as { seeds0: Uint8Array[]; seeds1: Uint8Array[] };
        const { u, t } = leaderChunk(sp.seeds0, sp.seeds1, codeCols, rows, c);
        s.send(p, round(COLUMNS + c), u);
        const key = keys.get(p) as Uint32Array, out = outs.get(p) as Uint32Array;
        for (let i = first; i < next; i++) leaderOutput(key, t, occupied[i] - b0, occupied[i], out, i * OUT_WORDS);
      }
      progress.done += (n - 1) * rows;
      report();
      await yieldToEventLoop();
    }
    // 2–3. per party: decode its table at our keys
    const e = new BigUint64Array(bins);
    e.set(randomU64(bins));
    for (const b of occupied) e[b] = 0n;
    const vsum = new BigUint64Array(bins);
    const decodedBy = new Map<number, BigUint64Array>();
    for (const b of occupied) vsum[b] = BigInt.asUintN(64, own.value.get(own.list[leaderBins[b]]) ?? 0n);
    for (const p of s.others) {
      const cols = okvsColumns(HASHES * sizes[p]);
      const msg = await s.receive(p, round(TABLE), 1 + cols * vw * 4);
      const attempt = msg[0];
      if (attempt >= MAX_ATTEMPTS) throw new MpcError('MALFORMED_MESSAGE', `PSI: party ${p} sent encoding attempt ${attempt}`, p);
      const table = new Uint32Array(msg.slice(1).buffer);
      const { digests, pads } = keysAndPads(outs.get(p) as Uint32Array, occupied.length, attempt, vw);
      const decoded = okvsDecode(table, HASHES * sizes[p], vw, digests);
      for (let i = 0; i < decoded.length; i++) decoded[i] ^= pads[i];
      const words = new BigUint64Array(decoded.buffer);
      decodedBy.set(p, words);
      occupied.forEach((b, i) => {
        e[b] ^= words[(vw / 2) * i];
        if (vw === 4) vsum[b] += words[2 * i + 1];
      });
      progress.done += occupied.length;
      report();
    }
    shareD = e;
    shareV = vw === 4 ? vsum : undefined;
    opts.inspect?.({ leader, bins, shareD, shareV, decoded: decodedBy });
  } else {
    // 0. seeds toward the leader (we are the OPRF sender)
    const m = own.list.length;
    const sender = senderSeeds(peerOt(ot, leader), s.self);
    s.send(leader, round(SEEDS), sender.message);
    // s ∧ C(x) once per item, in place
    for (let i = 0; i < m; i++) for (let k = 0; k < CODE_WORDS; k++) codes[i * CODE_WORDS + k] &= sender.s[k];
    // our keys (x‖b): three candidate bins per item; a repeated candidate bin gets a random key
    const keyBin = new Int32Array(HASHES * m).fill(-1);
    for (let i = 0; i < m; i++) {
      for (let h = 0; h < HASHES; h++) {
        const b = cand[HASHES * i + h];
        let repeated = false;
        for (let g = 0; g < h; g++) if (cand[HASHES * i + g] === b) repeated = true;
        if (!repeated) keyBin[HASHES * i + h] = b;
      }
    }
    // real keys grouped by chunk (counting sort), so each chunk of rows is used once and dropped
    const perChunk = new Int32Array(chunks + 1);
    for (let t = 0; t < HASHES * m; t++) if (keyBin[t] >= 0) perChunk[Math.floor(keyBin[t] / CHUNK_BINS) + 1]++;
    for (let c = 0; c < chunks; c++) perChunk[c + 1] += perChunk[c];
    const realCount = perChunk[chunks];
    const byChunk = new Int32Array(realCount);
    const fill = perChunk.slice(0, chunks);
    for (let t = 0; t < HASHES * m; t++) if (keyBin[t] >= 0) byChunk[fill[Math.floor(keyBin[t] / CHUNK_BINS)]++] = t;
    const outs = new Uint32Array(realCount * OUT_WORDS);
    const key = outputKey(context, s.self);
    const scratch = new Uint32Array(CODE_WORDS);
    for (let c = 0; c < chunks; c++) {
      const b0 = c * CHUNK_BINS;
      const rows = chunkRows(bins, c);
      const q = senderChunk(sender, await s.receive(leader, round(COLUMNS + c), columnBytes(bins, c)), rows, c, leader);
      for (let j = perChunk[c]; j < perChunk[c + 1]; j++) {
        const t = byChunk[j], b = keyBin[t];
        senderOutput(key, q, b - b0, codes, Math.floor(t / HASHES) * CODE_WORDS, b, scratch, outs, j * OUT_WORDS);
      }
      progress.done += rows;
      report();
      await yieldToEventLoop();
    }
    // 3. our OPPRF hint: (x‖b) ↦ (r_b, v(x) + w_b) ⊕ pad
    const rb = randomU64(bins);
    const wb = randomU64(bins);
    let attempt = 0;
    let table: Uint32Array | null = null;
    for (; attempt < MAX_ATTEMPTS && !table; attempt++) {
      const { digests: realDigests, pads } = keysAndPads(outs, realCount, attempt, vw);
      // a repeated candidate bin gets a random key and value, so 3·m keys whatever the set
      const digests = randomBytes(HASHES * m * OKVS_KEY_BYTES);
      const values = new Uint32Array(randomBytes(HASHES * m * vw * 4).buffer);
      const vals64 = new BigUint64Array(values.buffer);
      const pads64 = new BigUint64Array(pads.buffer);
      for (let j = 0; j < realCount; j++) {
        const t = byChunk[j];
        digests.set(realDigests.subarray(j * OKVS_KEY_BYTES, (j + 1) * OKVS_KEY_BYTES), t * OKVS_KEY_BYTES);
        const b = keyBin[t];
        const q = (vw / 2) * t;
        vals64[q] = rb[b] ^ pads64[(vw / 2) * j];
        if (vw === 4) vals64[q + 1] = BigInt.asUintN(64, (own.value.get(own.list[Math.floor(t / HASHES)]) ?? 0n) + wb[b]) ^ pads64[2 * j + 1];
      }
      table = okvsEncode(digests, values, vw);
      if (table) break;
    }
    if (!table) throw new MpcError('ABORTED', `PSI: the key-value encoding failed ${MAX_ATTEMPTS} times (probability below 2^-160); run again`);
    progress.done += HASHES * m;
    report();
    s.send(leader, round(TABLE), concatBytes(Uint8Array.of(attempt), new Uint8Array(table.buffer)));
    shareD = rb;
    if (vw === 4) {
      shareV = new BigUint64Array(bins);
      for (let b = 0; b < bins; b++) shareV[b] = BigInt.asUintN(64, -wb[b]);
    }
    opts.inspect?.({ leader, bins, shareD, shareV });
  }

  // 5. the only test and the only openings: inside the MPC
  // the zero test takes σ−1 AND-triple words per 32 bins; count them as they arrive
  const width = comparisonWidth(bins);
  progress.stage = 'mpc';
  progress.done = 0;
  progress.total = (width - 1) * Math.ceil(bins / 32);
  report();
  const counted: TripleSource = {
    arith: (count) => triples.arith(count),
    // large requests in up to 10 pieces so the bar moves (each piece costs 2 more rounds)
    bits: async (words) => {
      const piece = Math.max(PROGRESS_PIECE_WORDS, Math.ceil(words / 10));
      const out = { a: new Uint32Array(words), b: new Uint32Array(words), c: new Uint32Array(words) };
      for (let off = 0; off < words; off += piece) {
        const t = await triples.bits(Math.min(piece, words - off));
        out.a.set(t.a, off);
        out.b.set(t.b, off);
        out.c.set(t.c, off);
        progress.done = Math.min(progress.total, progress.done + t.a.length);
        report();
      }
      return out;
    },
  };
  const ind = await zeroTest(s, shareD, counted, width);
  progress.done = progress.total;
  report();
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
function keysAndPads(outs: Uint32Array, count: number, attempt: number, vw: number): { digests: Uint8Array; pads: Uint32Array } {
  const digests = new Uint8Array(count * OKVS_KEY_BYTES);
  const pads = new Uint32Array(count * vw);
  const bytes = new Uint8Array(outs.buffer, outs.byteOffset, outs.byteLength);
  for (let i = 0; i < count; i++) {
    const o = bytes.subarray(i * OUT_WORDS * 4, (i + 1) * OUT_WORDS * 4);
    digests.set(attempt === 0 ? o.subarray(0, 32) : sha256(concatBytes(Uint8Array.of(attempt), o.subarray(0, 32))), i * OKVS_KEY_BYTES);
    pads.set(outs.subarray(i * OUT_WORDS + 8, i * OUT_WORDS + 8 + vw), i * vw);
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
