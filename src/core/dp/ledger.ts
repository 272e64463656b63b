/**
 * A party's own privacy ledger for a room (issue 14), the rules shared by the browser tab
 * (localStorage, ui/features/dp/ledger.ts) and the Node party (a JSON file, cli/ledger-file.ts):
 * the room's total ε (pinned by the link, budget.ts) and the ε of every private run this party
 * took part in. Each party refuses to start or join a run that would exceed the total, so a
 * host who clears or edits its own ledger can start a run, but every other party refuses it:
 * the budget protects each participant's own data whatever the host does.
 *
 * A run is charged when this party agrees to run it (before any input is used), even if it is
 * later stopped: a stopped run may still have opened its noisy result to someone. Amounts are
 * decimal strings added as integers of 10^-6 (no float drift). A ledger that cannot be read or
 * is malformed refuses every private run (fail closed) and is never overwritten.
 *
 * Security assumption: the ledger protects its owner against the others (the host above all);
 * its owner can always edit it, which only weakens the protection of their own data.
 */
import { formatDecimalTrimmed, parseDecimal } from '../fixed-point.ts';
import { BUDGET_PLACES } from './budget.ts';

/** Where ledgers live: one text per room id. `load` returns null for none; both throw when the store fails. */
export interface LedgerStorage {
  load(roomId: string): string | null;
  save(roomId: string, text: string): void;
}

export interface LedgerEntry {
  runId: string;
  epsilon: string;
  at: number;
}

export interface Ledger {
  total?: string;
  spent: LedgerEntry[];
}

/** What a run's spec says about privacy (non-private specs carry no epsilon). */
export interface PrivateSpec {
  epsilon?: string;
  budget?: string;
}

const micro = (s: string): bigint => parseDecimal(s, BUDGET_PLACES);
const show = (v: bigint): string => formatDecimalTrimmed(v, BUDGET_PLACES);
const DECIMAL = /^[0-9]+(?:\.[0-9]{1,6})?$/;

/** A stored ledger, validated; throws on anything malformed (negative or non-decimal amounts included). */
export function parseLedger(raw: string): Ledger {
  const o = JSON.parse(raw) as unknown;
  if (typeof o !== 'object' || o === null || Array.isArray(o)) throw new Error('not an object');
  const { total, spent } = o as Record<string, unknown>;
  if (total !== undefined && (typeof total !== 'string' || !DECIMAL.test(total) || micro(total) <= 0n)) throw new Error('bad total');
  if (!Array.isArray(spent)) throw new Error('no spent list');
  const entries = spent.map((e: unknown): LedgerEntry => {
    const r = (typeof e === 'object' && e !== null ? e : {}) as Record<string, unknown>;
    if (typeof r.runId !== 'string' || typeof r.epsilon !== 'string' || !DECIMAL.test(r.epsilon) || typeof r.at !== 'number') throw new Error('bad entry');
    return { runId: r.runId, epsilon: r.epsilon, at: r.at };
  });
  return total === undefined ? { spent: entries } : { total, spent: entries };
}

/** The ledger, an empty one if none, or 'unreadable' if the store fails or the stored one is malformed. */
export function readLedger(store: LedgerStorage, roomId: string): Ledger | 'unreadable' {
  try {
    const raw = store.load(roomId);
    return raw === null ? { spent: [] } : parseLedger(raw);
  } catch {
    return 'unreadable';
  }
}

function write(store: LedgerStorage, roomId: string, l: Ledger): boolean {
  try {
    store.save(roomId, JSON.stringify(l));
    return true;
  } catch {
    return false;
  }
}

/**
 * Pin the link's total on first sight. A ledger that already holds a total keeps it (the
 * first link this party saw for the room); a differing link total returns a notice.
 */
