/**
 * Private set intersection: the collusion-safe OPPRF protocol (src/core/psi/mp-psi.ts, rows
 * `psi …`, `psi-size …`, `psi-sum …`, including its OT setup and triples) beside the old ring
 * protocol it replaced (rows `old ring …`, src/core/psi/ring-psi.test-helpers.ts, insecure
 * against two colluders; kept here as the baseline). One operation = one item of one party
 * (N parties with m items each: N·m items), so "per second" is the group's item rate on one
 * core, where all N parties share this thread.
 *
 * The new protocol needs no group operation per item (kkrt.ts: OT-based OPRF, only the
 * session's base OTs use ristretto255): per item a few BLAKE3 blocks, per bin and peer 64
 * bytes of OPRF columns; bytes and time at scale are dominated by the AND triples of the
 * final test (63 per bin, 1.27 bins per leader item).
 *
 * Beside it, the cost floor measured the same way: one variable-base ristretto255 scalar
 * multiplication per item per party per hop, i.e. N² multiplications for N items, so the
 * floor in items/s is (scalar mults/s)/N. The raw Node rates of `multiply` and of
 * hash-to-curve are their own rows. In the browser every party has its own worker, so the
 * wall-clock rate there is up to N times this single-core figure.
 *
 * Bytes: in total N·(N−1) hop messages and N−1 messages to the comparer carry one chain
 * of m points each, i.e. 32·(N²−1)/N² bytes per item per party on average, plus headers
 * and, in `psi` mode, 4 bytes per common item and party for the comparer's answer. That is
 * our model here (DESIGN §3 has none for PSI).
 */
import { ristretto255, ristretto255_hasher } from '@noble/curves/ed25519.js';
import { utf8Encode } from '../../src/core/codec.ts';
import { type PsiMode, privateSetIntersection } from '../../src/core/psi/mp-psi.ts';
import { ringSetIntersection } from '../../src/core/psi/ring-psi.test-helpers.ts';
import { psiDst, randomExponent } from '../../src/core/psi/blinding.ts';
import { type BenchCase, timeParties, timeSync } from '../harness.ts';

/** N sets of m items; half of each set is common to all parties. */
function makeSets(n: number, m: number): string[][] {
  return Array.from({ length: n }, (_, p) => Array.from({ length: m }, (_, i) => (i % 2 === 0 ? `common-${i}@example.org` : `party${p}-${i}@example.org`)));
}

function psiCase(n: number, mode: PsiMode, m = 2000): BenchCase {
  return {
    name: `${mode} N=${n} m=${m}`,
    parties: n,
    unit: 'items',
    async prepare(quick) {
      const size = quick ? 32 : m;
      const sets = makeSets(n, size);
      const values = sets.map((set) => set.map((_, i) => BigInt(i)));
      return {
        ops: n * size,
        run: () => timeParties(n, async () => undefined, (s) => privateSetIntersection(s, sets[s.self], mode, { values: values[s.self] }), { timeoutMs: Infinity }),
        plaintext: () =>
          timeSync(() => {
            let common = new Set(sets[0]);
            for (let p = 1; p < n; p++) {
              const theirs = new Set(sets[p]);
              common = new Set([...common].filter((x) => theirs.has(x)));
            }
          }),
      };
    },
  };
}

function ringCase(n: number, mode: 'psi' | 'psi-size', m = 2000): BenchCase {
  return {
    name: `old ring ${mode} N=${n} m=${m}`,
    parties: n,
    unit: 'items',
    costModelBytes: (32 * (n * n - 1)) / (n * n),
    async prepare(quick) {
      const size = quick ? 32 : m;
      const sets = makeSets(n, size);
      return { ops: n * size, run: () => timeParties(n, async () => undefined, (s) => ringSetIntersection(s, sets[s.self], mode), { timeoutMs: Infinity }) };
    },
  };
}

/** The floor for N parties: N² scalar multiplications per N items, on fresh points. */
function floorCase(n: number): BenchCase {
  return {
    name: `psi floor N=${n} (1 scalar mult/item/party/hop)`,
    parties: n,
    unit: 'items',
    async prepare(quick) {
      const m = quick ? 8 : 200;
      const k = randomExponent();
      const points = Array.from({ length: n * m }, (_, i) => ristretto255.Point.BASE.multiply(BigInt(i + 1)));
      return {
        ops: n * m,
        run: async () => ({ ms: timeSync(() => points.forEach((p) => { for (let hop = 0; hop < n; hop++) p.multiply(k); })) }),
      };
    },
  };
}

const rawCases: BenchCase[] = [
  {
    name: 'psi ristretto255 multiply (variable base)',
    parties: 1,
    unit: 'scalar mults',
    async prepare(quick) {
      const m = quick ? 16 : 500;
      const k = randomExponent();
      const points = Array.from({ length: m }, (_, i) => ristretto255.Point.BASE.multiply(BigInt(i + 1)));
      return { ops: m, run: async () => ({ ms: timeSync(() => points.forEach((p) => p.multiply(k))) }) };
    },
  },
  {
    name: 'psi hash-to-curve (RFC 9380 ristretto255)',
    parties: 1,
    unit: 'hashes',
    async prepare(quick) {
      const m = quick ? 16 : 2000;
      const dst = psiDst(new Uint8Array(32));
      const msgs = Array.from({ length: m }, (_, i) => utf8Encode(`item-${i}@example.org`));
      return { ops: m, run: async () => ({ ms: timeSync(() => msgs.forEach((x) => ristretto255_hasher.hashToCurve(x, { DST: dst }))) }) };
    },
  },
];

export const cases: BenchCase[] = [
  ...rawCases,
  floorCase(2),
  ringCase(2, 'psi-size'),
  psiCase(2, 'psi'),
  psiCase(2, 'psi-size'),
  psiCase(2, 'psi-sum'),
  floorCase(3),
  ringCase(3, 'psi-size'),
  psiCase(3, 'psi-size'),
  psiCase(3, 'psi-sum'),
  // data-team scale (issue 15: 2 × 100,000 < 15 s in the browser); run with --only and --reps 1
  psiCase(2, 'psi-size', 100_000),
];
