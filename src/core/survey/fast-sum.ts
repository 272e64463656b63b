/**
 * Prio3Sum preparation for two aggregators without the library's object layers: the same
 * draft-irtf-cfrg-vdaf-08 computation as @divviup/prio3 0.8's `prepareInit` and
 * `unshardPreparationShares` for Prio3Sum (2 shares, 1 proof, Field128, XofTurboShake128),
 * from wire bytes to wire bytes, synchronous.
 *
 * Why: aggregation throughput (issue 17, target ≥ 5,000 reports/s). Per report the library
 * builds Query circuit and gadget objects, evaluates the degree-2(n−1) gadget polynomial
 * share at each of the `bits` roots of unity by Horner (≈ 2·bits·n multiplications), raises
 * the joint randomness to every power with `exp`, and awaits each XOF squeeze. Here:
 * - the gadget polynomial's values at the n-th roots of unity come from one n-point FFT of
 *   the polynomial folded mod xⁿ − 1 (n/2·log n multiplications instead of ≈ 2·bits·n);
 * - the wire polynomial at the query point t: one inverse FFT and Horner;
 * - powers of the joint randomness r by repeated multiplication;
 * - TurboSHAKE128 from @noble/hashes (the library's XOF is the same function from the same
 *   package), squeezed synchronously.
 * What is the same, step for step (prio3.ts / genericFlp.ts / circuits/sum.ts of the library):
 * the domain separation tags (the instance's own `domainSeparationTag`), the XOF inputs and
 * their order, the verifier (v, w(t), G(t)) with v = Σᵢ r^(i+1)·G(α^(i+1)), the degenerate
 * query point check (tⁿ = 1 throws), `decide` (v = 0 and w(t)² − w(t) = G(t)), the joint
 * randomness seed, and the preparation state's shape (`outputShare`, `correctedJointRandSeed`),
 * so `prepareNext` and `aggregate` stay the library's.
 * What proves it: fast-sum.test.ts compares every output (preparation share bytes, state,
 * message or refusal) with the library's on random valid reports of several widths and on
 * malformed and malicious ones; vdaf-vectors.test.ts runs the draft's Prio3Sum vector.
 */
import { Buffer } from 'buffer';
import { turboshake128 } from '@noble/hashes/sha3-addons.js';
import type { Prio3, Prio3Sum } from '@divviup/prio3';
import { SurveyError } from './errors';

type AnyPrio3 = Prio3<unknown, unknown>;
export type SumPrepState = { outputShare: bigint[]; correctedJointRandSeed: Buffer };

const P = 2n ** 66n * 4611686018427387897n + 1n;
const EL = 16;
const SEED = 16;
const ZERO_SEED = new Uint8Array(SEED);
// draft-08 §7.2.1 usages, as the library's Prio3 numbers them
const MEASUREMENT_SHARE = 1;
const PROOF_SHARE = 2;
const JOINT_RANDOMNESS = 3;
const QUERY_RANDOMNESS = 5;
const JOINT_RAND_SEED = 6;
const JOINT_RAND_PART = 7;

const mul = (a: bigint, b: bigint) => (a * b) % P;
const add = (a: bigint, b: bigint) => {
  const s = a + b;
  return s >= P ? s - P : s;
};
const sub = (a: bigint, b: bigint) => {
  const d = a - b;
  return d < 0n ? d + P : d;
};
function pow(b: bigint, e: bigint): bigint {
  let r = 1n;
  for (; e > 0n; e >>= 1n) {
    if (e & 1n) r = mul(r, b);
    b = mul(b, b);
  }
  return r;
}

/** TurboSHAKE128 with domain byte 1, absorbing len(dst) ‖ dst ‖ seed ‖ binder (the library's XofTurboShake128). */
function xof(seed: Uint8Array, dst: Uint8Array, binder: Uint8Array) {
  return turboshake128.create({ D: 1 }).update(Uint8Array.of(dst.length)).update(dst).update(seed).update(binder);
}

const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);
const readElement = (v: DataView, o: number): bigint => v.getBigUint64(o, true) | (v.getBigUint64(o + 8, true) << 64n);

function writeElement(v: DataView, o: number, x: bigint) {
  v.setBigUint64(o, x & 0xffffffffffffffffn, true);
  v.setBigUint64(o + 8, x >> 64n, true);
}

/** Elements of a little-endian vector; throws when one is ≥ p (the library's decoders refuse those too). */
function decodeVec(b: Uint8Array, o: number, n: number, what: string): bigint[] {
  const out = new Array<bigint>(n);
  const v = view(b);
  for (let i = 0; i < n; i++) {
    const x = readElement(v, o + i * EL);
    if (x >= P) throw new SurveyError('BAD_REPORT', `${what}: not a vector of field elements`);
    out[i] = x;
  }
  return out;
}

