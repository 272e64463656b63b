/**
 * Decoders for Prio3's wire messages (draft-irtf-cfrg-vdaf-08 §7.2.6), which
 * @divviup/prio3 0.8 encodes but does not parse: an aggregator receives its input share,
 * the public share and the peer's preparation share as bytes. Each decoder checks lengths
 * and field ranges and throws BAD_REPORT; the known-answer tests (vdaf-vectors.test.ts)
 * check them against the draft's published vectors.
 *
 * The helper's input share is two XOF seeds (measurement share, proof share) and a blind;
 * expanding them uses the library's own XOF and domain separation tags (usages 1 and 2 of
 * §7.2.1), so the expansion is the library's, only the parsing is ours.
 */
import { Buffer } from 'buffer';
import type { Prio3 } from '@divviup/prio3';
import { SurveyError } from './errors';

type AnyPrio3 = Prio3<unknown, unknown>;
type InputShare = Parameters<AnyPrio3['prepareInit']>[5];
type PublicShare = Parameters<AnyPrio3['prepareInit']>[4];
type PrepShare = Parameters<AnyPrio3['unshardPreparationShares']>[1][number];
type PrepMessage = Parameters<AnyPrio3['prepareNext']>[1];

const USAGE_MEASUREMENT_SHARE = 1;
const USAGE_PROOF_SHARE = 2;

const jointRand = (v: AnyPrio3) => v.flp.jointRandLen !== 0;

/**
 * Little-endian field elements, as `Field.decode` reads them, without its per-byte
 * `256n ** i` products (they were a tenth of an aggregator's time): 8 or 16 bytes at a
 * time through a DataView. The vector tests and a property test compare it with the
 * library's decoder.
 */
export function decodeElements(modulus: bigint, size: number, bytes: Uint8Array): bigint[] | undefined {
  if (bytes.length % size !== 0 || (size !== 8 && size !== 16)) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Array<bigint>(bytes.length / size);
  for (let i = 0, o = 0; i < out.length; i++, o += size) {
    const n = size === 8 ? view.getBigUint64(o, true) : view.getBigUint64(o, true) | (view.getBigUint64(o + 8, true) << 64n);
    if (n >= modulus) return undefined;
    out[i] = n;
  }
  return out;
}

function decodeField(v: AnyPrio3, bytes: Uint8Array, what: string): bigint[] {
  const out = decodeElements(v.flp.field.modulus, v.flp.field.encodedSize, bytes);
  if (!out) throw new SurveyError('BAD_REPORT', `${what}: not a vector of field elements`);
  return out;
}

type XofClass = AnyPrio3['xof'];

/**
 * The library's `Xof.expandIntoVec` (draft §6.2.1: read `encodedSize` bytes, mask to the
 * modulus' bit length, reject values ≥ modulus), reading the XOF stream in one squeeze plus
 * one per rejection instead of one awaited squeeze and a `256n ** i` sum per element. The
 * stream is the same bytes in the same order, so the output is identical (vector tests).
 */
export async function expandStream(xofClass: XofClass, modulus: bigint, size: number, seed: Uint8Array, dst: Uint8Array, binder: Uint8Array, length: number): Promise<bigint[]> {
  if (size !== 8 && size !== 16) throw new Error(`expandStream: field elements of ${size} bytes`);
  const xof = new xofClass(Buffer.from(seed), Buffer.from(dst), Buffer.from(binder));
  const mask = (1n << BigInt((modulus - 1n).toString(2).length)) - 1n; // the library's nextPowerOf2Big(modulus) − 1
  const out = new Array<bigint>(length);
  let bytes = await xof.next(length * size);
  let view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let o = 0;
  for (let i = 0; i < length; ) {
    if (o === bytes.length) {
      bytes = await xof.next(size);
      view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      o = 0;
    }
    const n = (size === 8 ? view.getBigUint64(o, true) : view.getBigUint64(o, true) | (view.getBigUint64(o + 8, true) << 64n)) & mask;
    o += size;
    if (n < modulus) out[i++] = n;
  }
  return out;
}

