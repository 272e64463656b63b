/**
 * Reads what a participant pasted as private input, for the computation the room runs:
 * numbers (exact decimal strings; value–weight pairs for the weighted average) or, for set
 * intersection, normalised items. Runs on the main thread before anything is handed to the
 * worker; the worker validates again. Nothing here sends anything.
 */
import { parseInputs } from '../../../core/computations/inputs';
import { COMPUTATION_KINDS, type ComputationSpec } from '../../../core/computations/spec';
import { computationFor } from '../../../core/computations/registry';
import { partSpec } from '../../../core/computations/registry-several';
import { formatDecimal, parseDecimal } from '../../../core/fixed-point';
import { formatDecimal as formatGrouped } from '../../components/format';
import { normaliseItem, normaliseItems, splitLines, type ItemKind } from '../../../core/psi/normalise';
import { parseValues } from './parse-values';
import { isPsi, type RoomSpec } from './room-protocol';
import { readTableInput, takesTable } from '../table/table-read-state';

export type PrivateInput =
  | {
      ok: true;
      count: number;
      values?: string[];
      weights?: string[];
      items?: string[];
      /** Kinds with their own input card (tables, models): their payload, e.g. the CSV text and column picks, read again in the worker. */
      data?: unknown;
      notes: string[];
      /** Readings to confirm before Ready (they may change a value's magnitude); absent when none. */
      confirm?: string[];
    }
  | { ok: false; error: string };

const MAX_ITEMS = 100_000;

/**
 * `othersCount`: the count the other ready participants declared, for computations where
 * every participant must enter the same number of values (sum, mean).
 */
export function readPrivateInput(text: string, spec: RoomSpec, othersCount?: number): PrivateInput {
  // How the box is read is the computation's declaration (registry inputShape).
  switch (computationFor(spec.kind).inputShape) {
    case 'items':
      return isPsi(spec) ? readItems(text, spec.itemKind) : { ok: false, error: 'This computation has no item list.' };
    case 'item-values':
      return isPsi(spec) ? readItemValues(text, spec.itemKind, spec.decimals ?? 2) : { ok: false, error: 'This computation has no item list.' };
    case 'numbers':
    case 'pairs':
      // several statistics share one list of values, read by the first statistic's rules
      if (spec.kind === 'several') return readNumbers(text, partSpec(spec, spec.statistics[0]), othersCount);
      return isNumberSpec(spec) ? readNumbers(text, spec, othersCount) : { ok: false, error: 'This computation does not take a list of numbers.' };
    case 'own-card':
      // A table (tables, models): the table card's read; the count is what the kind announces (0: private).
      return takesTable(spec) ? readTableInput(text, spec) : { ok: false, error: 'This computation takes its input from its own card, not from this box.' };
  }
}

function readItems(text: string, kind: 'email' | 'phone' | 'id' | 'text'): PrivateInput {
  const lines = splitLines(text);
  if (lines.length > MAX_ITEMS * 2) return { ok: false, error: `At most ${MAX_ITEMS.toLocaleString('en')} items.` };
  const r = normaliseItems(lines, kind);
  if (r.items.length === 0) {
    return { ok: false, error: r.dropped ? `None of the ${r.dropped} lines is a valid ${kindName(kind)}. Put one item per line.` : 'Enter at least one item, one per line.' };
  }
  if (r.items.length > MAX_ITEMS) return { ok: false, error: `At most ${MAX_ITEMS.toLocaleString('en')} items; you entered ${r.items.length.toLocaleString('en')}.` };
  const notes: string[] = [];
  const changed = r.examples.filter((e) => e.raw.trim() !== e.normalised);
  if (changed.length) notes.push(`Normalised so that the same item always matches, e.g. ${changed.map((e) => `“${e.raw.trim()}” → “${e.normalised}”`).join(', ')}.`);
  if (r.duplicates) notes.push(`${r.duplicates} repeated item${r.duplicates === 1 ? '' : 's'} counted once.`);
  if (r.dropped) notes.push(`${r.dropped} line${r.dropped === 1 ? ' is' : 's are'} not a valid ${kindName(kind)} and will be left out.`);
  return { ok: true, count: r.items.length, items: r.items, notes };
}

