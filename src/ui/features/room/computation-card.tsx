/**
 * What the room computes: the host chooses the computation and its input schema (decimals,
 * bounds, values per participant, parameters); everyone sees it in plain words with what
 * the result reveals, before pressing Ready. Edits are validated by the same parser that
 * checks specs arriving from peers; only valid specs are sent.
 */
import { useEffect, useState } from 'react';
import { computationFor } from '../../../core/computations/registry';
import type { SpecField } from '../../../core/computations/registry-types';
import { COMPUTATION_KINDS, protectionOf, type ComputationSpec } from '../../../core/computations/spec';
import type { ProtectionLevel } from '../../../core/backend/types';
import { COMPUTATIONS, isPsi, type Computation, type RoomSpec } from './room-protocol';
import { COMPUTATION_LABELS, revealNotes } from './labels';
import type { RoomController } from './room-controller';
import { defaultSpec } from './spec-defaults';
import { formatDecimal } from '../../components/format';
import { useRoomStore } from './room-store';
import { boundsAdvice } from './private-input';
import { DpEditor, type DpSpec } from '../dp/dp-editor';
import { DpNotes, ExactRunWarning } from '../dp/dp-notes';
import { useRoomId } from '../dp/room-id';
import { budgetOfHash } from '../dp/budget-link';

/** The core numeric kinds and the cross-tab, whose specs may carry ε and k (features/dp). */
const isCoreSpec = (s: RoomSpec): s is ComputationSpec => (COMPUTATION_KINDS as readonly string[]).includes(s.kind);
const isDpSpec = (s: RoomSpec): s is RoomSpec & DpSpec => isCoreSpec(s) || s.kind === 'crosstab';

