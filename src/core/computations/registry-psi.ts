/**
 * Registry entries of the set intersections (src/core/psi/mp-psi.ts: OPPRF + zero test in
 * the MPC, secure against N−1 colluders): which items are common, how many, and the count
 * and total value of the common items. Items are strings, normalised per `itemKind`; the
 * worker normalises them again here (`parseInput`) rather than trusting the caller's.
 */
import { MpcError } from '../errors.ts';
import { formatDecimal, parseDecimal } from '../fixed-point.ts';
import { utf8Encode } from '../codec.ts';
import { normaliseItem, type ItemKind } from '../psi/normalise.ts';
import { privateSetIntersection } from '../psi/mp-psi.ts';
import type { OutputDescription } from './describe.ts';
import { type ComputationDefinition, DEFAULT_ROUND_TIMEOUT_MS, type SpecParse, defineComputation } from './registry-types.ts';
import { MAX_PARTIES, MIN_PARTIES } from './spec.ts';

export const PSI_KINDS = ['psi', 'psi-size', 'psi-sum'] as const;
export type PsiKind = (typeof PSI_KINDS)[number];
export const ITEM_KINDS: readonly ItemKind[] = ['email', 'phone', 'id', 'text'];
export const PSI_SUM_MAX_DECIMALS = 6;
/** psi-sum: each attached value within ±10^12. */
export const MAX_ITEM_VALUE = 1_000_000_000_000n;

/** Set intersection: items are strings, normalised per `itemKind` before blinding. */
export interface PsiSpec {
  kind: PsiKind;
  itemKind: ItemKind;
  minParties?: number;
  /** psi-sum: decimal places of the value attached to each item (0..6). */
  decimals?: number;
}

/** `sum` (psi-sum): exact decimal string with the spec's decimals. */
export type PsiOutput = { kind: PsiKind; size: number; items?: string[]; sum?: string; decimals?: number };

export interface PsiInput {
  items: string[];
  /** psi-sum: one scaled value per item. */
  values?: bigint[];
}

export const isPsiKind = (kind: string): kind is PsiKind => (PSI_KINDS as readonly string[]).includes(kind);

export function parsePsiSpec(v: unknown): SpecParse<PsiSpec> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return { ok: false, error: 'spec must be an object' };
  const o = v as Record<string, unknown>;
  if (typeof o.kind !== 'string' || !isPsiKind(o.kind)) return { ok: false, error: `kind must be one of ${PSI_KINDS.join(', ')}` };
  if (!ITEM_KINDS.includes(o.itemKind as ItemKind)) return { ok: false, error: `itemKind must be one of ${ITEM_KINDS.join(', ')}` };
  if (o.minParties !== undefined && (!Number.isInteger(o.minParties) || (o.minParties as number) < MIN_PARTIES || (o.minParties as number) > MAX_PARTIES)) {
    return { ok: false, error: `minParties must be an integer in [${MIN_PARTIES}, ${MAX_PARTIES}]` };
  }
  const sum = o.kind === 'psi-sum';
  if (sum && (!Number.isInteger(o.decimals) || (o.decimals as number) < 0 || (o.decimals as number) > PSI_SUM_MAX_DECIMALS)) return { ok: false, error: `decimals must be an integer in [0, ${PSI_SUM_MAX_DECIMALS}]` };
  // No `protection`: the PSI has one protocol (mp-psi.ts), so a level would promise nothing.
  const allowed = ['kind', 'itemKind', 'minParties', ...(sum ? ['decimals'] : [])];
  const extra = Object.keys(o).find((k) => !allowed.includes(k));
  if (extra) return { ok: false, error: `unexpected field ${JSON.stringify(extra)} for ${o.kind}` };
  return {
    ok: true,
    spec: {
      kind: o.kind,
      itemKind: o.itemKind as ItemKind,
      ...(o.minParties !== undefined ? { minParties: o.minParties as number } : {}),
      ...(sum ? { decimals: o.decimals as number } : {}),
    },
  };
}

/**
 * The items as the protocol will use them: every item normalised again (so two parties'
 * "Alice@Example.org" and "alice@example.org" meet), none invalid, and, except for psi-sum
 * (where repeats add up), none repeated, since the declared count is public.
 */
function normaliseAgain(spec: PsiSpec, raw: readonly string[]): string[] {
  const seen = new Set<string>();
  return raw.map((r, i) => {
    const item = typeof r === 'string' ? normaliseItem(r, spec.itemKind) : undefined;
    if (item === undefined) throw new MpcError('INVALID_ARGUMENT', `item ${i + 1} is not a valid ${spec.itemKind} item`);
    if (spec.kind !== 'psi-sum') {
      if (seen.has(item)) throw new MpcError('INVALID_ARGUMENT', `item ${i + 1} repeats an earlier item once normalised; each item may be entered once`);
      seen.add(item);
    }
    return item;
  });
}

function psiSumValues(texts: readonly string[], count: number, decimals: number): bigint[] {
  if (texts.length !== count) throw new MpcError('INVALID_ARGUMENT', `psi-sum needs one value per item: ${count} items, ${texts.length} values`);
  const limit = MAX_ITEM_VALUE * 10n ** BigInt(decimals);
  return texts.map((t, i) => {
    const v = parseDecimal(t, decimals);
    if (v > limit || v < -limit) throw new MpcError('INPUT_OUT_OF_RANGE', `value ${i + 1} is outside ±1,000,000,000,000`);
    return v;
  });
}

