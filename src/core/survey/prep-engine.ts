/**
 * The per-report work of the two aggregators (aggregator.ts drives the protocol around it):
 * - leader, step 1: open its sealed input shares (HPKE), decode them and run Prio3's
 *   `prepareInit` for every question, giving its preparation shares for the helper;
 * - helper, steps 1–2: the same for its own shares, then with the leader's preparation shares
 *   decide the validity proof (`unshardPreparationShares`) and check its joint randomness
 *   (`prepareNext`), giving the preparation messages for the leader and its output shares.
 * Prio3Sum with two shares runs on fast-sum.ts (the same computation from bytes to bytes,
 * checked against the library and the draft's vectors); every other circuit on the library.
 * Reports are independent, so the work splits across threads: a `PrepEngine` takes a whole
 * slice of a chunk at a time. `localPrepEngine` runs it in this thread; the Node aggregator
 * spreads it over worker threads with the same functions (src/cli/survey-prep-pool.ts, `--threads`).
 * Nothing here does I/O; the secret never leaves the engine's owner (a worker thread of the
 * same process gets the same non-extractable CryptoKey, cloned by the runtime).
 */
import { Buffer } from 'buffer';
import { sha256 } from '@noble/hashes/sha2.js';
import type { Prio3 } from '@divviup/prio3';
import { concatBytes as cat } from '../codec';
import { b64urlDecode, b64urlEncode } from './b64';
import { openWith, type AggregatorSecret } from './crypto';
import type { SurveyDescriptor } from './descriptor';
import { fastSum, isFastSum } from './fast-sum';
import { decodeInputShare, decodePrepMessage, decodePrepShare, decodePublicShare } from './prio3-codec';
import { REPORT_ID_BYTES, shareAad, shareInfo } from './report';
import { vdafsFor, type QuestionVdaf } from './vdaf';

type AnyPrio3 = Prio3<unknown, unknown>;
export type PrepState = Awaited<ReturnType<AnyPrio3['prepareInit']>>['preparationState'];
export type OutputShare = bigint[];

/** One report as the server hands it to one aggregator: public shares and its own sealed shares. */
export interface StoredShare {
  id: string;
  public: string[];
  sealed: string[];
}

export type RejectReason = 'undecryptable' | 'malformed' | 'proof' | 'joint-randomness' | 'missing';

/** Leader, step 1, per report: its states and base64url preparation shares, or why it cannot start. */
export type LeaderInit = { states: PrepState[]; shares: string[] } | RejectReason;
/** Helper, per report: messages for the leader and its output shares, or why the report is out. */
export type HelperStep = { messages: string[]; outputs: OutputShare[] } | RejectReason;

export interface PrepSetup {
  descriptor: SurveyDescriptor;
  me: 0 | 1;
  secret: AggregatorSecret;
  /** The leader's 32-byte verify-key seed for this run. */
  seed: Uint8Array;
}

export interface PrepEngine {
  leaderInit(reports: readonly (StoredShare | undefined)[]): Promise<LeaderInit[]>;
  /** `leaderShares[i]`: what the leader sent for report i (an array of shares, or null when it rejected it). */
  helperStep(reports: readonly (StoredShare | undefined)[], leaderShares: readonly unknown[]): Promise<HelperStep[]>;
  close(): Promise<void>;
}

export type PrepEngineFactory = (setup: PrepSetup) => PrepEngine | Promise<PrepEngine>;

const utf8 = (s: string) => new TextEncoder().encode(s);

/** Per question, the verify key both aggregators derive from the leader's seed. */
export function verifyKeyFor(seed: Uint8Array, question: number, size: number): Buffer {
  return Buffer.from(sha256(cat(utf8('parley survey verify key'), seed, Uint8Array.of(question))).subarray(0, size));
}

