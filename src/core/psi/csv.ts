/**
 * A small CSV reader for picking one column of a pasted or uploaded table (RFC 4180:
 * fields separated by a delimiter, records by CRLF or LF, fields optionally in double
 * quotes with "" for a quote; quoted fields may contain delimiters and line breaks). Also
 * accepts a lone CR as a record break, a UTF-8 BOM, and a missing final line break.
 * Lenient where RFC 4180 is strict and a user would not care: a quote inside an unquoted
 * field is kept as text; text after a closing quote is appended to the field.
 *
 * Security: none; it parses the user's own input locally. Linear time.
 * [RFC4180] Shafranovich. Common Format and MIME Type for CSV Files. 2005.
 */
import { MpcError } from '../errors.ts';

export type CsvDelimiter = ',' | ';' | '\t' | '|';
const DELIMITERS: readonly CsvDelimiter[] = [',', ';', '\t', '|'];

/** Parse CSV text into records of fields. A blank line is a record with one empty field. */
export function parseCsv(text: string, delimiter: CsvDelimiter = ','): string[][] {
  if (!DELIMITERS.includes(delimiter)) throw new MpcError('INVALID_ARGUMENT', `unsupported CSV delimiter ${JSON.stringify(delimiter)}`);
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  const n = src.length;
  const endRecord = (): void => {
    row.push(field);
    rows.push(row);
    row = [];
    field = '';
  };
  while (i < n) {
    const c = src[i];
    if (c === '"' && field === '') {
      // quoted field: up to the closing quote; "" is a literal quote
      i++;
      for (;;) {
        const q = src.indexOf('"', i);
        if (q < 0) {
          field += src.slice(i); // unterminated: take the rest as the field
          i = n;
          break;
        }
        field += src.slice(i, q);
        if (src[q + 1] === '"') {
          field += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
    } else if (c === delimiter) {
      row.push(field);
      field = '';
      i++;
    } else if (c === '\r' || c === '\n') {
      endRecord();
      i += c === '\r' && src[i + 1] === '\n' ? 2 : 1;
    } else {
      field += c;
      i++;
    }
  }
  if (field !== '' || row.length > 0) endRecord();
  return rows;
}

/** The most frequent of , ; TAB | in the first line (outside quotes), or ','. */
export function detectDelimiter(text: string): CsvDelimiter {
  const counts = new Map<CsvDelimiter, number>();
  let quoted = false;
  for (const c of text) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) break;
    else if (!quoted && DELIMITERS.includes(c as CsvDelimiter)) counts.set(c as CsvDelimiter, (counts.get(c as CsvDelimiter) ?? 0) + 1);
  }
  let best: CsvDelimiter = ',';
  let bestCount = 0;
  for (const d of DELIMITERS) {
    const k = counts.get(d) ?? 0;
    if (k > bestCount) [best, bestCount] = [d, k];
  }
  return best;
}

export interface CsvColumnOptions {
  delimiter?: CsvDelimiter;
  /** The first record is a header (names the columns, not a value). Default true. */
  header?: boolean;
}

export interface CsvColumn {
  /** Column names from the header, or "1", "2", … when there is none. */
  columns: string[];
  /** The chosen column's values, one per record; records too short give ''. */
  values: string[];
}

/** Values of one column, chosen by 0-based index or by header name (exact, then trimmed/case-insensitive). */
export function csvColumn(text: string, column: number | string, opts: CsvColumnOptions = {}): CsvColumn {
  const rows = parseCsv(text, opts.delimiter ?? detectDelimiter(text));
  const header = opts.header ?? true;
  const width = rows.reduce((w, r) => Math.max(w, r.length), 0);
  const columns = header && rows.length > 0 ? rows[0] : Array.from({ length: width }, (_, i) => String(i + 1));
  let index: number;
  if (typeof column === 'number') {
    index = column;
  } else {
    index = columns.indexOf(column);
    if (index < 0) index = columns.findIndex((c) => c.trim().toLowerCase() === column.trim().toLowerCase());
  }
  if (!Number.isInteger(index) || index < 0 || index >= Math.max(width, columns.length)) {
    throw new MpcError('INVALID_ARGUMENT', `no column ${JSON.stringify(column)} (columns: ${columns.map((c) => JSON.stringify(c)).join(', ')})`);
  }
  const body = header ? rows.slice(1) : rows;
  return { columns, values: body.map((r) => r[index] ?? '') };
}

/** RFC 4180 text of `rows` (CRLF line ends; fields quoted when they need it), e.g. the common items for download. */
export function toCsv(rows: readonly (readonly string[])[], delimiter: CsvDelimiter = ','): string {
  const quote = (f: string): string => (/["\r\n]/.test(f) || f.includes(delimiter) || f !== f.trim() ? `"${f.replace(/"/g, '""')}"` : f);
  return rows.map((r) => r.map(quote).join(delimiter)).join('\r\n') + (rows.length ? '\r\n' : '');
}
