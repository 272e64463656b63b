/**
 * One survey, from its link `#/survey/<id>.<digest>`. The descriptor comes from the server
 * and is used only if it hashes to the digest in the link (so the aggregators' keys are the
 * ones the creator chose). Who sees what:
 * - contributors: the questions, who aggregates, a form, then a receipt;
 * - the creator (this browser holds the close token): the link and "Close now";
 * - an aggregator (this browser holds one of the two private keys): "Compute";
 * - everyone: the number of reports and, once both aggregators published, the result.
 */
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import {
  combinePublications,
  keyFingerprint,
  makeReport,
  parseSurveyFragment,
  runAggregator,
  SurveyClient,
  surveyFragment,
  uploadDigest,
  verifyDescriptor,
  vdafsFor,
  type SurveyDescriptor,
  type SurveyResult,
  type SurveyStatus,
} from '../../../core/survey';
import { CopyButton } from '../../components/copy-button';
import { loadReceipt, loadToken, saveReceipt } from './creator-tokens';
import { findKey, type StoredKey } from './key-store';
import { SurveyResultView } from './survey-result';

const POLL_MS = 2000;

interface ReceiptView {
  id: string;
  digest: string;
  storedAt: number;
}

export function SurveyPage({ fragment }: { fragment: string }) {
  const link = useRef(parseSurveyFragment(fragment)).current;
  const client = useRef(new SurveyClient(window.location.origin)).current;
  const [d, setD] = useState<SurveyDescriptor>();
  const [status, setStatus] = useState<SurveyStatus>();
  const [fatal, setFatal] = useState<string>();
  const [result, setResult] = useState<SurveyResult>();
  const [resultError, setResultError] = useState<string>();
  const [me, setMe] = useState<{ index: 0 | 1; key: StoredKey }>();

  const refresh = useCallback(async () => {
    if (!link) return;
    try {
      const s = await client.status(link.id);
      const desc = verifyDescriptor(s.descriptor, link);
      setD((old) => old ?? desc);
      setStatus(s);
      if (s.results.length >= 2) {
        try {
          setResult(await combinePublications(desc, s.results));
          setResultError(undefined);
        } catch (e) {
          setResultError(e instanceof Error ? e.message : String(e));
        }
      }
    } catch (e) {
      const code = (e as { code?: string }).code;
      const status = (e as { status?: number }).status;
      if (code === 'DESCRIPTOR_MISMATCH' || code === 'BAD_DESCRIPTOR' || status === 404) setFatal(status === 404 ? 'There is no such survey on this server. Check the link.' : (e as Error).message);
    }
  }, [client, fragment]);

  useEffect(() => {
    void refresh();
    const t = setInterval(() => void refresh(), POLL_MS);
    return () => clearInterval(t);
  }, [refresh]);

  useEffect(() => {
    if (!d) return;
    (async () => {
      for (const index of [0, 1] as const) {
        const key = await findKey(d.aggregators[index].key).catch(() => undefined);
        if (key) return setMe({ index, key });
      }
    })();
  }, [d]);

  if (!link) return <p className="card error" data-testid="error">That survey link is incomplete. Ask for the full link.</p>;
  if (fatal)
    return (
      <p className="card error" role="alert" data-testid="error">
        {fatal}
      </p>
    );
  if (!d || !status) return <p className="card" aria-busy="true">Loading the survey…</p>;

  const token = loadToken(d.id);
  const url = `${window.location.origin}${window.location.pathname}#/survey/${surveyFragment(d)}`;
  return (
    <div className="survey">
      <section className="card stack" aria-labelledby="survey-h">
        <h1 id="survey-h">{d.title}</h1>
        <p>
          <strong data-testid="survey-state" data-state={status.state}>
            {status.state === 'open' ? 'Open' : status.state === 'closed' ? 'Closed' : 'Not open yet'}
          </strong>{' '}
          · opens {new Date(d.opensAt).toLocaleString()} · closes {new Date(d.closesAt).toLocaleString()} ·{' '}
          <span data-testid="report-count" data-count={status.reports}>
            {status.reports} {status.reports === 1 ? 'report' : 'reports'} received
          </span>
        </p>
        <p className="hint">
          Aggregators: {d.aggregators.map((a, i) => (
            <span key={i}>
              {i > 0 && ' and '}
              <strong>{a.name}</strong> (key <code>{keyFingerprint(a.key)}</code>)
            </span>
          ))}
          . Your browser splits each answer into two random-looking shares and encrypts one to each of them; the server stores only
          the encrypted shares. Neither the server nor one aggregator alone can read an answer; the two together publish only the
          totals. These keys come from the link you were given, so the server cannot swap them.
        </p>
        {token && (
          <div className="stack">
            <p>Send this link to contributors and to both aggregators:</p>
            <code className="room-link" data-testid="survey-link">
              {url}
            </code>
            <CopyButton text={url} label="Copy the link" />
            {status.state !== 'closed' && (
              <button type="button" data-testid="close-survey" onClick={() => void client.close(d.id, token).then(refresh)}>
                Close the survey now
              </button>
            )}
          </div>
        )}
      </section>
      {status.state === 'open' && !me && <ContributeCard d={d} client={client} onStored={refresh} />}
      {me && <AggregateCard d={d} me={me} client={client} closed={status.state === 'closed'} published={status.results.some((p) => (p as { aggregator?: unknown }).aggregator === me.index)} onDone={refresh} />}
      {resultError && (
        <p className="card error" role="alert" data-testid="error">
          {resultError}
        </p>
      )}
      {result ? <SurveyResultView d={d} result={result} /> : status.state === 'closed' && <p className="card">Closed. Waiting for both aggregators to compute the result.</p>}
    </div>
  );
}