/** Step "prepareInit" for one report, every question; a reason when it cannot start. */
async function initReport(
  d: SurveyDescriptor,
  me: 0 | 1,
  secret: AggregatorSecret,
  vdafs: QuestionVdaf[],
  vks: Buffer[],
  r: StoredShare | undefined,
): Promise<{ states: PrepState[]; shares: Uint8Array[] } | RejectReason> {
  if (!r) return 'missing';
  const reportId = b64urlDecode(r.id);
  if (reportId.length !== REPORT_ID_BYTES || r.public.length !== vdafs.length || r.sealed.length !== vdafs.length) return 'malformed';
  const nonce = Buffer.from(reportId);
  const states: PrepState[] = [];
  const shares: Uint8Array[] = [];
  for (let q = 0; q < vdafs.length; q++) {
    const vdaf = vdafs[q].vdaf as unknown as AnyPrio3;
    let input: Uint8Array;
    let pub: Uint8Array;
    try {
      pub = b64urlDecode(r.public[q]);
      input = await openWith(secret, shareInfo(me), shareAad(d.id, reportId, q, pub), b64urlDecode(r.sealed[q]));
    } catch {
      return 'undecryptable';
    }
    try {
      if (isFastSum(vdaf)) {
        const prep = fastSum(vdaf).init(vks[q], me, nonce, pub, input);
        states.push(prep.state as PrepState);
        shares.push(prep.share);
        continue;
      }
      const prep = await vdaf.prepareInit(vks[q], me, null, nonce, decodePublicShare(vdaf, pub), await decodeInputShare(vdaf, me, input));
      states.push(prep.preparationState);
      shares.push(vdaf.encodePreparationShare(prep.preparationShare));
    } catch {
      return 'malformed';
    }
  }
  return { states, shares };
}

/** `prepareNext`: the output share, or undefined when the message does not match this aggregator's joint randomness. */
export function finish(vdaf: AnyPrio3, state: PrepState, message: Uint8Array): OutputShare | undefined {
  try {
    const out = vdaf.prepareNext(state, decodePrepMessage(vdaf, message));
    return 'outputShare' in out ? out.outputShare : undefined;
  } catch {
    return undefined;
  }
}

/** The helper's steps 1–2 for one report. */
async function helperReport(init: Awaited<ReturnType<typeof initReport>>, theirs: unknown, vdafs: QuestionVdaf[]): Promise<HelperStep> {
  if (!Array.isArray(theirs)) return 'malformed'; // the leader rejected it (and counts why)
  if (typeof init === 'string') return init;
  const messages: string[] = [];
  const outputs: OutputShare[] = [];
  for (let q = 0; q < vdafs.length; q++) {
    const vdaf = vdafs[q].vdaf as unknown as AnyPrio3;
    let encoded: Uint8Array;
    try {
      const leader = b64urlDecode(String(theirs[q]));
      if (isFastSum(vdaf)) encoded = fastSum(vdaf).unshard(leader, init.shares[q]);
      else {
        const mine = decodePrepShare(vdaf, init.shares[q]);
        encoded = vdaf.encodePreparationMessage(await vdaf.unshardPreparationShares(null, [decodePrepShare(vdaf, leader), mine]));
      }
    } catch {
      return 'proof';
    }
    const out = finish(vdaf, init.states[q], encoded);
    if (!out) return 'joint-randomness';
    outputs.push(out);
    messages.push(b64urlEncode(encoded));
  }
  return { messages, outputs };
}

/** The engine in this thread. */
export function localPrepEngine({ descriptor: d, me, secret, seed }: PrepSetup): PrepEngine {
  const vdafs = vdafsFor(d);
  const vks = vdafs.map((v, q) => verifyKeyFor(seed, q, v.vdaf.verifyKeySize));
  return {
    async leaderInit(reports) {
      const inits = await Promise.all(reports.map((r) => initReport(d, me, secret, vdafs, vks, r)));
      return inits.map((x) => (typeof x === 'string' ? x : { states: x.states, shares: x.shares.map((b) => b64urlEncode(b)) }));
    },
    async helperStep(reports, leaderShares) {
      const inits = await Promise.all(reports.map((r) => initReport(d, me, secret, vdafs, vks, r)));
      return Promise.all(inits.map((init, i) => helperReport(init, leaderShares[i], vdafs)));
    },
    async close() {},
  };
}
