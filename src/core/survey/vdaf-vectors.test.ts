/**
 * Interop with the published test vectors of draft-irtf-cfrg-vdaf-08 (the draft's
 * poc/test_vec/08/, tag draft-irtf-cfrg-vdaf-08, commit b74e9c37), through @divviup/prio3:
 * 1. the library reproduces every vector byte for byte (sharding, preparation, aggregation);
 * 2. Parley's decoders (prio3-codec.ts) parse the vectors' wire bytes into exactly the
 *    preparation shares and messages the vectors list, so the aggregators' parsing is
 *    checked against the draft, not against ourselves;
 * 3. the aggregators' own Prio3Sum preparation (fast-sum.ts, two shares) gives the listed
 *    preparation shares, message and output shares from the listed wire bytes.
 */
import { Buffer } from 'buffer';
import { describe, expect, it } from 'vitest';
import { Prio3Count, Prio3Histogram, Prio3Sum, Prio3SumVec, type Prio3 } from '@divviup/prio3';
import { accelerate } from './fast-prio3';
import { fastSum } from './fast-sum';
import { decodeAggregateShare, decodeInputShare, decodePrepMessage, decodePrepShare, decodePublicShare } from './prio3-codec';
import count0 from './test-vectors/vdaf-08/Prio3Count_0.json';
import count1 from './test-vectors/vdaf-08/Prio3Count_1.json';
import sum0 from './test-vectors/vdaf-08/Prio3Sum_0.json';
import sum1 from './test-vectors/vdaf-08/Prio3Sum_1.json';
import hist0 from './test-vectors/vdaf-08/Prio3Histogram_0.json';
import hist1 from './test-vectors/vdaf-08/Prio3Histogram_1.json';
import vec0 from './test-vectors/vdaf-08/Prio3SumVec_0.json';
import vec1 from './test-vectors/vdaf-08/Prio3SumVec_1.json';

interface Vector {
  shares: number;
  verify_key: string;
  agg_result: unknown;
  agg_shares: string[];
  bits?: number;
  length?: number;
  chunk_length?: number;
  prep: { measurement: unknown; nonce: string; rand: string; public_share: string; input_shares: string[]; prep_shares: string[][]; prep_messages: string[]; out_shares: string[][] }[];
}

type AnyPrio3 = Prio3<unknown, unknown>;
const hex = (s: string) => Buffer.from(s, 'hex');
/** The library returns bigint sums; the vectors are JSON numbers. */
const plain = (x: unknown): unknown => JSON.parse(JSON.stringify(x, (_k, y: unknown) => (typeof y === 'bigint' ? Number(y) : y)));

const cases: [string, Vector, (v: Vector) => AnyPrio3, (m: unknown) => unknown][] = [
  ['Prio3Count_0', count0, (v) => new Prio3Count({ shares: v.shares }) as unknown as AnyPrio3, (m) => m !== 0],
  ['Prio3Count_1', count1, (v) => new Prio3Count({ shares: v.shares }) as unknown as AnyPrio3, (m) => m !== 0],
  ['Prio3Sum_0', sum0, (v) => new Prio3Sum({ shares: v.shares, bits: v.bits! }) as unknown as AnyPrio3, (m) => m],
  ['Prio3Sum_1', sum1, (v) => new Prio3Sum({ shares: v.shares, bits: v.bits! }) as unknown as AnyPrio3, (m) => m],
  ['Prio3Histogram_0', hist0, (v) => new Prio3Histogram({ shares: v.shares, length: v.length!, chunkLength: v.chunk_length! }) as unknown as AnyPrio3, (m) => m],
  ['Prio3Histogram_1', hist1, (v) => new Prio3Histogram({ shares: v.shares, length: v.length!, chunkLength: v.chunk_length! }) as unknown as AnyPrio3, (m) => m],
  ['Prio3SumVec_0', vec0, (v) => new Prio3SumVec({ shares: v.shares, length: v.length!, bits: v.bits!, chunkLength: v.chunk_length! }) as unknown as AnyPrio3, (m) => m],
  ['Prio3SumVec_1', vec1, (v) => new Prio3SumVec({ shares: v.shares, length: v.length!, bits: v.bits!, chunkLength: v.chunk_length! }) as unknown as AnyPrio3, (m) => m],
];

// Every vector twice: on the library as published, and accelerated as Parley runs it (fast-prio3.ts).
const bothWays = [
  ...cases.map(([n, v, make, meas]) => [`${n} (library)`, v, make, meas] as const),
  ...cases.map(([n, v, make, meas]) => [`${n} (accelerated)`, v, (x: Vector) => accelerate(make(x)), meas] as const),
];

