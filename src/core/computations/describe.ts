/**
 * What an output reveals, in plain words, for the UI to show before anyone presses Ready
 * (issue 4, "Output privacy in plain words"). Every line here must stay true to what the
 * protocol modules actually open; change them together.
 *
 * Security: none (public text about public parameters).
 */
import { nearestRank } from './order-stats.ts';
import { EXTRA_DECIMALS } from './rounding.ts';
import { type ComputationSpec, parseComputationSpec, protectionOf, scaleSpec } from './spec.ts';

export interface OutputDescription {
  /** Who learns what; always shown. */
  reveals: string[];
  /** Where the output says a lot about someone's input; shown prominently. */
  warnings: string[];
}

const plural = (k: number, one: string, many = `${one}s`): string => `${k} ${k === 1 ? one : many}`;

function revealLines(spec: ComputationSpec, n: number): string[] {
  const each = spec.length > 1 ? `each of the ${spec.length} positions of ` : '';
  const d = spec.decimals;
  switch (spec.kind) {
    case 'sum':
      return [`Everyone learns the sum of ${each}all ${n} participants' values, exactly.`];
    case 'mean':
      return [`Everyone learns the average of ${each}all ${n} participants' values (rounded to ${d + EXTRA_DECIMALS} decimals). This is the same as learning their sum.`];
    case 'pooled-mean':
      return [`Everyone learns the average of all values of all participants taken together (every value counts once, rounded to ${d + EXTRA_DECIMALS} decimals), and how many values that is. This is the same as learning the total of all values.`];
    case 'count':
      return ['Everyone learns the total number of values. Nothing about the values themselves is computed.'];
    case 'stats':
      return [
        `Everyone learns the count, mean, variance and standard deviation of all values together (population variance, divisor = count; mean and standard deviation rounded to ${d + EXTRA_DECIMALS} decimals).`,
        'This is the same as learning the sum of all values and the sum of their squares.',
      ];
    case 'weighted-mean':
      return [`Everyone learns the weighted average of all values (rounded to ${d + EXTRA_DECIMALS} decimals), not the total weight or the weighted sum.`];
    case 'min':
      return ['Everyone learns the smallest value of all participants — one participant\'s exact value, but not whose.'];
    case 'max':
      return ['Everyone learns the largest value of all participants — one participant\'s exact value, but not whose.'];
    case 'median':
      return ['Everyone learns the median of all values: the middle value (the lower of the two middle ones for an even count). It is one participant\'s exact value, but not whose.'];
    case 'percentile':
      return [`Everyone learns the ${spec.p}th percentile of all values (nearest rank: the smallest value with at least ${spec.p}% of values at or below it). It is one participant's exact value, but not whose.`];
    case 'rank':
      return [
        'Each participant learns only its own rank (1 = largest; equal values share the better rank) and its "top %" position.',
        'Nobody learns anyone else\'s value or rank.',
      ];
    case 'histogram':
      return [`Everyone learns how many values fall into each of the ${(spec.edges?.length ?? 0) + 1} buckets, and nothing else about the values.`];
    case 'threshold':
      return [`Everyone learns a single yes/no: is the total of all values above ${spec.threshold}? The total itself stays hidden.`];
  }
}

function warningLines(spec: ComputationSpec, n: number, counts: readonly number[] | undefined): string[] {
  const w: string[] = [];
  const total = counts?.reduce((a, b) => a + b, 0);
  const two = n === 2;
  switch (spec.kind) {
    case 'sum':
    case 'mean':
      if (two) w.push(`With 2 participants, the ${spec.kind} reveals the other's ${spec.length > 1 ? 'values' : 'value'} to you (and yours to them).`);
      else w.push(`If ${n - 1} participants pooled their own values, they could work out the remaining participant's.`);
      break;
    case 'pooled-mean':
      if (two) w.push('With 2 participants, the average reveals the total of the other\'s values (their value, if they entered one).');
      if (total !== undefined && total === 1) w.push('With a single value in total, the average is that value.');
      break;
    case 'stats':
      if (two) w.push('With 2 participants, the mean reveals the sum of the other\'s values (their value, if they entered one).');
      if (total !== undefined && total <= 2) w.push('With 2 values or fewer in total, mean and standard deviation reveal every value.');
      break;
    case 'weighted-mean':
      if (two) w.push('With 2 participants, if you know the other\'s total weight, the result reveals their weighted sum.');
      break;
    case 'min':
    case 'max':
    case 'median':
    case 'percentile':
      w.push(`The result is one participant's exact value.${two ? ' With 2 participants, if it is not yours, it is the other\'s.' : ''}`);
      if (total !== undefined && total > 0 && spec.kind !== 'min' && spec.kind !== 'max') {
        const k = nearestRank(scaleSpec(spec).pMicro, total);
        w.push(`With ${plural(total, 'value')} in total, the result is the ${k}${ordinalSuffix(k)} smallest.`);
      }
      break;
    case 'rank':
      w.push('Ranking 1st or last tells you that everyone else is below or above you.');
      if (two) w.push('With 2 participants, your rank tells you whether the other\'s value is above yours.');
      break;
    case 'histogram':
      w.push('A bucket holding a single value shows that someone has a value in that range; if it is not yours, ' + (two ? 'with 2 participants it is the other\'s.' : 'it narrows down who it could be.'));
      break;
    case 'threshold':
      if (two) w.push('With 2 participants, the answer tells you whether the other\'s total is above the threshold minus yours.');
      break;
    case 'count':
      break;
  }
  return w;
}

