/**
 * What the two aggregators tell each other about a report (issue 17, "the server and any one
 * aggregator together learn nothing beyond the aggregate"): the real protocol runs over the
 * in-memory mailbox, every envelope is recorded and opened with the receiver's key, and each
 * aggregator's view of the other is checked to be simulatable from what it already holds plus
 * one bit (valid or not) and uniform randomness:
 *
 * - the helper receives the leader's preparation share (verifier share, joint-randomness
 *   part). Added to its own verifier share it gives the FLP verifier (v, u, g(u)), Prio3Sum's
 *   PolyEval gadget g(x) = x² − x. For a valid report v = 0, g(u) is fixed by u, and the
 *   leader's joint-randomness part equals the one in the public share: the whole view is a
 *   function of the helper's own input share and u. u is the wire polynomial at the query
 *   point t, which the helper knows (verify key and nonce): u = s·L₀(t) + Σᵢ xᵢ·Lᵢ₊₁(t), with
 *   Lₖ the Lagrange basis on the 16th roots of unity, x the answer's bits and s the proof's
 *   blinding element. So the helper can compute, for any candidate answer a,
 *   r_a = (u − Σᵢ aᵢ·Lᵢ₊₁(t)) / L₀(t): the blinding element if the answer were a. Zero
 *   knowledge means r_a looks uniform for every a, the true one included; the test checks
 *   the equalities exactly and that r_0, r_255 (each bit balanced, 7σ) look uniform for
 *   reports of answer 0 and of answer 255;
 * - the leader receives the helper's preparation message, which must equal the joint-
 *   randomness seed the leader computes alone (its own preparation state), byte for byte, or
 *   a rejection reason.
 * Negative controls (the same checks must fail): a client whose proof has a fixed blinding
 *   element (s = 1: valid proofs, no zero knowledge), where r_0 = 1 for every answer-0 report;
 *   and a helper engine that sends its verifier share in place of the preparation message.
 * False failure: 64 bits × 4 checks × P(|z| > 7) ≈ 7e-10 per run.
 */
import { Buffer } from 'buffer';
import { describe, expect, it } from 'vitest';
import type { Prio3 } from '@divviup/prio3';
import { unwrap, runAggregator } from './aggregator';
import { b64urlDecode, b64urlEncode } from './b64';
import { openWith } from './crypto';
import type { SurveyDescriptor } from './descriptor';
import { memoryAggregatorIo } from './memory-io';
import { localPrepEngine, verifyKeyFor, type PrepEngineFactory } from './prep-engine';
import { decodeInputShare, decodePrepShare, decodePublicShare } from './prio3-codec';
import { makeReport, shardAndSeal, shareAad, shareInfo, type ReportUpload } from './report';
import { maliciousReport, testSurvey } from './survey.test-helpers';
import { vdafsFor } from './vdaf';
import type { AggregatorSecret } from './crypto';
import { bitBalanceOk } from '../test-stats.test-helpers';

type AnyPrio3 = Prio3<unknown, unknown>;
const REASONS = new Set(['undecryptable', 'malformed', 'proof', 'joint-randomness', 'missing']);

/** Run both aggregators over the uploads, keeping every envelope as it was sent. */
async function runAndRecord(d: SurveyDescriptor, secrets: readonly AggregatorSecret[], uploads: ReportUpload[], helperEngine?: PrepEngineFactory) {
  const sent: { from: number; seq: number; envelope: string }[] = [];
  const { io } = memoryAggregatorIo(uploads, (from, seq, envelope) => {
    sent.push({ from, seq, envelope });
    return envelope;
  });
  await Promise.all([runAggregator(d, 0, secrets[0], io(0), { chunk: 64 }), runAggregator(d, 1, secrets[1], io(1), { chunk: 64, engine: helperEngine })]);
  const bodies = async (from: 0 | 1) =>
    Promise.all(sent.filter((s) => s.from === from).map(async (s) => (await unwrap(d, (1 - from) as 0 | 1, secrets[1 - from], undefined, s.seq, s.envelope)).body as Record<string, unknown>));
  return { toHelper: await bodies(0), toLeader: await bodies(1) };
}

/** One aggregator's own input share and public share of question 0 of a report. */
async function ownShare(d: SurveyDescriptor, secret: AggregatorSecret, me: 0 | 1, vdaf: AnyPrio3, u: ReportUpload) {
  const id = b64urlDecode(u.id);
  const pub = b64urlDecode(u.public[0]);
  const plain = await openWith(secret, shareInfo(me), shareAad(d.id, id, 0, pub), b64urlDecode(u.sealed[me][0]));
  return { nonce: Buffer.from(id), publicShare: decodePublicShare(vdaf, pub), input: await decodeInputShare(vdaf, me, plain) };
}

