/**
 * Where the Node party's private input comes from: a CSV column (`--csv F --column C`), a
 * whole table for the table-shaped kinds (`--csv F` alone: crosstab, correlation, regression,
 * table-stat, the models; `--map COLUMN=HEADER` where the file's header differs from the
 * host's column name), a text file as one would paste it (`--values F`, `-` for stdin: numbers, a list, value–weight
 * pairs), an item list for set intersection (`--items F`, one per line), or one number
 * (`--value X`). The text is then read against the room's spec by the same reader the
 * browser uses (readPrivateInput), so both accept exactly the same input.
 *
 * Security assumption: the input is the participant's own; it is read here and handed to
 * the engine only. Nothing here sends anything.
 */
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { parseCsv } from '../core/table/index.ts';
import { CliExit, EXIT } from './exit-codes.ts';

export const MAX_INPUT_BYTES = 64 * 1024 * 1024;

export interface InputSource {
  csv?: string;
  column?: string;
  values?: string;
  items?: string;
  value?: string;
  map?: string[];
}

/**
 * What was read: `table` is set for a whole CSV (`--csv` without `--column`), with the file's
 * header and the `--map` picks (schema column → index of the file column), checked against
 * the room's schema once the spec is known.
 */
export interface InputText {
  text: string;
  table?: { headers: string[]; picks: Record<string, number> };
}

function readText(path: string, readStdin: () => string): string {
  if (path === '-') return readStdin();
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : '';
    throw new CliExit(EXIT.USAGE, code === 'ENOENT' ? `${path}: no such file.` : `${path} could not be read (${code || String(e)}).`);
  }
  if (text.length > MAX_INPUT_BYTES) throw new CliExit(EXIT.USAGE, `${path} is larger than ${MAX_INPUT_BYTES / 1024 / 1024} MB.`);
  if (text.includes('\u0000')) throw new CliExit(EXIT.USAGE, `${path} is not a text file.`);
  return text;
}

/** The named column of a CSV text (its first row is the header), one cell per line. */
export function csvColumn(text: string, column: string, source: string): string {
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: 'greedy', delimitersToGuess: [',', ';', '\t', '|'] });
  const rows = parsed.data;
  if (rows.length === 0) throw new CliExit(EXIT.INPUT, `${source} is empty.`);
  const header = rows[0].map((h) => h.trim());
  let j = header.indexOf(column);
  if (j < 0) j = header.findIndex((h) => h.toLowerCase() === column.toLowerCase());
  if (j < 0) throw new CliExit(EXIT.USAGE, `${source} has no column "${column}". Its columns: ${header.map((h) => JSON.stringify(h)).join(', ')}.`);
  const cells = rows.slice(1).map((r) => (r[j] ?? '').trim());
  const blank = cells.findIndex((c) => c === '');
  if (blank >= 0) throw new CliExit(EXIT.INPUT, `${source}, column "${header[j]}": row ${blank + 2} is empty. Fill it in or remove the row.`);
  if (cells.length === 0) throw new CliExit(EXIT.INPUT, `${source}, column "${header[j]}" has no values below its header.`);
  return cells.join('\n');
}

/** `--map COLUMN=HEADER` → schema column → index of the file column (same CSV reader as the tables). */
export function mapPicks(maps: readonly string[], headers: readonly string[], source: string): Record<string, number> {
  const picks: Record<string, number> = {};
  for (const m of maps) {
    const eq = m.indexOf('=');
    const column = m.slice(0, eq).trim();
    const header = m.slice(eq + 1).trim();
    if (eq < 0 || !column || !header) throw new CliExit(EXIT.USAGE, `--map takes COLUMN=HEADER (the host's column name, then your file's header), got ${JSON.stringify(m)}.`);
    let j = headers.indexOf(header);
    if (j < 0) j = headers.findIndex((h) => h.toLowerCase() === header.toLowerCase());
    if (j < 0) throw new CliExit(EXIT.USAGE, `--map ${m}: ${source} has no column "${header}". Its columns: ${headers.map((h) => JSON.stringify(h)).join(', ')}.`);
    if (column in picks) throw new CliExit(EXIT.USAGE, `--map names column "${column}" twice.`);
    picks[column] = j;
  }
  return picks;
}

/** The input text, exactly one source; throws CliExit(USAGE) otherwise. */
export function readInputText(src: InputSource, readStdin: () => string): InputText {
  const given = [src.csv !== undefined, src.values !== undefined, src.items !== undefined, src.value !== undefined].filter(Boolean).length;
  if (given === 0) throw new CliExit(EXIT.USAGE, 'No private input: give --csv FILE (a table; add --column NAME for one column of numbers), --values FILE, --items FILE or --value NUMBER.');
  if (given > 1) throw new CliExit(EXIT.USAGE, 'Give only one of --csv, --values, --items and --value.');
  if (src.column !== undefined && src.csv === undefined) throw new CliExit(EXIT.USAGE, '--column needs --csv FILE.');
  const maps = src.map ?? [];
  if (maps.length && (src.csv === undefined || src.column !== undefined)) throw new CliExit(EXIT.USAGE, '--map is for a whole table: give it with --csv FILE and without --column.');
  if (src.csv !== undefined) {
    const source = src.csv === '-' ? 'stdin' : src.csv;
    const text = readText(src.csv, readStdin);
    if (src.column !== undefined) return { text: csvColumn(text, src.column, source) };
    if (!text.trim()) throw new CliExit(EXIT.INPUT, `${source} is empty.`);
    const headers = (parseCsv(text)[0] ?? []).map((h) => h.trim());
    return { text, table: { headers, picks: mapPicks(maps, headers, source) } };
  }
  if (src.value !== undefined) return { text: src.value };
  return { text: readText((src.values ?? src.items) as string, readStdin) };
}
