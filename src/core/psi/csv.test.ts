import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MpcError } from '../errors.ts';
import { csvColumn, detectDelimiter, parseCsv, toCsv } from './csv.ts';

describe('parseCsv (RFC 4180)', () => {
  it('parses quotes, escaped quotes, embedded delimiters and line breaks, CRLF, BOM', () => {
    const text = '\ufeffname,email\r\n"Smith, Jo","jo@x.org"\r\n"say ""hi""",b@y.org\n"two\nlines",c@z.org';
    expect(parseCsv(text)).toEqual([
      ['name', 'email'],
      ['Smith, Jo', 'jo@x.org'],
      ['say "hi"', 'b@y.org'],
      ['two\nlines', 'c@z.org'],
    ]);
  });

  it('keeps empty fields and blank lines, tolerates an unterminated quote', () => {
    expect(parseCsv('a,,c\n\n,b,\n')).toEqual([['a', '', 'c'], [''], ['', 'b', '']]);
    expect(parseCsv('x,"open')).toEqual([['x', 'open']]);
    expect(parseCsv('')).toEqual([]);
  });

  it('round-trips any table written with RFC 4180 quoting (property)', () => {
    const field = fc.string({ maxLength: 8 }).map((s) => s.replace(/\r/g, ''));
    fc.assert(
      fc.property(fc.constantFrom(',', ';', '\t'), fc.array(fc.array(field, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 6 }), (d, rows) => {
        const text = rows.map((r) => r.map((f) => `"${f.replace(/"/g, '""')}"`).join(d)).join('\r\n');
        expect(parseCsv(text, d as ',' | ';' | '\t')).toEqual(rows);
      }),
      { numRuns: 200 },
    );
  });
});

describe('csvColumn', () => {
  const table = 'ID;E-mail;Phone\n1;a@x.org;+41 44\n2;"b;c@x.org"\n3;d@x.org;555';
  it('detects the delimiter and picks a column by name or index', () => {
    expect(detectDelimiter(table)).toBe(';');
    expect(detectDelimiter('a\tb\tc\n1,2')).toBe('\t');
    expect(csvColumn(table, 'e-mail')).toEqual({ columns: ['ID', 'E-mail', 'Phone'], values: ['a@x.org', 'b;c@x.org', 'd@x.org'] });
    expect(csvColumn(table, 2).values).toEqual(['+41 44', '', '555']);
    expect(csvColumn('x\ny', 0, { header: false })).toEqual({ columns: ['1'], values: ['x', 'y'] });
  });

  it('rejects an unknown column with INVALID_ARGUMENT naming the columns', () => {
    expect(() => csvColumn(table, 'fax')).toThrow(MpcError);
    expect(() => csvColumn(table, 7)).toThrow(/columns: "ID", "E-mail", "Phone"/);
  });
});

describe('toCsv', () => {
  it('quotes only what needs it and parses back to the same rows (property)', () => {
    expect(toCsv([['email'], ['a@x.org'], ['say "hi", ok']])).toBe('email\r\na@x.org\r\n"say ""hi"", ok"\r\n');
    fc.assert(
      fc.property(fc.array(fc.array(fc.string({ maxLength: 6 }), { minLength: 2, maxLength: 3 }), { maxLength: 5 }), (rows) => {
        expect(parseCsv(toCsv(rows))).toEqual(rows);
      }),
      { numRuns: 200 },
    );
  });
});
