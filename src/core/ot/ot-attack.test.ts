/**
 * The attack of issue 11 on OT extension: a malicious extension receiver sends columns
 * that are not all for one choice vector and so learns bits of the sender's Δ — and with
 * Δ, both messages of every OT. Against today's semi-honest extension (no check) it
 * recovers all 128 bits; with the KOS15 / SoftSpokenOT check (strict mode) the honest
 * sender aborts with MALICIOUS_ABORT before any row is used, exactly when the flipped
 * Δ bits are not all zero (caught with probability 1 − 2^−ℓ for ℓ flipped bits).
 */
import { describe, expect, it } from 'vitest';
import { MpcError } from '../errors.ts';
import { randomBytes } from '../random.ts';
import type { PartyId } from '../session/channel.ts';
import { Protocol } from '../session/round.ts';
import { runPartiesSettled } from '../session/simulate.ts';
import { extendChecked } from './checked-extension.ts';
import { hashRows } from './cr-hash.ts';
import { gfMul } from './gf128.ts';
import { iknpHashKey, iknpReceive, iknpSend } from './iknp.ts';
import { CHECK_EXTRA_ROWS, checkChallenges, checkResponse, verifyResponse } from './kos-check.ts';
import { extendAll, hashToRandomOts, setupOt, type SessionOt } from './ot-setup.ts';
import { softSpokenReceive, softSpokenReceiverSetup, softSpokenSend, softSpokenSenderSetup } from './softspoken.ts';

/** The simulation runs every party's base OTs in one thread: under CI load a round can wait minutes. */
const SLOW = { timeoutMs: 600_000 };

const bit = (a: Uint32Array, i: number): number => (a[i >>> 5] >>> (i & 31)) & 1;
const words = (n: number): Uint32Array => new Uint32Array(randomBytes(4 * n).buffer);
const HEADER = 8;

/** Flip bit `row` of column `col` in a column-major message of `m`-bit columns. */
function flip(u: Uint8Array, m: number, col: number, row: number): void {
  u[col * (m / 8) + (row >>> 3)] ^= 1 << (row & 7);
}

/**
 * Network tamper: party 1's first OtExt frame to party 0 (its columns as receiver) gets
 * bit i of column i flipped for every i in `cols` — "choice 1 in column i of row i, 0
 * elsewhere". `skip` = bytes before the columns (the checked extension's commitment).
 */
function flipColumns(cols: readonly number[], m: number, skip: number) {
  return ({ from, to, bytes }: { from: PartyId; to: PartyId; bytes: Uint8Array }): Uint8Array[] | undefined => {
    const v = new DataView(bytes.buffer, bytes.byteOffset);
    if (from !== 1 || to !== 0 || v.getUint16(0) !== Protocol.OtExt || v.getUint16(6) !== 0) return undefined;
    const forged = bytes.slice();
    const u = forged.subarray(HEADER + skip);
    for (const i of cols) flip(u, m, i, i);
    return [forged];
  };
}

const ALL = Array.from({ length: 128 }, (_, i) => i);

