/**
 * The survey descriptor: what a survey asks, when it is open, and which two aggregators
 * compute it (their names and public keys). It is the one thing every party must agree on,
 * so it has one canonical byte form and a digest that the survey link carries:
 * `#/survey/<id>.<digest>`. A contributor's tab fetches the descriptor from the server and
 * refuses it unless SHA-256(canonical bytes) equals the digest in the link, so the server
 * cannot swap an aggregator's key (it would then read both shares) or change a question.
 * This is how rooms pin their host: trust in whoever sent the link, nothing else.
 *
 * Questions map onto the Prio3 circuits of draft-irtf-cfrg-vdaf-08 (as implemented by
 * @divviup/prio3 0.8): a bounded number is Prio3Sum over `bits` bits (the proof shows
 * 0 ≤ value − min < 2^bits; the tab also refuses anything above `max`; with `variance` a
 * second Prio3Sum over 2·bits bits carries (value − min)², see vdaf.ts), a choice is
 * Prio3Histogram (the proof shows exactly one option is chosen), a list of numbers is
 * Prio3SumVec (each entry in 0..2^bits−1).
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { b64urlDecode, b64urlEncode } from './b64';
import { SurveyError } from './errors';

export const SURVEY_VERSION = 1;
export const MAX_QUESTIONS = 8;
export const MAX_OPTIONS = 200;
export const MAX_LIST = 100;
export const MAX_BITS = 32;
/** X25519 public key (HPKE) ‖ Ed25519 public key (signatures), 32 + 32 bytes. */
export const AGGREGATOR_KEY_BYTES = 64;

export type SurveyQuestion =
  | { kind: 'number'; label: string; min: number; max: number; variance?: true }
  | { kind: 'choice'; label: string; options: string[] }
  | { kind: 'numbers'; label: string; length: number; max: number };

export interface SurveyAggregator {
  name: string;
  /** base64url of AGGREGATOR_KEY_BYTES bytes: HPKE key then signing key. */
  key: string;
}

export interface SurveyDescriptor {
  version: typeof SURVEY_VERSION;
  /** 16 random bytes, base64url: names the survey on the server. */
  id: string;
  title: string;
  questions: SurveyQuestion[];
  /** Milliseconds since the epoch. */
  opensAt: number;
  closesAt: number;
  aggregators: [SurveyAggregator, SurveyAggregator];
}

const ID_RE = /^[A-Za-z0-9_-]{22}$/;
export const isSurveyId = (s: unknown): s is string => typeof s === 'string' && ID_RE.test(s);

/** Bits a Prio3Sum needs so that every value in 0..range fits. */
export function bitsFor(range: number): number {
  return Math.max(1, Math.ceil(Math.log2(range + 1)));
}

function text(v: unknown, what: string, max: number): string {
  if (typeof v !== 'string') throw new SurveyError('BAD_DESCRIPTOR', `${what} must be text`);
  const s = v.trim();
  if (s.length === 0) throw new SurveyError('BAD_DESCRIPTOR', `${what} is empty`);
  if (s.length > max) throw new SurveyError('BAD_DESCRIPTOR', `${what} is longer than ${max} characters`);
  return s;
}

function int(v: unknown, what: string, lo: number, hi: number): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw new SurveyError('BAD_DESCRIPTOR', `${what} must be a whole number`);
  if (v < lo || v > hi) throw new SurveyError('BAD_DESCRIPTOR', `${what} must be between ${lo} and ${hi} (got ${v})`);
  return v;
}

function parseQuestion(q: unknown, i: number): SurveyQuestion {
  const where = `question ${i + 1}`;
  if (typeof q !== 'object' || q === null) throw new SurveyError('BAD_DESCRIPTOR', `${where} is not an object`);
  const o = q as Record<string, unknown>;
  const label = text(o.label, `${where}: the question`, 300);
  switch (o.kind) {
    case 'number': {
      const min = int(o.min, `${where}: lowest value`, -(2 ** 40), 2 ** 40);
      const max = int(o.max, `${where}: highest value`, min + 1, min + 2 ** MAX_BITS - 1);
      if (o.variance !== undefined && typeof o.variance !== 'boolean') throw new SurveyError('BAD_DESCRIPTOR', `${where}: variance must be true or false`);
      return o.variance === true ? { kind: 'number', label, min, max, variance: true } : { kind: 'number', label, min, max };
    }
    case 'choice': {
      if (!Array.isArray(o.options)) throw new SurveyError('BAD_DESCRIPTOR', `${where}: options must be a list`);
      const options = o.options.map((x, j) => text(x, `${where}: option ${j + 1}`, 100));
      if (options.length < 2 || options.length > MAX_OPTIONS) throw new SurveyError('BAD_DESCRIPTOR', `${where}: give 2 to ${MAX_OPTIONS} options (got ${options.length})`);
      if (new Set(options).size !== options.length) throw new SurveyError('BAD_DESCRIPTOR', `${where}: options must differ`);
      return { kind: 'choice', label, options };
    }
    case 'numbers': {
      const length = int(o.length, `${where}: how many numbers`, 1, MAX_LIST);
      const max = int(o.max, `${where}: highest value`, 1, 2 ** MAX_BITS - 1);
      return { kind: 'numbers', label, length, max };
    }
    default:
      throw new SurveyError('BAD_DESCRIPTOR', `${where}: unknown kind ${JSON.stringify(o.kind)} (expected number, choice or numbers)`);
  }
}

