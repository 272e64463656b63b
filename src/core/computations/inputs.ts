/**
 * Local validation of one party's private input against the spec, for the UI (the
 * `input-error` message) and the worker: exact decimal parsing, bounds, count. Errors are
 * INPUT_OUT_OF_RANGE with a message naming the offending item, shown as is. The same
 * bounds are enforced again inside the MPC (Backend.input with bounds), where a failure reveals only
 * one bit.
 *
 * Security: none (local, before anything is sent).
 */
import { MpcError } from '../errors.ts';
import { checkRange, parseDecimal } from '../fixed-point.ts';
import type { ComputationInput } from './run.ts';
import { type ComputationSpec, VECTOR_KINDS, scaleSpec } from './spec.ts';

function parseAll(texts: readonly string[], decimals: number, min: bigint, max: bigint, what: string): bigint[] {
  return texts.map((t, i) => {
    const label = texts.length > 1 ? `${what} ${i + 1}` : `the ${what}`;
    try {
      const v = parseDecimal(t, decimals);
      checkRange(v, { min, max }, decimals, label);
      return v;
    } catch (e) {
      if (e instanceof MpcError && !e.message.includes(label)) throw new MpcError(e.code, `${label}: ${e.message}`);
      throw e;
    }
  });
}

/**
 * Parse this party's values (and, for weighted-mean, one weight per value) into the scaled
 * integers `runComputation` takes. Throws INPUT_OUT_OF_RANGE with a readable message.
 */
export function parseInputs(spec: ComputationSpec, texts: readonly string[], weightTexts?: readonly string[]): ComputationInput {
  const sc = scaleSpec(spec);
  const n = texts.length;
  if (VECTOR_KINDS.has(spec.kind) && n !== spec.length) {
    throw new MpcError('INPUT_OUT_OF_RANGE', `expected exactly ${spec.length} value${spec.length === 1 ? '' : 's'}, got ${n}`);
  }
  if (n < 1 || n > spec.length) throw new MpcError('INPUT_OUT_OF_RANGE', `expected 1 to ${spec.length} values, got ${n}`);
  const values = parseAll(texts, spec.decimals, sc.lower, sc.upper, 'value');
  if (spec.kind !== 'weighted-mean') return { values };
  if (!weightTexts || weightTexts.length !== n) throw new MpcError('INPUT_OUT_OF_RANGE', `expected one weight per value (${n}), got ${weightTexts?.length ?? 0}`);
  return { values, weights: parseAll(weightTexts, spec.decimals, 1n, sc.maxWeight, 'weight') };
}
