/**
 * The twist base OT [MRR20] (base-ot-twist.ts): correctness on both X25519 engines and across
 * them, the receiver's privacy against a sender that tests which POPF output is a point
 * of a prime-order subgroup or of which curve (with negative controls that plant exactly
 * those leaks), and the checks on a malicious peer's messages.
 *
 * Randomness: unseeded (the OT needs real keys); each statistical bound below is stated
 * with its false-failure probability, all below 1e-9.
 */
import { describe, expect, it } from 'vitest';
import { MpcError } from '../errors.ts';
import { randomBytes } from '../random.ts';
import { TWIST_OT_BYTES, popfEval, popfProgram, twistReceive, twistReceiverKeys, twistSenderKeys, twistSenderStart } from './base-ot-twist.ts';
import { P, TWIST_BASE, bytesToX, groupOf, inv, xToBytes } from './curve25519-whole.ts';
import { nobleEngine, x25519Engine, type X25519Engine } from './x25519.ts';

const ctx = { instance: 3, sender: 0, receiver: 1 };
const eq = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Prime orders of the subgroups: ℓ of curve25519 (order 8ℓ), ℓ' of the twist (order 4ℓ' = 2p + 2 − 8ℓ). */
const L = 2n ** 252n + 27742317777372353535851937790883648493n;
const L_TWIST = (2n * P + 2n - 8n * L) / 4n;
const m = (a: bigint, b: bigint) => (a * b) % P;

/** x-only Montgomery ladder without clamping (RFC 7748 formulas; the same on E and E'): is k·P the point at infinity? */
function killedBy(k: bigint, x1: bigint): boolean {
  const a24 = 121665n;
  let x2 = 1n, z2 = 0n, x3 = x1, z3 = 1n, swap = 0n;
  for (let t = 255n; t >= 0n; t--) {
    const bit = (k >> t) & 1n;
    if ((swap ^ bit) === 1n) [x2, x3, z2, z3] = [x3, x2, z3, z2];
    swap = bit;
    const A = (x2 + z2) % P, AA = m(A, A), B = (x2 - z2 + P) % P, BB = m(B, B), E = (AA - BB + P) % P;
    const C = (x3 + z3) % P, D = (x3 - z3 + P) % P, DA = m(D, A), CB = m(C, B);
    const s = (DA + CB) % P, d = (DA - CB + P) % P;
    x3 = m(s, s);
    z3 = m(x1, m(d, d));
    x2 = m(AA, BB);
    z2 = m(E, (AA + m(a24, E)) % P);
  }
  return (swap === 1n ? z3 : z2) === 0n;
}

/** Whether the u-coordinate's point lies in the prime-order subgroup of its group. */
const inPrimeSubgroup = (u: Uint8Array): boolean => {
  const x = bytesToX(u);
  return killedBy(groupOf(x) === 0 ? L : L_TWIST, x);
};

async function runOt(sender: X25519Engine, receiver: X25519Engine, choices: Uint8Array) {
  const snd = await twistSenderStart(sender);
  const rcv = await twistReceive(receiver, ctx, choices);
  const chosen = await twistReceiverKeys(receiver, ctx, rcv, snd.message);
  const { k0, k1 } = await twistSenderKeys(sender, ctx, snd, rcv.message, choices.length);
  return { chosen, k0, k1, message: rcv.message };
}

