/**
 * One worker thread of survey-prep-pool.ts: a `localPrepEngine` per registered run
 * ('setup' run, setup / 'drop' run), answering { id, op, args } with { id, ok, value | message }.
 */
import { parentPort } from 'node:worker_threads';
import { localPrepEngine, type PrepEngine, type PrepSetup, type StoredShare } from '../core/survey/index.ts';

const engines = new Map<number, PrepEngine>();
const parent = parentPort!;

async function serve(op: string, args: unknown[]): Promise<unknown> {
  const run = args[0] as number;
  if (op === 'setup') return void engines.set(run, localPrepEngine(args[1] as PrepSetup));
  const engine = engines.get(run);
  if (!engine) throw new Error(`no run ${run} on this thread`);
  if (op === 'drop') {
    engines.delete(run);
    return engine.close();
  }
  const reports = args[1] as (StoredShare | undefined)[];
  return op === 'leaderInit' ? engine.leaderInit(reports) : engine.helperStep(reports, args[2] as unknown[]);
}

parent.on('message', (m: { id: number; op: string; args: unknown[] }) => {
  serve(m.op, m.args).then(
    (value) => parent.postMessage({ id: m.id, ok: true, value }),
    (e: unknown) => parent.postMessage({ id: m.id, ok: false, message: e instanceof Error ? e.message : String(e) }),
  );
});
