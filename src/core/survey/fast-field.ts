/**
 * A faster Field128 for @divviup/prio3 (draft-irtf-cfrg-vdaf-08 §6.1.2, p = 2^66·4611686018427387897 + 1):
 * the library's own `Field128` class, with its hot methods computing the same canonical
 * results in fewer BigInt operations. The Prio3 logic, the FLP, the circuits and gadgets all
 * stay the library's; only the arithmetic they call is faster.
 *
 * Why: profiling an aggregator (`node --cpu-prof` on `npm run bench -- --only survey`) put
 * about half of Prio3 preparation in the library's generic `PrimeField.mod` (a sign test and
 * one or two `%` per add, sub and mul), in `exp` (every interpolation raises its length to
 * p − 2 for one inverse: ≈ 190 multiplications, and every query recomputes α^k for k < 16
 * and the root of unity α from the generator), and in byte-by-byte `256n ** i` encoding.
 *
 * What changes, method by method (each returns the representative in [0, p), as the library):
 * - add/sub/mul: one `%` only when the operands are outside [0, p) or the product needs it;
 * - exp: inverses and large powers of the same base are remembered (a bounded map: the
 *   library asks for the same few, e.g. 16^(p−2), g^(2^66/16)); small exponents by squaring;
 * - evalPoly: Horner, one reduction per coefficient;
 * - interpolate over the roots of unity: the library's inverse FFT, with its 1/n and its
 *   reversed roots remembered per root set;
 * - mulPolys, vecAdd, vecSub, sum, encode: the same loops without the library's Vector
 *   wrappers and per-byte BigInt division.
 * fast-field.test.ts compares every method with the library's on random and edge inputs
 * (negative, ≥ p, 0, p − 1), and vdaf-vectors.test.ts runs the draft's published vectors
 * through Prio3 instances built on this field.
 */
import type { Prio3 } from '@divviup/prio3';

/** The library's Field type, as its Prio3 instances expose it (no import of a transitive package). */
export type LibField = Prio3<unknown, unknown>['flp']['field'];

const P = 2n ** 66n * 4611686018427387897n + 1n;
const MASK64 = (1n << 64n) - 1n;

/** x mod p in [0, p) for any BigInt x. */
function mod(x: bigint): bigint {
  if (x >= 0n) return x < P ? x : x % P;
  const r = x % P;
  return r === 0n ? 0n : r + P;
}

/** A bounded memo: Map insertion order as a cheap FIFO. */
class Memo<V> {
  private readonly map = new Map<bigint, V>();
  constructor(private readonly limit: number) {}
  get(k: bigint): V | undefined {
    return this.map.get(k);
  }
  set(k: bigint, v: V): V {
    this.map.set(k, v);
    if (this.map.size > this.limit) this.map.delete(this.map.keys().next().value as bigint);
    return v;
  }
}

/** True when `f` is the library's Field128 (the field of Prio3Sum, Histogram, SumVec). */
export const isField128 = (f: LibField): boolean => f.modulus === P && f.encodedSize === 16;

/**
 * The faster field, as a subclass of `base`'s own class (the library's Field128: `instanceof`
 * and its private state stay valid). Throws for another field.
 */
export function fastField128(base: LibField): LibField {
  if (!isField128(base)) throw new Error('fastField128: not the library Field128');
  const Base = (base as object).constructor as new () => LibField;
  return new (fieldClass(Base))();
}

const classes = new WeakMap<new () => LibField, new () => LibField>();
function fieldClass(Base: new () => LibField): new () => LibField {
  const known = classes.get(Base);
  if (known) return known;
  const made = makeFieldClass(Base);
  classes.set(Base, made);
  return made;
}

