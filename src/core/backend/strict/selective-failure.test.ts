// Attack (review, session 4): selective failure in the strict triples' Gilboa products
// (triples.ts, "Selective failure"). A malicious OT sender adds ε to its correction d_0 for one
// triple; the honest receiver's c share moves by ε·ω_0 (its first choice bit), so the sacrifice
// aborts iff ω_0 = 1. Before the fix ω_0 was bit 0 of its share of b: when the run did not abort
// the adversary knew that bit (its own share plus a 0), and the Beaver opening e = y − b of the
// multiplication that uses the triple gave away bit 0 of the honest secret y: here an honest
// party's input (in checkBits the same happened to an honest input's range bits). One bit of a
// secret per attempt at an abort risk of 1/2, and an abort blames nobody, so it could be retried.
//
// The fix (triples.ts): b is a random encoding of the choice bits, b = Σ 2^k ω_k + Σ g_l ω_{128+l}
// with public random g's [DKLs18], so ω_0 says nothing about b. The first test FAILED on the old
// code (checked: with the old triples.ts, abort ⇔ honest bit 1 in 30/30 runs and the parity
// guess right in 14/14 runs that did not abort; it was marked it.fails). It passes when the
// abort is independent of the honest share of b: the statistic is then Binomial(RUNS, 1/2), so a
// false failure has probability 2^−RUNS = 2^−30 < 1e-9.
// The second test is the negative control: no tampering, never an abort, the bit is random.
import { describe, expect, it } from 'vitest';
import { decodeHeader, HEADER_BYTES, Protocol } from '../../session/round.ts';
import { runPartiesSettled } from '../../session/simulate.ts';
import { StrictBackend } from './strict.ts';
import { GILBOA_WORDS } from './triples.ts';

const RUNS = 30;
const HONEST = 0;
const EVIL = 1;
/** Frame of the Gilboa corrections for the first batch of triples (strict.ts TRIPLE_BATCH = 256). */
const CORRECTIONS_BYTES = HEADER_BYTES + GILBOA_WORDS * 4 * 256;

/** Honest code that only records its share of the first triple's b (the test's ground truth). */
class Spy extends StrictBackend {
  firstB?: bigint;
  protected override tripleShares(t: { a: bigint[]; ah: bigint[]; b: bigint[]; c: bigint[]; ch: bigint[] }): typeof t {
    this.firstB ??= t.b[0];
    return t;
  }
}

interface Trial {
  aborted: boolean;
  honestBit: number;
  /** Non-aborting runs: did the adversary's guess of bit 0 of the honest input come out right? */
  guessRight?: boolean;
}

async function trial(attack: boolean, y: bigint): Promise<Trial> {
  let tampered = false;
  const spies: Spy[] = [];
  const results = await runPartiesSettled(
    2,
    async (s, i) => {
      const b = (spies[i] = new Spy(s));
      const [x0, x1] = await b.input([1, 1], [i === HONEST ? y : 7n]);
      // the honest input is the second operand, so the opening e = y − b uses the triple's b
      return (await b.open(await b.mul(x1, x0)))[0];
    },
    {
      timeoutMs: 600_000,
      network: {
        tamper: (f) => {
          if (!attack || tampered || f.from !== EVIL || f.to !== HONEST || f.bytes.length !== CORRECTIONS_BYTES) return undefined;
          if (decodeHeader(f.bytes).protocol !== Protocol.Spdz2k) return undefined;
          tampered = true;
          const out = f.bytes.slice();
          out[HEADER_BYTES] ^= 1; // d_0 of the first triple ± 1: ε odd
          return [out];
        },
      },
    },
  );
  if (attack && !tampered) throw new Error('the corrections frame was not found (layout changed?)');
  const bh = spies[HONEST].firstB!, be = spies[EVIL].firstB!;
  const aborted = results[HONEST].status === 'rejected';
  const honestBit = Number(bh & 1n);
  if (aborted) return { aborted, honestBit };
  // What the adversary sees: the opened e = y − b (mod 2^128) and its own share of b.
  const e = BigInt.asUintN(128, y - bh - be);
  const guess = Number((e ^ be) & 1n);
  return { aborted, honestBit, guessRight: guess === Number(y & 1n) };
}

describe('strict triples: selective failure on a Gilboa correction', () => {
  it(`the sacrifice's abort does not reveal an honest share bit, nor the parity of an honest input (${RUNS} runs)`, { timeout: 900_000 }, async () => {
    const trials: Trial[] = [];
    for (let r = 0; r < RUNS; r++) trials.push(await trial(true, BigInt(100 + r)));
    const tied = trials.filter((t) => t.aborted === (t.honestBit === 1)).length;
    const kept = trials.filter((t) => !t.aborted);
    const right = kept.filter((t) => t.guessRight).length;
    expect(kept.length, 'the tampering is caught in some runs (else the attack did nothing)').toBeLessThan(RUNS);
    expect(tied, `abort ⇔ honest bit 1 in ${tied}/${RUNS} runs; the adversary guessed the honest input's parity in ${right}/${kept.length} runs that did not abort`).toBeLessThan(RUNS);
  });

  it('negative control: without the tampering no run aborts and the honest bit is random', { timeout: 900_000 }, async () => {
    const trials: Trial[] = [];
    for (let r = 0; r < RUNS; r++) trials.push(await trial(false, BigInt(100 + r)));
    expect(trials.every((t) => !t.aborted)).toBe(true);
    expect(trials.filter((t) => t.aborted === (t.honestBit === 1)).length).toBeLessThan(RUNS);
  });
});
