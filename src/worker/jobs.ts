/**
 * What crosses the comlink boundary between the main thread and the MPC worker. Private
 * values go main → worker only; the worker answers with the declared output and traffic
 * counters. Errors come back as `ErrorInfo` (branch on `code`, STYLE §6).
 */
import type { ErrorInfo } from '../core/errors';
import type { RegisteredOutput, RegisteredSpec } from '../core/computations/registry';
import type { RosterEntry } from '../core/protocols/agree';

export type { PsiOutput } from '../core/computations/registry-psi';

export interface Job {
  /** Any spec of the computation registry; the worker validates it again with its kind's parser. */
  spec: RegisteredSpec;
  /** This party's index in the roster, and the roster size. */
  self: number;
  parties: number;
  /** Public number of values (or items) of each party, in party order. */
  counts: number[];
  /** Numeric kinds, and psi-sum (one per item): this party's values as exact decimal strings (validated again here). */
  values?: string[];
  /** weighted-mean: one weight per value. */
  weights?: string[];
  /** psi, psi-size, psi-sum: this party's normalised items (psi-sum: repeats allowed, their values add up). */
  items?: string[];
  /** Kinds with richer input (tables): their own payload, validated by their registry entry. */
  data?: unknown;
  /** What every party must agree on before any input is used (DESIGN §1.4). */
  agreement: { specJson: string; roster: RosterEntry[]; nonce: string };
  /** Per-round timeout, ms. */
  timeoutMs?: number;
  /** The prepared OT setup this party holds for this roster (ot/prepared-ot.ts), if any. */
  prepId?: string;
}

/** Whatever the computation's registry entry returns (numbers: ComputationOutput; PSI: PsiOutput; …). */
export type JobOutput = RegisteredOutput;

export interface JobStats {
  /** Bytes sent to / received from each party (index = party), protocol frames only. */
  sent: number[];
  received: number[];
  millis: number;
}

export type JobResult =
  | { ok: true; output: JobOutput; stats: JobStats }
  | { ok: false; error: ErrorInfo; stats?: JobStats };

/** Preparation before Start (issue 19): base OTs over the stable roster, under a fresh prep id. */
export interface PrepJob {
  prepId: string;
  self: number;
  roster: RosterEntry[];
  timeoutMs?: number;
  /** The spec the room shows now: its triples are prepared too (fast runs; run-job.ts). */
  spec?: unknown;
}

export type PrepResult = { ok: true; millis: number } | { ok: false; error: ErrorInfo };

export type ProgressPhase = 'checking' | 'preparing' | 'computing' | 'revealing';

export interface Progress {
  phase: ProgressPhase;
  /** Fraction of the whole run done, 0..1, when the protocol can tell. */
  fraction?: number;
}

export interface EngineApi {
  /** Runs one job. `port` carries protocol frames (see src/core/session/port-network.ts). */
  run(job: Job, port: MessagePort, onProgress?: (p: Progress) => void): Promise<JobResult>;
  /**
   * Prepares OT setups for `prep.roster` before Start over `port` (frames tagged with the prep
   * id as run id); a later `run` whose job names the prep id uses them once.
   */
  prepare(prep: PrepJob, port: MessagePort): Promise<PrepResult>;
  /** The connected group changed: drop every prepared setup. */
  discardPrepared(): Promise<void>;
  /** Cheap liveness check used at startup so a mis-bundled worker fails loudly. */
  ping(): Promise<'pong'>;
}
