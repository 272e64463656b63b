/**
 * fast-sum.ts against @divviup/prio3 as published (differential): for random reports of
 * several bit widths, and for malformed and malicious ones, both aggregators' preparation
 * (share bytes, output share, joint-randomness seed) and the helper's decision (message
 * bytes, or a refusal) must be what the library gives, and the library's `prepareNext`
 * must accept the fast state. Deterministic: every random byte comes from a fixed seed.
 */
import { Buffer } from 'buffer';
import { describe, expect, it } from 'vitest';
import { Prio3Count, Prio3Histogram, Prio3Sum, type Prio3 } from '@divviup/prio3';
import { turboshake128 } from '@noble/hashes/sha3-addons.js';
import { accelerate } from './fast-prio3';
import { fastSum, isFastSum } from './fast-sum';
import { decodeInputShare, decodePrepShare, decodePublicShare } from './prio3-codec';

type AnyPrio3 = Prio3<unknown, unknown>;

/** Deterministic bytes: TurboSHAKE128 of a label and a counter. */
function stream(label: string) {
  let i = 0;
  const enc = new TextEncoder();
  return (n: number) => turboshake128(enc.encode(`${label}/${i++}`), { dkLen: n });
}

type Outcome<T> = { ok: T } | { throws: true };
async function outcome<T>(f: () => T | Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: await f() };
  } catch {
    return { throws: true };
  }
}
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

interface Wire {
  nonce: Uint8Array;
  pub: Uint8Array;
  inputs: [Uint8Array, Uint8Array];
}

/** Both ways, one report: the library's preparation (decoded as the aggregators decode) and the fast one. */
async function compare(lib: AnyPrio3, w: Wire, vk: Uint8Array, tamperLeaderShare?: (b: Uint8Array) => Uint8Array) {
  const fast = fastSum(lib as unknown as Prio3Sum);
  const nonce = Buffer.from(w.nonce);
  const libPrep = await Promise.all(
    ([0, 1] as const).map((j) =>
      outcome(async () => {
        const prep = await lib.prepareInit(Buffer.from(vk), j, null, nonce, decodePublicShare(lib, w.pub), await decodeInputShare(lib, j, w.inputs[j]));
        return { share: new Uint8Array(lib.encodePreparationShare(prep.preparationShare)), state: prep.preparationState };
      }),
    ),
  );
  const fastPrep = await Promise.all(([0, 1] as const).map((j) => outcome(() => fast.init(vk, j, w.nonce, w.pub, w.inputs[j]))));
  const view = (o: Outcome<{ share: Uint8Array; state: { outputShare: bigint[]; correctedJointRandSeed: Buffer } }>) =>
    'ok' in o ? { share: hex(o.ok.share), out: o.ok.state.outputShare, seed: hex(o.ok.state.correctedJointRandSeed) } : 'throws';
  expect(fastPrep.map(view)).toEqual(libPrep.map(view));
  if (!('ok' in libPrep[0] && 'ok' in libPrep[1] && 'ok' in fastPrep[0] && 'ok' in fastPrep[1])) return { prepared: false, valid: false };
  const leader = tamperLeaderShare ? tamperLeaderShare(fastPrep[0].ok.share) : fastPrep[0].ok.share;
  const helper = fastPrep[1].ok.share;
  const libMsg = await outcome(async () => hex(lib.encodePreparationMessage(await lib.unshardPreparationShares(null, [decodePrepShare(lib, leader), decodePrepShare(lib, helper)]))));
  const fastMsg = await outcome(() => hex(fast.unshard(leader, helper)));
  expect(fastMsg).toEqual(libMsg);
  if ('ok' in fastMsg) {
    for (const j of [0, 1]) {
      const state = (fastPrep[j] as unknown as { ok: { state: never } }).ok.state;
      const next = await outcome(() => lib.prepareNext(state, { jointRand: Buffer.from(fastMsg.ok, 'hex') }));
      const libNext = await outcome(() => lib.prepareNext((libPrep[j] as unknown as { ok: { state: never } }).ok.state, { jointRand: Buffer.from(fastMsg.ok, 'hex') }));
      expect(next).toEqual(libNext);
    }
  }
  return { prepared: true, valid: 'ok' in fastMsg };
}

/** An honest report's wire bytes, sharded by the library. */
async function shard(lib: AnyPrio3, m: unknown, bytes: (n: number) => Uint8Array): Promise<Wire> {
  const nonce = bytes(16);
  const { publicShare, inputShares } = await lib.shard(m, Buffer.from(nonce), Buffer.from(bytes(lib.randSize)));
  return { nonce, pub: new Uint8Array(lib.encodePublicShare(publicShare)), inputs: [new Uint8Array(lib.encodeInputShare(inputShares[0])), new Uint8Array(lib.encodeInputShare(inputShares[1]))] };
}

