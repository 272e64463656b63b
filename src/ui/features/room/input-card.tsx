/**
 * The private input: typed or pasted numbers, a pasted spreadsheet range or a CSV file
 * (read locally), what we read back, Ready and (for the host) Start.
 *
 * Privacy: the text and files stay in this tab; the controller hands the parsed values to
 * the MPC worker on Start and to nothing else.
 */
import { useDeferredValue, useEffect, useMemo, useState, type ClipboardEvent, type DragEvent, type FormEvent, type KeyboardEvent } from 'react';
import type { RoomController } from './room-controller';
import { InputActions } from './input-actions';
import { TableInputCard } from '../table/table-input';
import { useRoomStore } from './room-store';
import { computationFor } from '../../../core/computations/registry';
import { parseValues } from './parse-values';
import { readBackValues } from './read-back';
import { DropZone } from '../input/drop-zone';
import { ALL_CELLS, ColumnPicker, NO_COLUMN } from '../input/column-picker';
import { readTableFile } from '../input/table-file';
import { allCellsText, columnText, declaredColumn, pastedCsv, pastedTable, pickColumn, type Table } from '../input/tabular';

const PREVIEW = 6;

export function InputCard({ controller }: { controller: () => RoomController | null }) {
  const s = useRoomStore();
  const running = s.run.status === 'running';
  const locked = s.ready || running;
  const decimals = s.spec && 'decimals' in s.spec ? (s.spec.decimals ?? 2) : 2;
  // How this computation reads the box (registry): items (e-mails, IDs, phone numbers) one per
  // line, "item, value" lines, value–weight pairs, or numbers.
  const shape = s.spec ? computationFor(s.spec.kind).inputShape : 'numbers';
  const psi = shape === 'items' || shape === 'item-values';
  // A table kind's text is a CSV read by its own card in a worker: parsing it here as a list
  // of numbers cost ~1.5 s of main thread on 100,000 rows × 10 columns, for nothing.
  const ownCard = shape === 'own-card';
  const [table, setTable] = useState<{ table: Table; chosen: number; before: string }>();
  const [fileError, setFileError] = useState<string>();
  const [reading, setReading] = useState(false);
  // The column last chosen by name: the next file's column of that name is used, no other.
  const [lastColumn, setLastColumn] = useState<string>();
  const itemKind = s.spec && 'itemKind' in s.spec ? s.spec.itemKind : undefined;
  // The column the host declared (spec.column): a file's header of that name is used, no other.
  const declared = s.spec && 'column' in s.spec ? s.spec.column : undefined;
  const [columnNote, setColumnNote] = useState<string>();
  const needsConfirm = !!s.inputWarnings?.length;

  const setInput = (text: string) => controller()?.setInput(text);
  // The read-back follows typing at low priority: with 100,000 pasted values a parse takes
  // ~0.1 s, and keystrokes must not wait for it.
  const deferredInput = useDeferredValue(s.input);
  const read = useMemo(
    () => (deferredInput.trim() && !psi && !ownCard ? parseValues(deferredInput, { decimals, maxAbs: 1e12, maxLength: 100_000, pairs: shape === 'pairs' }) : undefined),
    [deferredInput, decimals, psi, ownCard, shape],
  );

  const textOf = (t: Table, chosen: number) => (chosen === ALL_CELLS ? allCellsText(t) : chosen === NO_COLUMN ? '' : columnText(t.columns[chosen]));
  const applyTable = (t: Table, chosen: number) => {
    setTable((prev) => ({ table: t, chosen, before: prev?.before ?? s.input }));
    setFileError(undefined);
    setInput(textOf(t, chosen));
  };
  const choose = (chosen: number) => {
    if (!table) return;
    setTable({ ...table, chosen });
    if (chosen >= 0) setLastColumn(table.table.columns[chosen]?.name);
    setInput(textOf(table.table, chosen));
  };
  const undo = () => {
    if (!table) return;
    setInput(table.before);
    setTable(undefined);
  };
  const itemValues = shape === 'item-values';
  /** The column to start with: the declared one by its header, else the last chosen, else the only candidate. */
  const startColumn = (t: Table, fallback: () => number | undefined): number => {
    setColumnNote(undefined);
    if (declared) {
      const use = declaredColumn(t, declared);
      if ('index' in use) return use.index;
      setColumnNote(use.note);
      return NO_COLUMN;
    }
    return fallback() ?? NO_COLUMN;
  };
  const onFile = async (file: File) => {
    if (itemValues) {
      // item + value: the file's own lines ("email,spend"), read as typed text
      setReading(true);
      const text = await file.text().catch(() => undefined);
      setReading(false);
      if (text === undefined) return setFileError('Could not read the file.');
      setTable(undefined);
      setFileError(undefined);
      return setInput(text);
    }
    setReading(true);
    const r = await readTableFile(file, { numbers: !psi, itemKind });
    setReading(false);
    if (!r.ok) return setFileError(r.error);
    applyTable(r.table, startColumn(r.table, () => pickColumn(r.table, lastColumn, itemKind)));
  };
  const onPaste = (e: ClipboardEvent<HTMLTextAreaElement>) => {
    if (psi) return; // items: the textarea takes the text as it is, one per line
    const text = e.clipboardData.getData('text/plain');
    const t = pastedTable(text) ?? pastedCsv(text);
    if (!t || !t.columns.some((c) => c.numeric)) return; // ordinary text: the textarea takes it
    e.preventDefault();
    const allNumeric = t.columns.every((c) => c.numeric);
    applyTable(t, allNumeric && !t.hasHeader && !declared ? ALL_CELLS : startColumn(t, () => pickColumn(t, lastColumn)));
  };
  // A file dropped anywhere on this card is read like one dropped on the drop zone, and a
  // file dropped elsewhere on the page is ignored: the browser would otherwise open it in
  // place of the app and the room would be gone.
  const fileDrag = (e: DragEvent) => Array.from(e.dataTransfer.types).includes('Files');
  const onCardDragOver = (e: DragEvent) => {
    if (!locked && fileDrag(e)) e.preventDefault();
  };
  const onCardDrop = (e: DragEvent) => {
    if (e.isDefaultPrevented() || !fileDrag(e)) return; // the drop zone took it already
    e.preventDefault();
    const file = e.dataTransfer.files[0];
    if (file && !locked) void onFile(file);
  };
  useEffect(() => {
    const guard = (e: globalThis.DragEvent) => {
      if (e.dataTransfer && Array.from(e.dataTransfer.types).includes('Files')) e.preventDefault();
    };
    window.addEventListener('dragover', guard);
    window.addEventListener('drop', guard);
    return () => {
      window.removeEventListener('dragover', guard);
      window.removeEventListener('drop', guard);
    };
  }, []);

  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    if (!s.ready) controller()?.setReady(true);
  };
  const onKey = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    // Enter alone adds a line (lists); Ctrl/⌘+Enter means "I'm ready".
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      submit();
    }
  };

  // Kinds with their own input (tables, models): the table card, with the same Ready/Start.
  if (shape === 'own-card') return <TableInputCard controller={controller} />;

  const describedBy = ['input-help', s.inputError ? 'input-error' : 'input-read'].join(' ');
  return (
    <section className="card" aria-labelledby="input-h" onDragOver={onCardDragOver} onDrop={onCardDrop}>
      <form onSubmit={submit} noValidate>
        <h2 id="input-h">
          <label htmlFor="private-input">{psi ? 'Your private list' : 'Your private values'}</label>
        </h2>
        {itemValues ? (
          <p id="input-help" className="hint">
            One item and its value per line, separated by a comma (“alice@example.org, 120.50”), or a CSV file with those two columns. Only the count of common
            items and the total of their values are revealed. <kbd>Ctrl</kbd>+<kbd>Enter</kbd> marks you ready.
          </p>
        ) : psi ? (
          <p id="input-help" className="hint">
            One item per line, or a CSV file (pick the column). Items are normalised the same way in every browser so that equal items match. Your list never
            leaves this tab. <kbd>Ctrl</kbd>+<kbd>Enter</kbd> marks you ready.
          </p>
        ) : (
          <p id="input-help" className="hint">
            One number, a list (commas, spaces or new lines), or a range pasted from a spreadsheet; up to {decimals} decimal{decimals === 1 ? '' : 's'}. They never leave
            this tab. <kbd>Ctrl</kbd>+<kbd>Enter</kbd> marks you ready.
          </p>
        )}
        <textarea
          id="private-input"
          data-testid="private-input"
          rows={4}
          value={s.input}
          readOnly={locked}
          aria-readonly={locked || undefined}
          aria-invalid={s.inputError ? true : undefined}
          aria-describedby={describedBy}
          onChange={(e) => {
            setTable(undefined);
            setInput(e.target.value);
          }}
          onPaste={onPaste}
          onKeyDown={onKey}
          placeholder={itemValues ? 'e.g.\nalice@example.org, 120.50\nbob@example.org, 80' : psi ? 'e.g.\nalice@example.org\nbob@example.org' : 'e.g. 52000\nor 1250.50, 318.41, 262.29'}
          spellCheck={false}
          autoComplete="off"
        />
        {s.inputError ? (
          <p id="input-error" data-testid="input-error" className="field-error" role="alert">
            {s.inputError}
          </p>
        ) : psi ? (
          <div id="input-read" data-testid="input-read" className="read-back" aria-live="polite">
            {(s.inputNotes ?? []).map((n) => (
              <p key={n} className="note" data-testid="input-note">
                {n}
              </p>
            ))}
          </div>
        ) : (
          <ReadBack read={read} decimals={decimals} warned={needsConfirm} />
        )}
        {needsConfirm && !s.inputError && (
          <div className="read-warnings warning" data-testid="input-warnings" role="status">
            <ul>
              {(s.inputWarnings ?? []).map((w) => (
                <li key={w} data-testid="input-warning">
                  ⚠ {w}
                </li>
              ))}
            </ul>
            <label className="confirm">
              <input type="checkbox" data-testid="input-confirm" checked={s.inputConfirmed} disabled={locked} onChange={(e) => controller()?.confirmInput(e.target.checked)} />
              I checked: these are the values I mean
            </label>
          </div>
        )}
        {table && columnNote && (
          <p className="hint warning" data-testid="column-note" role="status">
            {columnNote}
          </p>
        )}
        {table && <ColumnPicker table={table.table} chosen={table.chosen} disabled={locked} onChoose={choose} onUndo={undo} anyColumn={psi} />}
        {!locked && <DropZone disabled={locked} onFile={(f) => void onFile(f)} />}
        {reading && <p className="hint" role="status">Reading the file…</p>}
        {fileError && (
          <p className="field-error" role="alert" data-testid="input-file-error">
            {fileError}
          </p>
        )}
        {!psi && (<details className="rules">
          <summary>How numbers are read</summary>
          <ul>
            <li>Values are separated by new lines, tabs, semicolons or spaces; on a single line, commas separate values too (“1,250” is 1 and 250).</li>
            <li>“1,250.50”, “1.250,50” and “1’250.50” are each one number: 1250.50. A plain space separates values (“52 000” is 52 and 0), so write 52000 without the space.</li>
            <li>With one value per line, “12,5” is a decimal comma (12.5); a column where every comma is followed by three digits (“1,250”) uses commas for thousands (1250).</li>
            <li>A dot is a decimal point (“1.250” is 1.25) unless your values use decimal commas.</li>
            <li>A currency sign ($ € £ ¥ ₹) or % next to a number is allowed; only the number is used, and results show no unit in any tab (the others’ tabs never see what you typed).</li>
          </ul>
        </details>)}
        <InputActions controller={controller} onReady={() => submit()} readyDisabled={!!s.inputError || !s.input.trim() || (needsConfirm && !s.inputConfirmed)} />
      </form>
    </section>
  );
}

/** "3 values read: 1,250.50 · 318.41 · …" and how ambiguous separators were read. */
function ReadBack({ read, decimals, warned }: { read: ReturnType<typeof parseValues> | undefined; decimals: number; warned: boolean }) {
  if (!read || !read.ok) return <div id="input-read" data-testid="input-read" aria-live="polite" />;
  const shown = readBackValues(read, Math.min(read.decimalsTyped ?? 0, decimals), PREVIEW);
  const n = read.values.length;
  return (
    <div id="input-read" data-testid="input-read" className="read-back" aria-live="polite">
      <p>
        <span className={warned ? 'warn-mark' : 'ok-mark'} aria-hidden="true">
          {warned ? '⚠ ' : '✓ '}
        </span>
        {n === 1 ? '1 value read: ' : `${n.toLocaleString('en')} values read: `}
        <span className="values">{shown.join(' · ')}</span>
        {n > PREVIEW ? ' · …' : ''}
      </p>
      {/* Warnings are listed with the confirmation box (input-warnings), not here. */}
      {(read.notes ?? []).filter((note) => !note.warning).map((note) => (
        <p key={note.rule} className="note" data-testid="input-note" data-rule={note.rule}>
          {note.text}
        </p>
      ))}
    </div>
  );
}