/** `expandIntoVec`: 16 bytes per element (p has 128 bits: no mask), rejecting values ≥ p, one stream. */
function expand(seed: Uint8Array, dst: Uint8Array, binder: Uint8Array, length: number): bigint[] {
  const h = xof(seed, dst, binder);
  const out = new Array<bigint>(length);
  let bytes = h.xof(length * EL);
  let v = view(bytes);
  let o = 0;
  for (let i = 0; i < length; ) {
    if (o === bytes.length) {
      bytes = h.xof(EL);
      v = view(bytes);
      o = 0;
    }
    const x = readElement(v, o);
    o += EL;
    if (x < P) out[i++] = x;
  }
  return out;
}

/** Radix-2 FFT: out[k] = Σⱼ a[j]·ω^(jk), roots[k] = ω^k (length n, a power of 2). */
function fft(a: bigint[], roots: bigint[]): bigint[] {
  const n = a.length;
  const out = new Array<bigint>(n);
  const bitsN = Math.log2(n);
  for (let i = 0; i < n; i++) {
    let r = 0;
    for (let b = 0; b < bitsN; b++) r |= ((i >> b) & 1) << (bitsN - 1 - b);
    out[r] = a[i];
  }
  for (let len = 2; len <= n; len <<= 1) {
    const half = len >> 1;
    const step = n / len;
    for (let s = 0; s < n; s += len) {
      for (let j = 0; j < half; j++) {
        const x = out[s + j];
        const y = j === 0 ? out[s + j + half] : mul(out[s + j + half], roots[j * step]);
        out[s + j] = add(x, y);
        out[s + j + half] = sub(x, y);
      }
    }
  }
  return out;
}

/** Σ coeffs[from + j]·x^j, reduced. */
function horner(coeffs: bigint[], x: bigint, from = 0): bigint {
  let y = 0n;
  for (let i = coeffs.length - 1; i >= from; i--) y = (y * x + coeffs[i]) % P;
  return y;
}

/** True for the instances this path computes: Prio3Sum, two shares, one proof, Field128, TurboSHAKE128. */
export function isFastSum(vdaf: unknown): vdaf is Prio3Sum {
  const v = vdaf as AnyPrio3 & { bits?: unknown };
  return (
    typeof v.bits === 'number' &&
    v.id === 1 &&
    v.shares === 2 &&
    v.proofs === 1 &&
    v.flp?.field?.modulus === P &&
    v.flp.field.encodedSize === EL &&
    v.xof?.seedSize === SEED &&
    v.flp.jointRandLen === 1 &&
    v.flp.verifierLen === 3
  );
}

export interface FastSum {
  /** Input share bytes (after HPKE) and public share bytes → the encoded preparation share and the state. Throws when malformed. */
  init(verifyKey: Uint8Array, me: 0 | 1, nonce: Uint8Array, publicShare: Uint8Array, inputShare: Uint8Array): { state: SumPrepState; share: Uint8Array };
  /** Both encoded preparation shares (leader's, helper's) → the encoded preparation message; throws when the proof fails. */
  unshard(leader: Uint8Array, helper: Uint8Array): Uint8Array;
}

const made = new WeakMap<object, FastSum>();

/** The fast path for one Prio3Sum instance (cached per instance). */
export function fastSum(vdaf: Prio3Sum): FastSum {
  let f = made.get(vdaf);
  if (!f) {
    f = makeFastSum(vdaf);
    made.set(vdaf, f);
  }
  return f;
}