describe('OT-extension receiver attack on Δ', { timeout: 300_000 }, () => {
  it("today's semi-honest IKNP: the receiver recovers all 128 bits of Δ, then both messages of every OT", async () => {
    const m = 256;
    let senderDelta: Uint32Array | undefined;
    const y0 = new Uint32Array(2 * m), y1 = new Uint32Array(2 * m), x0 = new Uint32Array(2 * m), x1 = new Uint32Array(2 * m);
    const res = await runPartiesSettled(
      2,
      async (s, me) => {
        const ot: SessionOt = await setupOt(s, { k: 1 });
        // Choices 0 in the 128 probe rows (then flipped per column on the wire), random after.
        const choice = new Uint32Array(m / 32);
        choice.set(words(4), 4);
        const instance = s.nextInstance(Protocol.OtExt);
        const rows = (await extendAll(s, ot, m, () => choice, s.round(Protocol.OtExt, instance, 0))).get((1 - me) as PartyId)!;
        if (me === 0) {
          // Honest sender: random OTs as randomOtAll makes them, used to send messages
          // with public structure (values below 2^32, like bounded inputs): y_b = x_b ⊕ m_b.
          senderDelta = ot.get(1 as PartyId)!.send.delta;
          const h = hashToRandomOts(s.self, ot.get(1 as PartyId)!, rows, m, Protocol.OtExt);
          for (let j = 0; j < m; j++) {
            x0[2 * j] = randomBytes(4)[0] | (randomBytes(4)[1] << 8);
            x1[2 * j] = randomBytes(4)[0] | (randomBytes(4)[2] << 16);
            y0[2 * j] = x0[2 * j] ^ h.m0[2 * j];
            y0[2 * j + 1] = h.m0[2 * j + 1];
            y1[2 * j] = x1[2 * j] ^ h.m1[2 * j];
            y1[2 * j + 1] = h.m1[2 * j + 1];
          }
          return { choice, t: rows.t, call: rows.recvCall };
        }
        return { choice, t: rows.t, call: rows.recvCall };
      },
      { ...SLOW, network: { tamper: flipColumns(ALL, 256, 0) } },
    );
    expect(res.every((r) => r.status === 'fulfilled')).toBe(true);
    const atk = (res[1] as PromiseFulfilledResult<{ choice: Uint32Array; t: Uint32Array; call: number }>).value;
    // The attacker: in probe row i the sender's q_i = t_i ⊕ Δ_i·e_i, so m0_i is H(t_i) or
    // H(t_i ⊕ e_i); the one that decrypts y0_i to a value below 2^32 gives Δ_i.
    const key = iknpHashKey(0, 1, atk.call, Protocol.OtExt);
    const h = new Uint32Array(2);
    const learned = new Uint32Array(4);
    for (let i = 0; i < 128; i++) {
      const e = new Uint32Array(4);
      e[i >>> 5] = 1 << (i & 31);
      hashRows(key, atk.t.subarray(4 * i, 4 * i + 4), 1, i, e, h);
      if ((y0[2 * i + 1] ^ h[1]) === 0) learned[i >>> 5] |= 1 << (i & 31);
    }
    expect(learned).toEqual(senderDelta);
    // With Δ: the message the attacker did not choose, in every other OT.
    let decrypted = 0;
    for (let j = 128; j < m; j++) {
      hashRows(key, atk.t.subarray(4 * j, 4 * j + 4), 1, j, learned, h);
      const other = bit(atk.choice, j) ? y0 : y1, want = bit(atk.choice, j) ? x0 : x1;
      if ((other[2 * j] ^ h[0]) === want[2 * j] && (other[2 * j + 1] ^ h[1]) === 0) decrypted++;
    }
    expect(decrypted).toBe(m - 128);
  });

  for (const k of [1, 2] as const) {
    it(`strict mode (k=${k}): the same columns make the honest sender abort with MALICIOUS_ABORT, no rows released`, async () => {
      const m = 128;
      let released = false;
      const res = await runPartiesSettled(
        2,
        async (s) => {
          const ot = await setupOt(s, { k, security: 'malicious' });
          const rows = await extendChecked(s, ot, m, () => new Uint32Array(m / 32));
          released = s.self === 0;
          return rows;
        },
        // SoftSpoken k=2: column b of the message is block b's correction (Δ bits 2b, 2b+1).
        { ...SLOW, network: { tamper: flipColumns(k === 1 ? ALL : ALL.slice(0, 64), m + CHECK_EXTRA_ROWS, 32) } },
      );
      expect(res[0].status).toBe('rejected');
      const e = (res[0] as PromiseRejectedResult).reason as MpcError;
      expect(e).toMatchObject({ code: 'MALICIOUS_ABORT', party: 1 });
      expect(e.message).toMatch(/a participant deviated from the protocol/);
      expect(released).toBe(false);
    });
  }
});

/** One extension of m' rows with ideal base OTs, receiver columns tampered by `tamper`. */
function trial(k: 1 | 2, tamper: (u: Uint8Array, m: number) => void, guess?: (chi: Uint32Array, t: Uint8Array) => void, tamperSetup?: (ggm: Uint8Array) => void): { delta: Uint32Array; caught: boolean } {
  const m = 32 + CHECK_EXTRA_ROWS;
  const keys0 = Array.from({ length: 128 }, () => randomBytes(32)), keys1 = Array.from({ length: 128 }, () => randomBytes(32));
  const delta = words(4);
  const chosen = keys0.map((x, i) => (bit(delta, i) ? keys1[i] : x));
  const choice = words(m / 32);
  let tCols: Uint32Array, qCols: Uint32Array;
  if (k === 1) {
    const r = iknpReceive({ keys0, keys1, calls: 0 }, choice, m);
    tamper(r.u, m);
    tCols = r.tCols;
    qCols = iknpSend({ delta, keys: chosen, calls: 0 }, r.u, m, 1).qCols;
  } else {
    const setup = softSpokenReceiverSetup(2, keys0, keys1);
    const ggm = setup.message.slice();
    tamperSetup?.(ggm);
    const snd = softSpokenSenderSetup(2, delta, chosen, ggm, 1);
    const r = softSpokenReceive(setup.state, choice, m);
    tamper(r.u, m);
    tCols = r.tCols;
    qCols = softSpokenSend(snd, r.u, m, 1).qCols;
  }
  const chi = checkChallenges(randomBytes(32), 0, 1, 0, m);
  const response = checkResponse(tCols, choice, m, chi);
  guess?.(chi, response);
  try {
    verifyResponse(qCols, m, delta, chi, response, 1);
    return { delta, caught: false };
  } catch (e) {
    expect(e).toMatchObject({ code: 'MALICIOUS_ABORT', party: 1 });
    return { delta, caught: true };
  }
}

