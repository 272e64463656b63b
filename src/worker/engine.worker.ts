/**
 * The MPC worker: receives a job (with this party's private values) over comlink and runs
 * the engine (src/core, via run-job.ts, which the Node party shares) over a MessagePort
 * channel whose frames the main thread relays to the data channels without reading them.
 * Private values exist only here and in the UI that validated them.
 */
import * as Comlink from 'comlink';
import { createPortChannel } from '../core/session/port-network';
import type { EngineApi, Job, JobResult, Progress } from './jobs';
import { runJob } from './run-job';

async function run(job: Job, port: MessagePort, onProgress?: (p: Progress) => void): Promise<JobResult> {
  try {
    return await runJob(job, (self, parties) => createPortChannel(port, self, parties), onProgress);
  } finally {
    // Messages on one port are ordered, but the comlink reply travels on another: this
    // marker tells the main thread that every frame we posted is ahead of it (see
    // engine-client.ts), so none is dropped when the run ends right after a send.
    port.postMessage({ kind: 'flushed' });
    port.close();
  }
}

const api: EngineApi = {
  run,
  async ping() {
    return 'pong';
  },
};

Comlink.expose(api);
