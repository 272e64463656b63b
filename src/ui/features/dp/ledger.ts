/**
 * Every tab's own privacy ledger for a room (issue 14): the room's total ε (pinned by the
 * link, budget-link.ts) and the ε of every private run this tab took part in. It lives in
 * this browser's localStorage under the room id, so it survives a reload; it never leaves
 * the tab. A tab refuses to start or join a run that would exceed the total: a host who
 * clears or edits its own ledger can start a run, but every other tab refuses it, so the
 * budget protects each participant's own data whatever the host does.
 *
 * A run is charged when this tab agrees to run it (before any input is used), even if it
 * is later stopped: a stopped run may still have opened its noisy result to someone.
 * Amounts are decimal strings added as integers of 10^-6 (no float drift).
 */
import { parseDecimal, formatDecimalTrimmed } from '../../../core/fixed-point';
import { BUDGET_PLACES } from './budget-link';

export interface LedgerEntry {
  runId: string;
  epsilon: string;
  at: number;
}

export interface Ledger {
  total?: string;
  spent: LedgerEntry[];
}

const keyOf = (roomId: string): string => `parley/dp-ledger/${roomId}`;
const micro = (s: string): bigint => parseDecimal(s, BUDGET_PLACES);
const show = (v: bigint): string => formatDecimalTrimmed(v, BUDGET_PLACES);

/** The ledger, an empty one if none, or 'unreadable' if the stored one is malformed. */
export function readLedger(roomId: string): Ledger | 'unreadable' {
  let raw: string | null;
  try {
    raw = localStorage.getItem(keyOf(roomId));
  } catch {
    return 'unreadable';
  }
  if (raw === null) return { spent: [] };
  try {
    const o = JSON.parse(raw) as unknown;
    if (typeof o !== 'object' || o === null) return 'unreadable';
    const { total, spent } = o as Record<string, unknown>;
    if (total !== undefined && typeof total !== 'string') return 'unreadable';
    if (total !== undefined) micro(total);
    if (!Array.isArray(spent)) return 'unreadable';
    const entries = spent.map((e: unknown) => {
      const r = e as Record<string, unknown>;
      if (typeof r?.runId !== 'string' || typeof r.epsilon !== 'string' || typeof r.at !== 'number') throw new Error('bad entry');
      micro(r.epsilon);
      return { runId: r.runId, epsilon: r.epsilon, at: r.at };
    });
    return total === undefined ? { spent: entries } : { total, spent: entries };
  } catch {
    return 'unreadable';
  }
}

function write(roomId: string, l: Ledger): boolean {
  try {
    localStorage.setItem(keyOf(roomId), JSON.stringify(l));
    return true;
  } catch {
    return false;
  }
}

/**
 * Pin the link's total on first sight. A ledger that already holds a total keeps it (the
 * first link this browser saw for the room); a differing link total returns a notice.
 */
export function pinBudget(roomId: string, linkTotal: string | undefined): string | undefined {
  const l = readLedger(roomId);
  if (l === 'unreadable' || linkTotal === undefined) return undefined;
  if (l.total === undefined) {
    write(roomId, { ...l, total: linkTotal });
    return undefined;
  }
  if (micro(l.total) !== micro(linkTotal)) return `This link names a privacy budget of ${linkTotal}, but this browser first joined the room with ${l.total}. It keeps ${l.total}.`;
  return undefined;
}

export const spentOf = (l: Ledger): bigint => l.spent.reduce((a, e) => a + micro(e.epsilon), 0n);

/** What this tab has left of the room's budget, for the notes. */
export function budgetStatus(roomId: string): { total?: string; spent: string; left?: string } | 'unreadable' {
  const l = readLedger(roomId);
  if (l === 'unreadable') return l;
  const spent = spentOf(l);
  if (l.total === undefined) return { spent: show(spent) };
  const left = micro(l.total) - spent;
  return { total: l.total, spent: show(spent), left: show(left < 0n ? 0n : left) };
}

/** Why this tab refuses a run with `spec`, or undefined when it may run (non-private specs always may). */
export function ledgerRefusal(roomId: string, spec: { epsilon?: string; budget?: string }): string | undefined {
  if (spec.epsilon === undefined) return undefined;
  const l = readLedger(roomId);
  if (l === 'unreadable') return "this tab's privacy ledger for the room is unreadable, so it refuses private runs";
  const eps = micro(spec.epsilon);
  let total = l.total;
  if (total === undefined && spec.budget !== undefined) {
    // A link without a budget: the first budget the host declares is pinned from then on.
    write(roomId, { ...l, total: spec.budget });
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

/** Charge a run to this tab's ledger (idempotent per run id). */
export function spend(roomId: string, runId: string, epsilon: string): void {
  const l = readLedger(roomId);
  if (l === 'unreadable' || l.spent.some((e) => e.runId === runId)) return;
  write(roomId, { ...l, spent: [...l.spent, { runId, epsilon, at: Date.now() }] });
}