export function parseAggregatorKey(v: unknown, what: string): string {
  if (typeof v !== 'string') throw new SurveyError('BAD_DESCRIPTOR', `${what} must be text`);
  let bytes: Uint8Array;
  try {
    bytes = b64urlDecode(v.trim());
  } catch {
    throw new SurveyError('BAD_DESCRIPTOR', `${what} is not a Parley aggregator key (base64url expected)`);
  }
  if (bytes.length !== AGGREGATOR_KEY_BYTES) throw new SurveyError('BAD_DESCRIPTOR', `${what} has ${bytes.length} bytes, expected ${AGGREGATOR_KEY_BYTES}`);
  return b64urlEncode(bytes);
}

/** The one validator for descriptors from anywhere (editor, server, link). */
export function parseDescriptor(v: unknown): SurveyDescriptor {
  if (typeof v !== 'object' || v === null) throw new SurveyError('BAD_DESCRIPTOR', 'survey descriptor is not an object');
  const o = v as Record<string, unknown>;
  if (o.version !== SURVEY_VERSION) throw new SurveyError('BAD_DESCRIPTOR', `survey version ${String(o.version)} is not supported (expected ${SURVEY_VERSION})`);
  if (!isSurveyId(o.id)) throw new SurveyError('BAD_DESCRIPTOR', 'survey id must be 16 bytes of base64url');
  const title = text(o.title, 'the title', 200);
  if (!Array.isArray(o.questions) || o.questions.length === 0) throw new SurveyError('BAD_DESCRIPTOR', 'a survey needs at least one question');
  if (o.questions.length > MAX_QUESTIONS) throw new SurveyError('BAD_DESCRIPTOR', `at most ${MAX_QUESTIONS} questions`);
  const questions = o.questions.map(parseQuestion);
  const opensAt = int(o.opensAt, 'opening time', 0, 8.64e15);
  const closesAt = int(o.closesAt, 'closing time', opensAt + 1, 8.64e15);
  if (!Array.isArray(o.aggregators) || o.aggregators.length !== 2) throw new SurveyError('BAD_DESCRIPTOR', 'a survey needs exactly two aggregators');
  const aggregators = o.aggregators.map((a: unknown, i) => {
    if (typeof a !== 'object' || a === null) throw new SurveyError('BAD_DESCRIPTOR', `aggregator ${i + 1} is not an object`);
    const r = a as Record<string, unknown>;
    return { name: text(r.name, `aggregator ${i + 1}: name`, 80), key: parseAggregatorKey(r.key, `aggregator ${i + 1}: key`) };
  }) as [SurveyAggregator, SurveyAggregator];
  if (aggregators[0].key === aggregators[1].key) throw new SurveyError('BAD_DESCRIPTOR', 'the two aggregators must have different keys (they must be different parties)');
  return { version: SURVEY_VERSION, id: o.id, title, questions, opensAt, closesAt, aggregators };
}

/** Canonical JSON: fixed key order, produced from a parsed descriptor only. */
export function canonicalDescriptor(d: SurveyDescriptor): string {
  const q = d.questions.map((x) =>
    x.kind === 'number'
      ? // `variance` appears only when asked for, so descriptors made before it keep their digest
        { kind: x.kind, label: x.label, min: x.min, max: x.max, ...(x.variance ? { variance: true } : {}) }
      : x.kind === 'choice'
        ? { kind: x.kind, label: x.label, options: x.options }
        : { kind: x.kind, label: x.label, length: x.length, max: x.max },
  );
  return JSON.stringify({
    version: d.version,
    id: d.id,
    title: d.title,
    questions: q,
    opensAt: d.opensAt,
    closesAt: d.closesAt,
    aggregators: d.aggregators.map((a) => ({ name: a.name, key: a.key })),
  });
}

/** SHA-256 of the canonical form, base64url (43 characters): what the link pins. */
export function descriptorDigest(d: SurveyDescriptor): string {
  return b64urlEncode(sha256(new TextEncoder().encode('parley/survey/v1\n' + canonicalDescriptor(d))));
}

/** The survey link's fragment part after `#/survey/`. */
export const surveyFragment = (d: SurveyDescriptor): string => `${d.id}.${descriptorDigest(d)}`;

const FRAGMENT_RE = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/;
export function parseSurveyFragment(s: string): { id: string; digest: string } | undefined {
  const m = FRAGMENT_RE.exec(s);
  return m ? { id: m[1], digest: m[2] } : undefined;
}

/** Accept a descriptor fetched from the (untrusted) server only if it matches the link. */
export function verifyDescriptor(v: unknown, link: { id: string; digest: string }): SurveyDescriptor {
  const d = parseDescriptor(v);
  if (d.id !== link.id || descriptorDigest(d) !== link.digest) {
    throw new SurveyError('DESCRIPTOR_MISMATCH', 'the server sent a survey that does not match this link (its questions or aggregator keys differ): do not answer, ask the sender for the link again');
  }
  return d;
}
