/**
 * The room's privacy budget ε_total, pinned by the room link (like the host: transport/
 * host-key.ts): the creator puts it after the link path, `#/room/<secret>.<host>~budget=3`,
 * so whoever holds the link knows the total the host chose at creation and no later message
 * can change it. Every tab's ledger (ledger.ts) takes its total from here; the host repeats
 * it in every private run's spec (inside the agreed digest), and a tab refuses a run whose
 * budget differs from its link's.
 */
import { parseDecimal } from '../../../core/fixed-point';

const SUFFIX = /~budget=([0-9]+(?:\.[0-9]{1,6})?)$/;
export const BUDGET_PLACES = 6;
const MAX_BUDGET = 1000n * 10n ** BigInt(BUDGET_PLACES);

/** The room path without the budget suffix (what transport's parseRoomLinkPath reads). */
export const stripBudget = (path: string): string => path.replace(/~.*$/, '');

/** The budget a room link pins, as a canonical decimal string, or undefined (no budget, or malformed). */
export function budgetOfHash(hash: string): string | undefined {
  const m = SUFFIX.exec(hash);
  if (!m) return undefined;
  const v = parseDecimal(m[1], BUDGET_PLACES);
  return v > 0n && v <= MAX_BUDGET ? canonical(m[1]) : undefined;
}

/** `~budget=<total>` for a valid total, else an error message for the landing form. */
export function budgetSuffix(text: string): { suffix: string } | { error: string } {
  const t = text.trim();
  if (t === '') return { suffix: '' };
  if (!/^[0-9]+(?:\.[0-9]{1,6})?$/.test(t)) return { error: 'The privacy budget is a positive number such as 3 or 0.5 (at most 6 decimals).' };
  const v = parseDecimal(t, BUDGET_PLACES);
  if (v <= 0n || v > MAX_BUDGET) return { error: 'The privacy budget must be above 0 and at most 1000.' };
  return { suffix: `~budget=${canonical(t)}` };
}

/** "3.50" → "3.5", "007" → "7": one spelling per value, so every tab compares the same text. */
function canonical(t: string): string {
  const [i, f = ''] = t.split('.');
  const int = i.replace(/^0+(?=\d)/, '');
  const frac = f.replace(/0+$/, '');
  return frac ? `${int}.${frac}` : int;
}
