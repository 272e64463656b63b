/**
 * The Node party's privacy ledger (issue 14): the browser's rules (core/dp/ledger.ts) over a JSON
 * file, so a Node party refuses a private run over the room's budget just as every tab does, and
 * a host cannot drain the budget through it. Default file: ~/.parley/ledger.json (--ledger PATH),
 * `{ "rooms": { "<room id>": <ledger> } }`; it survives restarts of the process.
 *
 * Writes go to a temporary file renamed over the old one (a crash never leaves half a ledger).
 * A file that cannot be parsed is never overwritten: every private run is refused until its
 * owner repairs or removes it. Two parties sharing one file at the same instant may race
 * (read-modify-write); each process takes one run, so the window is one charge.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { ledgerRefusal, pinBudget, readLedger, spend, type LedgerStorage, type PrivateSpec } from '../core/dp/ledger.ts';
import type { RoomSpec } from '../ui/features/room/room-protocol.ts';

export const defaultLedgerPath = (): string => join(homedir(), '.parley', 'ledger.json');

type Rooms = Record<string, unknown>;

/** The file's rooms; {} when there is no file; throws when it is unreadable or malformed. */
function readRooms(path: string): Rooms {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw e;
  }
  const o = JSON.parse(text) as unknown;
  const rooms = typeof o === 'object' && o !== null ? (o as Record<string, unknown>).rooms : undefined;
  if (typeof rooms !== 'object' || rooms === null || Array.isArray(rooms)) throw new Error(`${path} is not a Parley ledger`);
  return rooms as Rooms;
}

export function fileLedgerStorage(path: string): LedgerStorage {
  return {
    load(roomId) {
      const rooms = readRooms(path);
      return Object.hasOwn(rooms, roomId) ? JSON.stringify(rooms[roomId]) : null;
    },
    save(roomId, text) {
      const rooms = readRooms(path);
      rooms[roomId] = JSON.parse(text) as unknown;
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      const tmp = `${path}.${process.pid}.tmp`;
      writeFileSync(tmp, `${JSON.stringify({ rooms }, null, 1)}\n`, { mode: 0o600 });
      renameSync(tmp, path);
    },
  };
}

/** What the Party asks before and charges at the start of a run (see party.ts `policy`). */
export interface RunPolicy {
  refuse(spec: RoomSpec): string | undefined;
  /** Charge the run; a reason to abort it (before any input is used) if the charge cannot be kept. */
  charge(runId: string, spec: RoomSpec): string | undefined;
}

/** The ledger policy for one room; `notice` is set when the link's budget differs from the pinned one. */
export function fileLedgerPolicy(path: string, roomId: string, linkBudget: string | undefined): RunPolicy & { notice?: string } {
  const store = fileLedgerStorage(path);
  const epsilonOf = (spec: RoomSpec): PrivateSpec => ('epsilon' in spec ? spec : {});
  return {
    notice: pinBudget(store, roomId, linkBudget),
    // A link with a budget makes the room budgeted even before the ledger pinned it: a run without ε is refused.
    refuse: (spec) => ledgerRefusal(store, roomId, epsilonOf(spec), linkBudget),
    charge(runId, spec) {
      const p = epsilonOf(spec);
      if (p.epsilon === undefined) return ledgerRefusal(store, roomId, p, linkBudget);
      const l = readLedger(store, roomId);
      // The run id is the host's choice: a start under an id already charged is a replay, and
      // treating it as paid let a host run private computations without charge.
      if (l !== 'unreadable' && l.spent.some((e) => e.runId === runId)) return 'this run id was already used for a private run in this room; a replayed start is refused';
      const refusal = ledgerRefusal(store, roomId, p, linkBudget);
      if (refusal) return refusal;
      return spend(store, roomId, runId, p.epsilon) ? undefined : `this party could not write its privacy ledger (${path}), so it refuses private runs`;
    },
  };
}