const MAX_ITEM_VALUE = 1_000_000_000_000n;

/**
 * psi-sum: one "item, value" per line (the last comma, tab or semicolon separates them; a
 * first line whose value is not a number is a header). A repeated item keeps every row: the
 * protocol adds their values (several purchases of one customer).
 */
function readItemValues(text: string, kind: ItemKind, decimals: number): PrivateInput {
  const lines = splitLines(text).filter((l) => l.trim() !== '');
  if (lines.length > MAX_ITEMS) return { ok: false, error: `At most ${MAX_ITEMS.toLocaleString('en')} lines.` };
  const items: string[] = [];
  const values: string[] = [];
  const notes: string[] = [];
  let dropped = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const cut = Math.max(line.lastIndexOf(','), line.lastIndexOf('\t'), line.lastIndexOf(';'));
    if (cut < 0) return { ok: false, error: `Line ${i + 1}: put the item, a comma, then its value (e.g. “alice@example.org, 120.50”).` };
    let value: bigint;
    try {
      value = parseDecimal(line.slice(cut + 1), decimals);
    } catch (e) {
      if (i === 0) {
        notes.push(`First line “${line.trim().slice(0, 40)}” read as a header.`);
        continue;
      }
      return { ok: false, error: `Line ${i + 1}: ${e instanceof Error ? e.message : String(e)}.` };
    }
    if (value > MAX_ITEM_VALUE * 10n ** BigInt(decimals) || -value > MAX_ITEM_VALUE * 10n ** BigInt(decimals)) {
      return { ok: false, error: `Line ${i + 1}: values must be within ±1,000,000,000,000.` };
    }
    const item = normaliseItem(line.slice(0, cut), kind);
    if (item === undefined) {
      dropped++;
      continue;
    }
    items.push(item);
    values.push(formatDecimal(value, decimals));
  }
  if (items.length === 0) return { ok: false, error: dropped ? `None of the lines has a valid ${kindName(kind)}.` : 'Enter at least one line: an item, a comma, then its value.' };
  const repeated = items.length - new Set(items).size;
  if (repeated) notes.push(`${repeated} repeated item${repeated === 1 ? '' : 's'}: their values are added up.`);
  if (dropped) notes.push(`${dropped} line${dropped === 1 ? ' has' : 's have'} no valid ${kindName(kind)} and will be left out.`);
  return { ok: true, count: items.length, items, values, notes };
}

function kindName(kind: string): string {
  return kind === 'email' ? 'e-mail address' : kind === 'phone' ? 'phone number' : kind === 'id' ? 'ID' : 'item';
}

const isNumberSpec = (spec: RoomSpec): spec is ComputationSpec => (COMPUTATION_KINDS as readonly string[]).includes(spec.kind);

function readNumbers(text: string, spec: ComputationSpec, othersCount?: number): PrivateInput {
  const def = computationFor(spec.kind);
  const weighted = def.inputShape === 'pairs';
  const vector = def.sameCount;
  const parsed = parseValues(text, {
    decimals: spec.decimals,
    maxAbs: Number.POSITIVE_INFINITY, // the spec's bounds are checked exactly below
    maxLength: (vector ? 100_000 : spec.length) * (weighted ? 2 : 1),
    pairs: weighted,
  });
  if (!parsed.ok) return parsed;
  if (vector && othersCount !== undefined && parsed.values.length !== othersCount) {
    const n = parsed.values.length;
    // Element-wise kinds need equal lists; an average over everyone's values does not.
    const pooled = spec.kind === 'mean' ? ` This room averages position by position; to average all values together, whatever their number, the host can choose “${computationFor('pooled-mean').title}”.` : '';
    return { ok: false, error: `The others entered ${othersCount.toLocaleString('en')} value${othersCount === 1 ? '' : 's'}; you entered ${n.toLocaleString('en')}. Everyone needs the same number of values.${pooled}` };
  }
  let values = parsed.values;
  let weights: string[] | undefined;
  if (weighted) {
    if (values.length % 2 !== 0) return { ok: false, error: 'Enter value–weight pairs: each value followed by its weight (one pair per line).' };
    weights = values.filter((_, i) => i % 2 === 1);
    values = values.filter((_, i) => i % 2 === 0);
  }
  if (spec.kind === 'rank' && values.length !== 1) return { ok: false, error: 'Enter exactly one value: your own, to see where it ranks.' };
  try {
    // Bounds, decimals and counts exactly as the worker will check them.
    parseInputs(vector ? { ...spec, length: values.length } : spec, values, weights);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return { ok: false, error: capitalise(groupNumbers(message)) + '.' };
  }
  // How separators and decimal commas were read is shown by the input card itself; the
  // readings that may change a magnitude, and outliers, must be confirmed before Ready.
  const confirm = [...(parsed.notes ?? []).filter((n) => n.warning).map((n) => n.text), ...(vector ? [] : outliers(values)), ...farBelowBounds(values, spec)];
  return { ok: true, count: values.length, values, weights, notes: [], ...(confirm.length ? { confirm } : {}) };
}

