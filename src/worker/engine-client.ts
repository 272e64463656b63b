/**
 * Main-thread side of the MPC worker. It starts the worker (comlink), and for each run
 * relays opaque protocol frames between the worker's MessagePort and the data channels.
 * It never looks inside a frame: it only prefixes the run id on the way out, and on the way
 * in checks the run id and maps the sending member to its party index.
 *
 * Frames for a run that has not started here yet (a faster peer already began) are held,
 * bounded, until it starts; frames for a finished or unknown run are dropped.
 */
import * as Comlink from 'comlink';
import type { EngineApi, Job, JobResult, PrepJob, PrepResult, Progress } from './jobs';
import { AGREE_PROTOCOL } from '../core/protocols/agree';
import { Protocol } from '../core/session/round';

/** Run ids are 12 base64url characters, sent as ASCII in front of every MPC frame. */
const RUN_ID_BYTES = 12;
const MAX_HELD_BYTES = 64 * 1024 * 1024;
const MAX_HELD_RUNS = 4;
/** How long to wait for the worker's `flushed` marker after its reply (it follows at once). */
const FLUSH_WAIT_MS = 5_000;

/** What this tab exchanged with one member during a run, as the main thread relayed it. */
export interface Traffic {
  sent: number;
  received: number;
  /** Hex of the first bytes of the first protocol frame sent to them (shares look random). */
  sample: string;
}

/** Bytes of the first frame kept as a sample for the "what left my tab" view. */
const SAMPLE_BYTES = 48;

export interface RunBridge {
  run(job: Job, onProgress?: (p: Progress) => void): Promise<JobResult>;
  /**
   * Instead of a run: prepare OT setups over this bridge (its run id is the prep id), for a
   * later run that names the prep id (issue 19). A bridge carries one run or one prep.
   */
  prepare(prep: PrepJob): Promise<PrepResult>;
  /** Per member id: bytes relayed so far in this run (frames including their headers). */
  traffic(): Map<string, Traffic>;
  /** A participant left: the worker's session ends with PEER_LEFT naming them. */
  peerLeft(memberId: string, reason: string): void;
  /** A participant aborted this run (their message says why). */
  peerAborted(memberId: string, reason: string): void;
  cancel(reason: string): void;
}

export interface EngineClient {
  bridge(runId: string, roster: string[], selfId: string, send: (to: string, bytes: Uint8Array) => Promise<void>): RunBridge;
  /** An MPC-tagged message arrived from a member. */
  deliver(from: string, bytes: Uint8Array): void;
  /** The connected group changed: the worker drops every prepared setup. */
  discardPrepared(): Promise<void>;
  terminate(): void;
}

type PortMessage =
  | { kind: 'frame'; peer: number; bytes: ArrayBuffer }
  | { kind: 'closed'; peer: number; reason: string };

