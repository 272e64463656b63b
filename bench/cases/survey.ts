/**
 * Survey mode (src/core/survey): report generation, aggregation, storage ingest.
 *
 * - "survey report …": one contributor's report (Prio3 shard + two HPKE seals) in Node —
 *   a proxy for the browser tab (same V8 and WebCrypto, no worker), target < 50 ms for a
 *   100-bucket histogram; baseline: validating the answer in plaintext.
 * - "survey aggregate Prio3Sum …": both aggregators in this one process (one core, so the
 *   rate is for the pair, as other protocol cases), full protocol: HPKE open, Prio3
 *   preparation with proof check, sealed+signed messages, aggregation; target ≥ 5,000/s.
 *   plaintext/s: summing the plaintext values. `× baseline t`: the case's time over a plain
 *   in-memory loop of the library's Prio3 preparation as published over the same reports
 *   (decoded beforehand, no HPKE, one thread), timed in the same repetition; below 1 is
 *   faster than the library alone. The "worker pool" variant runs each aggregator's per-report
 *   work on availableParallelism() worker threads (src/cli/survey-prep-pool.ts; the threads
 *   start in the warm-up repetition and are kept, as the pool keeps them): ≤ cores× on this
 *   machine, and the two aggregators share the cores here. The "per CPU-second" variant is
 *   the one-thread run with its time (and its baseline's) in CPU time of the whole process
 *   (process.cpuUsage, all threads, user + system) instead of wall time: the rate one free
 *   core would give, which the shared machine's wall clock does not show.
 * - "survey ingest SQLite": uploads/s through the real HTTP server into a SQLite file (WAL,
 *   synchronous=FULL, group commit pipelined through a writer thread), the server in its own
 *   process (server/main.ts), 64 uploads in flight from this one over keep-alive; target
 *   ≥ 2,000/s.
 */
import { Buffer } from 'buffer';
import { Prio3Sum } from '@divviup/prio3';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  b64urlDecode,
  b64urlEncode,
  generateAggregatorSecret,
  makeReport,
  memoryAggregatorIo,
  openWith,
  parseDescriptor,
  runAggregator,
  shareAad,
  shareInfo,
  SurveyClient,
  vdafsFor,
  type AggregatorSecret,
  type PrepEngineFactory,
  type ReportUpload,
  type SurveyDescriptor,
  type SurveyQuestion,
} from '../../src/core/survey/index.ts';
import { decodeInputShare, decodePublicShare } from '../../src/core/survey/prio3-codec.ts';
import { prepPool } from '../../src/cli/survey-prep-pool.ts';
import { type BenchCase, timeSync } from '../harness.ts';

async function survey(questions: SurveyQuestion[]) {
  const secrets = [await generateAggregatorSecret(), await generateAggregatorSecret()] as const;
  const d: SurveyDescriptor = parseDescriptor({
    version: 1,
    id: b64urlEncode(crypto.getRandomValues(new Uint8Array(16))),
    title: 'bench',
    questions,
    opensAt: 0,
    closesAt: Date.now() + 86_400_000,
    aggregators: [
      { name: 'A', key: secrets[0].publicKey },
      { name: 'B', key: secrets[1].publicKey },
    ],
  });
  return { d, secrets };
}

const hist100: SurveyQuestion = { kind: 'choice', label: 'bucket', options: Array.from({ length: 100 }, (_, i) => `b${i}`) };
const sum8: SurveyQuestion = { kind: 'number', label: 'value', min: 0, max: 255 };

function reportCase(name: string, q: SurveyQuestion, answer: (i: number) => string): BenchCase {
  return {
    name,
    parties: 1,
    unit: 'reports',
    async prepare(quick) {
      const { d } = await survey([q]);
      const vdafs = vdafsFor(d);
      const n = quick ? 3 : 40;
      return {
        ops: n,
        run: async () => {
          const t0 = performance.now();
          for (let i = 0; i < n; i++) await makeReport(d, [answer(i)], vdafs);
          return { ms: performance.now() - t0 };
        },
        plaintext: () => timeSync(() => Array.from({ length: n }, (_, i) => vdafs[0].encode(answer(i)))),
      };
    },
  };
}

/** Both aggregators' shares of every upload, opened and decoded once (untimed): the baseline's input. */
async function openedShares(d: SurveyDescriptor, secrets: readonly AggregatorSecret[], uploads: readonly ReportUpload[], vdaf: Prio3Sum) {
  return Promise.all(
    uploads.map(async (u) => {
      const id = b64urlDecode(u.id);
      const pub = b64urlDecode(u.public[0]);
      const inputs = await Promise.all(
        ([0, 1] as const).map(async (a) => decodeInputShare(vdaf as never, a, await openWith(secrets[a], shareInfo(a), shareAad(d.id, id, 0, pub), b64urlDecode(u.sealed[a][0])))),
      );
      return { nonce: Buffer.from(id), publicShare: decodePublicShare(vdaf as never, pub), inputs };
    }),
  );
}

/**
 * The baseline the aggregators are measured against: a plain in-memory loop of the library's
 * Prio3 preparation as published (no acceleration, no HPKE, no messages, one thread) over the
 * same reports, already decoded.
 */
