/**
 * Main-thread side of the table reader worker: one worker per tab, started on first use.
 * A mis-bundled or crashed worker fails loudly (an error read-back), never silently.
 */
import * as Comlink from 'comlink';
import type { BaseSpec } from '../../../core/computations/registry-types';
import type { TableReaderApi } from './table-reader.worker';
import type { TableReadSummary } from './table-read-state';

let reader: Comlink.Remote<TableReaderApi> | undefined;
let failed: string | undefined;

function start(): Comlink.Remote<TableReaderApi> {
  if (reader) return reader;
  const worker = new Worker(new URL('./table-reader.worker.ts', import.meta.url), { type: 'module', name: 'parley-table-reader' });
  worker.addEventListener('error', (e) => {
    failed = `the table reader failed to load or crashed (${e.message || 'no details'})`;
  });
  reader = Comlink.wrap<TableReaderApi>(worker);
  return reader;
}

export async function readInWorker(text: string, spec: BaseSpec, choice: Record<string, number>): Promise<TableReadSummary> {
  if (failed) return { ok: false, error: failed };
  const t0 = performance.now();
  try {
    const summary = await start().read(text, JSON.stringify(spec), choice);
    // the parse + validate time as the tab sees it (bench/cases/table-read-browser.ts reads it)
    performance.measure('parley-table-read', { start: t0 });
    return summary;
  } catch (e) {
    return { ok: false, error: failed ?? `the table could not be read (${e instanceof Error ? e.message : String(e)})` };
  }
}
