/**
 * The Node party's MPC worker thread, the counterpart of the browser's engine.worker.ts:
 * runs one job (run-job.ts, shared with the browser) over the MessagePort it was given,
 * while the main thread keeps the WebRTC mesh, the signaling heartbeat and the terminal
 * responsive (a PSI hop blinds for seconds between event-loop turns).
 *
 * workerData: { job, port }. To the parent: { kind: 'progress', progress } and once
 * { kind: 'result', result }; on `port`, after the last frame: { kind: 'flushed' }.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { createPortChannel, type PortLike } from '../core/session/port-network.ts';
import type { Job } from '../worker/jobs.ts';
import { runJob } from '../worker/run-job.ts';

const { job, port } = workerData as { job: Job; port: MessagePort };
const parent = parentPort!;

try {
  const result = await runJob(job, (self, parties) => createPortChannel(port as unknown as PortLike, self, parties), (progress) => parent.postMessage({ kind: 'progress', progress }));
  parent.postMessage({ kind: 'result', result });
} finally {
  // Frames and the reply travel on different ports: this marker follows our last frame.
  port.postMessage({ kind: 'flushed' });
  port.close();
}