export function pinBudget(store: LedgerStorage, roomId: string, linkTotal: string | undefined): string | undefined {
  const l = readLedger(store, roomId);
  if (l === 'unreadable' || linkTotal === undefined) return undefined;
  if (l.total === undefined) {
    write(store, roomId, { ...l, total: linkTotal });
    return undefined;
  }
  if (micro(l.total) !== micro(linkTotal)) return `This link names a privacy budget of ${linkTotal}, but this party first joined the room with ${l.total}. It keeps ${l.total}.`;
  return undefined;
}

export const spentOf = (l: Ledger): bigint => l.spent.reduce((a, e) => a + micro(e.epsilon), 0n);

/** What this party has left of the room's budget, for the notes. */
export function budgetStatus(store: LedgerStorage, roomId: string): { total?: string; spent: string; left?: string } | 'unreadable' {
  const l = readLedger(store, roomId);
  if (l === 'unreadable') return l;
  const spent = spentOf(l);
  if (l.total === undefined) return { spent: show(spent) };
  const left = micro(l.total) - spent;
  return { total: l.total, spent: show(spent), left: show(left < 0n ? 0n : left) };
}

/**
 * Whether the room has a privacy budget for this party: the link names one, or the ledger pinned
 * one (from a link or the first private spec), or the stored ledger is malformed (it may have held
 * one: fail closed). A store that cannot be read at all (storage disabled) and a link without a
 * budget say none: this party never saw a budget for the room.
 */
function isBudgeted(store: LedgerStorage, roomId: string, linkTotal: string | undefined): boolean {
  if (linkTotal !== undefined) return true;
  let raw: string | null;
  try {
    raw = store.load(roomId);
  } catch {
    return false;
  }
  if (raw === null) return false;
  try {
    return parseLedger(raw).total !== undefined;
  } catch {
    return true;
  }
}

/**
 * Why this party refuses a run with `spec`, or undefined when it may run. In a room with a
 * budget (`linkTotal`: the total the room link pins, or a pinned ledger) a run without ε is
 * refused too: it would spend nothing from the budget yet open the exact output, so a host
 * could otherwise learn exact results in a room whose participants joined for noisy ones.
 */
export function ledgerRefusal(store: LedgerStorage, roomId: string, spec: PrivateSpec, linkTotal?: string): string | undefined {
  if (spec.epsilon === undefined) {
    if (!isBudgeted(store, roomId, linkTotal)) return undefined;
    return 'this room has a privacy budget, and this run adds no noise: its exact result would spend nothing from the budget yet reveal more than any private run, so this party refuses it (the host must set ε)';
  }
  const l = readLedger(store, roomId);
  if (l === 'unreadable') return "this party's privacy ledger for the room is unreadable, so it refuses private runs";
  const eps = micro(spec.epsilon);
  let total = l.total;
  if (total === undefined && spec.budget !== undefined) {
    // A link without a budget: the first budget the host declares is pinned from then on.
    if (!write(store, roomId, { ...l, total: spec.budget })) return "this party cannot write its privacy ledger, so it refuses private runs";
    total = spec.budget;
  }
  if (total === undefined) return undefined;
  if (spec.budget === undefined || micro(spec.budget) !== micro(total)) {
    return `the run names a privacy budget of ${spec.budget ?? 'none'}, but this room's budget is ${total}`;
  }
  const left = micro(total) - spentOf(l);
  if (eps > left) return `the run would spend ε = ${show(eps)}, but only ${show(left < 0n ? 0n : left)} of the room's privacy budget ${total} is left`;
  return undefined;
}

/**
 * Charge a run to this party's ledger; false if it could not be written. Every accepted run
 * is charged, even under a run id seen before: the id is the host's choice, and "already
 * charged" for a repeated id let a host replay an old id to run private computations free.
 */
export function spend(store: LedgerStorage, roomId: string, runId: string, epsilon: string): boolean {
  const l = readLedger(store, roomId);
  if (l === 'unreadable') return false;
  return write(store, roomId, { ...l, spent: [...l.spent, { runId, epsilon, at: Date.now() }] });
}