function makeFastSum(vdaf: Prio3Sum): FastSum {
  if (!isFastSum(vdaf)) throw new Error('fastSum: not a two-share Prio3Sum');
  const v = vdaf as unknown as AnyPrio3;
  const bits = vdaf.bits;
  const n = 2 ** Math.ceil(Math.log2(bits + 1)); // wire length: the seed, then one call per bit
  const gadgetLen = 2 * (n - 1) + 1; // PolyEval x² − x, degree 2
  const proofLen = 1 + gadgetLen;
  if (v.flp.proofLen !== proofLen || v.flp.measurementLen !== bits) throw new Error('fastSum: unexpected circuit shape');
  const field = v.flp.field;
  const alpha = pow(field.generator, field.genOrder / BigInt(n));
  const roots = Array.from({ length: n }, (_, k) => pow(alpha, BigInt(k)));
  const inverseRoots = roots.map((_, k) => roots[(n - k) % n]);
  const invN = pow(BigInt(n), P - 2n);
  const pow2 = Array.from({ length: bits }, (_, i) => (1n << BigInt(i)) % P);
  const dst = (u: number) => new Uint8Array(v.domainSeparationTag(u));
  const [dMeas, dProof, dJoint, dQuery, dSeed, dPart] = [MEASUREMENT_SHARE, PROOF_SHARE, JOINT_RANDOMNESS, QUERY_RANDOMNESS, JOINT_RAND_SEED, JOINT_RAND_PART].map(dst);
  const leaderBytes = (bits + proofLen) * EL + SEED;
  const one = Uint8Array.of(1);

  const jointRandSeed = (parts: Uint8Array) => xof(ZERO_SEED, dSeed, parts).xof(SEED);

  return {
    init(verifyKey, me, nonce, publicShare, inputShare) {
      if (publicShare.length !== 2 * SEED) throw new SurveyError('BAD_REPORT', `public share has ${publicShare.length} bytes, expected ${2 * SEED}`);
      let meas: bigint[];
      let proof: bigint[];
      let blind: Uint8Array;
      let encodedMeas: Uint8Array;
      if (me === 0) {
        if (inputShare.length !== leaderBytes) throw new SurveyError('BAD_REPORT', `leader input share has ${inputShare.length} bytes, expected ${leaderBytes}`);
        meas = decodeVec(inputShare, 0, bits, 'measurement share');
        proof = decodeVec(inputShare, bits * EL, proofLen, 'proof share');
        encodedMeas = inputShare.subarray(0, bits * EL);
        blind = inputShare.subarray(leaderBytes - SEED);
      } else {
        if (inputShare.length !== 3 * SEED) throw new SurveyError('BAD_REPORT', `helper input share has ${inputShare.length} bytes, expected ${3 * SEED}`);
        meas = expand(inputShare.subarray(0, SEED), dMeas, one, bits);
        proof = expand(inputShare.subarray(SEED, 2 * SEED), dProof, Uint8Array.of(1, 1), proofLen);
        blind = inputShare.subarray(2 * SEED);
        encodedMeas = new Uint8Array(bits * EL);
        const v = view(encodedMeas);
        for (let i = 0; i < bits; i++) writeElement(v, i * EL, meas[i]);
      }
      let out = 0n;
      for (let i = 0; i < bits; i++) out += pow2[i] * meas[i];
      const outputShare = [out % P];

      const binder = new Uint8Array(1 + nonce.length);
      binder[0] = 1;
      binder.set(nonce, 1);
      const [t] = expand(verifyKey, dQuery, binder, 1);

      const partBinder = new Uint8Array(1 + nonce.length + encodedMeas.length);
      partBinder[0] = me;
      partBinder.set(nonce, 1);
      partBinder.set(encodedMeas, 1 + nonce.length);
      const part = xof(blind, dPart, partBinder).xof(SEED);
      const parts = new Uint8Array(publicShare);
      parts.set(part, me * SEED);
      const seed = jointRandSeed(parts);
      const [r] = expand(seed, dJoint, one, 1);

      // the verifier share (v, w(t), G(t))
      if (pow(t, BigInt(n)) === 1n) throw new SurveyError('BAD_REPORT', 'degenerate query point');
      const folded = new Array<bigint>(n).fill(0n);
      for (let j = 0; j < gadgetLen; j++) folded[j % n] = add(folded[j % n], proof[1 + j]);
      const atRoots = fft(folded, roots); // G(α^k)
      let vShare = 0n;
      let rk = 1n;
      for (let i = 0; i < bits; i++) {
        rk = mul(rk, r);
        vShare = add(vShare, mul(rk, atRoots[i + 1]));
      }
      const wire = new Array<bigint>(n).fill(0n);
      wire[0] = proof[0];
      for (let i = 0; i < bits; i++) wire[i + 1] = meas[i];
      const wt = mul(horner(fft(wire, inverseRoots), t), invN); // the 1/n of the inverse FFT, once
      const gt = horner(proof, t, 1);

      const share = new Uint8Array(3 * EL + SEED);
      const sv = view(share);
      writeElement(sv, 0, vShare);
      writeElement(sv, EL, wt);
      writeElement(sv, 2 * EL, gt);
      share.set(part, 3 * EL);
      return { state: { outputShare, correctedJointRandSeed: Buffer.from(seed) }, share };
    },

    unshard(leader, helper) {
      if (leader.length !== 3 * EL + SEED || helper.length !== 3 * EL + SEED) throw new SurveyError('BAD_MESSAGE', 'preparation share has the wrong length');
      const a = decodeVec(leader, 0, 3, 'verifier share');
      const b = decodeVec(helper, 0, 3, 'verifier share');
      const u = add(a[1], b[1]);
      if (add(a[0], b[0]) !== 0n || sub(mul(u, u), u) !== add(a[2], b[2])) throw new Error('Verify error');
      const parts = new Uint8Array(2 * SEED);
      parts.set(leader.subarray(3 * EL), 0);
      parts.set(helper.subarray(3 * EL), SEED);
      return jointRandSeed(parts);
    },
  };
}
