/** Plain-words names and descriptions of each computation, and of what its result reveals. */
import { describeOutput } from '../../../core/computations/describe';
import { isPsi, type Computation, type RoomSpec } from './room-protocol';

export const COMPUTATION_LABELS: Record<Computation, { title: string; description: string }> = {
  sum: { title: 'Sum', description: 'The total of everyone’s values (position by position for lists).' },
  mean: { title: 'Average (mean)', description: 'The average of the participants’ values (position by position for lists: federated averaging of model weights).' },
  count: { title: 'Count', description: 'How many values were entered in all.' },
  stats: { title: 'Statistics', description: 'Count, mean, variance and standard deviation of all values together.' },
  'weighted-mean': { title: 'Weighted average', description: 'Each participant enters value–weight pairs (one pair per line); everyone learns the weighted average.' },
  min: { title: 'Minimum', description: 'The smallest of all values.' },
  max: { title: 'Maximum', description: 'The largest of all values.' },
  median: { title: 'Median', description: 'The middle of all values of all participants.' },
  percentile: { title: 'Percentile', description: 'A chosen percentile (e.g. the 90th) of all values of all participants.' },
  rank: { title: 'Private benchmark (rank)', description: 'Each participant learns only where their own value ranks among everyone’s.' },
  histogram: { title: 'Histogram', description: 'How many values fall in each bucket; only the counts are revealed.' },
  threshold: { title: 'Threshold test', description: 'Is the total of all values above a chosen amount? One yes/no answer.' },
  psi: { title: 'Common items (set intersection)', description: 'Which items (e-mails, IDs, phone numbers) are on everyone’s list, without showing the lists.' },
  'psi-size': { title: 'Number of common items', description: 'How many items are on everyone’s list, and nothing else.' },
  'psi-sum': {
    title: 'Common items: count and total value',
    description: 'Each line is an item and a number (e.g. a customer and what they spent). Everyone learns how many items are on every list and the total of their numbers, nothing else.',
  },
};

/** What the declared output reveals and to whom, with warnings where it says a lot. */
export function revealNotes(spec: RoomSpec, parties: number, counts?: number[]): { reveals: string[]; warnings: string[] } {
  const n = Math.max(parties, 2);
  if (isPsi(spec)) {
    const reveals =
      spec.kind === 'psi'
        ? ['Each participant learns which of their own items are on every list. Nothing about items that are not common.']
        : spec.kind === 'psi-sum'
          ? ['Everyone learns only how many items are on every list and the total of the numbers all participants attached to those items: not which items, and not anyone’s own numbers.']
          : ['Everyone learns only how many items are on every list.'];
    reveals.push('Everyone sees how many items each participant entered.');
    const warnings: string[] = [];
    reveals.push('This holds even if all but one of the others work together: nobody learns anything about items that are not on every list.');
    if (n === 2 && spec.kind !== 'psi') warnings.push('With 2 participants, the count tells each of you how many of your items the other has.');
    if (spec.kind === 'psi-sum') warnings.push('If only one item is in common, the total is that item’s numbers added up: whoever knows their own number for it learns the sum of the others’.');
    return { reveals, warnings };
  }
  const d = describeOutput(spec, n, counts);
  return { reveals: ['Your individual values are never sent, only random-looking shares.', ...d.reveals], warnings: d.warnings };
}