/**
 * Both views, checked against their simulators. Returns u (low 64 bits) per report id of a
 * valid report, and the list of exact-simulation failures (empty when every message is what
 * the simulator outputs).
 */
async function analyse(d: SurveyDescriptor, secrets: readonly AggregatorSecret[], uploads: ReportUpload[], helperEngine?: PrepEngineFactory) {
  const vdaf = vdafsFor(d)[0].vdaf as unknown as AnyPrio3;
  const field = vdaf.flp.field;
  const { toHelper, toLeader } = await runAndRecord(d, secrets, uploads, helperEngine);
  const start = toHelper[0] as { type: string; seed: string; ids: string[] };
  expect(start.type).toBe('start');
  const vk = verifyKeyFor(b64urlDecode(start.seed), 0, vdaf.verifyKeySize);
  const byId = new Map(uploads.map((u) => [u.id, u]));
  const problems: string[] = [];
  const u = new Map<string, { u: bigint; t: bigint }>();
  const invalid: string[] = [];
  const prep = toHelper.filter((b) => b.type === 'prep') as { chunk: number; shares: (string[] | null)[] }[];
  const msgs = toLeader.filter((b) => b.type === 'msgs') as { chunk: number; messages: (string[] | string)[] }[];
  expect(prep.length).toBe(Math.ceil(start.ids.length / 64));
  expect(msgs.length).toBe(prep.length);
  for (const [c, chunk] of prep.entries()) {
    for (const [i, leaderShare] of chunk.shares.entries()) {
      const id = start.ids[c * 64 + i];
      const upload = byId.get(id)!;
      // helper's view: the leader's preparation share next to its own
      const h = await ownShare(d, secrets[1], 1, vdaf, upload);
      const mine = (await vdaf.prepareInit(vk, 1, null, h.nonce, h.publicShare, h.input)).preparationShare;
      const theirs = decodePrepShare(vdaf, b64urlDecode(leaderShare![0]));
      const verifier = field.vecAdd(theirs.verifiersShare, mine.verifiersShare);
      const valid = vdaf.flp.decide(verifier);
      if (!Buffer.from(theirs.jointRandomnessPart).equals(Buffer.from(h.publicShare.jointRandParts[0]))) problems.push(`${id}: leader's joint-randomness part is not the public one`);
      // leader's view: the helper's reply next to what the leader computes alone
      const reply = msgs[c].messages[i];
      if (!valid) {
        invalid.push(id);
        if (typeof reply !== 'string' || !REASONS.has(reply)) problems.push(`${id}: invalid report answered with more than a reason`);
        continue;
      }
      if (verifier.length !== 3 || verifier[0] !== 0n || verifier[2] !== field.sub(field.mul(verifier[1], verifier[1]), verifier[1])) problems.push(`${id}: verifier is not (0, u, u² − u)`);
      // the query point, as prepareInit derives it (the library's private helper, usage 5 = query randomness)
      const [t] = await (vdaf as unknown as { pseudorandom(n: number, usage: number, seed: Buffer, binder: Buffer): Promise<bigint[]> }).pseudorandom(1, 5, vk, Buffer.concat([Buffer.of(1), h.nonce]));
      u.set(id, { u: verifier[1], t });
      const l = await ownShare(d, secrets[0], 0, vdaf, upload);
      const alone = (await vdaf.prepareInit(vk, 0, null, l.nonce, l.publicShare, l.input)).preparationState.correctedJointRandSeed;
      if (!Array.isArray(reply) || reply.length !== 1 || reply[0] !== b64urlEncode(alone)) problems.push(`${id}: helper's message is not the leader's own joint-randomness seed`);
    }
  }
  return { u, invalid, problems };
}

/** r_a for Prio3Sum over `bits` bits: the proof's blinding element if the answer were a (see the header). */
function blindingIf(vdaf: AnyPrio3, bits: number, a: number, { u, t }: { u: bigint; t: bigint }): bigint {
  const f = vdaf.flp.field;
  const n = 2 ** Math.ceil(Math.log2(1 + bits)); // wire length: the blinding element, then one call per bit
  const alpha = f.exp(f.generator, f.genOrder / BigInt(n));
  const roots = Array.from({ length: n }, (_, k) => f.exp(alpha, BigInt(k)));
  const at = (ys: bigint[]) => f.evalPoly(f.interpolate(roots, ys), t);
  const l0 = at(roots.map((_, k) => (k === 0 ? 1n : 0n)));
  const rest = at(roots.map((_, k) => (k >= 1 && k <= bits ? BigInt((a >> (k - 1)) & 1) : 0n)));
  return f.mul(f.sub(u, rest), f.exp(l0, f.modulus - 2n));
}