describe('VDAF-08 published test vectors', () => {
  it.each(bothWays)('%s: the library reproduces the vector', async (_name, vector, make, meas) => {
    const vdaf = make(vector);
    const run = await vdaf.run({
      aggregationParameter: null,
      measurements: vector.prep.map((p) => meas(p.measurement)),
      verifyKey: hex(vector.verify_key),
      nonces: vector.prep.map((p) => hex(p.nonce)),
      rands: vector.prep.map((p) => hex(p.rand)),
    });
    expect(run.prep.map((p) => [p.public_share, p.input_shares, p.prep_shares, p.prep_messages])).toEqual(
      vector.prep.map((p) => [p.public_share, p.input_shares, p.prep_shares, p.prep_messages]),
    );
    expect(run.agg_shares).toEqual(vector.agg_shares);
    expect(plain(run.agg_result)).toEqual(vector.agg_result);
  });

  it.each(bothWays)('%s: Parley parses the wire bytes into the listed preparation', async (_name, vector, make) => {
    const vdaf = make(vector);
    const vk = hex(vector.verify_key);
    for (const p of vector.prep) {
      const nonce = hex(p.nonce);
      const shares = [];
      for (let j = 0; j < vector.shares; j++) {
        const input = await decodeInputShare(vdaf, j, hex(p.input_shares[j]));
        const pub = decodePublicShare(vdaf, hex(p.public_share));
        const { preparationShare, preparationState } = await vdaf.prepareInit(vk, j, null, nonce, pub, input);
        expect(vdaf.encodePreparationShare(preparationShare).toString('hex')).toBe(p.prep_shares[0][j]);
        // what the peer receives parses back to the same share
        const parsed = decodePrepShare(vdaf, hex(p.prep_shares[0][j]));
        expect(vdaf.encodePreparationShare(parsed).toString('hex')).toBe(p.prep_shares[0][j]);
        shares.push({ parsed, preparationState });
      }
      const msg = await vdaf.unshardPreparationShares(null, shares.map((s) => s.parsed));
      expect(vdaf.encodePreparationMessage(msg).toString('hex')).toBe(p.prep_messages[0]);
      for (let j = 0; j < vector.shares; j++) {
        const out = vdaf.prepareNext(shares[j].preparationState, decodePrepMessage(vdaf, hex(p.prep_messages[0])));
        expect('outputShare' in out && vdaf.encodeTestVectorOutputShare(out.outputShare)).toEqual(p.out_shares[j]);
      }
    }
    const aggs = vector.agg_shares.map((s) => decodeAggregateShare(vdaf, hex(s)));
    expect(plain(vdaf.unshard(null, aggs, vector.prep.length))).toEqual(vector.agg_result);
  });

  it('Prio3Sum_0: the fast two-share preparation (fast-sum.ts) gives the listed shares, message and output shares', () => {
    for (const make of [cases[2][2], (v: Vector) => accelerate(cases[2][2](v))]) {
      const vdaf = make(sum0);
      const fast = fastSum(vdaf as never);
      for (const p of sum0.prep) {
        const preps = ([0, 1] as const).map((j) => fast.init(hex(sum0.verify_key), j, hex(p.nonce), hex(p.public_share), hex(p.input_shares[j])));
        expect(preps.map((x) => Buffer.from(x.share).toString('hex'))).toEqual(p.prep_shares[0]);
        expect(Buffer.from(fast.unshard(preps[0].share, preps[1].share)).toString('hex')).toBe(p.prep_messages[0]);
        for (const j of [0, 1]) {
          const out = vdaf.prepareNext(preps[j].state as never, decodePrepMessage(vdaf, hex(p.prep_messages[0])));
          expect('outputShare' in out && vdaf.encodeTestVectorOutputShare(out.outputShare)).toEqual(p.out_shares[j]);
        }
      }
    }
  });

  it('a flipped byte in the leader share is refused by the proof, not by parsing', async () => {
    const vdaf = cases[2][2](sum0);
    const p = sum0.prep[0];
    const bad = hex(p.input_shares[0]);
    bad[0] ^= 1;
    const nonce = hex(p.nonce);
    const vk = hex(sum0.verify_key);
    const a = await vdaf.prepareInit(vk, 0, null, nonce, decodePublicShare(vdaf, hex(p.public_share)), await decodeInputShare(vdaf, 0, bad));
    const b = await vdaf.prepareInit(vk, 1, null, nonce, decodePublicShare(vdaf, hex(p.public_share)), await decodeInputShare(vdaf, 1, hex(p.input_shares[1])));
    await expect(vdaf.unshardPreparationShares(null, [a.preparationShare, b.preparationShare])).rejects.toThrow(/Verify/);
  });
});