export function createEngineClient(): EngineClient {
  const worker = new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module', name: 'parley-mpc' });
  let failWorker: (e: Error) => void = () => undefined;
  const workerFailed = new Promise<never>((_, reject) => {
    failWorker = reject;
  });
  workerFailed.catch(() => undefined);
  worker.addEventListener('error', (e) => {
    // A mis-bundled or crashed worker must fail loudly, not hang a run (STYLE: excalidraw).
    console.error('Parley MPC worker failed to load or crashed:', e.message);
    failWorker(new Error(`the MPC worker failed to load or crashed (${e.message || 'no details'})`));
  });
  const api = Comlink.wrap<EngineApi>(worker);
  const held = new Map<string, { from: string; bytes: Uint8Array }[]>();
  let heldBytes = 0;
  let active: { runId: string; deliver(from: string, payload: Uint8Array): void } | undefined;
  const finished = new Set<string>();

  const encoder = new TextEncoder();
  const decoder = new TextDecoder();

  return {
    deliver(from, bytes) {
      if (bytes.length < RUN_ID_BYTES) return;
      const runId = decoder.decode(bytes.subarray(0, RUN_ID_BYTES));
      const payload = bytes.subarray(RUN_ID_BYTES);
      if (active?.runId === runId) return active.deliver(from, payload);
      if (finished.has(runId)) return;
      if (!held.has(runId)) {
        // Evict the oldest held run rather than refuse new ones: a peer that sent frames for
        // made-up runs (and left) must not crowd out the next real run's early frames.
        while (held.size >= MAX_HELD_RUNS) {
          const [oldest, frames] = held.entries().next().value as [string, { bytes: Uint8Array }[]];
          for (const f of frames) heldBytes -= f.bytes.length;
          held.delete(oldest);
        }
        held.set(runId, []);
      }
      if (heldBytes + payload.length > MAX_HELD_BYTES) return;
      heldBytes += payload.length;
      held.get(runId)?.push({ from, bytes: payload });
    },

    bridge(runId, roster, selfId, send) {
      const { port1, port2 } = new MessageChannel();
      const indexOf = new Map(roster.map((id, i) => [id, i]));
      const aborts = new Map<number, string>();
      const prefix = encoder.encode(runId);
      if (prefix.length !== RUN_ID_BYTES) throw new Error(`run id must be ${RUN_ID_BYTES} ASCII characters`);
      let done = false;
      const traffic = new Map<string, Traffic>(roster.filter((id) => id !== selfId).map((id) => [id, { sent: 0, received: 0, sample: '' }]));
      let flushed: () => void = () => undefined;
      const allFlushed = new Promise<void>((resolve) => {
        flushed = resolve;
      });

      const toWorker = (m: PortMessage, transfer: Transferable[] = []) => {
        if (!done) port1.postMessage(m, transfer);
      };
      port1.onmessage = (e: MessageEvent<unknown>) => {
        const m = e.data as Partial<PortMessage> | { kind: 'flushed' };
        if (m?.kind === 'flushed') return flushed();
        if (done || m?.kind !== 'frame' || typeof m.peer !== 'number' || !(m.bytes instanceof ArrayBuffer)) return;
        const to = roster[m.peer];
        if (to === undefined || to === selfId) return;
        const t = traffic.get(to);
        if (t) {
          t.sent += m.bytes.byteLength;
          if (!t.sample && isShareFrame(new Uint8Array(m.bytes))) t.sample = toHex(new Uint8Array(m.bytes, 0, Math.min(SAMPLE_BYTES, m.bytes.byteLength)));
        }
        const framed = new Uint8Array(RUN_ID_BYTES + m.bytes.byteLength);
        framed.set(prefix, 0);
        framed.set(new Uint8Array(m.bytes), RUN_ID_BYTES);
        send(to, framed).catch((err: unknown) => {
          toWorker({ kind: 'closed', peer: m.peer as number, reason: `sending failed: ${String(err)}` });
        });
      };
      const deliverFrame = (from: string, payload: Uint8Array) => {
        const peer = indexOf.get(from);
        if (peer === undefined || from === selfId) return;
        const t = traffic.get(from);
        if (t) t.received += payload.byteLength;
        const copy = payload.slice().buffer;
        toWorker({ kind: 'frame', peer, bytes: copy }, [copy]);
      };

      const closePeer = (memberId: string, reason: string) => {
        const peer = indexOf.get(memberId);
        if (peer !== undefined) toWorker({ kind: 'closed', peer, reason });
      };

      /** Become the bridge frames for `runId` go to; `dropOthers`: whether frames held for other runs are stale. */
      const open = (dropOthers: boolean) => {
        active = { runId, deliver: deliverFrame };
        for (const f of held.get(runId) ?? []) {
          heldBytes -= f.bytes.length;
          deliverFrame(f.from, f.bytes);
        }
        held.delete(runId);
        if (dropOthers) {
          held.clear();
          heldBytes = 0;
        }
      };
      /** The worker's reply; the reply can overtake the last frames it posted on port2, so relay those first. */
      const settle = async <T>(reply: Promise<T>): Promise<T> => {
        const result = await Promise.race([reply, workerFailed]);
        await Promise.race([allFlushed, new Promise((r) => setTimeout(r, FLUSH_WAIT_MS))]);
        return result;
      };
      const close = () => {
        done = true;
        finished.add(runId);
        if (active?.runId === runId) active = undefined;
        port1.close();
      };

      return {
        async run(job, onProgress) {
          // Frames held for any other run are stale now (runs are strictly one after another).
          open(true);
          try {
            const progress = onProgress ? Comlink.proxy(onProgress) : undefined;
            const result = await settle<JobResult>(api.run(job, Comlink.transfer(port2, [port2]), progress));
            if (!result.ok && result.error.party !== undefined && aborts.has(result.error.party)) {
              return { ...result, error: { ...result.error, code: 'ABORTED', message: aborts.get(result.error.party) ?? result.error.message } };
            }
            return result;
          } catch (err) {
            return { ok: false, error: { code: 'ABORTED', message: `The MPC worker failed: ${String(err)}` } };
          } finally {
            close();
          }
        },
        async prepare(prep) {
          // A prep never starts while a run is under way (prep-coordinator.ts), but early frames
          // of the next run may already be held: keep them.
          open(false);
          try {
            return await settle<PrepResult>(api.prepare(prep, Comlink.transfer(port2, [port2])));
          } catch (err) {
            return { ok: false, error: { code: 'ABORTED', message: `The MPC worker failed: ${String(err)}` } };
          } finally {
            close();
          }
        },
        traffic: () => new Map([...traffic].map(([id, t]) => [id, { ...t }])),
        peerLeft: closePeer,
        peerAborted(memberId, reason) {
          const peer = indexOf.get(memberId);
          if (peer !== undefined) aborts.set(peer, reason);
          closePeer(memberId, reason);
        },
        cancel(reason) {
          for (const id of roster) if (id !== selfId) closePeer(id, reason);
        },
      };
    },

    async discardPrepared() {
      await Promise.race([api.discardPrepared(), workerFailed]).catch(() => undefined);
    },

    terminate() {
      worker.terminate();
    },
  };
}

function toHex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

/**
 * Whether a frame carries protocol data (shares, masked values) rather than the public
 * agreement digest, the prep tag (ot/prepared-ot.ts) or a session control notice, judged by its round header's protocol tag
 * (src/core/session/round.ts: u16 protocol first). Only such frames are shown as samples.
 */
function isShareFrame(frame: Uint8Array): boolean {
  if (frame.length < 2) return false;
  const protocol = (frame[0] << 8) | frame[1];
  return protocol !== 0 && protocol !== AGREE_PROTOCOL && protocol !== Protocol.Prep;
}
