/**
 * The Node party's counterpart of the browser's engine client (src/worker/engine-client.ts):
 * runs each job in a worker thread (engine-thread.ts) and relays its opaque protocol frames
 * between the worker's MessagePort and the mesh. MPC frames on the mesh carry the
 * 12-character run id in front; frames for a run that has not started here yet (a faster
 * peer already began) are held, bounded, until it starts; frames for a finished or unknown
 * run are dropped. Frames are never read here: the Session in the worker validates them.
 */
import { MessageChannel, Worker } from 'node:worker_threads';
import type { Job, JobResult, Progress } from '../worker/jobs.ts';

/** Run ids are 12 base64url characters, sent as ASCII in front of every MPC frame. */
export const RUN_ID_BYTES = 12;
const MAX_HELD_BYTES = 64 * 1024 * 1024;
const MAX_HELD_RUNS = 4;
/** How long to wait for the worker's `flushed` marker after its result (it follows at once). */
const FLUSH_WAIT_MS = 5_000;

export type SendFrame = (to: string, bytes: Uint8Array) => Promise<void>;

interface ActiveRun {
  runId: string;
  frame(from: string, payload: Uint8Array): void;
  left(member: string, reason: string): void;
}

export interface Traffic {
  sent: number;
  received: number;
}

type FromPort = { kind: 'frame'; peer: number; bytes: ArrayBuffer } | { kind: 'flushed' };
type FromWorker = { kind: 'progress'; progress: Progress } | { kind: 'result'; result: JobResult };

export class EngineHost {
  private active: ActiveRun | undefined;
  private readonly held = new Map<string, { from: string; bytes: Uint8Array }[]>();
  private heldBytes = 0;
  private readonly finished = new Set<string>();
  private current: Traffic | undefined;
  private readonly aborts = new Map<string, string>();

  constructor(private readonly send: SendFrame) {}

  /** An MPC-tagged message from a member. */
  deliver(from: string, bytes: Uint8Array): void {
    if (bytes.length < RUN_ID_BYTES) return;
    const runId = new TextDecoder().decode(bytes.subarray(0, RUN_ID_BYTES));
    const payload = bytes.subarray(RUN_ID_BYTES);
    if (this.active?.runId === runId) return this.active.frame(from, payload);
    if (this.finished.has(runId)) return;
    if (!this.held.has(runId)) {
      // Evict the oldest held run: frames for made-up runs must not crowd out the next real one.
      while (this.held.size >= MAX_HELD_RUNS) {
        const [oldest, frames] = this.held.entries().next().value as [string, { bytes: Uint8Array }[]];
        for (const f of frames) this.heldBytes -= f.bytes.length;
        this.held.delete(oldest);
      }
      this.held.set(runId, []);
    }
    // Over the byte budget, frames of other (older) held runs go first: otherwise a member
    // could fill the budget under a made-up run id and make the real run's early frames be
    // dropped, stalling it until its round timeout instead of failing it.
    for (const [other, frames] of this.held) {
      if (this.heldBytes + payload.length <= MAX_HELD_BYTES) break;
      if (other === runId) continue;
      for (const f of frames) this.heldBytes -= f.bytes.length;
      this.held.delete(other);
    }
    if (this.heldBytes + payload.length > MAX_HELD_BYTES) return;
    this.heldBytes += payload.length;
    this.held.get(runId)?.push({ from, bytes: payload.slice() });
  }

  /** Bytes relayed so far in the active run (run id prefixes included). */
  traffic(): Traffic | undefined {
    return this.current ? { ...this.current } : undefined;
  }

  /** A member left: the active run's session ends naming them (PEER_LEFT). */
  peerGone(member: string, reason: string): void {
    this.active?.left(member, reason);
  }

  /** A member aborted the active run: it ends as ABORTED with their reason (as engine-client.ts). */
  peerAborted(member: string, reason: string): void {
    if (!this.active) return;
    this.aborts.set(member, reason);
    this.active.left(member, reason);
  }

