/**
 * The room's privacy budget ε_total as the room link pins it (`#/room/<secret>.<host>~budget=3`,
 * see ui/features/dp/budget-link.ts for why the link and not a message): parsing shared by the
 * browser and the Node party, so both read the same total from the same link.
 */
import { parseDecimal } from '../fixed-point.ts';

export const BUDGET_PLACES = 6;
export const MAX_BUDGET = 1000n * 10n ** BigInt(BUDGET_PLACES);
const SUFFIX = /~budget=([0-9]+(?:\.[0-9]{1,6})?)$/;

/** The room path without the budget suffix (what transport's parseRoomLinkPath reads). */
export const stripBudget = (path: string): string => path.replace(/~.*$/, '');

/** The budget a room link (or its hash) pins, as a canonical decimal string, or undefined (none, or malformed). */
export function budgetOfHash(hash: string): string | undefined {
  const m = SUFFIX.exec(hash);
  if (!m) return undefined;
  const v = parseDecimal(m[1], BUDGET_PLACES);
  return v > 0n && v <= MAX_BUDGET ? canonicalBudget(m[1]) : undefined;
}

/** "3.50" → "3.5", "007" → "7": one spelling per value, so every tab compares the same text. */
export function canonicalBudget(t: string): string {
  const [i, f = ''] = t.split('.');
  const int = i.replace(/^0+(?=\d)/, '');
  const frac = f.replace(/0+$/, '');
  return frac ? `${int}.${frac}` : int;
}
