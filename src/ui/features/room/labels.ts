/** Plain-words names and descriptions of each computation, and of what its result reveals (from the registry). */
import { REGISTRY, computationFor } from '../../../core/computations/registry';
import type { Computation, RoomSpec } from './room-protocol';

export const COMPUTATION_LABELS = Object.fromEntries(REGISTRY.map((d) => [d.kind, { title: d.title, description: d.description }])) as Record<Computation, { title: string; description: string }>;

/** What the declared output reveals and to whom, with warnings where it says a lot. */
export function revealNotes(spec: RoomSpec, parties: number, counts?: number[]): { reveals: string[]; warnings: string[] } {
  const d = computationFor(spec.kind);
  const notes = d.reveals(spec, Math.max(parties, 2), counts);
  // Numbers are secret-shared; items are blinded (their own first line says what is learned).
  const shared = d.inputShape === 'numbers' || d.inputShape === 'pairs';
  return { reveals: shared ? ['Your individual values are never sent, only random-looking shares.', ...notes.reveals] : notes.reveals, warnings: notes.warnings };
}
