/** Plain-words descriptions of each computation and of what its result reveals. */
import type { Computation } from './room-protocol';

export const COMPUTATION_LABELS: Record<Computation, { title: string; description: string }> = {
  sum: {
    title: 'Sum',
    description: 'Everyone learns the total of all values (element by element for lists). Nothing else is revealed.',
  },
  mean: {
    title: 'Average (mean)',
    description: 'Everyone learns the average of the participants’ values (element by element for lists; a list average is federated averaging).',
  },
};

/** What the declared output reveals, with warnings where it says a lot. */
export function revealNotes(computation: Computation, parties: number): string[] {
  const notes = [`Revealed to everyone in the room: the ${computation === 'sum' ? 'sum' : 'average'} only. Your individual values are never sent.`];
  if (parties === 2) {
    notes.push(`With 2 participants the ${computation === 'sum' ? 'sum' : 'average'} reveals the other person’s value to you, and yours to them.`);
  }
  notes.push('The number of values each participant entered is visible to the others.');
  return notes;
}
