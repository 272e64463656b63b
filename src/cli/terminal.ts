/**
 * What the Node party prints for people: the computation and what its result reveals (the
 * same words the browser shows, from labels.ts), and one progress line for long runs.
 * Everything goes to stderr; stdout carries only the result JSON.
 */
import { COMPUTATION_LABELS, revealNotes } from '../ui/features/room/labels.ts';
import { isPsi, type RoomSpec } from '../ui/features/room/room-protocol.ts';
import type { RunProgress } from './party.ts';
import { hasTableFrame } from '../core/table/index.ts';
import { protectionOf } from '../core/computations/spec.ts';
import type { ProtectionLevel } from '../core/backend/types.ts';

export function describeSpec(spec: RoomSpec, parties: number): string {
  const title = COMPUTATION_LABELS[spec.kind]?.title ?? spec.kind;
  const rules = isPsi(spec)
    ? `items: ${spec.itemKind}`
    : hasTableFrame(spec)
      ? `a table with columns ${spec.schema.columns.map((c) => c.name).join(', ')}`
      : [
        `values from ${spec.lower} to ${spec.upper}`,
        `${spec.decimals} decimal${spec.decimals === 1 ? '' : 's'}`,
        spec.p !== undefined ? `p = ${spec.p}` : '',
        spec.edges ? `bucket edges ${spec.edges.join(', ')}` : '',
        spec.threshold !== undefined ? `threshold ${spec.threshold}` : '',
        'maxWeight' in spec && spec.maxWeight !== undefined ? `weights up to ${spec.maxWeight}` : '',
        'statistics' in spec ? `statistics: ${spec.statistics.join(', ')}` : '',
      ]
        .filter(Boolean)
        .join(', ');
  const notes = revealNotes(spec, parties);
  // The protection level, as the browser's summary shows it (strict unless the host chose fast).
  const level = isPsi(spec) ? [] : [`  protection: ${protectionOf(spec as { protection?: ProtectionLevel })}`];
  return [`${title} (${rules})`, ...level, ...notes.reveals.map((r) => `  reveals: ${r}`), ...notes.warnings.map((w) => `  warning: ${w}`)].join('\n');
}

const mb = (n: number) => `${(n / 1e6).toFixed(n < 1e7 ? 2 : 1)} MB`;

export function progressLine(p: RunProgress): string {
  const pct = p.fraction !== undefined ? ` ${Math.round(p.fraction * 100)}%` : '';
  return `${p.phase}${pct} · ${mb(p.sent)} sent · ${mb(p.received)} received · ${(p.millis / 1000).toFixed(0)} s`;
}
