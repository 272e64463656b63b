/**
 * A participant's table for any table-shaped computation (a registry kind with `readTable`
 * whose spec carries a schema: crosstab, correlation, regression, table-stat, the models):
 * a CSV file (read in this tab) or a table
 * pasted into `private-input` with its header row; the columns mapped to the host's schema by
 * header name, with a picker where the names differ; and the read-back of what was understood
 * (rows used, cells skipped and why with their first row numbers, per column). Reading runs in
 * a worker (table-reader.worker.ts): typing never waits for it.
 *
 * Privacy: the text stays in this tab; on Start the controller hands it (with the picks) to
 * the MPC worker only. How many rows are used is shown here and nowhere else.
 */
import { useEffect, useMemo, useState, type KeyboardEvent } from 'react';
import { hasTableFrame, type TableFrame } from '../../../core/table';
import type { RoomController } from '../room/room-controller';
import { useRoomStore } from '../room/room-store';
import { InputActions } from '../room/input-actions';
import { DropZone } from '../input/drop-zone';
import { MAX_FILE_BYTES } from '../input/table-file';
import { beginRead, columnChoice, finishRead, readKey, rowCountSentence, rowsReadSentence, setColumnChoice, setAsyncReader, takesTable, type TableReadSummary } from './table-read-state';
import { readInWorker } from './table-reader-client';

/** Typing pauses this long before the table is read again (a read of 100k rows takes ~1 s). */
const DEBOUNCE_MS = 150;
const EXAMPLE = 'age,sex,systolic_bp,bmi,diagnosis\n54,F,132.5,27.1,diabetes\n61,M,,31.0,none';

