/**
 * Reads a participant's CSV against the room's table-shaped spec off the main thread, so a
 * file of 100,000 rows × 10 columns never freezes typing. Answers with the read-back only
 * (rows used, skipped cells and why, per column); the MPC worker reads the same text again at
 * Start. The spec is validated again here by its kind's parser. Nothing here touches the network.
 */
import * as Comlink from 'comlink';
import { parseRegisteredSpec } from '../../../core/computations/registry';
import { summarise, type TableReadSummary } from './table-read-state';

export interface TableReaderApi {
  read(text: string, specJson: string, choice: Record<string, number>): Promise<TableReadSummary>;
}

const api: TableReaderApi = {
  async read(text, specJson, choice) {
    try {
      const spec = parseRegisteredSpec(JSON.parse(specJson));
      return spec.ok ? summarise(text, spec.spec, choice) : { ok: false, error: spec.error };
    } catch (e) {
      return { ok: false, error: e instanceof Error ? e.message : String(e) };
    }
  },
};

Comlink.expose(api);
