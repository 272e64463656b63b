/** Landing page: what Parley does in three steps, then name, computation and "Create a room". */
import { useState, type FormEvent } from 'react';
import { hostFingerprint, newHostKey, newRoomSecret, roomLinkPath } from '../../../transport';
import { COMPUTATIONS, type Computation } from '../room/room-protocol';
import { COMPUTATION_LABELS } from '../room/labels';
import { pendingCreation } from '../room/pending-creation';
import { defaultSpec } from '../room/spec-defaults';
import { budgetSuffix } from '../dp/budget-link';

export function Landing({ invalidLink }: { invalidLink: boolean }) {
  const [name, setName] = useState(() => rememberedName());
  const [computation, setComputation] = useState<Computation>('sum');
  const [budget, setBudget] = useState('');
  const budgetCheck = budgetSuffix(budget);

  const create = (e?: FormEvent) => {
    e?.preventDefault();
    if ('error' in budgetCheck) return;
    // The link names the host: a fingerprint of a host key made for this room only.
    const key = newHostKey();
    const link = { secret: newRoomSecret(), host: hostFingerprint(key.publicKey) };
    pendingCreation.set(link.secret, { name: name.trim() || 'Host', spec: defaultSpec(computation), key });
    // The privacy budget is pinned by the link too (features/dp/budget-link.ts).
    window.location.hash = `#/room/${roomLinkPath(link)}${budgetCheck.suffix}`;
  };

  return (
    <section className="card landing">
      <h1>Compute together, keep your numbers private</h1>
      <p className="lead">
        Colleagues, hospitals or companies can learn a joint answer — a total, an average — without
        anyone seeing anyone else's values. Create a room, share its link, everyone pastes their own
        numbers, and each browser shows only the result.
      </p>
      <ol className="steps" aria-label="How it works">
        <li>
          <strong>1. Create a room</strong>
          Pick what to compute and share the link or QR code.
        </li>
        <li>
          <strong>2. Everyone adds numbers</strong>
          Type, paste from a spreadsheet or drop a CSV. It stays in each tab.
        </li>
        <li>
          <strong>3. Only the answer appears</strong>
          Browsers compute on random-looking shares and reveal just the result.
        </li>
      </ol>
      {invalidLink && (
        <p className="warning" role="alert">
          That room link is incomplete. Ask for the full link, or create a new room.
        </p>
      )}
      <form onSubmit={create} className="stack">
        <label>
          Your name (shown to the others in the room)
          <input data-testid="display-name" value={name} maxLength={40} autoComplete="nickname" onChange={(e) => setName(e.target.value)} placeholder="e.g. Alice" />
        </label>
        <label>
          What do you want to compute?
          <select data-testid="computation" value={computation} onChange={(e) => setComputation(e.target.value as Computation)}>
            {COMPUTATIONS.map((c) => (
              <option key={c} value={c}>
                {COMPUTATION_LABELS[c].title}
              </option>
            ))}
          </select>
        </label>
        <p className="hint">{COMPUTATION_LABELS[computation].description}</p>
        <label>
          Privacy budget ε for this room (optional)
          <input data-testid="room-budget" value={budget} inputMode="decimal" onChange={(e) => setBudget(e.target.value)} placeholder="e.g. 3" aria-invalid={'error' in budgetCheck} />
          <span className="hint">The total ε all differentially private runs in this room may spend; every participant’s browser enforces it, and it cannot be changed later.</span>
        </label>
        {'error' in budgetCheck && (
          <p className="field-error" data-testid="room-budget-error" role="alert">
            {budgetCheck.error}
          </p>
        )}
        <button type="submit" className="primary" data-testid="create-room">
          Create a room
        </button>
      </form>
      <div className="stack survey-entry">
        <h2>Many contributors, never online together?</h2>
        <p className="hint">
          A survey collects answers over days — a pay survey, a poll of hundreds — and two aggregators who must not collude compute
          only the totals at the close. Nobody, not even the server or one aggregator, sees an individual answer.
        </p>
        <button type="button" data-testid="create-survey" onClick={() => (window.location.hash = '#/survey/new')}>
          Create a survey
        </button>
        <a href="#/survey/aggregator">Be an aggregator for a survey</a>
      </div>
    </section>
  );
}

export function rememberedName(): string {
  try {
    return localStorage.getItem('parley/name') ?? '';
  } catch {
    return '';
  }
}
