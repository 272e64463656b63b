/**
 * What crosses the comlink boundary between the main thread and the MPC worker. Private
 * values go main → worker only; the worker answers with the declared output and traffic
 * counters. Errors come back as `ErrorInfo` (branch on `code`, STYLE §6).
 */
import type { ErrorInfo } from '../core/errors';

export type JobComputation = 'sum' | 'mean';

export interface Job {
  computation: JobComputation;
  /** This party's index in the roster, and the roster size. */
  self: number;
  parties: number;
  /** Fixed-point decimals d: each value is an exact decimal string with ≤ d decimals. */
  decimals: number;
  /** Vector length every party agreed on. */
  length: number;
  /** This party's private values, decimal strings validated by the UI (and again here). */
  values: string[];
  /** Per-round timeout, ms. */
  timeoutMs?: number;
}

export interface JobStats {
  /** Bytes sent to / received from each party (index = party), protocol frames only. */
  sent: number[];
  received: number[];
  millis: number;
}

export type JobResult =
  | { ok: true; values: string[]; stats: JobStats }
  | { ok: false; error: ErrorInfo; stats?: JobStats };

export type ProgressPhase = 'checking' | 'preparing' | 'computing' | 'revealing';

export interface Progress {
  phase: ProgressPhase;
  /** Fraction of the whole run done, 0..1, when the protocol can tell. */
  fraction?: number;
}

export interface EngineApi {
  /** Runs one job. `port` carries protocol frames (see src/core/session/port-network.ts). */
  run(job: Job, port: MessagePort, onProgress?: (p: Progress) => void): Promise<JobResult>;
  /** Cheap liveness check used at startup so a mis-bundled worker fails loudly. */
  ping(): Promise<'pong'>;
}