export function TableInputCard({ controller }: { controller: () => RoomController | null }) {
  const s = useRoomStore();
  const spec = s.spec && takesTable(s.spec) && hasTableFrame(s.spec) ? s.spec : undefined;
  const running = s.run.status === 'running';
  const locked = s.ready || running;
  const [summary, setSummary] = useState<TableReadSummary>();
  const [reading, setReading] = useState(false);
  const [fileNote, setFileNote] = useState<string>();
  const [picks, setPicks] = useState<Record<string, number>>(() => ({ ...columnChoice() }));
  const specKey = spec ? readKey(spec) : '';

  useEffect(() => {
    setAsyncReader(true);
    return () => setAsyncReader(false);
  }, []);

  // Read the text again whenever it, the spec or the picks change (debounced, in the worker).
  useEffect(() => {
    if (!spec) return;
    const text = s.input;
    setColumnChoice(picks);
    const choiceKey = JSON.stringify(picks);
    beginRead(text, spec);
    if (!text.trim()) {
      setSummary(undefined);
      finishRead(text, spec, choiceKey, { ok: false, error: 'Load a CSV file or paste a table with a header row.' });
      controller()?.refreshInput();
      return;
    }
    setReading(true);
    controller()?.refreshInput();
    let live = true;
    const timer = setTimeout(() => {
      void readInWorker(text, spec, picks).then((r) => {
        if (!live) return;
        setReading(false);
        setSummary(r);
        if (finishRead(text, spec, choiceKey, r)) controller()?.refreshInput();
      });
    }, DEBOUNCE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
    // specKey stands for spec (the parts a read depends on)
  }, [s.input, specKey, JSON.stringify(picks)]);

  const lines = useMemo(() => (s.input.length > 200_000 ? lineCount(s.input) : 0), [s.input]);
  if (!spec) return null;
  const onFile = async (file: File) => {
    if (/\.(xlsx|xlsm|xls|ods|numbers)$/i.test(file.name)) return setFileNote(`${file.name} is a spreadsheet workbook. Save it as CSV first, then choose the CSV.`);
    if (file.size > MAX_FILE_BYTES) return setFileNote(`${file.name} is larger than 20 MB. Choose a smaller CSV.`);
    const text = await file.text().catch(() => undefined);
    if (text === undefined) return setFileNote(`${file.name} could not be read.`);
    if (text.includes('\u0000')) return setFileNote(`${file.name} is not a text (CSV) file.`);
    setFileNote(`Loaded ${file.name} (read in this tab, never uploaded).`);
    controller()?.setInput(text);
  };
  const onKey = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      if (!s.ready) controller()?.setReady(true);
    }
  };
  const pick = (column: string, index: number) => {
    const next = { ...picks };
    if (index < 0) delete next[column];
    else next[column] = index;
    setPicks(next);
  };
  const headers = summary?.headers ?? [];
  const unmapped = summary && !summary.ok ? (summary.unmapped ?? []) : [];
  const mapping = summary?.ok ? summary.mapping : {};
  // A large file is shown as its first lines only: Chromium lays out a textarea's whole value,
  // and 100,000 rows × 10 columns (3.5 MB) in the box held the main thread for ~4 s.
  const big = lines > 0;

  return (
    <section className="card" aria-labelledby="input-h">
      <form onSubmit={(e) => e.preventDefault()} noValidate>
        <h2 id="input-h">
          <label htmlFor="private-input">Your table</label>
        </h2>
        <p id="input-help" className="hint">
          A CSV file with a header row, or a table pasted from a spreadsheet (header row first). Columns are matched to the host’s columns by their header; blank and NA
          cells are counted, never guessed. The table never leaves this tab. <kbd>Ctrl</kbd>+<kbd>Enter</kbd> marks you ready.
        </p>
        <textarea
          id="private-input"
          data-testid="private-input"
          rows={big ? 3 : 6}
          value={big ? previewOf(s.input) : s.input}
          readOnly={locked || big}
          aria-readonly={locked || big || undefined}
          aria-invalid={s.inputError && !reading ? true : undefined}
          aria-describedby="input-help table-read"
          onChange={(e) => controller()?.setInput(e.target.value)}
          onKeyDown={onKey}
          placeholder={`e.g.\n${EXAMPLE}`}
          spellCheck={false}
          autoComplete="off"
        />
        {big && (
          <p className="hint" data-testid="table-preview-note">
            Showing the first {PREVIEW_LINES} lines only: all {lines.toLocaleString('en')} lines are read. To change the table, edit the file and load it again
            {!locked && (
              <>
                {', or '}
                <button type="button" className="linkish" data-testid="input-clear" onClick={() => controller()?.setInput('')}>
                  clear it
                </button>
              </>
            )}
            .
          </p>
        )}
        {!locked && <DropZone disabled={locked} onFile={(f) => void onFile(f)} />}
        {fileNote && <p className="hint" role="status">{fileNote}</p>}
        {headers.length > 0 && (unmapped.length > 0 || Object.keys(picks).length > 0) && (
          <fieldset className="column-map" data-testid="table-column-map">
            <legend>Which column of your file holds…</legend>
            {spec.schema.columns.map((c) => (
              <label key={c.name} className="spec-field">
                {c.name}
                <select
                  data-testid="table-column-pick"
                  data-column={c.name}
                  value={picks[c.name] ?? mapping[c.name] ?? -1}
                  disabled={locked}
                  onChange={(e) => pick(c.name, Number(e.target.value))}
                >
                  <option value={-1}>{unmapped.includes(c.name) ? 'choose a column…' : 'by header name'}</option>
                  {headers.map((h, i) => (
                    <option key={i} value={i}>
                      {h || `column ${i + 1}`}
                    </option>
                  ))}
                </select>
              </label>
            ))}
          </fieldset>
        )}
        <div id="table-read" aria-live="polite">
          {reading && s.input.trim() ? (
            <p className="hint" data-testid="table-reading" role="status">
              Reading the table…
            </p>
          ) : s.inputError ? (
            <p id="input-error" data-testid="input-error" className="field-error" role="alert">
              {s.inputError}
            </p>
          ) : summary?.ok ? (
            <ReadBack summary={summary} spec={spec} notes={s.inputNotes ?? []} />
          ) : null}
        </div>
        <InputActions controller={controller} readyDisabled={!!s.inputError || reading || !s.input.trim()} />
      </form>
    </section>
  );
}

const PREVIEW_LINES = 20;

/** The first lines of a large text (the whole is still what is read and used). */
function previewOf(text: string): string {
  let end = 0;
  for (let i = 0; i < PREVIEW_LINES && end !== -1; i++) end = text.indexOf('\n', end + (i > 0 ? 1 : 0));
  return end === -1 ? text : `${text.slice(0, end)}\n…`;
}

function lineCount(text: string): number {
  let n = text.endsWith('\n') ? 0 : 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function ReadBack({ summary, spec, notes }: { summary: Extract<TableReadSummary, { ok: true }>; spec: TableFrame; notes: string[] }) {
  return (
    <div data-testid="input-read" className="read-back">
      <p data-testid="table-rows" data-rows={summary.rows} data-used={summary.used}>
        <span className="ok-mark" aria-hidden="true">
          ✓{' '}
        </span>
        {rowsReadSentence(summary, spec.where.length > 0)}
      </p>
      <ul className="read-columns" data-testid="table-read-back">
        {summary.lines.map((l) => (
          <li key={l}>{l}</li>
        ))}
      </ul>
      {notes.map((n) => (
        <p key={n} className="note" data-testid="input-note">
          {n}
        </p>
      ))}
      <p className="hint">{rowCountSentence(summary.count)}</p>
    </div>
  );
}
