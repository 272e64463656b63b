/**
 * One MPC run of the room, once the control protocol (room-reducer.ts) has accepted it: hands
 * the job to the worker through a run bridge, relays its frames, shows progress, and turns
 * the outcome into the result card or a failure in plain words. The private input goes to
 * the worker here and nowhere else.
 *
 * Failures are described from their typed code (core/errors.ts) and the party indices the
 * worker reports (`party` blamed, `reporter` who reported it): never from message wording.
 */
import type { ErrorCode } from '../../../core/errors';
import { isTableOutput } from '../../../core/table';
import { isModelOutput } from '../../../core/model';
import type { EngineClient, RunBridge } from '../../../worker/engine-client';
import type { Job, JobResult } from '../../../worker/jobs';
import type { PrivateInput } from './private-input';
import type { ControlMessage, RoomSpec } from './room-protocol';
import { archive } from './room-reducer';
import { describeRunFailure, roundTimeout } from './room-rules';
import { useRoomStore, type RoomState } from './room-store';

const set = (patch: Partial<RoomState> | ((s: RoomState) => Partial<RoomState>)) => useRoomStore.setState(patch);
const get = () => useRoomStore.getState();

export interface RunDeps {
  engine: EngineClient;
  sendMpc(to: string, bytes: Uint8Array): Promise<void>;
  sendControl(to: string[], msg: ControlMessage): void;
  /** Identity keys (base64url) of this tab and of the members, as the mesh authenticated them. */
  keys(): { self: string; peers: Readonly<Record<string, string>> };
  /** Remember in this tab that a run is (or no longer is) in progress (room-memory.ts). */
  remember(running: boolean): void;
  closed(): boolean;
}

export class RunOrchestrator {
  private bridge?: RunBridge;
  /** Codes of the aborts members sent for the run in progress, by member id. */
  private abortCodes = new Map<string, ErrorCode>();

  constructor(private readonly deps: RunDeps) {}

  /** A member aborted the run in progress (its control message said why, and which kind). */
  peerAborted(from: string, reason: string, code: ErrorCode | undefined): void {
    if (code) this.abortCodes.set(from, code);
    this.bridge?.peerAborted(from, reason);
  }

  peerLeft(id: string, text: string): void {
    this.bridge?.peerLeft(id, text);
  }

  cancel(reason: string): void {
    this.bridge?.cancel(reason);
  }

  /**
   * Run `runId`; nothing may leave the room stuck in 'running', whatever fails. `prepared`
   * gives the prep id to name once no preparation holds the engine (prep-coordinator.ts).
   */
  async run(runId: string, spec: RoomSpec, roster: string[], counts: number[], input: PrivateInput | undefined, prepared?: () => Promise<string | undefined>): Promise<void> {
    try {
      await this.runUnguarded(runId, spec, roster, counts, input, prepared);
    } catch (e) {
      if (get().run.runId === runId && get().run.status === 'running') {
        set({ run: { status: 'failed', runId }, error: `The run could not start: ${e instanceof Error ? e.message : String(e)}` });
      }
      this.deps.sendControl(roster, { t: 'abort', runId, reason: 'The run was stopped. No result was revealed.', code: 'ABORTED' });
    }
  }

  private async runUnguarded(runId: string, spec: RoomSpec, roster: string[], counts: number[], input: PrivateInput | undefined, prepared?: () => Promise<string | undefined>): Promise<void> {
    const s = get();
    if (!s.selfId || !input?.ok) return;
    const selfId = s.selfId;
    this.abortCodes = new Map();
    const names = roster.map((id) => s.participants.find((p) => p.id === id)?.name ?? 'someone');
    const startedAt = Date.now();
    let fraction: number | undefined;
    set((st) => ({ run: { status: 'running', phase: 'starting', runId, progress: { sent: 0, received: 0, startedAt } }, result: undefined, history: archive(st), error: undefined, notice: undefined }));
    // A reload now stops the run: remember that, to tell the person why the input is gone.
    this.deps.remember(true);
    const bridge = this.deps.engine.bridge(runId, roster, selfId, (to, bytes) => this.deps.sendMpc(to, bytes));
    this.bridge = bridge;
    const progressNow = () => {
      let sent = 0;
      let received = 0;
      for (const t of bridge.traffic().values()) {
        sent += t.sent;
        received += t.received;
      }
      return { fraction, sent, received, startedAt };
    };
    const ticker = setInterval(() => {
      const r = get().run;
      if (r.runId === runId && r.status === 'running') set({ run: { ...r, progress: progressNow() } });
    }, 250);
    const keys = this.deps.keys();
    // After the bridge exists (a peer leaving meanwhile reaches it), before it opens.
    const prepId = await prepared?.();
    const job: Job = {
      spec,
      self: roster.indexOf(selfId),
      parties: roster.length,
      counts,
      values: input.values,
      weights: input.weights,
      items: input.items,
      data: input.data,
      timeoutMs: roundTimeout(spec, counts),
      agreement: {
        specJson: JSON.stringify(spec),
        roster: roster.map((id) => ({ id, publicKey: id === selfId ? keys.self : (keys.peers[id] ?? '') })),
        nonce: runId,
      },
      ...(prepId ? { prepId } : {}),
    };
    let outcome: JobResult;
    try {
      outcome = await bridge.run(job, (p) => {
        fraction = p.fraction;
        if (get().run.runId === runId) set({ run: { status: 'running', phase: p.phase, runId, progress: progressNow() } });
      });
    } finally {
      clearInterval(ticker);
      if (this.bridge === bridge) this.bridge = undefined;
    }
    if (!this.deps.closed()) this.deps.remember(false);
    if (get().run.runId !== runId || this.deps.closed()) return;
    if (outcome.ok) {
      const self = roster.indexOf(selfId);
      const traffic = bridge.traffic();
      const output = outcome.output;
      set({
        run: { status: 'done', phase: 'done', runId },
        result: {
          computation: spec.kind,
          output,
          values: !isTableOutput(output) && !isModelOutput(output) && 'value' in output && output.value !== undefined ? (Array.isArray(output.value) ? output.value : [output.value]) : [],
          parties: roster.length,
          names,
          millis: outcome.stats.millis,
          traffic: roster
            .map((id, i) => {
              const t = traffic.get(id);
              return { name: names[i], sent: t?.sent ?? outcome.stats.sent[i], received: t?.received ?? outcome.stats.received[i], sample: t?.sample ?? '' };
            })
            .filter((_, i) => i !== self),
        },
      });
    } else {
      const failure = describeRunFailure(outcome.error, names, (party) => this.abortCodes.get(roster[party]));
      set({ run: { status: 'failed', runId }, error: failure.text });
      // Tell the others at once, so nobody waits for a timeout to learn the run is over —
      // in fixed words only: local messages can quote this participant's own values.
      this.deps.sendControl(roster, { t: 'abort', runId, reason: failure.publicReason, code: failure.code });
    }
  }
}
