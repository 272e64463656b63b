/**
 * The two aggregators' protocol: Prio3 preparation over every report, then aggregation
 * (draft-irtf-cfrg-vdaf-08 §5.2–5.4, with DAP's leader/helper split, draft-ietf-ppm-dap §4.5).
 *
 * Aggregator 0 (the leader) fixes the batch (the report ids it holds) and a fresh verify key,
 * which only the two aggregators know (Prio3's soundness needs contributors not to know it).
 * Then, chunk by chunk:
 *   1. leader → helper: its preparation share for each report and question (or a rejection);
 *   2. helper: its own preparation shares; their sum decides the validity proof
 *      (`unshardPreparationShares`), giving the preparation message, which the helper also
 *      checks against its joint randomness (`prepareNext`); helper → leader: the messages or
 *      the reason for rejecting;
 *   3. leader: `prepareNext` on each message. Reports it rejects there are sent in a final
 *      message, so both aggregate exactly the same set.
 * A report counts only if every one of its questions is valid; invalid reports are counted.
 * Each aggregator then publishes (count, invalid, batch digest, aggregate shares), signed.
 *
 * Channel: messages travel through the untrusted server (a mailbox per aggregator). Each is
 * HPKE-sealed to the other aggregator and signed with the sender's Ed25519 key over (survey,
 * run id, from, to, sequence number, ciphertext), so the server cannot read, forge, replay
 * or reorder them, nor mix in messages of an earlier attempt; it can only stop the run.
 *
 * Privacy: an aggregator sees one input share per report (uniformly random on its own) and
 * the other's preparation shares (verifier shares and joint-randomness parts, which reveal
 * only validity, §7.2 of the draft). Only the sum over the batch is published.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes as cat } from '../codec';
import { b64urlDecode, b64urlEncode } from './b64';
import { openWith, sealTo, signWith, verifyFrom, type AggregatorSecret } from './crypto';
import type { SurveyDescriptor } from './descriptor';
import { SurveyError } from './errors';
import { decodeAggregateShare } from './prio3-codec';
import { finish, localPrepEngine, type OutputShare, type PrepEngine, type PrepEngineFactory, type PrepState, type RejectReason, type StoredShare } from './prep-engine';
import { describeResults, vdafsFor, type QuestionResult, type QuestionVdaf } from './vdaf';
import type { Prio3 } from '@divviup/prio3';

type AnyPrio3 = Prio3<unknown, unknown>;
export type { RejectReason, StoredShare } from './prep-engine';

export interface AggregatorIo {
  /** Every stored report of the closed survey, this aggregator's shares only. */
  reports(): Promise<StoredShare[]>;
  /** Deliver an envelope to the other aggregator's mailbox under `seq`. */
  send(seq: number, envelope: string): Promise<void>;
  /** Wait for the other aggregator's envelope number `seq`. */
  receive(seq: number): Promise<string>;
  publish(p: Publication): Promise<void>;
}

export interface Publication {
  survey: string;
  aggregator: 0 | 1;
  count: number;
  invalid: number;
  /** SHA-256 over the sorted ids of the valid reports: both aggregators must agree. */
  batch: string;
  /** Per Prio3 part (vdafsFor order: a question with variance has two): encoded aggregate share. */
  shares: string[];
  signature: string;
}

export interface AggregatorRun {
  publication: Publication;
  rejected: Partial<Record<RejectReason, number>>;
}

export interface AggregatorOptions {
  /** Reports per message between the aggregators (one exchange per chunk, never per report). */
  chunk?: number;
  onProgress?: (done: number, total: number) => void;
  /** Where the per-report work runs (default: this thread; the Node aggregator passes a worker pool). */
  engine?: PrepEngineFactory;
}

const utf8 = (s: string) => new TextEncoder().encode(s);
const fromUtf8 = (b: Uint8Array) => new TextDecoder('utf-8', { fatal: true }).decode(b);
const MSG_LABEL = 'parley survey aggregator message';
const RUN_BYTES = 16;

const u32 = (n: number) => Uint8Array.of(n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255);

/** Seal, sign and frame one message to the other aggregator. */
async function envelope(d: SurveyDescriptor, me: 0 | 1, secret: AggregatorSecret, run: Uint8Array, seq: number, body: unknown): Promise<string> {
  const peer = (1 - me) as 0 | 1;
  const sid = b64urlDecode(d.id);
  const sealed = await sealTo(d.aggregators[peer].key, cat(utf8(MSG_LABEL), Uint8Array.of(me, peer)), cat(sid, run, u32(seq)), utf8(JSON.stringify(body)));
  const sig = await signWith(secret, cat(utf8(MSG_LABEL), sid, run, Uint8Array.of(me, peer), u32(seq), sealed));
  return JSON.stringify({ run: b64urlEncode(run), seq, from: me, body: b64urlEncode(sealed), sig: b64urlEncode(sig) });
}

