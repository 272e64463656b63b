/**
 * CSV text → rows of cells (RFC 4180): quoted fields with "" escapes and line breaks inside
 * quotes, CRLF/LF/CR line ends, a UTF-8 byte-order mark dropped, blank lines skipped. The
 * delimiter is the one of comma, semicolon and tab that splits the header line into the most
 * fields (a European spreadsheet saves "a;b;c" with decimal commas inside the cells).
 * Pure and DOM-free: the tab's table reader (a worker) and the MPC worker both read the same
 * text through this one function, so a file reads the same in both places.
 * Security: local only (the participant's own file).
 */
export type CsvDelimiter = ',' | ';' | '\t';

/** The delimiter of `text`, judged on its first line outside quotes. */
export function csvDelimiter(text: string): CsvDelimiter {
  let end = 0;
  let quoted = false;
  for (; end < text.length; end++) {
    const c = text[end];
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) break;
  }
  const head = text.slice(0, end).replace(/"[^"]*"/g, '');
  const count = (d: string) => head.split(d).length - 1;
  const best = ([',', ';', '\t'] as const).reduce((a, d) => (count(d) > count(a) ? d : a), ',' as CsvDelimiter);
  return best;
}

/** Rows of `text`; the first row is the header as written. */
export function parseCsv(text: string, delimiter: CsvDelimiter = csvDelimiter(text)): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  const d = delimiter.charCodeAt(0);
  const endRow = () => {
    if (!(row.length === 1 && row[0] === '')) rows.push(row);
    row = [];
  };
  while (i < n) {
    if (text.charCodeAt(i) === 34) {
      // quoted field
      let value = '';
      let j = i + 1;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q < 0) {
          value += text.slice(j);
          j = n;
          break;
        }
        value += text.slice(j, q);
        if (text.charCodeAt(q + 1) === 34) {
          value += '"';
          j = q + 2;
        } else {
          j = q + 1;
          break;
        }
      }
      // anything between the closing quote and the delimiter is kept (lenient, as spreadsheets are)
      let k = j;
      while (k < n && text.charCodeAt(k) !== d && text[k] !== '\n' && text[k] !== '\r') k++;
      row.push(value + text.slice(j, k));
      i = k;
    } else {
      let k = i;
      while (k < n) {
        const c = text.charCodeAt(k);
        if (c === d || c === 10 || c === 13) break;
        k++;
      }
      row.push(text.slice(i, k));
      i = k;
    }
    if (i >= n) break;
    const c = text.charCodeAt(i);
    if (c === d) {
      i++;
      if (i >= n) row.push('');
    } else {
      i += c === 13 && text.charCodeAt(i + 1) === 10 ? 2 : 1;
      endRow();
    }
  }
  if (row.length > 0) endRow();
  return rows;
}
