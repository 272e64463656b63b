import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { randomBytes } from '../random.ts';
import { columnsToRows, rowsToColumns } from './bit-transpose.ts';
import { combineRows, foldColumns, gfMul, selectXor } from './gf128.ts';

const toBig = (a: Uint32Array): bigint => (BigInt(a[3]) << 96n) | (BigInt(a[2]) << 64n) | (BigInt(a[1]) << 32n) | BigInt(a[0]);
const fromBig = (x: bigint): Uint32Array => Uint32Array.from([0, 1, 2, 3], (i) => Number((x >> BigInt(32 * i)) & 0xffffffffn));
const words = (n: number): Uint32Array => new Uint32Array(randomBytes(4 * n).buffer);

/** Reference: carry-less product, then reduction mod X^128 + X^7 + X^2 + X + 1, on BigInts. */
function refMul(a: bigint, b: bigint): bigint {
  let p = 0n;
  for (let i = 0n; i < 128n; i++) if ((b >> i) & 1n) p ^= a << i;
  for (let i = 254n; i >= 128n; i--) if ((p >> i) & 1n) p ^= 0x87n << (i - 128n) ^ (1n << i);
  return p;
}

const elem = fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => new Uint32Array(b.slice().buffer));

describe('GF(2^128)', () => {
  it('gfMul equals the carry-less product reduced by X^128 + X^7 + X^2 + X + 1', () => {
    fc.assert(
      fc.property(elem, elem, (a, b) => {
        expect(toBig(gfMul(a, b))).toBe(refMul(toBig(a), toBig(b)));
      }),
      { numRuns: 60 },
    );
  });

  it('known answers: 1 is the identity, X·X^127 = X^7 + X^2 + X + 1', () => {
    const a = words(4);
    expect(gfMul(a, fromBig(1n))).toEqual(a);
    expect(toBig(gfMul(fromBig(2n), fromBig(1n << 127n)))).toBe(0x87n);
  });

  it('combineRows = Σ_j χ_j·row_j computed row by row with gfMul', () => {
    for (const m of [32, 96, 224]) {
      const rows = words(4 * m), chi = words(4 * m);
      let want = 0n;
      for (let j = 0; j < m; j++) want ^= toBig(gfMul(rows.subarray(4 * j, 4 * j + 4), chi.subarray(4 * j, 4 * j + 4)));
      expect(toBig(combineRows(rowsToColumns(rows, m), m, chi))).toBe(want);
      expect(columnsToRows(rowsToColumns(rows, m), m)).toEqual(rows);
    }
  });

  it('selectXor on one column is the XOR of the χ_j at its set bits; foldColumns of one sum is that sum', () => {
    const m = 64, col = words(2), chi = words(4 * m);
    const want = new Uint32Array(4);
    for (let j = 0; j < m; j++) if ((col[j >>> 5] >>> (j & 31)) & 1) for (let k = 0; k < 4; k++) want[k] ^= chi[4 * j + k];
    const s = selectXor(col, 1, m, chi);
    expect(s).toEqual(want);
    expect(foldColumns(s)).toEqual(want);
  });
});