async function plainPrep(vdaf: Prio3Sum, reps: Awaited<ReturnType<typeof openedShares>>, now: () => number): Promise<number> {
  const vk = Buffer.from(crypto.getRandomValues(new Uint8Array(16)));
  const t0 = now();
  for (const r of reps) {
    const p = await Promise.all([0, 1].map((j) => vdaf.prepareInit(vk, j, null, r.nonce, r.publicShare as never, r.inputs[j] as never)));
    const msg = await vdaf.unshardPreparationShares(null, p.map((x) => x.preparationShare));
    for (const x of p) vdaf.prepareNext(x.preparationState, msg);
  }
  return now() - t0;
}

/** Wall-clock ms, or CPU ms of this whole process (every thread: user + system) for `clock: 'cpu'`. */
function clockOf(clock: 'wall' | 'cpu'): () => number {
  if (clock === 'wall') return () => performance.now();
  return () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
}

function aggregateCase(name: string, engine?: () => PrepEngineFactory, clock: 'wall' | 'cpu' = 'wall'): BenchCase {
  const now = clockOf(clock);
  return {
    name,
    parties: 2,
    unit: 'reports',
    async prepare(quick) {
      const { d, secrets } = await survey([sum8]);
      const n = quick ? 20 : 1000;
      const uploads = await Promise.all(Array.from({ length: n }, (_, i) => makeReport(d, [String(i % 256)])));
      const values = Array.from({ length: n }, (_, i) => i % 256);
      const library = new Prio3Sum({ shares: 2, bits: 8 });
      const opened = await openedShares(d, secrets, uploads, library);
      const factory = engine?.();
      return {
        ops: n,
        run: async () => {
          const { io } = memoryAggregatorIo(uploads);
          const t0 = now();
          const [a] = await Promise.all([
            runAggregator(d, 0, secrets[0], io(0), { chunk: 500, engine: factory }),
            runAggregator(d, 1, secrets[1], io(1), { chunk: 500, engine: factory }),
          ]);
          const ms = now() - t0;
          if (a.publication.count !== n) throw new Error('aggregation lost reports');
          return { ms, baseline: { ms: await plainPrep(library, opened, now) } };
        },
        plaintext: () => timeSync(() => values.reduce((s, v) => s + v, 0)),
      };
    },
  };
}

/** server/main.ts in its own process (its own core), listening on `port`; resolves when it says so. */
function startServer(dir: string, port: number): Promise<ChildProcess> {
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Parley</title>');
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', PARLEY_SURVEY_DB: join(dir, 's.sqlite'), PARLEY_DIST_DIR: dir, DATABASE_URL: '', PARLEY_SURVEY_UPLOADS_PER_MINUTE: '0', PARLEY_SURVEY_UPLOADS_PER_MINUTE_PER_SURVEY: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('Parley is running at')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}): ${out}`)));
  });
}

const INGEST_PORT = 8874;
// node:http with keep-alive as the load generator: global fetch (undici) cost ~3× more CPU
// per request here and was the bottleneck, not the server (248 vs 709 uploads/s, load 16).
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
function post(path: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: INGEST_PORT, path, method: 'POST', agent, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const ingestCase: BenchCase = {
  name: 'survey ingest SQLite (HTTP, durable, 64 in flight)',
  parties: 1,
  unit: 'uploads',
  async prepare(quick) {
    const { d } = await survey([sum8]);
    const n = quick ? 50 : 2000;
    const template = await makeReport(d, ['7']);
    const dir = mkdtempSync(join(tmpdir(), 'parley-bench-'));
    const server = await startServer(dir, INGEST_PORT);
    const client = new SurveyClient(`http://127.0.0.1:${INGEST_PORT}/`);
    await client.create(d);
    let round = 0;
    return {
      ops: n,
      run: async () => {
        // distinct report ids (same ciphertext sizes): every upload is a real insert
        const uploads = Array.from({ length: n }, () => ({ ...template, id: b64urlEncode(crypto.getRandomValues(new Uint8Array(16))) }));
        round++;
        const bodies = uploads.map((u) => JSON.stringify(u));
        let next = 0;
        const t0 = performance.now();
        await Promise.all(
          Array.from({ length: 64 }, async () => {
            while (next < n) {
              const status = await post(`/api/surveys/${d.id}/reports`, bodies[next++]);
              if (status !== 201) throw new Error(`upload answered ${status}`);
            }
          }),
        );
        const ms = performance.now() - t0;
        if ((await client.status(d.id)).reports !== n * round) throw new Error('ingest lost uploads');
        return { ms };
      },
      async dispose() {
        const exited = new Promise((r) => server.once('exit', r));
        server.kill('SIGTERM');
        await exited;
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

export const cases: BenchCase[] = [
  reportCase('survey report Prio3Histogram 100 buckets (Node proxy for a tab)', hist100, (i) => `b${i % 100}`),
  reportCase('survey report Prio3Sum 8-bit (Node proxy for a tab)', sum8, (i) => String(i % 256)),
  aggregateCase('survey aggregate Prio3Sum 8-bit (two aggregators, full protocol, one thread)'),
  // each aggregator with a pool of availableParallelism() threads, as `parley survey-aggregate` runs
  aggregateCase('survey aggregate Prio3Sum 8-bit (two aggregators, worker pool per aggregator)', () => prepPool(availableParallelism())),
  // the same one-thread run timed in CPU seconds of this process: what one core would give
  // with nothing else running (this machine's wall clock is shared with 2-core load 5-30)
  aggregateCase('survey aggregate Prio3Sum 8-bit (two aggregators, one thread, per CPU-second)', undefined, 'cpu'),
  ingestCase,
];
