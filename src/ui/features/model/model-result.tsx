/**
 * The revealed output of a model computation. Evaluate: the declared metrics (per model and
 * A − B with two models, per group with a group column), the confusion matrix and the
 * calibration table. Logistic: the coefficients, the model as a JSON download, and "score my
 * file" — the model applied to a CSV in this tab (nothing leaves it). MLP (federated
 * averaging): the network's shape, accuracy on this tab's own rows, the model as a JSON download.
 * Rendered by the room's outcome view (room/outcome-view.tsx); driven by e2e/model.spec.ts.
 */
import { useState } from 'react';
import { type EvalMetrics, type EvaluateOutput, type LogisticOutput, type MlpOutput, type ModelOutput, type ScoredFile, parseModelJson, predictMlp, scoreCsv, scoreCsvWith } from '../../../core/model';
import { METRIC_TITLES } from '../../../core/model/describe-model';

const SCALARS = ['n', 'accuracy', 'precision', 'recall', 'f1', 'auc', 'prAuc', 'logLoss', 'brier', 'mse', 'rmse', 'mae', 'r2'] as const;
const show = (v: number | null | undefined): string => (v === null ? 'undefined (no rows)' : v === undefined ? '' : Number.isInteger(v) ? v.toLocaleString('en') : v.toFixed(4));