export function ComputationCard({ controller }: { controller: () => RoomController | null }) {
  const spec = useRoomStore((s) => s.spec);
  const isCreator = useRoomStore((s) => s.isCreator);
  const running = useRoomStore((s) => s.run.status === 'running');
  const participants = useRoomStore((s) => s.participants);
  const counts = participants.filter((p) => p.ready && p.length !== undefined).map((p) => p.length as number);
  const notes = spec ? revealNotes(spec, participants.length, counts.length === participants.length ? counts : undefined) : undefined;
  const roomId = useRoomId();

  return (
    <section className="card" aria-labelledby="compute-h">
      <h2 id="compute-h">Computation</h2>
      {isCreator && spec ? (
        <>
          <SpecEditor spec={spec} disabled={running} onChange={(next) => controller()?.setSpec(next)} />
          {'lower' in spec && typeof spec.lower === 'string' && typeof spec.upper === 'string' && <BoundsAdvice lower={spec.lower} upper={spec.upper} />}
          {isDpSpec(spec) && <DpEditor spec={spec} budget={budgetOfHash(window.location.hash)} disabled={running} onChange={(next) => controller()?.setSpec(next)} />}
        </>
      ) : (
        <p>
          <strong>{spec ? COMPUTATION_LABELS[spec.kind].title : 'Waiting for the host…'}</strong>
        </p>
      )}
      {spec && (
        <>
          <p className="hint">{COMPUTATION_LABELS[spec.kind].description}</p>
          {!isCreator && <SpecSummary spec={spec} />}
          {isDpSpec(spec) && roomId && <DpNotes spec={spec} parties={participants.length} roomId={roomId} />}
          {roomId && <ExactRunWarning spec={spec as { kind: string; epsilon?: string }} roomId={roomId} />}
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

/** The host's editor: the fields the computation declares in the registry. Kept as typed; each valid combination is applied. */
function SpecEditor({ spec, disabled, onChange }: { spec: RoomSpec; disabled: boolean; onChange(spec: RoomSpec): void }) {
  const [draft, setDraft] = useState<Record<string, string>>(() => toDraft(spec));
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    // The echo of what the host is typing must not rewrite it (a schema's canonical text differs from the typed one).
    setDraft((d) => (JSON.stringify(fromDraft(spec, d)) === JSON.stringify(spec) ? d : toDraft(spec)));
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

  const def = computationFor(spec.kind);
  const field = (f: SpecField) =>
    f.type === 'lines' ? (
      <label className="spec-field spec-lines" key={f.key}>
        {f.label}
        <textarea data-testid={`spec-${f.key}`} rows={6} value={draft[f.key] ?? ''} disabled={disabled} onChange={(e) => update(f.key, e.target.value)} spellCheck={false} />
        {f.hint && <span className="hint">{f.hint}</span>}
      </label>
    ) : f.type === 'choice' ? (
      <label className="spec-field" key={f.key}>
        {f.label}
        <select data-testid={`spec-${f.key}`} value={draft[f.key] ?? ''} disabled={disabled} onChange={(e) => update(f.key, e.target.value)}>
          {(f.choices ?? []).map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </select>
        {f.hint && <span className="hint">{f.hint}</span>}
      </label>
    ) : (
      <label className="spec-field" key={f.key}>
        {f.label}
        <input
          data-testid={`spec-${f.key}`}
          value={draft[f.key] ?? ''}
          inputMode={f.type === 'integer' ? 'numeric' : f.type === 'decimal' ? 'decimal' : 'text'}
          disabled={disabled}
          onChange={(e) => update(f.key, e.target.value)}
        />
        {f.hint && <span className="hint">{f.hint}</span>}
      </label>
    );

  return (
    <div className="stack">
      <label>
        What the room computes
        <select data-testid="computation" value={spec.kind} disabled={disabled} onChange={(e) => onChange(defaultSpec(e.target.value as Computation, spec))}>
          {COMPUTATIONS.map((k) => (
            <option key={k} value={k}>
              {COMPUTATION_LABELS[k].title}
            </option>
          ))}
        </select>
      </label>
      {hasProtection(spec) && (
        <label>
          Protection
          <select data-testid="spec-protection" value={protectionOf(spec as { protection?: ProtectionLevel })} disabled={disabled} onChange={(e) => onChange({ ...spec, protection: e.target.value as ProtectionLevel } as RoomSpec)}>
            <option value="strict">Strict: checks every step</option>
            <option value="fast">Fast: trusts the app</option>
          </select>
          <ProtectionHint level={protectionOf(spec as { protection?: ProtectionLevel })} />
        </label>
      )}
      <details className="spec-details" open={def.fieldsOpen === true}>
        <summary>Input rules and parameters</summary>
        <div className="spec-grid">
          {def.fields.map(field)}
          {field(MIN_PARTIES_FIELD)}
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

/**
 * Kinds with a protection level: every kind but set intersection, which has one (semi-honest)
 * protocol and says so in its reveal notes. Tables and models run on the same backends, so
 * their level (strict unless the host picks fast) is shown and chosen like the numbers'.
 */
const hasProtection = (spec: RoomSpec): boolean => !isPsi(spec);

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

const MIN_PARTIES_FIELD: SpecField = { key: 'minParties', label: 'Minimum participants', hint: 'Start stays disabled below this number (leave empty for 2).', type: 'integer', optional: true, summary: 'at least this many participants:' };

/** What guests see of the host's rules: every declared field with its value. */
function SpecSummary({ spec }: { spec: RoomSpec }) {
  const def = computationFor(spec.kind);
  const o = spec as unknown as Record<string, unknown>;
  const texts = def.draft?.toDraft(spec);
  const shown = (f: SpecField): string | undefined => {
    if (texts && f.key !== MIN_PARTIES_FIELD.key) return texts[f.key] ? texts[f.key].replace(/\n/g, '; ') : undefined;
    const v = o[f.key];
    if (v === undefined || v === '') return undefined;
    if (f.type === 'choice') return f.choices?.find((c) => c.value === v)?.label.toLowerCase() ?? String(v);
    if (f.type === 'decimal') return formatDecimal(String(v));
    if (f.type === 'decimal-list' && Array.isArray(v)) return v.map((x) => formatDecimal(String(x))).join('; ');
    if (f.type === 'list' && Array.isArray(v)) return v.join(', ');
    // Thousands grouped here too (“values per participant at most 10,000”, was “10000”).
    if (f.type === 'integer' && typeof v === 'number') return v.toLocaleString('en');
    return String(v);
  };
  const parts = [...def.fields, MIN_PARTIES_FIELD].flatMap((f) => {
    const v = shown(f);
    return v === undefined ? [] : [`${f.summary ?? `${f.label.toLowerCase()}:`} ${v}`];
  });
  return (
    <>
      <p className="hint">Rules set by the host: {parts.join('; ')}.</p>
      {hasProtection(spec) && (
        <p className="hint" data-testid="protection-summary">
          Protection: <strong>{protectionOf(spec as { protection?: ProtectionLevel })}</strong>. <ProtectionHint level={protectionOf(spec as { protection?: ProtectionLevel })} />
        </p>
      )}
    </>
  );
}

function toDraft(spec: RoomSpec): Record<string, string> {
  const o = spec as unknown as Record<string, unknown>;
  const d: Record<string, string> = {};
  const def = computationFor(spec.kind);
  if (def.draft) return { minParties: spec.minParties !== undefined ? String(spec.minParties) : '', ...def.draft.toDraft(spec) };
  for (const f of [...computationFor(spec.kind).fields, MIN_PARTIES_FIELD]) {
    const v = o[f.key];
    d[f.key] = v === undefined ? '' : Array.isArray(v) ? v.join('; ') : String(v);
  }
  return d;
}

/** The spec the draft describes (checked by the computation's own parser), or a message saying what is wrong. */
function fromDraft(base: RoomSpec, d: Record<string, string>): RoomSpec | string {
  const def = computationFor(base.kind);
  const raw: Record<string, unknown> = { kind: base.kind };
  // Fields this editor does not show (e.g. protection, set by its own control) are kept.
  const shownKeys = new Set([...def.fields, MIN_PARTIES_FIELD].map((f) => f.key));
  for (const [k, v] of Object.entries(base)) if (!shownKeys.has(k) && k !== 'kind') raw[k] = v;
  for (const f of [...def.fields, MIN_PARTIES_FIELD]) {
    const text = (d[f.key] ?? '').trim();
    if (text === '' && f.optional) continue;
    raw[f.key] = f.type === 'integer' ? (text === '' ? Number.NaN : Number(text)) : f.type === 'decimal-list' ? text.split(/[\s;]+/).filter(Boolean) : f.type === 'list' ? text.split(/[\s,;]+/).filter(Boolean) : text;
  }
  if (raw.minParties !== undefined && (!Number.isInteger(raw.minParties) || (raw.minParties as number) < 2 || (raw.minParties as number) > 32)) return 'Minimum participants must be a whole number from 2 to 32.';
  // Fields that are not plain properties (a table schema, a filter): the kind's own codec.
  const r = def.draft ? def.draft.fromDraft(base, d) : def.parseSpec(raw);
  return r.ok ? (r.spec as RoomSpec) : `These settings are not valid: ${r.error}.`;
}

/** Guides the host to tight bounds while they are left wide (private-input.ts boundsAdvice). */
function BoundsAdvice(bounds: { lower: string; upper: string }) {
  const advice = boundsAdvice(bounds);
  return advice ? (
    <p className="hint warning" data-testid="bounds-advice">
      {advice}
    </p>
  ) : null;
}