/**
 * What a participant running MODIFIED code can learn in fast mode (semi-honest backend, no
 * MACs: DESIGN §2 "Fast"), shown with every fast computation's reveal notes. This is the one
 * place that says it (strict runs get no such note: there deviation aborts).
 * Why: without MACs a party can add any error to its shares before an opening or inside a
 * multiplication/comparison. Sums open only the total, so that buys nothing but a wrong
 * result. The bitwise searches (min, max, median, percentile, weighted mean) and the
 * comparisons behind threshold, rank, histogram and stats open bits that such errors steer,
 * so they become yes/no questions of the deviating party's choosing about the others' values.
 */
export function deviatingParticipantNote(kind: ComputationSpec['kind']): string {
  const base = 'This room runs in fast mode: these protections assume every participant runs the unmodified Parley app.';
  switch (kind) {
    case 'sum':
    case 'mean':
    case 'pooled-mean':
    case 'count':
      return `${base} A participant running modified code can make the result wrong (nothing checks it yet), but it still learns only the result.`;
    case 'min':
    case 'max':
    case 'median':
    case 'percentile':
    case 'weighted-mean':
      return `${base} A participant running modified code can learn more than the result: this computation searches for the answer one step at a time, and by tampering with its shares at each step it can turn the step's yes/no into a question of its own choosing about the others' values (for example "is someone's value above 5,000?"), about one bit per step, before anything could notice. It can also make the result wrong.`;
    case 'threshold':
    case 'rank':
    case 'histogram':
    case 'stats':
      return `${base} A participant running modified code can make the result wrong, and by tampering with the comparisons or multiplications inside it can make the result depend on others' values in a way it chooses, which can reveal some bits of them.`;
  }
}

function ordinalSuffix(k: number): string {
  const t = k % 100;
  if (t >= 11 && t <= 13) return 'th';
  return ['th', 'st', 'nd', 'rd'][k % 10] ?? 'th';
}

/**
 * Plain-words description for `parties` participants (and, when known, their public value
 * counts). An invalid spec yields one line saying so.
 */
export function describeOutput(spec: ComputationSpec, parties: number, counts?: readonly number[]): OutputDescription {
  const parsed = parseComputationSpec(spec);
  if (!parsed.ok) return { reveals: [`This computation is not valid: ${parsed.error}`], warnings: [] };
  const s = parsed.spec;
  const reveals = revealLines(s, parties);
  if (s.kind !== 'sum' && s.kind !== 'mean') reveals.push('Everyone sees how many values each participant entered.');
  reveals.push(`If any value is outside ${groupDigits(s.lower)} … ${groupDigits(s.upper)}${s.kind === 'weighted-mean' ? ` (or any weight is not positive or exceeds ${groupDigits(String(s.maxWeight))})` : ''}, everyone learns only that some input was out of range, and nothing else.`);
  if (protectionOf(s) === 'fast') reveals.push(deviatingParticipantNote(s.kind));
  const warnings = warningLines(s, parties, counts);
  if (s.minParties !== undefined && parties < s.minParties) warnings.push(`The creator asked for at least ${s.minParties} participants; Start stays disabled until then.`);
  return { reveals, warnings };
}

/** An exact decimal string with its thousands grouped for reading ("-1000000000" → "−1,000,000,000"). */
export function groupDigits(decimal: string): string {
  const m = /^(-?)(\d+)(\.\d+)?$/.exec(decimal);
  if (!m) return decimal;
  return `${m[1] ? '−' : ''}${m[2].replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${m[3] ?? ''}`;
}
