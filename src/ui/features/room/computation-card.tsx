/**
 * What the room computes: the host chooses the computation and its input schema (decimals,
 * bounds, values per participant, parameters); everyone sees it in plain words with what
 * the result reveals, before pressing Ready. Edits are validated by the same parser that
 * checks specs arriving from peers; only valid specs are sent.
 */
import { useEffect, useState } from 'react';
import { VECTOR_KINDS, parseComputationSpec, protectionOf, type ComputationSpec } from '../../../core/computations/spec';
import type { ProtectionLevel } from '../../../core/backend/types';
import { COMPUTATIONS, ITEM_KINDS, isPsi, parseSpec, type Computation, type RoomSpec } from './room-protocol';
import { COMPUTATION_LABELS, revealNotes } from './labels';
import type { RoomController } from './room-controller';
import { defaultSpec } from './spec-defaults';
import { formatDecimal } from '../../components/format';
import { useRoomStore } from './room-store';

const ITEM_LABELS = { email: 'E-mail addresses', phone: 'Phone numbers', id: 'IDs', text: 'Any text' } as const;

export function ComputationCard({ controller }: { controller: () => RoomController | null }) {
  const spec = useRoomStore((s) => s.spec);
  const isCreator = useRoomStore((s) => s.isCreator);
  const running = useRoomStore((s) => s.run.status === 'running');
  const participants = useRoomStore((s) => s.participants);
  const counts = participants.filter((p) => p.ready && p.length !== undefined).map((p) => p.length as number);
  const notes = spec ? revealNotes(spec, participants.length, counts.length === participants.length ? counts : undefined) : undefined;

  return (
    <section className="card" aria-labelledby="compute-h">
      <h2 id="compute-h">Computation</h2>
      {isCreator && spec ? (
        <SpecEditor spec={spec} disabled={running} onChange={(next) => controller()?.setSpec(next)} />
      ) : (
        <p>
          <strong>{spec ? COMPUTATION_LABELS[spec.kind].title : 'Waiting for the host…'}</strong>
        </p>
      )}
      {spec && (
        <>
          <p className="hint">{COMPUTATION_LABELS[spec.kind].description}</p>
          {!isCreator && <SpecSummary spec={spec} />}
          {notes && (
            <div data-testid="reveal-notes">
              <h3 className="small-h">What the result reveals</h3>
              <ul className="reveal">
                {notes.reveals.map((n) => (
                  <li key={n}>{n}</li>
                ))}
              </ul>
              {notes.warnings.length > 0 && (
                <ul className="reveal warning" aria-label="Warnings">
                  {notes.warnings.map((n) => (
                    <li key={n}>⚠ {n}</li>
                  ))}
                </ul>
              )}
            </div>
          )}
        </>
      )}
    </section>
  );
}

/** The host's editor. Fields are kept as typed; each valid combination is applied. */
function SpecEditor({ spec, disabled, onChange }: { spec: RoomSpec; disabled: boolean; onChange(spec: RoomSpec): void }) {
  const [draft, setDraft] = useState<Record<string, string>>(() => toDraft(spec));
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    setDraft(toDraft(spec));
    setError(undefined);
  }, [spec]);

  const update = (key: string, value: string) => {
    const next = { ...draft, [key]: value };
    setDraft(next);
    const candidate = fromDraft(spec, next);
    if (typeof candidate === 'string') setError(candidate);
    else {
      setError(undefined);
      if (JSON.stringify(candidate) !== JSON.stringify(spec)) onChange(candidate);
    }
  };

  const numeric = !isPsi(spec);
  const kind = spec.kind;
  const field = (key: string, label: string, hint?: string, inputMode: 'decimal' | 'numeric' | 'text' = 'decimal') => (
    <label className="spec-field">
      {label}
      <input data-testid={`spec-${key}`} value={draft[key] ?? ''} inputMode={inputMode} disabled={disabled} onChange={(e) => update(key, e.target.value)} />
      {hint && <span className="hint">{hint}</span>}
    </label>
  );

  return (
    <div className="stack">
      <label>
        What the room computes
        <select data-testid="computation" value={kind} disabled={disabled} onChange={(e) => onChange(keepProtection(defaultSpec(e.target.value as Computation, spec), spec))}>
          {COMPUTATIONS.map((k) => (
            <option key={k} value={k}>
              {COMPUTATION_LABELS[k].title}
            </option>
          ))}
        </select>
      </label>
      {numeric && (
        <label>
          Protection
          <select
            data-testid="spec-protection"
            value={protectionOf(spec as ComputationSpec)}
            disabled={disabled}
            onChange={(e) => onChange({ ...(spec as ComputationSpec), protection: e.target.value as ProtectionLevel })}
          >
            <option value="strict">Strict: checks every step; a participant running modified code can only stop the run</option>
            <option value="fast">Fast: assumes everyone runs the unmodified app</option>
          </select>
          <ProtectionHint level={protectionOf(spec as ComputationSpec)} />
        </label>
      )}
      <details className="spec-details" open={kind === 'percentile' || kind === 'histogram' || kind === 'threshold'}>
        <summary>Input rules and parameters</summary>
        <div className="spec-grid">
          {numeric ? (
            <>
              {field('decimals', 'Decimals', 'Digits after the decimal point (2 for money).', 'numeric')}
              {field('lower', 'Lowest allowed value')}
              {field('upper', 'Highest allowed value')}
              {!VECTOR_KINDS.has(kind as ComputationSpec['kind']) && kind !== 'rank' && field('length', 'Most values per participant', undefined, 'numeric')}
              {kind === 'percentile' && field('p', 'Percentile (0–100)', 'e.g. 90 for the 90th percentile.')}
              {kind === 'histogram' && field('edges', 'Bucket edges', 'Increasing numbers separated by spaces or semicolons, e.g. 0; 1000; 5000.', 'text')}
              {kind === 'threshold' && field('threshold', 'Is the total above…')}
              {kind === 'weighted-mean' && field('maxWeight', 'Largest weight')}
            </>
          ) : (
            <label className="spec-field">
              Items are
              <select data-testid="spec-item-kind" value={draft.itemKind} disabled={disabled} onChange={(e) => update('itemKind', e.target.value)}>
                {ITEM_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {ITEM_LABELS[k]}
                  </option>
                ))}
              </select>
            </label>
          )}
          {field('minParties', 'Minimum participants', 'Start stays disabled below this number (leave empty for 2).', 'numeric')}
        </div>
        {error && (
          <p className="field-error" data-testid="spec-error" role="alert">
            {error}
          </p>
        )}
      </details>
    </div>
  );
}

