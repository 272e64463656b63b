/**
 * TEST ONLY: the backend contract (types.ts) as one suite that every backend runs — every
 * method against a plaintext oracle on random signed inputs, for several N, in one session
 * per N. A new backend passes this before any computation uses it.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { partyId } from '../session/channel.ts';
import { runParties, runPartiesSettled } from '../session/simulate.ts';
import type { Session } from '../session/session.ts';
import { ltPublic } from './generic.ts';
import type { Backend } from './types.ts';

const u = (v: bigint): bigint => BigInt.asUintN(64, v);
const i64 = (v: bigint): bigint => BigInt.asIntN(64, v);
const bit = (c: boolean): number => (c ? 1 : 0);

interface Data {
  xs: bigint[][]; // party p's values (length 6 each)
  small: bigint[][]; // |v| < 2^20
}

const dataFor = (n: number, seed: number): Data => {
  const big = fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n });
  const sm = fc.bigInt({ min: -(1n << 19n) + 1n, max: (1n << 19n) - 1n });
  const [xs, small] = fc.sample(fc.tuple(fc.array(fc.array(big, { minLength: 6, maxLength: 6 }), { minLength: n, maxLength: n }), fc.array(fc.array(sm, { minLength: 6, maxLength: 6 }), { minLength: n, maxLength: n })), { numRuns: 1, seed })[0];
  xs[0][1] = -(1n << 63n); // edges
  xs[n - 1][2] = (1n << 63n) - 1n;
  small[0][0] = 0n;
  return { xs, small };
};

type Check = { name: string; got: unknown; want: unknown };

/** Runs every method once per party; returns (name, got, want) triples checked by the caller. */
async function exercise(b: Backend, d: Data): Promise<Check[]> {
  const n = b.n;
  const out: Check[] = [];
  const lens = new Array<number>(n).fill(6);
  const xs = await b.input(lens, d.xs[b.self]);
  const ss = await b.input(lens, d.small[b.self], { lower: -(1n << 19n), upper: 1n << 19n });
  const x = xs[0];
  const y = xs[n - 1];
  const px = d.xs[0];
  const py = d.xs[n - 1];
  const sx = ss[0];
  const sy = ss[1 % n];
  const psx = d.small[0];
  const psy = d.small[1 % n];
  const open = async (v: Parameters<Backend['open']>[0]) => Array.from(await b.open(v), i64);
  out.push({ name: 'input/open', got: await open(b.concat(xs)), want: d.xs.flat().map(i64) });
  out.push({ name: 'add/sub/neg', got: await open(b.concat([b.add(x, y), b.sub(x, y), b.neg(x)])), want: [...px.map((a, i) => i64(a + py[i])), ...px.map((a, i) => i64(a - py[i])), ...px.map((a) => i64(-a))] });
  const pub = BigUint64Array.from([1n, 2n, 3n, 4n, 5n, u(-6n)]);
  out.push({ name: 'addPublic/mulPublic', got: await open(b.concat([b.addPublic(x, 7n), b.mulPublic(x, -3n), b.addPublic(x, pub), b.mulPublic(x, pub)])), want: [...px.map((a) => i64(a + 7n)), ...px.map((a) => i64(a * -3n)), ...px.map((a, i) => i64(a + pub[i])), ...px.map((a, i) => i64(a * pub[i]))] });
  out.push({ name: 'slice/gather/sumGroups/constant', got: await open(b.concat([b.slice(x, 1, 3), b.gather(x, [5, 0, 0]), b.sumGroups(x, 3), b.constant([42n, -1n])])), want: [px[1], px[2], px[5], px[0], px[0], i64(px[0] + px[1] + px[2]), i64(px[3] + px[4] + px[5]), 42n, -1n].map(i64) });
  out.push({ name: 'mul', got: await open(await b.mul(x, y)), want: px.map((a, i) => i64(a * py[i])) });
  out.push({ name: 'truncate', got: await open(await b.truncate(sx, 3, { width: 21 })), want: psx.map((a) => a >> 3n) });
  const bitsOf = async (v: Parameters<Backend['openBits']>[0]) => Array.from(await b.openBits(v));
  out.push({ name: 'ltz full', got: await bitsOf(await b.ltz(x)), want: px.map((a) => bit(a < 0n)) });
  out.push({ name: 'ltz narrow', got: await bitsOf(await b.ltz(sx, { width: 21 })), want: psx.map((a) => bit(a < 0n)) });
  out.push({ name: 'lt full', got: await bitsOf(await b.lt(x, y)), want: px.map((a, i) => bit(a < py[i])) });
  out.push({ name: 'lt narrow', got: await bitsOf(await b.lt(sx, sy, { width: 22 })), want: psx.map((a, i) => bit(a < psy[i])) });
  out.push({ name: 'eq', got: await bitsOf(await b.eq(b.concat([x, sx]), b.concat([x, sy]))), want: [...px.map(() => 1), ...psx.map((a, i) => bit(a === psy[i]))] });
  const dec = await b.decompose(x, 64);
  out.push({ name: 'decompose', got: await bitsOf(dec), want: Array.from({ length: 64 }, (_, k) => px.map((a) => Number((u(a) >> BigInt(k)) & 1n))).flat() });
  const lo = b.plane(dec, 0);
  const hi = b.plane(dec, 63);
  const pl = px.map((a) => Number(u(a) & 1n));
  const ph = px.map((a) => Number(u(a) >> 63n));
  const mask = [1, 0, 1, 1, 0, 0];
  out.push({ name: 'xor/xorPublic/not', got: await bitsOf(b.concatBits([await b.xor(lo, hi), b.xorPublic(lo, mask), b.not(hi), b.xorDisjoint(b.andPublic(lo, mask), b.andPublic(hi, mask.map((m) => 1 - m))), b.xorSubset(lo, await b.and(lo, hi))])), want: [...pl.map((a, i) => a ^ ph[i]), ...pl.map((a, i) => a ^ mask[i]), ...ph.map((a) => 1 - a), ...pl.map((a, i) => (mask[i] ? a : ph[i])), ...pl.map((a, i) => a & (1 - ph[i]))] });
  out.push({ name: 'and', got: await bitsOf(await b.and(lo, hi)), want: pl.map((a, i) => a & ph[i]) });
  out.push({ name: 'stack/gatherBits/constantBits', got: await bitsOf(b.gatherBits(b.stackPlanes([lo, hi, b.constantBits([1, 1, 0, 0, 1, 0])]), [4, 4, 0])), want: [pl[4], pl[4], pl[0], ph[4], ph[4], ph[0], 1, 1, 1] });
  out.push({ name: 'b2a', got: await open(await b.b2a(hi)), want: ph.map(BigInt) });
  out.push({ name: 'countOnes', got: await open(await b.countOnes(b.concatBits([lo, hi]), 4)), want: [0, 4, 8].map((s) => BigInt([...pl, ...ph].slice(s, s + 4).reduce((a, c) => a + c, 0))) });
  const groups = [0, 4, 8].map((s) => [...pl, ...ph].slice(s, s + 4).reduce((a, c) => a + c, 0));
  out.push({ name: 'countOnesBits', got: await bitsOf(await b.countOnesBits(b.concatBits([lo, hi]), 4)), want: [0, 1, 2].flatMap((k) => groups.map((g) => (g >> k) & 1)) });
  out.push({ name: 'andPublic', got: await bitsOf(b.andPublic(lo, mask)), want: pl.map((a, i) => a & mask[i]) });
  const low8 = await b.decompose(x, 8);
  const ks = [0n, 1n, 77n, 128n, 255n, 256n];
  out.push({ name: 'ltPublic', got: await bitsOf(await ltPublic(b, low8, ks)), want: px.map((a, i) => bit((u(a) & 255n) < ks[i])) });
  const r = await b.randomBits(40);
  const ra = await open(r.arith);
  const rb = await bitsOf(r.bits);
  out.push({ name: 'randomBits consistent', got: ra, want: rb.map(BigInt) });
  out.push({ name: 'randomBits not constant', got: rb.some((v) => v === 1) && rb.some((v) => v === 0), want: true });
  const to = await b.openTo(partyId(n - 1), x);
  out.push({ name: 'openTo', got: to ? Array.from(to, i64) : null, want: b.self === n - 1 ? px.map(i64) : null });
  const tb = await b.openBitsTo(partyId(0), hi);
  out.push({ name: 'openBitsTo', got: tb ? Array.from(tb) : null, want: b.self === 0 ? ph : null });
  return out;
}

/** The conformance suite for the backend made by `make` (one `it` per N). */
export function backendConformance(make: (s: Session) => Backend, parties: readonly number[] = [2, 3], timeoutMs = 120_000): void {
  for (const n of parties) {
    it(`every method matches the plaintext oracle, N=${n}`, { timeout: timeoutMs }, async () => {
      const d = dataFor(n, 900 + n);
      const results = await runParties(n, (s) => exercise(make(s), d), { timeoutMs });
      for (const checks of results) for (const c of checks) expect(c.got, c.name).toEqual(c.want);
    });
  }
  it('input bounds: a value outside them aborts every party with INPUT_OUT_OF_RANGE', { timeout: timeoutMs }, async () => {
    const results = await runPartiesSettled(3, async (s) => {
      const b = make(s);
      return b.input([1, 1, 1], [s.self === 2 ? 11n : 0n], { lower: -10n, upper: 10n });
    });
    for (const r of results) {
      expect(r.status).toBe('rejected');
      expect(((r as PromiseRejectedResult).reason as { code: string }).code).toBe('INPUT_OUT_OF_RANGE');
    }
  });
}
