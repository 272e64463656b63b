/**
 * The host's privacy settings for a run: ε (`spec-epsilon`, empty = no noise) and, for a
 * histogram, the minimum group size k (`spec-min-group`). The spec carries δ (the default)
 * and the room's budget from the link (budget-link.ts) with ε, so every tab checks them
 * inside the agreed digest. Validated by the same parser as every spec.
 */
import { useEffect, useState } from 'react';
import type { ComputationSpec } from '../../../core/computations/spec';
import { computationFor } from '../../../core/computations/registry';
import { DEFAULT_DELTA, DP_KINDS, MIN_GROUP_KINDS } from '../../../core/dp';

/** The DP fields of a spec, to carry over when other fields are edited. */
export function dpFieldsOf(spec: object): Partial<Pick<ComputationSpec, 'epsilon' | 'delta' | 'budget' | 'minGroup'>> {
  const s = spec as Partial<ComputationSpec>;
  return {
    ...(s.epsilon !== undefined ? { epsilon: s.epsilon } : {}),
    ...(s.delta !== undefined ? { delta: s.delta } : {}),
    ...(s.budget !== undefined ? { budget: s.budget } : {}),
    ...(s.minGroup !== undefined ? { minGroup: s.minGroup } : {}),
  };
}

/** A spec that may carry the DP fields: the core numeric kinds and the cross-tab. */
export type DpSpec = { kind: string; epsilon?: string; delta?: string; budget?: string; minGroup?: number };

export function DpEditor<S extends DpSpec>({ spec, budget, disabled, onChange }: { spec: S; budget?: string; disabled: boolean; onChange(spec: S): void }) {
  const [eps, setEps] = useState(spec.epsilon ?? '');
  const [k, setK] = useState(spec.minGroup !== undefined ? String(spec.minGroup) : '');
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    setEps(spec.epsilon ?? '');
    setK(spec.minGroup !== undefined ? String(spec.minGroup) : '');
  }, [spec]);
  if (!DP_KINDS.has(spec.kind) && !MIN_GROUP_KINDS.has(spec.kind)) return null;

  const apply = (nextEps: string, nextK: string) => {
    const { epsilon: _e, delta: _d, budget: _b, minGroup: _m, ...rest } = spec;
    const e = nextEps.trim();
    const kk = nextK.trim();
    if (kk !== '' && !/^\d+$/.test(kk)) return setError('The minimum group size is a whole number (2 or more).');
    const raw = { ...rest, ...(e ? { epsilon: e, delta: DEFAULT_DELTA, ...(budget ? { budget } : {}) } : {}), ...(kk ? { minGroup: Number(kk) } : {}) };
    const r = computationFor(spec.kind).parseSpec(raw);
    if (!r.ok) return setError(`Privacy settings not valid: ${r.error}.`);
    setError(undefined);
    if (JSON.stringify(r.spec) !== JSON.stringify(spec)) onChange(r.spec as S);
  };

  return (
    <div className="spec-grid">
      {DP_KINDS.has(spec.kind) && (
        <label className="spec-field">
          Differential privacy ε
          <input data-testid="spec-epsilon" value={eps} inputMode="decimal" disabled={disabled} onChange={(ev) => { setEps(ev.target.value); apply(ev.target.value, k); }} />
          <span className="hint">Empty = exact result, no noise. 1 is a common choice; smaller hides more.{budget ? ` The room’s budget is ${budget}.` : ''}</span>
        </label>
      )}
      {MIN_GROUP_KINDS.has(spec.kind) && (
        <label className="spec-field">
          Minimum group size
          <input data-testid="spec-min-group" value={k} inputMode="numeric" disabled={disabled} onChange={(ev) => { setK(ev.target.value); apply(eps, ev.target.value); }} />
          <span className="hint">{spec.kind === 'crosstab' ? 'Cells with fewer rows are hidden' : 'Buckets with fewer values are hidden'} (empty = show all).</span>
        </label>
      )}
      {error && (
        <p className="field-error" data-testid="dp-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
