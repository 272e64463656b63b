/**
 * Hands out preprocessed triples in order, so that a protocol can fetch everything it
 * needs with one collective call before its online phase (preprocessing stays separate
 * from the online rounds) and then consume slices layer by layer.
 *
 * Security: a triple must be used once; the cursor only moves forward, and running out is
 * a bug in the caller's count (INVALID_ARGUMENT), never a silent reuse.
 */
import { MpcError } from '../errors.ts';
import type { ArithTriples, BitTriples } from '../triples/types.ts';

export class BitTripleCursor {
  private pos = 0;
  constructor(private readonly t: BitTriples) {}

  get remaining(): number {
    return this.t.a.length - this.pos;
  }

  take(words: number): BitTriples {
    if (words > this.remaining) throw new MpcError('INVALID_ARGUMENT', `need ${words} AND-triple words, only ${this.remaining} left`);
    const { a, b, c } = this.t;
    const s = this.pos;
    this.pos += words;
    return { a: a.subarray(s, s + words), b: b.subarray(s, s + words), c: c.subarray(s, s + words) };
  }
}

export class ArithTripleCursor {
  private pos = 0;
  constructor(private readonly t: ArithTriples) {}

  get remaining(): number {
    return this.t.a.length - this.pos;
  }

  take(count: number): ArithTriples {
    if (count > this.remaining) throw new MpcError('INVALID_ARGUMENT', `need ${count} arithmetic triples, only ${this.remaining} left`);
    const { a, b, c } = this.t;
    const s = this.pos;
    this.pos += count;
    return { a: a.subarray(s, s + count), b: b.subarray(s, s + count), c: c.subarray(s, s + count) };
  }
}
