/**
 * The survey editor: title, questions (bounded number, choice, list of numbers), open and
 * close times, and the two aggregators' names and public keys (each aggregator makes its key
 * on the "Be an aggregator" page and sends it to the creator). Publishing stores the
 * descriptor on the server and opens the survey page with the link that pins it.
 */
import { useState, type FormEvent } from 'react';
import { b64urlEncode, bitsFor, parseAggregatorKey, parseDescriptor, SurveyClient, surveyFragment, type SurveyQuestion } from '../../../core/survey';
import { saveToken } from './creator-tokens';

type Kind = SurveyQuestion['kind'];
interface Draft {
  kind: Kind;
  label: string;
  min: string;
  max: string;
  options: string;
  length: string;
  variance: boolean;
}

const blank = (kind: Kind = 'number'): Draft => ({ kind, label: '', min: '0', max: kind === 'numbers' ? '100' : '1000', options: 'Yes\nNo', length: '3', variance: false });

function toLocal(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

function intOf(s: string, what: string): number {
  const t = s.trim();
  if (!/^-?\d+$/.test(t)) throw new FieldError(what, `${what}: enter a whole number`);
  return Number(t);
}

class FieldError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

function toQuestion(q: Draft, i: number): SurveyQuestion {
  const where = `Question ${i + 1}`;
  const label = q.label.trim();
  if (!label) throw new FieldError(`q${i}`, `${where}: write the question`);
  if (q.kind === 'number') return { kind: 'number', label, min: intOf(q.min, `${where}, lowest value`), max: intOf(q.max, `${where}, highest value`), ...(q.variance ? { variance: true } : {}) };
  if (q.kind === 'choice') return { kind: 'choice', label, options: q.options.split('\n').map((s) => s.trim()).filter((s) => s.length > 0) };
  return { kind: 'numbers', label, length: intOf(q.length, `${where}, how many numbers`), max: intOf(q.max, `${where}, highest value`) };
}

export function SurveyCreate() {
  const [title, setTitle] = useState('');
  const [questions, setQuestions] = useState<Draft[]>([blank()]);
  const [opens, setOpens] = useState(() => toLocal(Date.now()));
  const [closes, setCloses] = useState(() => toLocal(Date.now() + 7 * 86_400_000));
  const [aggs, setAggs] = useState([
    { name: '', key: '' },
    { name: '', key: '' },
  ]);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const update = (i: number, patch: Partial<Draft>) => setQuestions((qs) => qs.map((q, j) => (j === i ? { ...q, ...patch } : q)));

  const publish = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    let descriptor;
    try {
      aggs.forEach((a, i) => parseAggregatorKey(a.key, `Aggregator ${i + 1}'s key`));
      descriptor = parseDescriptor({
        version: 1,
        id: b64urlEncode(crypto.getRandomValues(new Uint8Array(16))),
        title,
        questions: questions.map(toQuestion),
        opensAt: new Date(opens).getTime(),
        closesAt: new Date(closes).getTime(),
        aggregators: aggs.map((a) => ({ name: a.name, key: a.key.trim() })),
      });
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      return;
    }
    setBusy(true);
    try {
      const { token } = await new SurveyClient(window.location.origin).create(descriptor);
      saveToken(descriptor.id, token);
      window.location.hash = `#/survey/${surveyFragment(descriptor)}`;
    } catch (err) {
      setError(`The server did not store the survey: ${err instanceof Error ? err.message : String(err)}`);
      setBusy(false);
    }
  };

  return (
    <form className="card stack" onSubmit={(e) => void publish(e)} aria-labelledby="survey-create-title">
      <h1 id="survey-create-title">Create a survey</h1>
      <p className="hint">
        Contributors answer whenever they like while it is open; their browsers split each answer into two encrypted shares, one for
        each aggregator. Neither the server nor one aggregator alone can read an answer; together, at the close, they compute only
        the totals.
      </p>
      <label>
        Title
        <input data-testid="survey-title" value={title} maxLength={200} onChange={(e) => setTitle(e.target.value)} placeholder="e.g. Pay survey 2026" />
      </label>
      {questions.map((q, i) => (
        <fieldset key={i} className="stack" data-testid="survey-question">
          <legend>Question {i + 1}</legend>
          <label>
            Kind
            <select data-testid="question-kind" value={q.kind} onChange={(e) => update(i, { kind: e.target.value as Kind })}>
              <option value="number">A number in a range (sum, mean, optionally variance)</option>
              <option value="choice">One choice among options (counts)</option>
              <option value="numbers">A list of numbers (sum and mean of each)</option>
            </select>
          </label>
          <label>
            Question
            <input data-testid="question-label" value={q.label} maxLength={300} onChange={(e) => update(i, { label: e.target.value })} />
          </label>
          {q.kind === 'number' && (
            <div className="link-row">
              <label>
                Lowest value
                <input data-testid="question-min" inputMode="numeric" value={q.min} onChange={(e) => update(i, { min: e.target.value })} />
              </label>
              <label>
                Highest value
                <input data-testid="question-max" inputMode="numeric" value={q.max} onChange={(e) => update(i, { max: e.target.value })} />
              </label>
            </div>
          )}
          {q.kind === 'number' && (
            <label className="confirm">
              <input type="checkbox" data-testid="question-variance" checked={q.variance} onChange={(e) => update(i, { variance: e.target.checked })} />
              Also compute the variance (each report then carries a second share, of the squared answer)
            </label>
          )}
          {q.kind === 'choice' && (
            <label>
              Options, one per line
              <textarea data-testid="question-options" rows={4} value={q.options} onChange={(e) => update(i, { options: e.target.value })} />
            </label>
          )}
          {q.kind === 'numbers' && (
            <div className="link-row">
              <label>
                How many numbers
                <input data-testid="question-length" inputMode="numeric" value={q.length} onChange={(e) => update(i, { length: e.target.value })} />
              </label>
              <label>
                Highest value (lowest is 0)
                <input data-testid="question-max" inputMode="numeric" value={q.max} onChange={(e) => update(i, { max: e.target.value })} />
              </label>
            </div>
          )}
          <p className="hint">{proofNote(q)}</p>
          {questions.length > 1 && (
            <button type="button" onClick={() => setQuestions((qs) => qs.filter((_, j) => j !== i))}>
              Remove question {i + 1}
            </button>
          )}
        </fieldset>
      ))}
      {questions.length < 8 && (
        <button type="button" data-testid="add-question" onClick={() => setQuestions((qs) => [...qs, blank()])}>
          Add a question
        </button>
      )}
      <div className="link-row">
        <label>
          Opens
          <input data-testid="survey-opens" type="datetime-local" value={opens} onChange={(e) => setOpens(e.target.value)} />
        </label>
        <label>
          Closes
          <input data-testid="survey-closes" type="datetime-local" value={closes} onChange={(e) => setCloses(e.target.value)} />
        </label>
      </div>
      {aggs.map((a, i) => (
        <fieldset key={i} className="stack">
          <legend>Aggregator {i + 1}</legend>
          <label>
            Name (a person or organisation that will not share its key with the other)
            <input data-testid={`aggregator-name-${i}`} value={a.name} maxLength={80} onChange={(e) => setAggs((xs) => xs.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)))} />
          </label>
          <label>
            Public key (they copy it from <a href="#/survey/aggregator">Be an aggregator</a>)
            <input data-testid={`aggregator-key-${i}`} value={a.key} spellCheck={false} onChange={(e) => setAggs((xs) => xs.map((x, j) => (j === i ? { ...x, key: e.target.value } : x)))} />
          </label>
        </fieldset>
      ))}
      {error && (
        <p className="warning" role="alert" data-testid="input-error">
          {error}
        </p>
      )}
      <button type="submit" className="primary" data-testid="publish-survey" disabled={busy}>
        {busy ? 'Publishing…' : 'Publish the survey'}
      </button>
    </form>
  );
}

function proofNote(q: Draft): string {
  if (q.kind === 'choice') return 'Each report proves it picks exactly one option (Prio3Histogram); the result is the count per option.';
  const lo = q.kind === 'number' ? Number(q.min) : 0;
  const hi = Number(q.max);
  if (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hi) || hi <= lo) return 'The highest value must be above the lowest.';
  const bits = bitsFor(hi - lo);
  const top = lo + 2 ** bits - 1;
  return `Browsers refuse values outside ${lo}…${hi}; each report also carries a proof that its value lies in ${lo}…${top} (${bits} bits), checked by the aggregators${top > hi ? ` — a modified browser could still send up to ${top}` : ''}.`;
}
