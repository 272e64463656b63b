/**
 * The room's privacy budget ε_total, pinned by the room link (like the host: transport/
 * host-key.ts): the creator puts it after the link path, `#/room/<secret>.<host>~budget=3`,
 * so whoever holds the link knows the total the host chose at creation and no later message
 * can change it. Every tab's ledger (ledger.ts) takes its total from here; the host repeats
 * it in every private run's spec (inside the agreed digest), and a tab refuses a run whose
 * budget differs from its link's.
 */
import { parseDecimal } from '../../../core/fixed-point';
import { BUDGET_PLACES, MAX_BUDGET, canonicalBudget as canonical } from '../../../core/dp/budget';

export { BUDGET_PLACES, budgetOfHash, stripBudget } from '../../../core/dp/budget';

/** `~budget=<total>` for a valid total, else an error message for the landing form. */
export function budgetSuffix(text: string): { suffix: string } | { error: string } {
  const t = text.trim();
  if (t === '') return { suffix: '' };
  if (!/^[0-9]+(?:\.[0-9]{1,6})?$/.test(t)) return { error: 'The privacy budget is a positive number such as 3 or 0.5 (at most 6 decimals).' };
  const v = parseDecimal(t, BUDGET_PLACES);
  if (v <= 0n || v > MAX_BUDGET) return { error: 'The privacy budget must be above 0 and at most 1000.' };
  return { suffix: `~budget=${canonical(t)}` };
}