describe('KOS15 / SoftSpokenOT check: caught with the stated probability', () => {
  const TRIALS = 48;

  it('IKNP, one flipped column i: caught exactly when Δ_i = 1 (probability 1/2), both outcomes seen', () => {
    let caught = 0;
    for (let n = 0; n < TRIALS; n++) {
      const col = n % 128;
      const r = trial(1, (u, m) => flip(u, m, col, 7));
      expect(r.caught).toBe(bit(r.delta, col) === 1);
      caught += +r.caught;
    }
    // Binomial(48, 1/2): outside [10, 38] with probability < 1e-5.
    expect(caught).toBeGreaterThanOrEqual(10);
    expect(caught).toBeLessThanOrEqual(38);
  });

  it('IKNP, ℓ = 8 flipped columns: passes only if all 8 Δ bits are 0 (probability 2^−8)', () => {
    let passed = 0;
    for (let n = 0; n < TRIALS; n++) {
      const cols = Array.from({ length: 8 }, (_, i) => (16 * i + n) % 128);
      const r = trial(1, (u, m) => cols.forEach((c, i) => flip(u, m, c, 3 + i)));
      expect(r.caught).toBe(cols.some((c) => bit(r.delta, c) === 1));
      passed += +!r.caught;
    }
    expect(passed).toBeLessThanOrEqual(3); // Binomial(48, 2^−8): > 3 with probability < 1e-4
  });

  it('IKNP: an adversary that also adjusts (x, t) for a guess g of Δ_i passes exactly when g = Δ_i', () => {
    for (let n = 0; n < 16; n++) {
      const col = (37 * n) % 128, row = 11, g = n & 1;
      const r = trial(
        1,
        (u, m) => flip(u, m, col, row),
        (chi, resp) => {
          // t' = t ⊕ g·χ_row·X^col, the sender's q-sum if Δ_col = g
          const xi = new Uint32Array(4);
          xi[col >>> 5] = 1 << (col & 31);
          const d = gfMul(chi.subarray(4 * row, 4 * row + 4), xi);
          const t = new Uint32Array(resp.buffer, 16, 4);
          if (g) for (let w = 0; w < 4; w++) t[w] ^= d[w];
        },
      );
      expect(r.caught).toBe(bit(r.delta, col) !== g);
    }
  });

  it('SoftSpokenOT k=2, one flipped block correction: caught exactly when (Δ_2b, Δ_2b+1) ≠ (0, 0) (probability 3/4)', () => {
    let caught = 0;
    for (let n = 0; n < TRIALS; n++) {
      const b = n % 64;
      const r = trial(2, (u, m) => flip(u, m, b, 5));
      expect(r.caught).toBe((bit(r.delta, 2 * b) | bit(r.delta, 2 * b + 1)) === 1);
      caught += +r.caught;
    }
    expect(caught).toBeGreaterThanOrEqual(24); // Binomial(48, 3/4): < 24 with probability < 1e-4
  });

  it('SoftSpokenOT k=2, a forged GGM correction (right children of level d): caught exactly when Δ_i = 0 for that level', () => {
    // The sender uses the right-children sum of base OT i = 2b + d only when Δ_i = 0 (its
    // off-path side), so the forgery changes its leaves — and then its rows — only then.
    let caught = 0;
    for (let n = 0; n < TRIALS; n++) {
      const i = (5 * n) % 128;
      const r = trial(2, () => undefined, undefined, (ggm) => {
        ggm[(2 * i + 1) * 32] ^= 1;
      });
      expect(r.caught).toBe(bit(r.delta, i) === 0);
      caught += +r.caught;
    }
    expect(caught).toBeGreaterThanOrEqual(10);
    expect(caught).toBeLessThanOrEqual(38);
  });

  it('negative control: an honest receiver always passes', () => {
    for (const k of [1, 2] as const) for (let n = 0; n < 8; n++) expect(trial(k, () => undefined).caught).toBe(false);
  });
});
