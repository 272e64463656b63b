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

function decodeField(v: AnyPrio3, bytes: Uint8Array, what: string): bigint[] {
  try {
    return v.flp.field.decode(bytes);
  } catch {
    throw new SurveyError('BAD_REPORT', `${what}: not a vector of field elements`);
  }
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
  const measurementShare = await v.xof.expandIntoVec(v.flp.field, wireMeasurementShare, v.domainSeparationTag(USAGE_MEASUREMENT_SHARE), Buffer.of(aggregator), v.flp.measurementLen);
  const proofsShare = await v.xof.expandIntoVec(v.flp.field, wireProofShare, v.domainSeparationTag(USAGE_PROOF_SHARE), Buffer.from([v.proofs, aggregator]), v.flp.proofLen * v.proofs);
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
