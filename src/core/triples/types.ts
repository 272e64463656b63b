/**
 * Preprocessing material consumed by the online protocols (src/core/protocols/): Beaver
 * triples over Z_2^64 and bit-sliced AND triples over GF(2). Produced by OT-based
 * generation among the parties (src/core/triples/), never by a dealer.
 *
 * Contract: every party calls `arith`/`bits` in the same order with the same counts (the
 * calls are collective protocol runs). Each call returns fresh, independent triples;
 * reusing a triple for two multiplications leaks the inputs.
 */

/** This party's additive shares: Σ c = (Σ a)·(Σ b) mod 2^64, elementwise. */
export interface ArithTriples {
  a: BigUint64Array;
  b: BigUint64Array;
  c: BigUint64Array;
}

/** This party's XOR shares, bit-sliced (32 AND triples per word): ⊕c = (⊕a) & (⊕b). */
export interface BitTriples {
  a: Uint32Array;
  b: Uint32Array;
  c: Uint32Array;
}

export interface TripleSource {
  /** `count` arithmetic triples (arrays of length `count`). */
  arith(count: number): Promise<ArithTriples>;
  /** `words` × 32 AND triples (arrays of length `words`). */
  bits(words: number): Promise<BitTriples>;
}