describe('fast Prio3Sum preparation = the library', () => {
  it('applies only to two-share Prio3Sum', () => {
    expect(isFastSum(new Prio3Sum({ shares: 2, bits: 8 }))).toBe(true);
    expect(isFastSum(accelerate(new Prio3Sum({ shares: 2, bits: 8 })))).toBe(true);
    expect(isFastSum(new Prio3Sum({ shares: 3, bits: 8 }))).toBe(false);
    expect(isFastSum(new Prio3Count({ shares: 2 }))).toBe(false);
    expect(isFastSum(new Prio3Histogram({ shares: 2, length: 4, chunkLength: 2 }))).toBe(false);
  });

  it.each([1, 2, 3, 8, 16, 20, 33])('random valid reports, %i bits: same shares, states, messages', { timeout: 60_000 }, async (bits) => {
    const lib = new Prio3Sum({ shares: 2, bits }) as unknown as AnyPrio3;
    const bytes = stream(`valid ${bits}`);
    for (let k = 0; k < 12; k++) {
      const m = BigInt('0x' + hex(bytes(8))) % 2n ** BigInt(bits);
      const vk = bytes(16);
      expect(await compare(lib, await shard(lib, k === 0 ? 0n : k === 1 ? 2n ** BigInt(bits) - 1n : m, bytes), vk)).toEqual({ prepared: true, valid: true });
    }
  });

  it('malicious reports: out of range, corrupted proof, tampered shares and messages are refused exactly where the library refuses them', { timeout: 60_000 }, async () => {
    const bits = 8;
    const bytes = stream('malicious');
    const honest = new Prio3Sum({ shares: 2, bits }) as unknown as AnyPrio3;
    const vk = bytes(16);
    type Flp = { encode(m: unknown): bigint[]; prove(...a: unknown[]): bigint[] };
    const outcomes: string[] = [];
    const record = (what: string, r: { prepared: boolean; valid: boolean }) => outcomes.push(`${what}: ${r.prepared ? (r.valid ? 'valid' : 'refused by proof') : 'malformed'}`);

    for (let k = 0; k < 4; k++) {
      // bits that are not bits
      const liar = new Prio3Sum({ shares: 2, bits }) as unknown as AnyPrio3;
      (liar.flp as unknown as Flp).encode = () => Array.from({ length: bits }, (_, i) => (i === k ? 2n + BigInt(k) : 0n));
      record('out of range', await compare(honest, await shard(liar, 0n, bytes), vk));
      // one proof element off by one (a different one each time)
      const forger = new Prio3Sum({ shares: 2, bits }) as unknown as AnyPrio3;
      const flp = forger.flp as unknown as Flp;
      const prove = flp.prove.bind(flp);
      flp.prove = (...a: unknown[]) => {
        const p = prove(...a);
        p[k * 7] = (p[k * 7] + 1n) % honest.flp.field.modulus;
        return p;
      };
      record('corrupt proof', await compare(honest, await shard(forger, 5n, bytes), vk));
    }
    const w = await shard(honest, 77n, bytes);
    const flipped = (b: Uint8Array, i: number) => {
      const c = b.slice();
      c[i % c.length] ^= 1 << (i % 8);
      return c;
    };
    for (let i = 0; i < 6; i++) {
      record('leader share bit flip', await compare(honest, { ...w, inputs: [flipped(w.inputs[0], i * 97), w.inputs[1]] }, vk));
      record('helper share bit flip', await compare(honest, { ...w, inputs: [w.inputs[0], flipped(w.inputs[1], i * 5)] }, vk));
      record('public share bit flip', await compare(honest, { ...w, pub: flipped(w.pub, i * 11) }, vk));
      // bytes 0–47: the verifier share (refused by the proof); 48–63: the joint-randomness part (refused by prepareNext, compared above)
      record(i * 13 < 48 ? 'leader verifier share bit flip' : 'leader joint-randomness part bit flip', await compare(honest, w, vk, (b) => flipped(b, i * 13)));
    }
    // an element ≥ p in the leader's share, and wrong lengths: both refuse before any proof
    const big = w.inputs[0].slice();
    big.fill(0xff, 0, 16);
    record('element ≥ p', await compare(honest, { ...w, inputs: [big, w.inputs[1]] }, vk));
    record('short leader share', await compare(honest, { ...w, inputs: [w.inputs[0].subarray(1), w.inputs[1]] }, vk));
    record('long helper share', await compare(honest, { ...w, inputs: [w.inputs[0], new Uint8Array([...w.inputs[1], 0])] }, vk));
    record('short public share', await compare(honest, { ...w, pub: w.pub.subarray(1) }, vk));
    record('honest', await compare(honest, w, vk));
    // the library's verdicts, which the fast path matched case by case above
    expect(outcomes.filter((o) => o.startsWith('out of range') || o.startsWith('corrupt proof')).every((o) => o.endsWith('refused by proof'))).toBe(true);
    expect(outcomes.filter((o) => o.startsWith('leader verifier share')).every((o) => o.endsWith('refused by proof'))).toBe(true);
    expect(outcomes.slice(-5)).toEqual(['element ≥ p: malformed', 'short leader share: malformed', 'long helper share: malformed', 'short public share: malformed', 'honest: valid']);
  });
});
