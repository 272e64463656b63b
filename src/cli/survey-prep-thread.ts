/**
 * One worker thread of survey-prep-pool.ts: `localPrepEngine` for the run's setup
 * (workerData), answering { id, op, args } with { id, ok, value | message }.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { localPrepEngine, type PrepSetup, type StoredShare } from '../core/survey/index.ts';

const engine = localPrepEngine(workerData as PrepSetup);
const parent = parentPort!;

parent.on('message', (m: { id: number; op: 'leaderInit' | 'helperStep'; args: unknown[] }) => {
  const reports = m.args[0] as (StoredShare | undefined)[];
  const work = m.op === 'leaderInit' ? engine.leaderInit(reports) : engine.helperStep(reports, m.args[1] as unknown[]);
  work.then(
    (value) => parent.postMessage({ id: m.id, ok: true, value }),
    (e: unknown) => parent.postMessage({ id: m.id, ok: false, message: e instanceof Error ? e.message : String(e) }),
  );
});
