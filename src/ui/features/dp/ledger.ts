/**
 * Every tab's own privacy ledger for a room (issue 14): the rules of core/dp/ledger.ts over this
 * browser's localStorage, keyed by the room id, so the ledger survives a reload and never leaves
 * the tab. A tab refuses to start or join a run that would exceed the room's total; a ledger
 * edited into something malformed refuses every private run.
 */
import * as rules from '../../../core/dp/ledger';

export type { Ledger, LedgerEntry } from '../../../core/dp/ledger';

const keyOf = (roomId: string): string => `parley/dp-ledger/${roomId}`;

/** localStorage as a ledger store (getItem/setItem throw when storage is disabled or full). */
const browserStore: rules.LedgerStorage = {
  load: (roomId) => localStorage.getItem(keyOf(roomId)),
  save: (roomId, text) => localStorage.setItem(keyOf(roomId), text),
};

export const readLedger = (roomId: string) => rules.readLedger(browserStore, roomId);
export const pinBudget = (roomId: string, linkTotal: string | undefined) => rules.pinBudget(browserStore, roomId, linkTotal);
export const budgetStatus = (roomId: string) => rules.budgetStatus(browserStore, roomId);
/** Why this tab refuses a run (over the budget; or, in a room with a budget, a run without ε). */
export const ledgerRefusal = (roomId: string, spec: rules.PrivateSpec, linkTotal: string | undefined) => rules.ledgerRefusal(browserStore, roomId, spec, linkTotal);
/** Whether a run without ε would be refused here (the notes warn before Ready). */
export const refusesExactRuns = (roomId: string, linkTotal: string | undefined): boolean => rules.ledgerRefusal(browserStore, roomId, {}, linkTotal) !== undefined;
export const spentOf = rules.spentOf;
/** Charge a run to this tab's ledger (idempotent per run id). */
export const spend = (roomId: string, runId: string, epsilon: string): void => {
  rules.spend(browserStore, roomId, runId, epsilon);
};