function MetricsTable({ rows, testid }: { rows: { label: string; m: EvalMetrics }[]; testid: string }) {
  const keys = SCALARS.filter((k) => rows.some((r) => r.m[k] !== undefined));
  return (
    <table className="stats metrics" data-testid={testid}>
      <thead>
        <tr>
          <th scope="col" />
          {keys.map((k) => (
            <th key={k} scope="col">
              {METRIC_TITLES[k]}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.label}>
            <th scope="row">{r.label}</th>
            {keys.map((k) => (
              <td key={k}>{show(r.m[k])}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Confusion({ m, label }: { m: EvalMetrics; label: string }) {
  if (!m.confusion) return null;
  const c = m.confusion;
  return (
    <table className="stats confusion" data-testid="confusion-matrix" aria-label={`Confusion matrix, ${label}`}>
      <thead>
        <tr>
          <th scope="col">{label}</th>
          <th scope="col">Predicted positive</th>
          <th scope="col">Predicted negative</th>
        </tr>
      </thead>
      <tbody>
        <tr>
          <th scope="row">Positive</th>
          <td>{c.tp.toLocaleString('en')}</td>
          <td>{c.fn.toLocaleString('en')}</td>
        </tr>
        <tr>
          <th scope="row">Negative</th>
          <td>{c.fp.toLocaleString('en')}</td>
          <td>{c.tn.toLocaleString('en')}</td>
        </tr>
      </tbody>
    </table>
  );
}

function Calibration({ m }: { m: EvalMetrics }) {
  if (!m.calibration) return null;
  return (
    <table className="stats calibration" data-testid="calibration-table">
      <thead>
        <tr>
          <th scope="col">Score bin</th>
          <th scope="col">Mean score</th>
          <th scope="col">Observed positive rate</th>
        </tr>
      </thead>
      <tbody>
        {m.calibration.map((c) => (
          <tr key={c.from}>
            <th scope="row">
              {c.from}–{c.to}
            </th>
            <td>{c.meanScore === null ? 'no rows' : c.meanScore.toFixed(4)}</td>
            <td>{c.observed === null ? 'no rows' : c.observed.toFixed(4)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function EvaluateView({ output }: { output: EvaluateOutput }) {
  const models = output.byModel ? output.models.map((m) => ({ label: m, m: output.byModel![m] })) : [{ label: output.models[0], m: output.value }];
  const diff = output.difference ? [{ label: `${output.models[0]} − ${output.models[1]}`, m: output.difference as EvalMetrics }] : [];
  return (
    <div>
      <MetricsTable rows={[...models, ...diff]} testid="metrics-table" />
      {models.map((r) => (
        <Confusion key={r.label} m={r.m} label={r.label} />
      ))}
      <Calibration m={output.value} />
      {output.groups && (
        <MetricsTable
          testid="group-metrics-table"
          rows={output.groups.flatMap((g) => {
            const name = Object.entries(g.group).map(([k, v]) => `${k} = ${v}`).join(', ');
            return g.byModel ? output.models.map((m) => ({ label: `${name} · ${m}`, m: g.byModel![m] })) : [{ label: name, m: g.value }];
          })}
        />
      )}
      <p className="hint">Over all participants’ rows together; ratios to 6 decimals, exact on the scores as declared.</p>
    </div>
  );
}

function download(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** "Score my file": a local CSV scored by the model in this tab, offered back with a p_<positive> column. */
function ScoreMyFile({ score }: { score: (text: string) => ScoredFile }) {
  const [scored, setScored] = useState<{ text: string; csv?: string; error?: boolean }>();
  const scoreFile = async (file: File | undefined) => {
    if (!file) return;
    try {
      const r = score(await file.text());
      const done = r.scores.filter((s) => s !== null).length;
      setScored({ text: `Scored ${done} of ${r.scores.length} rows${r.skipped.length ? `; skipped ${r.skipped.slice(0, 5).map((s) => `row ${s.row} (${s.reason})`).join(', ')}${r.skipped.length > 5 ? ', …' : ''}` : ''}.`, csv: r.csv });
    } catch (e) {
      setScored({ text: e instanceof Error ? e.message : String(e), error: true });
    }
  };
  return (
    <>
      <label className="field">
        Score my file (CSV with the feature columns; stays in this tab)
        <input type="file" accept=".csv,text/csv,text/plain" data-testid="score-file" onChange={(e) => void scoreFile(e.target.files?.[0])} />
      </label>
      {scored && (
        <p className={scored.error ? 'error' : 'hint'} data-testid="score-output" role="status">
          {scored.text}{' '}
          {scored.csv && (
            <button type="button" data-testid="score-download" onClick={() => download('scored.csv', scored.csv!, 'text/csv')}>
              Download the scored file
            </button>
          )}
        </p>
      )}
    </>
  );
}

function LogisticView({ output }: { output: LogisticOutput }) {
  const json = JSON.stringify(output.model, null, 2);
  return (
    <div>
      <table className="stats regression" data-testid="logistic-table">
        <thead>
          <tr>
            <th scope="col">Term</th>
            <th scope="col">Coefficient (log-odds per unit)</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">Intercept</th>
            <td>{output.value.intercept.toPrecision(6)}</td>
          </tr>
          {Object.entries(output.value.coefficients).map(([f, c]) => (
            <tr key={f}>
              <th scope="row">{f}</th>
              <td>{c.toPrecision(6)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="hint">
        p({output.model.target} = {output.model.positive}) = σ(intercept + Σ coefficient × value), trained on {output.value.n.toLocaleString('en')} rows of all participants together in {output.model.iterations} iterations.
      </p>
      <button type="button" data-testid="model-download" onClick={() => download(`${output.model.target}-logistic-model.json`, json, 'application/json')}>
        Download the model (JSON)
      </button>
      <ScoreMyFile score={(text) => scoreCsv(parseModelJson(json), text)} />
    </div>
  );
}

function MlpView({ output }: { output: MlpOutput }) {
  const { model } = output;
  return (
    <div>
      <p data-testid="mlp-summary">
        A network of {model.features.length} input{model.features.length === 1 ? '' : 's'} ({model.features.map((f) => f.name).join(', ')}), {model.hidden} hidden units and {output.value.weights.toLocaleString('en')} weights, trained on {output.value.n.toLocaleString('en')} rows of all participants together in {output.value.rounds} averaging rounds.
      </p>
      <p className="hint">Accuracy on your own rows (computed in this tab only): {(100 * output.ownAccuracy).toFixed(1)} %.</p>
      <button type="button" data-testid="model-download" onClick={() => download(`${model.target}-mlp-model.json`, JSON.stringify(model, null, 2), 'application/json')}>
        Download the model (JSON)
      </button>
      <ScoreMyFile score={(text) => scoreCsvWith(model, text, (x) => predictMlp(model, x))} />
    </div>
  );
}

export function ModelResultView({ output }: { output: ModelOutput }) {
  if (output.kind === 'mlp') return <MlpView output={output} />;
  return output.kind === 'evaluate' ? <EvaluateView output={output} /> : <LogisticView output={output} />;
}