/**
 * Check and open one envelope. `run` is the run id the caller expects; for the helper's
 * first message it is undefined and the leader's (signed) run id is adopted. A message of
 * another run (a stale mailbox after an earlier, failed attempt) is refused, never mixed in.
 */
export async function unwrap(d: SurveyDescriptor, me: 0 | 1, secret: AggregatorSecret, run: Uint8Array | undefined, seq: number, raw: string): Promise<{ run: Uint8Array; body: unknown }> {
  const peer = (1 - me) as 0 | 1;
  const sid = b64urlDecode(d.id);
  let e: { run: unknown; seq: unknown; from: unknown; body: unknown; sig: unknown };
  let sealed: Uint8Array;
  let sig: Uint8Array;
  let theirRun: Uint8Array;
  try {
    e = JSON.parse(raw) as typeof e;
    sealed = b64urlDecode(String(e.body));
    sig = b64urlDecode(String(e.sig));
    theirRun = b64urlDecode(String(e.run));
  } catch {
    throw new SurveyError('BAD_MESSAGE', `message ${seq} from aggregator ${peer + 1} is not an envelope`);
  }
  if (e.seq !== seq || e.from !== peer || theirRun.length !== RUN_BYTES) throw new SurveyError('BAD_MESSAGE', `expected message ${seq} from aggregator ${peer + 1}, got ${String(e.seq)} from ${String(e.from)}`);
  if (!(await verifyFrom(d.aggregators[peer].key, sig, cat(utf8(MSG_LABEL), sid, theirRun, Uint8Array.of(peer, me), u32(seq), sealed)))) {
    throw new SurveyError('BAD_MESSAGE', `message ${seq} is not signed by aggregator ${peer + 1} (${d.aggregators[peer].name}): the relay altered or forged it`);
  }
  if (run && b64urlEncode(run) !== b64urlEncode(theirRun)) {
    throw new SurveyError('BAD_MESSAGE', `message ${seq} from aggregator ${peer + 1} belongs to another attempt: both aggregators press Compute again`);
  }
  try {
    return { run: theirRun, body: JSON.parse(fromUtf8(await openWith(secret, cat(utf8(MSG_LABEL), Uint8Array.of(peer, me)), cat(sid, theirRun, u32(seq)), sealed))) };
  } catch {
    throw new SurveyError('BAD_MESSAGE', `message ${seq} from aggregator ${peer + 1} does not open`);
  }
}


async function publish(d: SurveyDescriptor, me: 0 | 1, secret: AggregatorSecret, vdafs: QuestionVdaf[], valid: { id: string; outputs: OutputShare[] }[], invalid: number): Promise<Publication> {
  const shares = vdafs.map((v, q) => {
    const vdaf = v.vdaf as unknown as AnyPrio3;
    return b64urlEncode(vdaf.encodeAggregatorShare(vdaf.aggregate(null, valid.map((x) => x.outputs[q]))));
  });
  const batch = b64urlEncode(sha256(utf8(valid.map((x) => x.id).sort().join(','))));
  const unsigned = { survey: d.id, aggregator: me, count: valid.length, invalid, batch, shares };
  const signature = b64urlEncode(await signWith(secret, publicationBytes(unsigned)));
  return { ...unsigned, signature };
}

const publicationBytes = (p: Omit<Publication, 'signature'>) =>
  utf8('parley survey aggregate\n' + JSON.stringify([p.survey, p.aggregator, p.count, p.invalid, p.batch, p.shares]));

