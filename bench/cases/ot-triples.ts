/**
 * Registry adapter for H2's OT and triple benchmarks (bench/ot-triples.ts): each of those
 * functions measures one batch and reports a rate, which we turn back into a Sample so the
 * harness can take medians. H2 may replace this with native cases.
 */
import type { BenchCase, Sample } from '../harness.ts';
import { type OtBenchResult, benchAndTriples, benchArithTriples, benchBaseOt, benchOtExtension, benchPlainMultiply } from '../ot-triples.ts';

const OPS = 1_000_000; // nominal; only the ratio ops/ms matters

const asSample = (r: OtBenchResult): Sample => ({
  ms: (OPS * 1000) / r.perSecond,
  bytesPerParty: r.bytesPerOp === undefined ? undefined : r.bytesPerOp * OPS,
});

function adapt(name: string, parties: number, unit: string, costModelBytes: number | undefined, once: (quick: boolean) => Promise<OtBenchResult>, plain = false): BenchCase {
  return {
    name,
    parties,
    unit,
    costModelBytes,
    async prepare(quick) {
      return {
        ops: OPS,
        run: async () => asSample(await once(quick)),
        plaintext: plain ? () => (OPS * 1000) / benchPlainMultiply(1 << 18).perSecond : undefined,
      };
    },
  };
}

export const cases: BenchCase[] = [
  adapt('base OT N=2', 2, 'OTs', undefined, () => benchBaseOt()),
  adapt('IKNP random OT N=2', 2, 'OTs', 16, (q) => benchOtExtension(q ? 1 << 14 : 1 << 18)),
  ...[2, 3, 5].map((n) =>
    adapt(`arith triples N=${n}`, n, 'triples', ((n - 1) * (64 * 128 + 2080)) / 8, (q) => benchArithTriples(n, q ? 512 : n === 5 ? 4096 : 8192), true),
  ),
  ...[2, 3, 5].map((n) => adapt(`AND triples N=${n}`, n, 'triples', ((n - 1) * 129) / 8, (q) => benchAndTriples(n, q ? 256 : 8192))),
];
