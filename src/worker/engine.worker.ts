/**
 * The MPC worker: receives a job (with this party's private values) over comlink and runs
 * the engine (src/core, via run-job.ts, which the Node party shares) over a MessagePort
 * channel whose frames the main thread relays to the data channels without reading them.
 * Private values exist only here and in the UI that validated them.
 */
import * as Comlink from 'comlink';
import { createPortChannel } from '../core/session/port-network';
import { PrepStore } from '../core/ot/prepared-ot';
import type { EngineApi, Job, JobResult, PrepJob, PrepResult, Progress } from './jobs';
import { runJob, runPrep } from './run-job';

/** This worker's prepared OT setups (one worker per room tab): each used by one run at most. */
const prepared = new PrepStore();

/** Ends a port's use: messages on one port are ordered, but the comlink reply travels on another. */
function flushAndClose(port: MessagePort): void {
  port.postMessage({ kind: 'flushed' });
  port.close();
}

async function run(job: Job, port: MessagePort, onProgress?: (p: Progress) => void): Promise<JobResult> {
  try {
    return await runJob(job, (self, parties) => createPortChannel(port, self, parties), onProgress, prepared);
  } finally {
    // The `flushed` marker tells the main thread that every frame we posted is ahead of it
    // (see engine-client.ts), so none is dropped when the run ends right after a send.
    flushAndClose(port);
  }
}

async function prepare(prep: PrepJob, port: MessagePort): Promise<PrepResult> {
  try {
    return await runPrep(prep, (self, parties) => createPortChannel(port, self, parties), prepared);
  } finally {
    flushAndClose(port);
  }
}

const api: EngineApi = {
  run,
  prepare,
  async discardPrepared() {
    prepared.discard();
  },
  async ping() {
    return 'pong';
  },
};

Comlink.expose(api);
