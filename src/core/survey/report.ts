/**
 * A contributor's report: for every question, Prio3 shards the answer into a public share
 * and two input shares (draft-irtf-cfrg-vdaf-08 §5.1), and each input share is sealed with
 * HPKE to its aggregator. The 16-byte report id is the VDAF nonce (as in DAP), so a replayed
 * report is the same report, which the server stores once.
 *
 * HPKE binding, after DAP's (draft-ietf-ppm-dap §4.4.2): info = "parley survey input share"
 * ‖ 0x00 ‖ aggregator index; aad = survey id ‖ report id ‖ question index ‖ public share.
 * A share moved to another survey, report, question or public share no longer opens.
 *
 * What leaves the tab: the upload (ciphertexts and public shares whose size depends only on
 * the descriptor, never on the answer) and its time.
 */
import { Buffer } from 'buffer';
import { sha256 } from '@noble/hashes/sha2.js';
import { b64urlDecode, b64urlEncode } from './b64';
import { isSurveyId, type SurveyDescriptor } from './descriptor';
import { HPKE_ENC_BYTES, HPKE_TAG_BYTES, sealTo } from './crypto';
import { SurveyError } from './errors';
import { vdafsFor, type QuestionVdaf } from './vdaf';

export const REPORT_ID_BYTES = 16;

export interface ReportUpload {
  /** base64url report id (= VDAF nonce). */
  id: string;
  /** Per Prio3 part (vdafsFor order): the Prio3 public share. */
  public: string[];
  /** sealed[aggregator][part]: HPKE enc ‖ ciphertext of that aggregator's input share. */
  sealed: [string[], string[]];
}

const utf8 = (s: string) => new TextEncoder().encode(s);

export function shareInfo(aggregator: 0 | 1): Uint8Array {
  const label = utf8('parley survey input share');
  const out = new Uint8Array(label.length + 2);
  out.set(label);
  out[label.length + 1] = aggregator;
  return out;
}

export function shareAad(surveyId: string, reportId: Uint8Array, question: number, publicShare: Uint8Array): Uint8Array {
  const sid = b64urlDecode(surveyId);
  const out = new Uint8Array(sid.length + reportId.length + 1 + publicShare.length);
  out.set(sid, 0);
  out.set(reportId, sid.length);
  out[sid.length + reportId.length] = question;
  out.set(publicShare, sid.length + reportId.length + 1);
  return out;
}

/** Make a report from the contributor's answers (one string per question, as typed). */
export async function makeReport(d: SurveyDescriptor, answers: readonly string[], vdafs: QuestionVdaf[] = vdafsFor(d)): Promise<ReportUpload> {
  if (answers.length !== d.questions.length) throw new SurveyError('BAD_ANSWER', `expected ${d.questions.length} answers, got ${answers.length}`);
  const measurements = vdafs.map((v) => v.encode(answers[v.index]));
  const reportId = crypto.getRandomValues(new Uint8Array(REPORT_ID_BYTES));
  return shardAndSeal(d, reportId, measurements, vdafs);
}

/** The step after validation; tests use it to build reports a modified client would send. */
export async function shardAndSeal(d: SurveyDescriptor, reportId: Uint8Array, measurements: readonly unknown[], vdafs: QuestionVdaf[]): Promise<ReportUpload> {
  const nonce = Buffer.from(reportId);
  const upload: ReportUpload = { id: b64urlEncode(reportId), public: [], sealed: [[], []] };
  for (let q = 0; q < vdafs.length; q++) {
    const { vdaf } = vdafs[q];
    const rand = Buffer.from(crypto.getRandomValues(new Uint8Array(vdaf.randSize)));
    const { publicShare, inputShares } = await (vdaf.shardEncoded as (m: unknown, n: Buffer, r: Buffer) => Promise<{ publicShare: Buffer; inputShares: Buffer[] }>)(measurements[q], nonce, rand);
    const pub = new Uint8Array(publicShare);
    upload.public.push(b64urlEncode(pub));
    const aad = shareAad(d.id, reportId, q, pub);
    for (const a of [0, 1] as const) {
      upload.sealed[a].push(b64urlEncode(await sealTo(d.aggregators[a].key, shareInfo(a), aad, new Uint8Array(inputShares[a]))));
    }
  }
  return upload;
}