describe('twist base OT [MRR20]', () => {
  it('the receiver gets exactly k_c and never k_{1−c}, on WebCrypto, on noble and across them', async () => {
    const web = await x25519Engine();
    expect(['webcrypto', 'noble']).toContain(web.name);
    for (const [s, r] of [[web, web], [nobleEngine, web], [web, nobleEngine]] as const) {
      const choices = randomBytes(64).map((b) => b & 1);
      const { chosen, k0, k1 } = await runOt(s, r, choices);
      for (let i = 0; i < choices.length; i++) {
        expect(eq(chosen[i], choices[i] ? k1[i] : k0[i])).toBe(true);
        expect(eq(chosen[i], choices[i] ? k0[i] : k1[i])).toBe(false);
      }
    }
  });

  it('the POPF programs exactly the chosen input', () => {
    const y = randomBytes(32);
    for (const x of [0, 1]) {
      const f = popfProgram(ctx, 7, x, y);
      expect(eq(popfEval(ctx, 7, f, x), y)).toBe(true);
      expect(eq(popfEval(ctx, 7, f, 1 - x), y)).toBe(false);
      expect(eq(popfEval({ ...ctx, instance: 4 }, 7, f, x), y)).toBe(false); // bound to its context
    }
  });

  /**
   * A sender that evaluates both POPF outputs and guesses the choice from which lies in a
   * prime-order subgroup, or on the curve. With the receiver's random small-order point and
   * coin, the programmed output is a uniform 256-bit string like the other one.
   */
  describe('receiver privacy against a subgroup / curve-membership test', () => {
    const OTS = 256;
    /** Per OT: is B_c (the programmed output) resp. B_{1−c} in a prime-order subgroup, on the twist. */
    function observe(message: Uint8Array, choices: Uint8Array) {
      let chosenInSubgroup = 0, otherInSubgroup = 0, chosenOnTwist = 0;
      for (let i = 0; i < choices.length; i++) {
        const f = message.subarray(i * TWIST_OT_BYTES, (i + 1) * TWIST_OT_BYTES);
        const c = choices[i];
        const Bc = popfEval(ctx, i, f, c), Bo = popfEval(ctx, i, f, 1 - c);
        if (inPrimeSubgroup(Bc)) chosenInSubgroup++;
        if (inPrimeSubgroup(Bo)) otherInSubgroup++;
        if (groupOf(bytesToX(Bc)) === 1) chosenOnTwist++;
      }
      return { chosenInSubgroup, otherInSubgroup, chosenOnTwist };
    }
    // A uniform point is in the prime-order subgroup with probability 1/8 (E) or 1/4 (E'):
    // 3/16 on average, mean 48 of 256, sd 6.2. "≤ 110" fails falsely with probability
    // < 1e-12 (Chernoff, δ = 1.29); on the twist 128 ± 8, "in [64, 192]" < 1e-13 (Hoeffding).
    const MAX_IN_SUBGROUP = 110;

    it('the programmed output is no more often in a prime-order subgroup or on one curve than a random string', async () => {
      const choices = randomBytes(OTS).map((b) => b & 1);
      const rcv = await twistReceive(await x25519Engine(), ctx, choices);
      const o = observe(rcv.message, choices);
      expect(o.chosenInSubgroup).toBeLessThanOrEqual(MAX_IN_SUBGROUP);
      expect(o.otherInSubgroup).toBeLessThanOrEqual(MAX_IN_SUBGROUP);
      expect(o.chosenOnTwist).toBeGreaterThanOrEqual(64);
      expect(o.chosenOnTwist).toBeLessThanOrEqual(192);
    }, 60_000);

    it('negative controls: a receiver that skips the small-order point, or always uses the curve, is caught', async () => {
      const engine = await x25519Engine();
      const choices = randomBytes(OTS).map((b) => b & 1);
      // Leak 1: B = x(k·G) straight from X25519 (clamped: always in the prime-order subgroup).
      const noTorsion = new Uint8Array(OTS * TWIST_OT_BYTES);
      for (let i = 0; i < OTS; i++) {
        const k = await engine.generate();
        const B = i % 2 ? k.publicKey : await engine.multiply(k, xToBytes(TWIST_BASE));
        noTorsion.set(popfProgram(ctx, i, choices[i], B), i * TWIST_OT_BYTES);
      }
      expect(observe(noTorsion, choices).chosenInSubgroup).toBeGreaterThan(MAX_IN_SUBGROUP);
      // Leak 2: the whole curve group (random small-order point) but never the twist.
      const curveOnly = new Uint8Array(OTS * TWIST_OT_BYTES);
      for (let i = 0; i < OTS; i++) {
        const k = await engine.generate();
        // x(P + T) for T = (0, 0), the order-2 point, is 1/x(P): enough to leave the subgroup.
        const x = bytesToX(k.publicKey);
        curveOnly.set(popfProgram(ctx, i, choices[i], xToBytes(i % 2 ? x : inv(x))), i * TWIST_OT_BYTES);
      }
      expect(observe(curveOnly, choices).chosenOnTwist).toBeLessThan(64);
    }, 60_000);
  });

  describe('a malicious peer', () => {
    it('a POPF whose output is a point of small order is MALFORMED_MESSAGE blaming the receiver', async () => {
      const engine = await x25519Engine();
      const snd = await twistSenderStart(engine);
      const rcv = await twistReceive(engine, ctx, new Uint8Array(4));
      const forged = rcv.message.slice();
      forged.set(popfProgram(ctx, 2, 1, xToBytes(0n)), 2 * TWIST_OT_BYTES); // x = 0: the order-2 point
      await expect(twistSenderKeys(engine, ctx, snd, forged, 4)).rejects.toMatchObject({ code: 'MALFORMED_MESSAGE', party: ctx.receiver });
      await expect(twistSenderKeys(engine, ctx, snd, forged.subarray(1), 4)).rejects.toBeInstanceOf(MpcError);
    });

    it("a sender key off its curve, non-canonical or of small order is MALFORMED_MESSAGE blaming the sender", async () => {
      const engine = await x25519Engine();
      const snd = await twistSenderStart(engine);
      const rcv = await twistReceive(engine, ctx, new Uint8Array(64));
      const swapped = new Uint8Array(64);
      swapped.set(snd.message.subarray(32), 0);
      swapped.set(snd.message.subarray(0, 32), 32);
      const highBit = snd.message.slice();
      highBit[31] |= 0x80;
      const smallOrder = snd.message.slice();
      // x = 1 has order 4; some of the 64 OTs use its group, except with probability 2^−64.
      smallOrder.set(xToBytes(1n), groupOf(1n) === 0 ? 0 : 32);
      for (const bad of [swapped, highBit, smallOrder, snd.message.subarray(0, 63)]) {
        await expect(twistReceiverKeys(engine, ctx, rcv, bad)).rejects.toMatchObject({ code: 'MALFORMED_MESSAGE', party: ctx.sender });
      }
    });
  });
});