/** Bounds this wide were left at the default: they say nothing about what a value should be. */
const WIDE_BOUND = 100_000_000;
/** A value this many times below the declared highest value is far outside the declared spread. */
const FAR_BELOW = 10_000;

/**
 * A value far below the range the host declared for everyone ("72" when values run up to
 * 1,000,000: "€72.000" read as 72) is flagged, also when it is the only value. Only bounds the
 * host set (not the wide default) and non-negative ranges of at least 1,000 count: those say
 * what size a value should have. Zeros are left alone.
 */
export function farBelowBounds(values: readonly string[], spec: { lower: string; upper: string }): string[] {
  const lower = Number(spec.lower);
  const upper = Number(spec.upper);
  if (!(lower >= 0) || !(upper >= 1000) || upper >= WIDE_BOUND) return [];
  const odd = values.find((v) => {
    const x = Math.abs(Number(v));
    return x > 0 && x * FAR_BELOW < upper;
  });
  if (odd === undefined) return [];
  const fmt = (x: number) => x.toLocaleString('en', { maximumFractionDigits: 2 });
  return [`${fmt(Number(odd))} is far below the range the host set for this room (${fmt(lower)} to ${fmt(upper)}): check that it is what you mean.`];
}

/**
 * Advice for the host when the bounds are left wide: tight bounds are what catches a misread
 * value, since a value outside them is refused in the participant's own tab before Ready.
 */
export function boundsAdvice(spec: { lower: string; upper: string }): string | undefined {
  if (Math.max(Math.abs(Number(spec.lower)), Math.abs(Number(spec.upper))) < WIDE_BOUND) return undefined;
  return 'Set the lowest and highest allowed values to what the values can really be: a value outside them is refused in the participant’s tab, so a misreading is caught before it counts (for salaries, a lowest value of 10,000 would have caught “€72.000” read as 72). Tighter bounds also make min, max, median and rank faster.';
}

/**
 * A value a hundred times smaller or larger than the median size of the others in the same
 * list ("72" among salaries of 68,000–80,000: "€72.000" read as 72) is flagged. Zeros are
 * left alone; lists of fewer than 3 non-zero values have no spread to compare with.
 */
export function outliers(values: string[]): string[] {
  const sizes = values.map((v) => Math.abs(Number(v))).filter((x) => x > 0);
  if (sizes.length < 3) return [];
  const sorted = [...sizes].sort((a, b) => a - b);
  const typical = sorted[Math.floor(sorted.length / 2)];
  const odd = values.find((v) => {
    const x = Math.abs(Number(v));
    return x > 0 && (x * 100 < typical || x > typical * 100);
  });
  if (odd === undefined) return [];
  const others = values.filter((v) => v !== odd).map(Number);
  const fmt = (x: number) => x.toLocaleString('en', { maximumFractionDigits: 2 });
  return [`${fmt(Number(odd))} is far from your other values (${fmt(Math.min(...others))} to ${fmt(Math.max(...others))}): check that it is what you mean.`];
}

/**
 * The core's messages print numbers plainly ("between 10000 and 1000000, got 72"); on the page
 * they are grouped like every other number ("between 10,000 and 1,000,000, got 72").
 */
export function groupNumbers(message: string): string {
  return message.replace(/(?<![\w.]|\d,)-?\d{4,}(?:\.\d+)?(?!\w|,\d)/g, (n) => formatGrouped(n));
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
