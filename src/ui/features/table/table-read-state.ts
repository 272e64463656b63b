/**
 * The participant's table as read for the room's table-shaped computation (any registry kind
 * with `readTable`: the table kinds, the models), between the reader worker
 * (table-reader.worker.ts, off the main thread) and the room's synchronous input check
 * (private-input.ts → readTableInput). DOM-free and React-free: without a reader worker
 * (Node, tests) the text is read in place.
 *
 * A read is keyed by the exact text, the spec it was read for (minus minParties and
 * protection, which do not change a read) and the column picks; a stale read (the text or
 * spec changed meanwhile) is never used.
 * Privacy: the text stays in this tab; only the CSV text and picks go to the MPC worker.
 */
import { computationFor } from '../../../core/computations/registry';
import type { BaseSpec, TableReadSummary } from '../../../core/computations/registry-types';

export type { TableReadSummary };
export type ColumnPicks = Readonly<Record<string, number>>;

interface Entry {
  text: string;
  specKey: string;
  choiceKey: string;
  summary?: TableReadSummary;
}

let current: Entry | undefined;
let chosen: Record<string, number> = {};
/** Set in the browser by the table card: reads then go through its worker. */
let asyncReader = false;

/** The part of the spec a read depends on. */
export const readKey = (spec: BaseSpec): string => JSON.stringify({ ...spec, minParties: undefined, protection: undefined });

/** Does this kind take its input from the table card? */
export const takesTable = (spec: BaseSpec | undefined): boolean => !!spec && computationFor(spec.kind).readTable !== undefined;

export function setAsyncReader(on: boolean): void {
  asyncReader = on;
}

export function columnChoice(): ColumnPicks {
  return chosen;
}

export function setColumnChoice(next: ColumnPicks): void {
  chosen = { ...next };
}

/** Records that `text` is being read for `spec` (the summary follows with `finishRead`). */
export function beginRead(text: string, spec: BaseSpec): void {
  current = { text, specKey: readKey(spec), choiceKey: JSON.stringify(chosen) };
}

export function finishRead(text: string, spec: BaseSpec, choiceKey: string, summary: TableReadSummary): boolean {
  if (!current || current.text !== text || current.specKey !== readKey(spec) || current.choiceKey !== choiceKey) return false;
  current.summary = summary;
  return true;
}

/** The read itself (in the reader worker, or in place): the kind's own reader. */
export function summarise(text: string, spec: BaseSpec, choice: ColumnPicks): TableReadSummary {
  const read = computationFor(spec.kind).readTable;
  if (!read) return { ok: false, error: 'This computation does not take a table.' };
  try {
    return read(text, spec, choice);
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

/** The read of `text` for `spec` with the current picks, once finished (undefined while reading or stale). */
export function latestSummary(text: string, spec: BaseSpec): TableReadSummary | undefined {
  if (!current || current.text !== text || current.specKey !== readKey(spec) || current.choiceKey !== JSON.stringify(chosen)) return undefined;
  return current.summary;
}

export type TableInputCheck = { ok: true; count: number; data: { csv: string; chosen: ColumnPicks }; notes: string[] } | { ok: false; error: string };

/** The room's input check for a table-shaped spec: the worker's read when it is ready, else "reading". */
export function readTableInput(text: string, spec: BaseSpec): TableInputCheck {
  let summary = latestSummary(text, spec);
  if (!summary && !asyncReader) {
    beginRead(text, spec);
    summary = summarise(text, spec, chosen);
    finishRead(text, spec, JSON.stringify(chosen), summary);
  }
  if (!summary) return { ok: false, error: 'Reading the table…' };
  if (!summary.ok) return { ok: false, error: capitalise(summary.error.replace(/\.?$/, '.')) };
  // No usable row is a valid contribution (a hospital without a matching patient): where the
  // count stays secret, nobody learns it.
  const notes =
    summary.used === 0
      ? [`None of your rows is used by this computation (after missing cells and the filter): you take part with no rows${summary.count === 0 ? ', and nobody learns that' : ''}.`]
      : [];
  return { ok: true, count: summary.count, data: { csv: text, chosen: { ...chosen } }, notes };
}

/**
 * The read-back's words (the table card shows them; the Node party prints them), so both say
 * the same: rows read and used, why rows were skipped, and who learns how many rows are used.
 */
export function rowsReadSentence(summary: Extract<TableReadSummary, { ok: true }>, filtered: boolean): string {
  const skipped = summary.rows - summary.used;
  return (
    `${summary.rows.toLocaleString('en')} row${summary.rows === 1 ? '' : 's'} read; ${summary.used.toLocaleString('en')} used for this computation` +
    `${skipped > 0 ? ` (${skipped.toLocaleString('en')} skipped: a needed cell is missing or unreadable${filtered ? ', or the row does not pass the filter' : ''})` : ''}.`
  );
}

export function rowCountSentence(count: number): string {
  return count === 0 ? 'Only you see these counts: how many rows you use stays secret from everyone else.' : `This computation shows everyone how many rows you use (${count.toLocaleString('en')}).`;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