const question = { kind: 'number', label: 'v', min: 0, max: 255 } as const;
const PER_ANSWER = 128;

describe('survey: what the aggregators learn from each other', () => {
  it("each aggregator's view of the other is simulated exactly, up to a uniform u, for answers 0 and 255; invalid reports cost one bit", { timeout: 120_000 }, async () => {
    const { d, secrets } = await testSurvey({ questions: [question] });
    const answers = Array.from({ length: 2 * PER_ANSWER }, (_, i) => (i % 2 ? '255' : '0'));
    const honest = await Promise.all(answers.map((a) => makeReport(d, [a])));
    const bad = [await maliciousReport(d, 'sum-out-of-range'), await maliciousReport(d, 'corrupt-proof')];
    const { u, invalid, problems } = await analyse(d, secrets, [...honest, ...bad], undefined);
    expect(problems).toEqual([]);
    expect(invalid.sort()).toEqual(bad.map((b) => b.id).sort());
    const vdaf = vdafsFor(d)[0].vdaf as unknown as AnyPrio3;
    for (const answer of ['0', '255']) {
      const views = honest.filter((_, i) => answers[i] === answer).map((r) => u.get(r.id)!);
      expect(views.length).toBe(PER_ANSWER);
      for (const candidate of [0, 255]) {
        const r = BigUint64Array.from(views.map((v) => BigInt.asUintN(64, blindingIf(vdaf, 8, candidate, v))));
        expect(bitBalanceOk(r, 7), `answer ${answer}, candidate ${candidate}`).toBe(true);
      }
    }
  });

  it('negative control: a proof with a fixed blinding element (s = 1) shows in r_0', { timeout: 120_000 }, async () => {
    const { d, secrets } = await testSurvey({ questions: [question] });
    const vdafs = vdafsFor(d);
    const leaky = vdafs[0].vdaf as unknown as { flp: { proveRandLen: number }; proveRands: () => Promise<bigint[]> };
    leaky.proveRands = async () => new Array<bigint>(leaky.flp.proveRandLen).fill(1n);
    const uploads = await Promise.all(Array.from({ length: PER_ANSWER }, () => shardAndSeal(d, crypto.getRandomValues(new Uint8Array(16)), [0n], vdafs)));
    const { u, invalid, problems } = await analyse(d, secrets, uploads);
    expect(invalid).toEqual([]); // still valid proofs: only privacy is lost
    expect(problems).toEqual([]);
    const vdaf = vdafsFor(d)[0].vdaf as unknown as AnyPrio3;
    const r = uploads.map((x) => blindingIf(vdaf, 8, 0, u.get(x.id)!));
    expect(new Set(r)).toEqual(new Set([1n])); // the helper recovers the planted blinding: the formula is right
    expect(bitBalanceOk(BigUint64Array.from(r.map((x) => BigInt.asUintN(64, x))), 7)).toBe(false);
    // and u alone (what a test without t would look at) hides it: the check needs the query point
    expect(bitBalanceOk(BigUint64Array.from(uploads.map((x) => BigInt.asUintN(64, u.get(x.id)!.u))), 7)).toBe(true);
  });

  it("negative control: a helper that sends its verifier share instead of the message is caught by the leader's simulator", { timeout: 120_000 }, async () => {
    const { d, secrets } = await testSurvey({ questions: [question] });
    const uploads = await Promise.all(Array.from({ length: 8 }, (_, i) => makeReport(d, [String(i * 30)])));
    const leakyHelper: PrepEngineFactory = (setup) => {
      const engine = localPrepEngine(setup);
      return {
        ...engine,
        async helperStep(reports, leaderShares) {
          const steps = await engine.helperStep(reports, leaderShares);
          const vdaf = vdafsFor(setup.descriptor)[0].vdaf as unknown as AnyPrio3;
          const vk = verifyKeyFor(setup.seed, 0, vdaf.verifyKeySize);
          return Promise.all(
            steps.map(async (s, i) => {
              if (typeof s === 'string') return s;
              const h = await ownShare(setup.descriptor, setup.secret, 1, vdaf, { ...uploads.find((x) => x.id === reports[i]!.id)! });
              const mine = (await vdaf.prepareInit(vk, 1, null, h.nonce, h.publicShare, h.input)).preparationShare;
              return { ...s, messages: [b64urlEncode(vdaf.encodePreparationShare(mine))] };
            }),
          );
        },
      };
    };
    const { problems } = await analyse(d, secrets, uploads, leakyHelper);
    expect(problems.length).toBe(uploads.length);
    expect(problems[0]).toMatch(/not the leader's own joint-randomness seed/);
  });
});
