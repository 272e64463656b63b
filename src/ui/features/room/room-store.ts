/**
 * The room's UI state (zustand). Only the controller (room-controller.ts) writes it; views
 * read it. Private input text lives here because the view edits it, but it is never sent
 * anywhere except, on Start, to the MPC worker.
 */
import { create } from 'zustand';
import type { Computation, RoomSpec } from './room-protocol';
import type { JobOutput } from '../../../worker/jobs';
import type { PrepState } from './prep-coordinator';

export type LinkState = 'connecting' | 'connected' | 'closed';

export interface Participant {
  id: string;
  name: string;
  self: boolean;
  creator: boolean;
  link: LinkState;
  ready: boolean;
  /** Number of values this participant declared when ready. */
  length?: number;
  /** Network path of our connection to them, once known. */
  path?: 'direct' | 'relayed';
}

export type RunStatus = 'idle' | 'running' | 'done' | 'failed';
export type RunPhase = 'starting' | 'checking' | 'preparing' | 'computing' | 'revealing' | 'done';

export interface RunResultView {
  computation: Computation;
  /** Everything this party learned (per kind: value(s), stats, rank, buckets, above, items). */
  output: JobOutput;
  /** The value or values of `output`, exact decimal strings (empty when the kind has none). */
  values: string[];
  parties: number;
  names: string[];
  millis: number;
  /** Bytes of protocol messages sent to / received from each other participant. */
  traffic: TrafficRow[];
}

export interface TrafficRow {
  name: string;
  /** Protocol bytes relayed to / from this participant during the run. */
  sent: number;
  received: number;
  /** Hex of the first bytes sent to them: what a share looks like on the wire. */
  sample: string;
}

export interface RunProgress {
  /** 0..1 when the protocol can tell. */
  fraction?: number;
  /** Protocol bytes sent / received so far in this run, all peers together. */
  sent: number;
  received: number;
  /** Date.now() when the run started here (for elapsed time and estimates). */
  startedAt: number;
}

export interface RoomState {
  secret: string;
  link: string;
  name: string;
  joined: boolean;
  isCreator: boolean;
  selfId?: string;
  signaling: 'idle' | 'connecting' | 'open' | 'closed';
  spec?: RoomSpec;
  /** The final group safety code (same on every screen = no one in the middle); unset while it is being established. */
  safetyCode?: string;
  /** The server refused to let this tab in (room full, …): nothing else of the room is shown. */
  refusal?: string;
  /** Signaling is gone (existing connections keep working; new people cannot join). */
  signalingError?: string;
  /** Plain-words notices about connections refused or dropped (newest last, bounded). */
  connectionNotices: string[];
  participants: Participant[];
  input: string;
  inputError?: string;
  /** How the input was read (normalisation of items and the like), shown under the field. */
  inputNotes?: string[];
  /** Readings that may change a value's magnitude, or outliers: Ready waits for confirmation. */
  inputWarnings?: string[];
  /** The person confirmed the warnings for the input as it is now. */
  inputConfirmed: boolean;
  ready: boolean;
  /** OT setups for the connected group before Start (prep-coordinator.ts): being prepared, ready, or none. */
  prep: PrepState;
  run: { status: RunStatus; phase?: RunPhase; runId?: string; progress?: RunProgress };
  result?: RunResultView;
  /** Earlier results of this room in this tab, newest first (a spec change keeps them). */
  history: RunResultView[];
  error?: string;
  notice?: string;
}

export const initialRoomState = (): RoomState => ({
  secret: '',
  link: '',
  name: '',
  joined: false,
  isCreator: false,
  signaling: 'idle',
  participants: [],
  connectionNotices: [],
  input: '',
  inputConfirmed: false,
  ready: false,
  prep: 'none',
  run: { status: 'idle' },
  history: [],
});

export const useRoomStore = create<RoomState>()(() => initialRoomState());

/**
 * Names as shown in the list: two people called "Sam" get the first characters of their
 * member id after the name ("Sam · k3Fq"), the same in every tab, so they can be told apart.
 */
export function participantLabels(participants: Participant[]): Map<string, string> {
  const counts = new Map<string, number>();
  for (const p of participants) counts.set(p.name, (counts.get(p.name) ?? 0) + 1);
  return new Map(participants.map((p) => [p.id, (counts.get(p.name) ?? 0) > 1 ? `${p.name} · ${p.id.slice(0, 4)}` : p.name]));
}

export function participantState(p: Participant): 'connecting' | 'connected' | 'ready' {
  if (p.link !== 'connected') return 'connecting';
  return p.ready ? 'ready' : 'connected';
}