export function expandIntoVec(v: Pick<AnyPrio3, 'xof'> & { flp: { field: { modulus: bigint; encodedSize: number } } }, seed: Uint8Array, dst: Uint8Array, binder: Uint8Array, length: number): Promise<bigint[]> {
  return expandStream(v.xof, v.flp.field.modulus, v.flp.field.encodedSize, seed, dst, binder, length);
}

export async function decodeInputShare(v: AnyPrio3, aggregator: number, bytes: Uint8Array): Promise<InputShare> {
  const seed = v.xof.seedSize;
  const blindLen = jointRand(v) ? seed : 0;
  const b = Buffer.from(bytes);
  if (aggregator === 0) {
    const el = v.flp.field.encodedSize;
    const mLen = v.flp.measurementLen * el;
    const pLen = v.flp.proofLen * v.proofs * el;
    if (b.length !== mLen + pLen + blindLen) throw new SurveyError('BAD_REPORT', `leader input share has ${b.length} bytes, expected ${mLen + pLen + blindLen}`);
    const wireMeasurementShare = b.subarray(0, mLen);
    const wireProofShare = b.subarray(mLen, mLen + pLen);
    return {
      wireMeasurementShare,
      wireProofShare,
      blind: b.subarray(mLen + pLen),
      measurementShare: decodeField(v, wireMeasurementShare, 'measurement share'),
      proofsShare: decodeField(v, wireProofShare, 'proof share'),
    };
  }
  if (b.length !== 2 * seed + blindLen) throw new SurveyError('BAD_REPORT', `helper input share has ${b.length} bytes, expected ${2 * seed + blindLen}`);
  const wireMeasurementShare = b.subarray(0, seed);
  const wireProofShare = b.subarray(seed, 2 * seed);
  const measurementShare = await expandIntoVec(v, wireMeasurementShare, v.domainSeparationTag(USAGE_MEASUREMENT_SHARE), Buffer.of(aggregator), v.flp.measurementLen);
  const proofsShare = await expandIntoVec(v, wireProofShare, v.domainSeparationTag(USAGE_PROOF_SHARE), Buffer.from([v.proofs, aggregator]), v.flp.proofLen * v.proofs);
  return { wireMeasurementShare, wireProofShare, blind: b.subarray(2 * seed), measurementShare, proofsShare };
}

export function decodePublicShare(v: AnyPrio3, bytes: Uint8Array): PublicShare {
  const seed = v.xof.seedSize;
  const expected = jointRand(v) ? seed * v.shares : 0;
  if (bytes.length !== expected) throw new SurveyError('BAD_REPORT', `public share has ${bytes.length} bytes, expected ${expected}`);
  const b = Buffer.from(bytes);
  const jointRandParts = [];
  for (let i = 0; i < expected / seed; i++) jointRandParts.push(b.subarray(i * seed, (i + 1) * seed));
  return { jointRandParts };
}

export function prepShareBytes(v: AnyPrio3): number {
  return v.flp.verifierLen * v.proofs * v.flp.field.encodedSize + (jointRand(v) ? v.xof.seedSize : 0);
}

export function decodePrepShare(v: AnyPrio3, bytes: Uint8Array): PrepShare {
  const vLen = v.flp.verifierLen * v.proofs * v.flp.field.encodedSize;
  if (bytes.length !== prepShareBytes(v)) throw new SurveyError('BAD_MESSAGE', `preparation share has ${bytes.length} bytes, expected ${prepShareBytes(v)}`);
  const b = Buffer.from(bytes);
  return { verifiersShare: decodeField(v, b.subarray(0, vLen), 'verifier share'), jointRandomnessPart: b.subarray(vLen) };
}

export function decodePrepMessage(v: AnyPrio3, bytes: Uint8Array): PrepMessage {
  const expected = jointRand(v) ? v.xof.seedSize : 0;
  if (bytes.length !== expected) throw new SurveyError('BAD_MESSAGE', `preparation message has ${bytes.length} bytes, expected ${expected}`);
  return { jointRand: Buffer.from(bytes) };
}

export function decodeAggregateShare(v: AnyPrio3, bytes: Uint8Array): bigint[] {
  if (bytes.length !== v.flp.outputLen * v.flp.field.encodedSize) throw new SurveyError('RESULT_MISMATCH', 'aggregate share has the wrong length');
  return decodeField(v, bytes, 'aggregate share');
}