  /**
   * Runs `job` as party `roster.indexOf(selfId)` of run `runId`; never rejects. `traffic`
   * is called with the bytes relayed so far whenever the worker reports progress.
   */
  async run(runId: string, roster: readonly string[], selfId: string, job: Job, onProgress: (p: Progress, t: Traffic) => void): Promise<{ result: JobResult; traffic: Traffic }> {
    const prefix = new TextEncoder().encode(runId);
    const indexOf = new Map(roster.map((id, i) => [id, i]));
    const traffic: Traffic = { sent: 0, received: 0 };
    this.current = traffic;
    const { port1, port2 } = new MessageChannel();
    let done = false;
    const toWorker = (m: { kind: 'frame'; peer: number; bytes: ArrayBuffer } | { kind: 'closed'; peer: number; reason: string }, transfer: ArrayBuffer[] = []) => {
      if (!done) port1.postMessage(m, transfer);
    };
    const run: ActiveRun = {
      runId,
      frame: (from, payload) => {
        const peer = indexOf.get(from);
        if (peer === undefined || from === selfId) return;
        traffic.received += payload.length + RUN_ID_BYTES;
        const copy = payload.slice().buffer;
        toWorker({ kind: 'frame', peer, bytes: copy }, [copy]);
      },
      left: (member, reason) => {
        const peer = indexOf.get(member);
        if (peer !== undefined && member !== selfId) toWorker({ kind: 'closed', peer, reason });
      },
    };
    let flushed: () => void = () => undefined;
    const allFlushed = new Promise<void>((resolve) => (flushed = resolve));
    port1.on('message', (m: FromPort) => {
      if (m?.kind === 'flushed') return flushed();
      if (done || m?.kind !== 'frame' || !(m.bytes instanceof ArrayBuffer)) return;
      const to = roster[m.peer];
      if (to === undefined || to === selfId) return;
      const framed = new Uint8Array(RUN_ID_BYTES + m.bytes.byteLength);
      framed.set(prefix, 0);
      framed.set(new Uint8Array(m.bytes), RUN_ID_BYTES);
      traffic.sent += framed.length;
      this.send(to, framed).catch((e: unknown) => toWorker({ kind: 'closed', peer: m.peer, reason: `sending failed: ${e instanceof Error ? e.message : String(e)}` }));
    });

    this.active = run;
    this.aborts.clear();
    for (const f of this.held.get(runId) ?? []) run.frame(f.from, f.bytes);
    // Runs are strictly one after another: frames held for any other run are stale now.
    this.held.clear();
    this.heldBytes = 0;

    const worker = new Worker(new URL('./engine-thread.mjs', import.meta.url), { workerData: { job, port: port2 }, transferList: [port2] });
    try {
      const result = await new Promise<JobResult>((resolve) => {
        worker.on('message', (m: FromWorker) => {
          if (m.kind === 'progress') onProgress(m.progress, { ...traffic });
          else if (m.kind === 'result') resolve(m.result);
        });
        // A crashed worker must fail the run, not hang it.
        worker.on('error', (e) => resolve({ ok: false, error: { code: 'ABORTED', message: `the MPC worker thread failed: ${e.message}` } }));
        worker.on('exit', (code) => resolve({ ok: false, error: { code: 'ABORTED', message: `the MPC worker thread exited (${code}) without a result` } }));
      });
      // The result can overtake the last frames the worker posted on its port: relay those first.
      await Promise.race([allFlushed, new Promise((r) => setTimeout(r, FLUSH_WAIT_MS))]);
      const blamed = !result.ok && result.error.party !== undefined ? roster[result.error.party] : undefined;
      const aborted = blamed !== undefined ? this.aborts.get(blamed) : undefined;
      if (!result.ok && aborted !== undefined) return { result: { ...result, error: { ...result.error, code: 'ABORTED', message: aborted } }, traffic: { ...traffic } };
      return { result, traffic: { ...traffic } };
    } finally {
      done = true;
      this.finished.add(runId);
      if (this.active === run) this.active = undefined;
      port1.close();
      void worker.terminate();
    }
  }
}
