/**
 * Before Ready: what this private run means, and what is left of the room's privacy budget
 * in this tab (the tab's own ledger, ledger.ts). After a result: its 95 % interval and the
 * budget left.
 */
import type { ComputationSpec } from '../../../core/computations/spec';
import type { ComputationOutput } from '../../../core/computations/context';
import { formatDecimalTrimmed, parseDecimal } from '../../../core/fixed-point';
import { formatDecimal } from '../../components/format';
import { budgetStatus, refusesExactRuns } from './ledger';
import { budgetOfHash } from './budget-link';
import { dpSentences } from './dp-words';
import { DP_KINDS } from '../../../core/dp';
import type { TableOutput, TableSpec } from '../../../core/table';
import type { DpSpec } from './dp-editor';

function BudgetLine({ roomId, epsilon, after }: { roomId: string; epsilon?: string; after: boolean }) {
  const st = budgetStatus(roomId);
  if (st === 'unreadable') return <li data-testid="dp-budget">This tab’s privacy ledger for the room is unreadable, so it refuses private runs.</li>;
  if (st.total === undefined) return <li data-testid="dp-budget">This room has no privacy budget; this tab has spent ε = {st.spent} here so far.</li>;
  const left = parseDecimal(st.left ?? '0', 6);
  const eps = epsilon ? parseDecimal(epsilon, 6) : 0n;
  const words = after
    ? `Privacy budget left in this tab: ${st.left} of ${st.total} (spent ${st.spent}).`
    : eps > left
      ? `This run would spend ε = ${epsilon}, but only ${st.left} of the room’s budget ${st.total} is left in this tab: it will refuse the run.`
      : `This run spends ε = ${epsilon} of the room’s privacy budget ${st.total}; this tab has ${st.left} left, ${formatDecimal(formatDecimalTrimmed(left - eps, 6))} after this run.`;
  return <li data-testid={after ? 'dp-remaining' : 'dp-budget'}>{words}</li>;
}

/**
 * Before Ready, for any computation: in a room with a privacy budget a run without ε is refused
 * by every tab (core/dp/ledger.ts), so say so before anyone prepares their input.
 */
export function ExactRunWarning({ spec, roomId }: { spec: { kind: string; epsilon?: string }; roomId: string }) {
  if (spec.epsilon !== undefined || !refusesExactRuns(roomId, budgetOfHash(window.location.hash))) return null;
  return (
    <p className="hint warning" data-testid="dp-exact-refused" role="status">
      This room has a privacy budget, so every participant’s tab refuses a run without noise: its exact result would spend nothing from the budget yet reveal more than a private run. {DP_KINDS.has(spec.kind) ? 'The host must set ε.' : 'This computation cannot add noise yet, so it cannot run in this room.'}
    </p>
  );
}

export function DpNotes({ spec, parties, roomId }: { spec: DpSpec; parties: number; roomId: string }) {
  const words = dpSentences(spec as ComputationSpec | TableSpec, parties);
  if (!words.length) return null;
  return (
    <div data-testid="dp-notes">
      <h3 className="small-h">Privacy of the result</h3>
      <ul className="reveal">
        {words.map((w) => (
          <li key={w}>{w}</li>
        ))}
        {spec.epsilon !== undefined && <BudgetLine roomId={roomId} epsilon={spec.epsilon} after={false} />}
      </ul>
    </div>
  );
}

/** A noisy or guarded output: the histogram's buckets or the cross-tab's cells. */
type GuardedOutput = ComputationOutput | Extract<TableOutput, { kind: 'crosstab' }>;

/** Labels of the hidden buckets or cells. */
function hiddenOf(output: GuardedOutput): string[] {
  if (output.kind === 'crosstab' && 'value' in output && Array.isArray(output.value)) {
    return output.value.flatMap((c) => (c.suppressed ? [Object.values(c.group).join(' / ') || 'all rows'] : []));
  }
  const o = output as ComputationOutput;
  const edges = o.buckets?.edges ?? [];
  return (o.buckets?.suppressed ?? []).flatMap((s, j) => (s ? [`${formatDecimal(edges[j])}–${formatDecimal(edges[j + 1])}`] : []));
}

export function DpResultNote({ output, roomId }: { output: GuardedOutput; roomId: string }) {
  const dp = output.dp as { epsilon: string; halfWidth: string; sumHalfWidth?: string } | undefined;
  const hidden = hiddenOf(output);
  if (!dp && !hidden.length) return null;
  const each = output.kind === 'histogram' ? ', for each bucket' : output.kind === 'crosstab' ? ` for each cell’s count${dp?.sumHalfWidth !== undefined ? ` (± ${formatDecimal(dp.sumHalfWidth)} for its sum)` : ''}` : '';
  return (
    <ul className="reveal" data-testid="dp-result">
      {dp && (
        <li data-testid="dp-interval">
          Noisy result (ε = {dp.epsilon}): the exact value lies within ± {formatDecimal(dp.halfWidth)} of it with 95 % probability{each}.
        </li>
      )}
      {hidden.length > 0 && <li data-testid="dp-suppressed">Hidden (fewer than the minimum group size): {hidden.join(', ')}.</li>}
      {dp && <BudgetLine roomId={roomId} after />}
    </ul>
  );
}