function ContributeCard({ d, client, onStored }: { d: SurveyDescriptor; client: SurveyClient; onStored: () => void }) {
  const [answers, setAnswers] = useState<string[]>(() => d.questions.map(() => '' as string));
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [receipt, setReceipt] = useState<ReceiptView | undefined>(() => loadReceipt(d.id) as ReceiptView | undefined);
  const vdafs = useRef(vdafsFor(d)).current;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    let report;
    try {
      const t0 = performance.now();
      report = await makeReport(d, answers, vdafs);
      // read by bench/browser.ts ("survey report"): the time a contributor's tab spends making the report
      performance.measure('parley-survey-report', { start: t0, end: performance.now() });
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      return;
    }
    setBusy(true);
    try {
      const { receipt: r } = await client.upload(d.id, report);
      const view = { id: r.id, digest: uploadDigest(report), storedAt: r.storedAt };
      saveReceipt(d.id, view);
      setReceipt(view);
      onStored();
    } catch (err) {
      setError(`Your report was not stored: ${err instanceof Error ? err.message : String(err)}. Try again; a report is never counted twice.`);
    } finally {
      setBusy(false);
    }
  };

  if (receipt)
    return (
      <section className="card stack" data-testid="receipt" data-report-id={receipt.id} aria-label="Receipt">
        <h2>Your report is stored</h2>
        <p>
          Receipt: report <code>{receipt.id}</code>, fingerprint <code>{receipt.digest}</code>, stored {new Date(receipt.storedAt).toLocaleString()}.
        </p>
        <p className="hint">Only encrypted shares left this tab. You can close it; the result appears on this page after the survey closes.</p>
      </section>
    );

  return (
    <form className="card stack" onSubmit={(e) => void submit(e)} aria-label="Your answers">
      <h2>Your answers</h2>
      {d.questions.map((q, i) => {
        const set = (v: string) => setAnswers((a) => a.map((x, j) => (j === i ? v : x)));
        return (
          <label key={i}>
            {q.label}
            {q.kind === 'choice' ? (
              <select data-testid="survey-answer" value={answers[i]} onChange={(e) => set(e.target.value)}>
                <option value="">— choose —</option>
                {q.options.map((o) => (
                  <option key={o} value={o}>
                    {o}
                  </option>
                ))}
              </select>
            ) : (
              <input
                data-testid="survey-answer"
                value={answers[i]}
                inputMode="numeric"
                placeholder={q.kind === 'number' ? `${q.min} to ${q.max}` : `${q.length} numbers, 0 to ${q.max}, separated by commas`}
                onChange={(e) => set(e.target.value)}
              />
            )}
          </label>
        );
      })}
      {error && (
        <p className="warning" role="alert" data-testid="input-error">
          {error}
        </p>
      )}
      <button type="submit" className="primary" data-testid="submit-report" disabled={busy}>
        {busy ? 'Sending…' : 'Send my answers'}
      </button>
    </form>
  );
}

function AggregateCard(props: { d: SurveyDescriptor; me: { index: 0 | 1; key: StoredKey }; client: SurveyClient; closed: boolean; published: boolean; onDone: () => void }) {
  const { d, me, client, closed, published, onDone } = props;
  const [phase, setPhase] = useState<'idle' | 'running' | 'done' | 'failed'>(published ? 'done' : 'idle');
  const [progress, setProgress] = useState('');
  const [error, setError] = useState<string>();
  const [rejected, setRejected] = useState<string>();

  const run = async () => {
    setPhase('running');
    setError(undefined);
    setProgress(me.index === 0 ? 'Fetching reports…' : 'Waiting for the other aggregator…');
    try {
      const r = await runAggregator(d, me.index, me.key, client.aggregatorIo(d, me.index), { onProgress: (n, total) => setProgress(`Checked ${n} of ${total} reports`) });
      const reasons = Object.entries(r.rejected).map(([k, v]) => `${v} ${k}`);
      setRejected(reasons.length ? reasons.join(', ') : 'none');
      setPhase('done');
      onDone();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      setPhase('failed');
    }
  };

  return (
    <section className="card stack" aria-labelledby="agg-h">
      <h2 id="agg-h">
        You are aggregator {me.index + 1} ({d.aggregators[me.index].name})
      </h2>
      <p className="hint">
        This browser holds aggregator {me.index + 1}'s private key. After the close, both aggregators press Compute (in any order): the
        browsers check every report's proof together, through the server, sealed and signed end to end, and publish only the totals.
      </p>
      <button type="button" className="primary" data-testid="aggregate" disabled={!closed || phase === 'running' || phase === 'done'} onClick={() => void run()}>
        {closed ? 'Compute' : 'Compute (after the survey closes)'}
      </button>
      <p data-testid="progress" data-phase={phase} role="status">
        {phase === 'done' ? `Published. Invalid reports rejected here: ${rejected ?? 'see the result'}.` : progress}
      </p>
      {error && (
        <p className="warning" role="alert" data-testid="error">
          {error}
        </p>
      )}
    </section>
  );
}