function makeFieldClass(Base: new () => LibField): new () => LibField {
  return class FastField128 extends Base {
    /** Results of exp with a large exponent, per exponent then per base. */
    private readonly powers = new Map<bigint, Memo<bigint>>();
    /** Per set of roots of unity (by length and first non-trivial root): reversed roots and 1/n. */
    private readonly inverseFft = new Map<string, { reversed: bigint[]; invLen: bigint }>();

    override add(a: bigint, b: bigint): bigint {
      const s = a + b;
      if (s >= 0n && s < P) return s;
      return s >= P && s < P + P ? s - P : mod(s);
    }

    override sub(a: bigint, b: bigint): bigint {
      const s = a - b;
      if (s >= 0n && s < P) return s;
      return s < 0n && s >= -P ? s + P : mod(s);
    }

    override mul(a: bigint, b: bigint): bigint {
      return mod(a * b);
    }

    override exp(base: bigint, exponent: bigint): bigint {
      if (exponent < 0n || exponent > 64n) {
        let memo = this.powers.get(exponent);
        if (!memo) {
          memo = new Memo(256);
          this.powers.set(exponent, memo);
          if (this.powers.size > 64) this.powers.delete(this.powers.keys().next().value as bigint);
        }
        const b = mod(base);
        return memo.get(b) ?? memo.set(b, super.exp(b, exponent));
      }
      let b = mod(base);
      if (b === 0n) {
        if (exponent === 0n) throw new TypeError('Base and exponent cannot be both 0');
        return 0n;
      }
      let r = 1n;
      for (let e = Number(exponent); e > 0; e >>>= 1) {
        if (e & 1) r = (r * b) % P;
        if (e > 1) b = (b * b) % P;
      }
      return r;
    }

    override evalPoly(p: bigint[], x: bigint): bigint {
      if (p.length === 0) return 0n;
      if (p.length === 1) return p[0]; // the library returns a constant as given, unreduced
      const xr = mod(x);
      let y = mod(p[p.length - 1]);
      for (let i = p.length - 2; i >= 0; i--) y = mod(y * xr + p[i]);
      return y;
    }

    override mulPolys(a: bigint[], b: bigint[]): bigint[] {
      const out = new Array<bigint>(a.length + b.length - 1).fill(0n);
      for (let i = 0; i < a.length; i++) {
        const ai = a[i];
        for (let j = 0; j < b.length; j++) out[i + j] += ai * b[j];
      }
      for (let k = 0; k < out.length; k++) out[k] = mod(out[k]);
      return out;
    }

    /** Coefficients of the polynomial through (roots[i], ys[i]): an inverse FFT, as the library's interpolateRoots. */
    override interpolate(roots: bigint[], ys: bigint[]): bigint[] {
      const n = roots.length;
      if (n === 0 || (n & (n - 1)) !== 0) return super.interpolate(roots, ys);
      if (ys.length !== n) throw new Error('Number of roots of unity must be the same as number of y coordinates');
      if (n < 4) return super.interpolate(roots, ys);
      const key = `${n}:${roots[1]}`;
      let inv = this.inverseFft.get(key);
      if (!inv) {
        const reversed = new Array<bigint>(n);
        reversed[0] = 1n;
        for (let i = n - 1, j = 1; i > 0; i--, j++) reversed[j] = roots[i];
        inv = { reversed, invLen: super.exp(BigInt(n), P - 2n) };
        this.inverseFft.set(key, inv);
        if (this.inverseFft.size > 64) this.inverseFft.delete(this.inverseFft.keys().next().value as string);
      }
      const out = fft(ys.map(mod), inv.reversed, 0, 0);
      for (let i = 0; i < n; i++) out[i] = (out[i] * inv.invLen) % P;
      return out;
    }

    override vecAdd(a: bigint[], b: bigint[]): bigint[] {
      const out = new Array<bigint>(a.length);
      for (let i = 0; i < a.length; i++) out[i] = this.add(a[i], b[i]);
      return out;
    }

    override vecSub(a: bigint[], b: bigint[]): bigint[] {
      const out = new Array<bigint>(a.length);
      for (let i = 0; i < a.length; i++) out[i] = this.sub(a[i], b[i]);
      return out;
    }

    override sum<T>(arr: T[], mapper: (value: T, index: number) => bigint): bigint {
      let s = 0n;
      for (let i = 0; i < arr.length; i++) s = this.add(s, mapper(arr[i], i));
      return s;
    }

    /** Little-endian, 16 bytes per element (as the library; it throws for values ≥ 2^128, so do we). */
    override encode(data: bigint[]): Uint8Array {
      const out = new Uint8Array(data.length * 16);
      const view = new DataView(out.buffer);
      for (let i = 0; i < data.length; i++) {
        const x = data[i];
        if (x < 0n || x >> 128n !== 0n) throw new Error(`Integer ${x} too large for 16 byte array`);
        view.setBigUint64(i * 16, x & MASK64, true);
        view.setBigUint64(i * 16 + 8, x >> 64n, true);
      }
      return out;
    }
  };
}

/** The library's radix-2 FFT (same recursion, same size-2 and size-4 bases), reducing as it goes. */
function fft(values: readonly bigint[], roots: readonly bigint[], depth: number, offset: number): bigint[] {
  const step = 1 << depth;
  const len = roots.length / step;
  if (len === 4) {
    const out = new Array<bigint>(4);
    for (let i = 0; i < 4; i++) {
      out[i] =
        (values[offset] * roots[0] +
          values[offset + step] * roots[i * step] +
          values[offset + 2 * step] * roots[((i * 2) % 4) * step] +
          values[offset + 3 * step] * roots[((i * 3) % 4) * step]) %
        P;
    }
    return out;
  }
  const even = fft(values, roots, depth + 1, offset);
  const odd = fft(values, roots, depth + 1, offset + step);
  const half = len / 2;
  const out = new Array<bigint>(len);
  for (let i = 0; i < half; i++) {
    const x = even[i];
    const y = (odd[i] * roots[i * step]) % P;
    const s = x + y;
    out[i] = s >= P ? s - P : s;
    const d = x - y;
    out[i + half] = d < 0n ? d + P : d;
  }
  return out;
}