/** Byte lengths every honest report of this descriptor has (the server checks them). */
export interface ReportShape {
  public: number[];
  sealed: [number[], number[]];
}

const shapes = new Map<string, Promise<ReportShape>>();

/** Cached per question list; the server asks on every upload, so the Prio3 instances are built on a miss only. */
export function reportShape(d: SurveyDescriptor, vdafs?: QuestionVdaf[]): Promise<ReportShape> {
  const key = JSON.stringify(d.questions);
  let p = shapes.get(key);
  if (!p) {
    p = (async () => {
      const shape: ReportShape = { public: [], sealed: [[], []] };
      for (const { vdaf, question } of vdafs ?? vdafsFor(d)) {
        const m = question.kind === 'numbers' ? new Array<number>(question.length).fill(0) : question.kind === 'choice' ? 0 : 0n;
        const r = await (vdaf.shardEncoded as (m: unknown, n: Buffer, r: Buffer) => Promise<{ publicShare: Buffer; inputShares: Buffer[] }>)(
          m,
          Buffer.alloc(REPORT_ID_BYTES),
          Buffer.alloc(vdaf.randSize),
        );
        shape.public.push(r.publicShare.length);
        for (const a of [0, 1] as const) shape.sealed[a].push(HPKE_ENC_BYTES + r.inputShares[a].length + HPKE_TAG_BYTES);
      }
      return shape;
    })();
    shapes.set(key, p);
    if (shapes.size > 256) shapes.delete(shapes.keys().next().value as string);
  }
  return p;
}

function b64Field(v: unknown, what: string, bytes: number): string {
  if (typeof v !== 'string') throw new SurveyError('BAD_REPORT', `${what} must be base64url text`);
  let decoded: Uint8Array;
  try {
    decoded = b64urlDecode(v);
  } catch {
    throw new SurveyError('BAD_REPORT', `${what} is not base64url`);
  }
  if (decoded.length !== bytes) throw new SurveyError('BAD_REPORT', `${what} has ${decoded.length} bytes, expected ${bytes}`);
  return v;
}

/** The one validator for uploads arriving at the server: shape and sizes only (it cannot open them). */
export function parseUpload(v: unknown, shape: ReportShape): ReportUpload {
  if (typeof v !== 'object' || v === null) throw new SurveyError('BAD_REPORT', 'report is not an object');
  const o = v as Record<string, unknown>;
  const id = b64Field(o.id, 'report id', REPORT_ID_BYTES);
  const n = shape.public.length;
  if (!Array.isArray(o.public) || o.public.length !== n) throw new SurveyError('BAD_REPORT', `report must have ${n} public shares`);
  const pub = o.public.map((x, q) => b64Field(x, `public share ${q + 1}`, shape.public[q]));
  if (!Array.isArray(o.sealed) || o.sealed.length !== 2) throw new SurveyError('BAD_REPORT', 'report must have shares for two aggregators');
  const sealed = o.sealed.map((list: unknown, a) => {
    if (!Array.isArray(list) || list.length !== n) throw new SurveyError('BAD_REPORT', `report must have ${n} shares for aggregator ${a + 1}`);
    return list.map((x, q) => b64Field(x, `share ${q + 1} for aggregator ${a + 1}`, shape.sealed[a][q]));
  }) as [string[], string[]];
  return { id, public: pub, sealed };
}

/** What the contributor keeps: proof of what was stored, not of what was answered. */
export function uploadDigest(u: ReportUpload): string {
  return b64urlEncode(sha256(utf8(JSON.stringify([u.id, u.public, u.sealed])))).slice(0, 22);
}

export { isSurveyId };
