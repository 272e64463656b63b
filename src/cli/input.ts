/**
 * Where the Node party's private input comes from: a CSV column (`--csv F --column C`), a
 * text file as one would paste it (`--values F`, `-` for stdin: numbers, a list, value–weight
 * pairs), an item list for set intersection (`--items F`, one per line), or one number
 * (`--value X`). The text is then read against the room's spec by the same reader the
 * browser uses (readPrivateInput), so both accept exactly the same input.
 *
 * Security assumption: the input is the participant's own; it is read here and handed to
 * the engine only. Nothing here sends anything.
 */
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { CliExit, EXIT } from './exit-codes.ts';

export const MAX_INPUT_BYTES = 64 * 1024 * 1024;

export interface InputSource {
  csv?: string;
  column?: string;
  values?: string;
  items?: string;
  value?: string;
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

/** The input text, exactly one source; throws CliExit(USAGE) otherwise. */
export function readInputText(src: InputSource, readStdin: () => string): string {
  const given = [src.csv !== undefined, src.values !== undefined, src.items !== undefined, src.value !== undefined].filter(Boolean).length;
  if (given === 0) throw new CliExit(EXIT.USAGE, 'No private input: give --csv FILE --column NAME, --values FILE, --items FILE or --value NUMBER.');
  if (given > 1) throw new CliExit(EXIT.USAGE, 'Give only one of --csv, --values, --items and --value.');
  if (src.column !== undefined && src.csv === undefined) throw new CliExit(EXIT.USAGE, '--column needs --csv FILE.');
  if (src.csv !== undefined) {
    if (src.column === undefined) throw new CliExit(EXIT.USAGE, '--csv needs --column NAME (the header of the column to use).');
    return csvColumn(readText(src.csv, readStdin), src.column, src.csv === '-' ? 'stdin' : src.csv);
  }
  if (src.value !== undefined) return src.value;
  return readText((src.values ?? src.items) as string, readStdin);
}