function chunks<T>(xs: T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

function count(m: Partial<Record<RejectReason, number>>, r: RejectReason) {
  m[r] = (m[r] ?? 0) + 1;
}

/** Run one aggregator to the end; resolves once its signed aggregate share is published. */
export async function runAggregator(d: SurveyDescriptor, me: 0 | 1, secret: AggregatorSecret, io: AggregatorIo, options: AggregatorOptions = {}): Promise<AggregatorRun> {
  if (secret.publicKey !== d.aggregators[me].key) throw new SurveyError('NOT_AGGREGATOR', `this key is not aggregator ${me + 1}'s key in the survey`);
  const mine = new Map((await io.reports()).map((r) => [r.id, r]));
  const makeEngine = options.engine ?? localPrepEngine;
  let engine: PrepEngine | undefined;
  try {
    if (me === 0) {
      const seed = crypto.getRandomValues(new Uint8Array(32));
      engine = await makeEngine({ descriptor: d, me, secret, seed });
      return await lead(d, secret, io, options, mine, seed, engine);
    }
    return await help(d, secret, io, options, mine, (seed) => makeEngine({ descriptor: d, me, secret, seed }), (e) => (engine = e));
  } finally {
    await engine?.close();
  }
}

async function lead(d: SurveyDescriptor, secret: AggregatorSecret, io: AggregatorIo, options: AggregatorOptions, mine: Map<string, StoredShare>, seed: Uint8Array, engine: PrepEngine): Promise<AggregatorRun> {
  const vdafs = vdafsFor(d);
  const chunkSize = options.chunk ?? 200;
  const rejected: Partial<Record<RejectReason, number>> = {};
  const valid: { id: string; outputs: OutputShare[] }[] = [];
  const ids = [...mine.keys()];
  const run = crypto.getRandomValues(new Uint8Array(RUN_BYTES));
  await io.send(0, await envelope(d, 0, secret, run, 0, { type: 'start', seed: b64urlEncode(seed), ids }));
  const batches = chunks(ids, chunkSize);
  const pending: ({ states: PrepState[] } | undefined)[][] = [];
  for (let c = 0; c < batches.length; c++) {
    const inits = await engine.leaderInit(batches[c].map((id) => mine.get(id)));
    pending.push(inits.map((x) => (typeof x === 'string' ? undefined : x)));
    inits.forEach((x) => typeof x === 'string' && count(rejected, x));
    const shares = inits.map((x) => (typeof x === 'string' ? null : x.shares));
    await io.send(c + 1, await envelope(d, 0, secret, run, c + 1, { type: 'prep', chunk: c, shares }));
  }
  const lateRejects: number[] = [];
  let done = 0;
  for (let c = 0; c < batches.length; c++) {
    const m = (await unwrap(d, 0, secret, run, c + 1, await io.receive(c + 1))).body as { type?: unknown; chunk?: unknown; messages?: unknown };
    if (m.type !== 'msgs' || m.chunk !== c || !Array.isArray(m.messages) || m.messages.length !== batches[c].length) throw new SurveyError('BAD_MESSAGE', `aggregator 2 sent a malformed reply for chunk ${c}`);
    m.messages.forEach((entry: unknown, i: number) => {
      const init = pending[c][i];
      if (!init) return; // already rejected here and counted
      if (!Array.isArray(entry)) {
        count(rejected, entry === 'proof' || entry === 'joint-randomness' || entry === 'undecryptable' || entry === 'missing' ? entry : 'malformed');
        return;
      }
      const outputs: OutputShare[] = [];
      for (let q = 0; q < vdafs.length; q++) {
        let msg: Uint8Array;
        try {
          msg = b64urlDecode(String(entry[q]));
        } catch {
          msg = new Uint8Array(0);
        }
        const out = finish(vdafs[q].vdaf as unknown as AnyPrio3, init.states[q], msg);
        if (!out) break;
        outputs.push(out);
      }
      if (outputs.length === vdafs.length) valid.push({ id: batches[c][i], outputs });
      else {
        count(rejected, 'joint-randomness');
        lateRejects.push(c * chunkSize + i);
      }
    });
    pending[c] = [];
    done += batches[c].length;
    options.onProgress?.(done, ids.length);
  }
  await io.send(batches.length + 1, await envelope(d, 0, secret, run, batches.length + 1, { type: 'final', rejected: lateRejects }));
  const publication = await publish(d, 0, secret, vdafs, valid, ids.length - valid.length);
  await io.publish(publication);
  return { publication, rejected };
}

async function help(
  d: SurveyDescriptor,
  secret: AggregatorSecret,
  io: AggregatorIo,
  options: AggregatorOptions,
  mine: Map<string, StoredShare>,
  makeEngine: (seed: Uint8Array) => PrepEngine | Promise<PrepEngine>,
  started: (e: PrepEngine) => void,
): Promise<AggregatorRun> {
  const vdafs = vdafsFor(d);
  const chunkSize = options.chunk ?? 200;
  const rejected: Partial<Record<RejectReason, number>> = {};
  const valid: { id: string; outputs: OutputShare[] }[] = [];
  const first = await unwrap(d, 1, secret, undefined, 0, await io.receive(0));
  const run = first.run;
  const start = first.body as { type?: unknown; seed?: unknown; ids?: unknown };
  if (start.type !== 'start' || typeof start.seed !== 'string' || !Array.isArray(start.ids)) throw new SurveyError('BAD_MESSAGE', 'aggregator 1 sent a malformed start');
  const ids = start.ids.map(String);
  if (new Set(ids).size !== ids.length) throw new SurveyError('BAD_MESSAGE', 'aggregator 1 listed a report twice');
  const engine = await makeEngine(b64urlDecode(start.seed));
  started(engine);
  const batches = chunks(ids, chunkSize);
  const accepted = new Map<number, OutputShare[]>();
  let done = 0;
  for (let c = 0; c < batches.length; c++) {
    const m = (await unwrap(d, 1, secret, run, c + 1, await io.receive(c + 1))).body as { type?: unknown; chunk?: unknown; shares?: unknown };
    if (m.type !== 'prep' || m.chunk !== c || !Array.isArray(m.shares) || m.shares.length !== batches[c].length) throw new SurveyError('BAD_MESSAGE', `aggregator 1 sent a malformed chunk ${c}`);
    const leaderShares = m.shares as unknown[];
    const steps = await engine.helperStep(
      batches[c].map((id) => mine.get(id)),
      leaderShares,
    );
    const messages = steps.map((x, i) => {
      if (typeof x === 'string') {
        if (Array.isArray(leaderShares[i])) count(rejected, x); // else the leader rejected it and counts why
        return x;
      }
      accepted.set(c * chunkSize + i, x.outputs);
      return x.messages;
    });
    await io.send(c + 1, await envelope(d, 1, secret, run, c + 1, { type: 'msgs', chunk: c, messages }));
    done += batches[c].length;
    options.onProgress?.(done, ids.length);
  }
  const fin = (await unwrap(d, 1, secret, run, batches.length + 1, await io.receive(batches.length + 1))).body as { type?: unknown; rejected?: unknown };
  if (fin.type !== 'final' || !Array.isArray(fin.rejected)) throw new SurveyError('BAD_MESSAGE', 'aggregator 1 sent a malformed final message');
  for (const i of fin.rejected) {
    if (accepted.delete(Number(i))) count(rejected, 'joint-randomness');
  }
  for (const [i, outputs] of [...accepted].sort((a, b) => a[0] - b[0])) valid.push({ id: ids[i], outputs });
  const publication = await publish(d, 1, secret, vdafs, valid, ids.length - valid.length);
  await io.publish(publication);
  return { publication, rejected };
}

export interface SurveyResult {
  count: number;
  invalid: number;
  questions: QuestionResult[];
}

function parsePublication(v: unknown, d: SurveyDescriptor, parts: number): Publication {
  const o = (typeof v === 'object' && v !== null ? v : {}) as Record<string, unknown>;
  const ok =
    o.survey === d.id &&
    (o.aggregator === 0 || o.aggregator === 1) &&
    Number.isSafeInteger(o.count) &&
    Number.isSafeInteger(o.invalid) &&
    typeof o.batch === 'string' &&
    typeof o.signature === 'string' &&
    Array.isArray(o.shares) &&
    o.shares.length === parts &&
    o.shares.every((s) => typeof s === 'string');
  if (!ok) throw new SurveyError('RESULT_MISMATCH', 'a published aggregate share is malformed');
  return o as unknown as Publication;
}

/** Anyone holding the link: check both signed aggregate shares and add them up. */
export async function combinePublications(d: SurveyDescriptor, raw: readonly unknown[]): Promise<SurveyResult> {
  const vdafs = vdafsFor(d);
  const pubs = raw.map((p) => parsePublication(p, d, vdafs.length));
  const byAgg = [0, 1].map((a) => pubs.find((p) => p.aggregator === a));
  if (!byAgg[0] || !byAgg[1]) throw new SurveyError('RESULT_MISMATCH', 'waiting for both aggregators to publish');
  const [p0, p1] = byAgg as [Publication, Publication];
  for (const p of [p0, p1]) {
    const { signature, ...unsigned } = p;
    if (!(await verifyFrom(d.aggregators[p.aggregator].key, b64urlDecode(signature), publicationBytes(unsigned)))) {
      throw new SurveyError('RESULT_MISMATCH', `the aggregate share of ${d.aggregators[p.aggregator].name} is not signed by its key: the server altered it`);
    }
  }
  if (p0.count !== p1.count || p0.batch !== p1.batch || p0.invalid !== p1.invalid) {
    throw new SurveyError('RESULT_MISMATCH', `the aggregators disagree on which reports count (${p0.count} vs ${p1.count})`);
  }
  const raws = vdafs.map((v, q) => {
    const vdaf = v.vdaf as unknown as AnyPrio3;
    const shares = [p0, p1].map((p) => decodeAggregateShare(vdaf, b64urlDecode(p.shares[q])));
    return vdaf.unshard(null, shares, p0.count);
  });
  return { count: p0.count, invalid: p0.invalid, questions: describeResults(d, vdafs, raws, p0.count) };
}
