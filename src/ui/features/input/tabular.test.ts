import { describe, expect, it } from 'vitest';
import { allCellsText, columnText, pastedCsv, pastedTable, tableFromText } from './tabular';
import { parseValues } from '../room/parse-values';

const schema = { decimals: 2, maxAbs: 1e12, maxLength: 1e5 };

describe('tables from CSV and pasted ranges', () => {
  it('finds the header and the numeric columns of a CSV, quoted thousands included', () => {
    const t = tableFromText('\uFEFFname,salary,bonus\r\nAlice,"52,000.50",10\r\nBob,"48,250.00",\r\n', 'pay.csv');
    expect(t.hasHeader).toBe(true);
    expect(t.rows).toBe(2);
    expect(t.columns.map((c) => [c.name, c.numeric])).toEqual([['name', false], ['salary', true], ['bonus', true]]);
    const r = parseValues(columnText(t.columns[1]), schema);
    expect(r.ok && r.values).toEqual(['52000.5', '48250']);
    expect(t.columns[2].cells).toEqual(['10']); // blank cells are skipped
  });

  it('reads a semicolon CSV with decimal commas (European export)', () => {
    const t = tableFromText('Wert;Anzahl\n1.250,50;3\n2,5;4\n', 'de.csv');
    const r = parseValues(columnText(t.columns[0]), schema);
    expect(r.ok && r.values).toEqual(['1250.5', '2.5']);
  });

  it('names columns A, B, ... without a header', () => {
    const t = tableFromText('1,2\n3,4\n', 'x.csv');
    expect(t.hasHeader).toBe(false);
    expect(t.columns.map((c) => c.name)).toEqual(['Column A', 'Column B']);
    expect(allCellsText(t)).toBe('1\n2\n3\n4');
  });

  it('treats tab-separated pastes with two columns as a table, other text not', () => {
    expect(pastedTable('1\n2\n3')).toBeUndefined();
    expect(pastedTable('1 2 3')).toBeUndefined();
    expect(pastedTable('4\t\n5\t')).toBeUndefined();
    const t = pastedTable('Region\tSales\nNorth\t1,250\nSouth\t3,400\n');
    expect(t?.columns.map((c) => [c.name, c.numeric, c.cells.length])).toEqual([['Region', false, 2], ['Sales', true, 2]]);
  });

  it('offers pasted CSV text with a header as a table; plain comma rows stay text', () => {
    expect(pastedCsv('1,2\n3,4')).toBeUndefined();
    expect(pastedCsv('name,salary')).toBeUndefined();
    const t = pastedCsv('name,salary\nAlice,52000\nBob,"1,250.50"\n');
    expect(t?.columns.map((c) => [c.name, c.numeric])).toEqual([['name', false], ['salary', true]]);
    expect(t && columnText(t.columns[1])).toBe('52000\n1,250.50');
  });
});