function psiReveals(spec: PsiSpec, parties: number): OutputDescription {
  const reveals =
    spec.kind === 'psi'
      ? ['Each participant learns which of their own items are on every list. Nothing about items that are not common.']
      : spec.kind === 'psi-sum'
        ? ['Everyone learns only how many items are on every list and the total of the numbers all participants attached to those items: not which items, and not anyone’s own numbers.']
        : ['Everyone learns only how many items are on every list.'];
  reveals.push('Everyone sees how many items each participant entered.');
  reveals.push('This holds even if all but one of the others work together: nobody learns anything about items that are not on every list.');
  // Listed, not silently downgraded: strict (issue 11) is the default elsewhere, the PSI has no strict protocol yet.
  reveals.push('Set intersection has no strict mode yet: this assumes every participant runs the unmodified Parley app (a modified one could put any items on its list or make the result wrong).');
  const warnings: string[] = [];
  if (parties === 2 && spec.kind !== 'psi') warnings.push('With 2 participants, the count tells each of you how many of your items the other has.');
  if (spec.kind === 'psi-sum') warnings.push('If only one item is in common, the total is that item’s numbers added up: whoever knows their own number for it learns the sum of the others’.');
  return { reveals, warnings };
}

export const ITEM_LABELS: Record<ItemKind, string> = { email: 'E-mail addresses', phone: 'Phone numbers', id: 'IDs', text: 'Any text' };

const LABELS: Record<PsiKind, { title: string; description: string }> = {
  psi: { title: 'Common items (set intersection)', description: 'Which items (e-mails, IDs, phone numbers) are on everyone’s list, without showing the lists.' },
  'psi-size': { title: 'Number of common items', description: 'How many items are on everyone’s list, and nothing else.' },
  'psi-sum': {
    title: 'Common items: count and total',
    description: 'Each line is an item and a number (e.g. a customer and what they spent). Everyone learns how many items are on every list and the total of their numbers, nothing else.',
  },
};

function psiDefinition(kind: PsiKind): ComputationDefinition<PsiSpec, PsiInput, PsiOutput> {
  return defineComputation<PsiSpec, PsiInput, PsiOutput>({
    kind,
    ...LABELS[kind],
    inputShape: kind === 'psi-sum' ? 'item-values' : 'items',
    fields: [
      { key: 'itemKind', label: 'Items are', summary: 'items:', type: 'choice', choices: ITEM_KINDS.map((k) => ({ value: k, label: ITEM_LABELS[k] })) },
      ...(kind === 'psi-sum' ? [{ key: 'decimals', label: 'Decimals of the values', hint: 'Digits after the decimal point of each item’s number (2 for money).', type: 'integer' as const, summary: 'decimals of the values' }] : []),
    ],
    sameCount: false,
    parseSpec(raw) {
      const r = parsePsiSpec(raw);
      return r.ok && r.spec.kind !== kind ? { ok: false, error: `expected a ${kind} spec, got ${r.spec.kind}` } : r;
    },
    defaultSpec(previous) {
      const p = previous as Partial<PsiSpec> | undefined;
      const itemKind = p?.itemKind && ITEM_KINDS.includes(p.itemKind) ? p.itemKind : 'email';
      return {
        kind,
        itemKind,
        ...(previous?.minParties !== undefined ? { minParties: previous.minParties } : {}),
        ...(kind === 'psi-sum' ? { decimals: 2 } : {}),
      };
    },
    parseInput(payload, spec, declared) {
      const items = normaliseAgain(spec, payload.items ?? []);
      if (items.length !== declared) throw new MpcError('INVALID_ARGUMENT', `declared ${declared} items but supplied ${items.length}`);
      return { items, ...(spec.kind === 'psi-sum' ? { values: psiSumValues(payload.values ?? [], items.length, spec.decimals ?? 0) } : {}) };
    },
    async run(ctx, spec, input) {
      const decimals = spec.decimals ?? 0;
      ctx.progress({ phase: 'computing', fraction: 0.05 });
      const r = await privateSetIntersection(ctx.session, input.items, spec.kind, {
        values: input.values,
        context: utf8Encode(`parley/room-run/${ctx.nonce}`),
        // PSI's own whole-run fraction (OPRF, then the zero test's triples; mp-psi.ts PsiProgress)
        onProgress: (p) => ctx.progress({ phase: 'computing', fraction: 0.05 + 0.93 * p.fraction }),
      });
      if (r.sum !== undefined) return { kind: spec.kind, size: r.size, sum: formatDecimal(r.sum, decimals), decimals };
      return { kind: spec.kind, size: r.size, items: r.items };
    },
    reveals: (spec, parties) => psiReveals(spec, Math.max(parties, 2)),
    cost: (_spec, parties) => ({
      rounds: 2 * parties + 8,
      summary: 'Three group exponentiations per item and party (about 1,000–3,500 per second in a browser), then one equality test inside the MPC.',
    }),
    /**
     * Every party but the leader hashes and exponentiates three keys per item before it
     * answers (about 1–3.5k group operations/s per browser), so the wait grows with the
     * largest set. A party that leaves is detected at once; this only bounds a silent one.
     */
    timeoutMs(_spec, counts) {
      const largest = Math.max(0, ...counts);
      return DEFAULT_ROUND_TIMEOUT_MS + largest * (counts.length + 6) * 2;
    },
  });
}

export const PSI_COMPUTATIONS: readonly ComputationDefinition<PsiSpec, PsiInput, PsiOutput>[] = PSI_KINDS.map(psiDefinition);