/** What the protection level means, in plain words (shown to everyone before Ready). */
function ProtectionHint({ level }: { level: ProtectionLevel }) {
  return level === 'fast' ? (
    <span className="hint warning" data-testid="protection-consequence">
      Fast mode: a participant running modified code could learn more than the result, or make it wrong.
    </span>
  ) : (
    <span className="hint" data-testid="protection-consequence">
      Strict mode: a participant running modified code cannot learn more than the result or make it wrong; it can only make the run stop. Slower.
    </span>
  );
}

/** The protection level carries over when the host switches between numeric computations. */
function keepProtection(next: RoomSpec, prev: RoomSpec): RoomSpec {
  if (isPsi(next) || isPsi(prev) || prev.protection === undefined) return next;
  return { ...next, protection: prev.protection };
}

function SpecSummary({ spec }: { spec: RoomSpec }) {
  if (isPsi(spec)) return <p className="hint">Items: {ITEM_LABELS[spec.itemKind].toLowerCase()}, one per line.</p>;
  const n = (v: string | undefined) => (v === undefined ? '' : formatDecimal(v));
  const parts = [`values between ${n(spec.lower)} and ${n(spec.upper)}`, `up to ${spec.decimals} decimal${spec.decimals === 1 ? '' : 's'}`];
  if (spec.kind === 'percentile') parts.push(`percentile ${spec.p}`);
  if (spec.kind === 'histogram') parts.push(`bucket edges ${(spec.edges ?? []).map(n).join('; ')}`);
  if (spec.kind === 'threshold') parts.push(`threshold ${n(spec.threshold)}`);
  if (spec.kind === 'weighted-mean') parts.push(`weights up to ${n(spec.maxWeight)}`);
  if (spec.minParties) parts.push(`at least ${spec.minParties} participants`);
  return (
    <>
      <p className="hint">Rules set by the host: {parts.join('; ')}.</p>
      <p className="hint" data-testid="protection-summary">
        Protection: <strong>{protectionOf(spec)}</strong>. <ProtectionHint level={protectionOf(spec)} />
      </p>
    </>
  );
}

function toDraft(spec: RoomSpec): Record<string, string> {
  const d: Record<string, string> = { minParties: spec.minParties !== undefined ? String(spec.minParties) : '' };
  if (isPsi(spec)) return { ...d, itemKind: spec.itemKind };
  return {
    ...d,
    decimals: String(spec.decimals),
    lower: spec.lower,
    upper: spec.upper,
    length: String(spec.length),
    p: spec.p ?? '',
    edges: (spec.edges ?? []).join('; '),
    threshold: spec.threshold ?? '',
    maxWeight: spec.maxWeight ?? '',
  };
}

/** The spec the draft describes, or a message saying what is wrong. */
function fromDraft(base: RoomSpec, d: Record<string, string>): RoomSpec | string {
  const minParties = d.minParties.trim() === '' ? undefined : Number(d.minParties);
  if (minParties !== undefined && (!Number.isInteger(minParties) || minParties < 2 || minParties > 32)) return 'Minimum participants must be a whole number from 2 to 32.';
  const raw: Record<string, unknown> = isPsi(base)
    ? { kind: base.kind, itemKind: d.itemKind }
    : {
        kind: base.kind,
        decimals: Number(d.decimals),
        lower: d.lower.trim(),
        upper: d.upper.trim(),
        length: Number(d.length),
        ...(base.kind === 'percentile' ? { p: d.p.trim() } : {}),
        ...(base.kind === 'histogram' ? { edges: d.edges.split(/[\s;]+/).filter(Boolean) } : {}),
        ...(base.kind === 'threshold' ? { threshold: d.threshold.trim() } : {}),
        ...(base.kind === 'weighted-mean' ? { maxWeight: d.maxWeight.trim() } : {}),
      };
  if (minParties !== undefined) raw.minParties = minParties;
  if (!isPsi(base) && base.protection !== undefined) raw.protection = base.protection;
  if (!isPsi(base)) {
    const r = parseComputationSpec(raw);
    return r.ok ? r.spec : `These settings are not valid: ${r.error}.`;
  }
  return parseSpec(raw) ?? 'These settings are not valid.';
}
