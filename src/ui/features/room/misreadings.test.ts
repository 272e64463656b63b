/**
 * Issue 18, "misreadings that must never pass silently": each case below was read wrongly
 * with a green check mark before (values in the comments), and must now be read as meant,
 * refused with a message, or flagged with a warning that keeps Ready disabled until the
 * person confirms.
 */
import { describe, expect, it } from 'vitest';
import { parseValues, type ParseResult } from './parse-values';
import { boundsAdvice, readPrivateInput } from './private-input';
import { defaultSpec } from './spec-defaults';
import { readBackValues } from './read-back';
import { columnText, declaredColumn, describeColumnUse, noNumbersReason, pastedCsv, pastedTable, pickColumn, tableFromText } from '../input/tabular';

const schema = { decimals: 2, maxAbs: 1e12, maxLength: 100_000 };
const read = (text: string): ParseResult => parseValues(text, schema);
const values = (text: string) => {
  const r = read(text);
  return r.ok ? r.values : r.error;
};
const warnings = (text: string) => {
  const r = read(text);
  return r.ok ? (r.notes ?? []).filter((n) => n.warning).map((n) => n.text) : [];
};

describe('pasted spreadsheet column with its header (was 68 and 250.75)', () => {
  it('skips a header row with a note and never splits a cell at its thousands separator', () => {
    const r = read('Salary\n68,250.75');
    expect(r.ok && r.values).toEqual(['68250.75']);
    expect(r.ok && r.notes?.find((n) => n.rule === 'header')?.text).toMatch(/“Salary” is a header: skipped/);
    expect(values('Salary\n68,250.75\n72,000.00\n79,500.50')).toEqual(['68250.75', '72000', '79500.5']);
    // Pasted, it is a column of values (one per line), not comma-separated CSV.
    expect(pastedCsv('Salary\n68,250.75')).toBeUndefined();
    expect(pastedTable('Salary\n68,250.75')).toBeUndefined();
  });

  it('still refuses a word among numbers that is not a first-row header', () => {
    expect(values('12\nabc\n13')).toMatch(/"abc" is not a number/);
  });
});

describe('currency and grouping (was 72.00; 72 and 0; 79 and 500; 85.00 and 0.50)', () => {
  it('reads a currency amount as one value', () => {
    expect(values('€72,000')).toEqual(['72000']);
    expect(values('85 000,50 €')).toEqual(['85000.5']);
    expect(values('79 500 €')).toEqual(['79500']);
    expect(values('€1 250,50\n€980,00')).toEqual(['1250.5', '980']);
  });

  it('refuses "79 500" (one number or two?) with a message that says how to write it', () => {
    expect(values('79 500')).toMatch(/"79 500" could be one number \(79500\) or two \(79 and 500\)/);
    // Plain lists keep working.
    expect(values('1 2 3')).toEqual(['1', '2', '3']);
    expect(values('52 7 1000')).toEqual(['52', '7', '1000']);
    // Value–weight pairs, one per line, are pairs.
    const pairs = readPrivateInput('75 100\n80 250', defaultSpec('weighted-mean'));
    expect(pairs.ok && [pairs.values, pairs.weights]).toEqual([['75', '80'], ['100', '250']]);
  });

  it('flags "€72.000" as a warning (it changes the magnitude) instead of a silent 72', () => {
    expect(warnings('€72.000').join(' ')).toMatch(/€72\.000 as 72\b/);
    expect(warnings('1.250').length).toBe(1);
    // A harmless note (thousands in a self-describing number) is not a warning.
    expect(warnings('1,250.50')).toEqual([]);
  });

  it('keeps Ready disabled for a warned input until the person confirms it', () => {
    const spec = defaultSpec('median');
    const r = readPrivateInput('€72.000\n68,250.75\n79,500.00', spec);
    expect(r.ok && r.confirm).toBeTruthy();
    const plain = readPrivateInput('72000\n68250.75\n79500', spec);
    expect(plain.ok && plain.confirm).toBeFalsy();
  });

  it('flags a value far outside the spread of the others in the same list', () => {
    const spec = defaultSpec('median');
    const flagged = readPrivateInput('68250\n72\n79500\n71000', spec);
    expect(flagged.ok && flagged.confirm?.join(' ')).toMatch(/72 is far from your other values/);
    const fine = readPrivateInput('68250\n72000\n79500\n71000', spec);
    expect(fine.ok && fine.confirm).toBeFalsy();
  });
});

describe('bounds (was: ±1,000,000,000 by default, so "€72.000" read as 72 went in)', () => {
  const salaries = (lower: string, upper: string) => ({ ...defaultSpec('median'), decimals: 2, lower, upper });

  it('says a value outside the bounds with the bounds grouped by thousands (was “between 10000 and 1000000”)', () => {
    const r = readPrivateInput('72', salaries('10000', '1000000'));
    expect(r).toEqual({ ok: false, error: 'Expected the value between 10,000 and 1,000,000, got 72.' });
    const wide = readPrivateInput('-2000000000.5', salaries('-1000000000', '1000000000'));
    expect(!wide.ok && wide.error).toBe('Expected the value between −1,000,000,000 and 1,000,000,000, got −2,000,000,000.5.');
  });

  it('guides the host to tight bounds while they are left wide', () => {
    expect(boundsAdvice(defaultSpec('median') as { lower: string; upper: string })).toMatch(/a lowest value of 10,000 would have caught “€72.000” read as 72/);
    expect(boundsAdvice(salaries('10000', '1000000'))).toBeUndefined();
  });

  it('refuses “€72.000” read as 72 when the host set a lower bound of 10,000', () => {
    const r = readPrivateInput('72', salaries('10000', '1000000'));
    expect(r.ok).toBe(false);
  });

  it('flags a single value far below the range the host declared, keeping Ready until confirmed', () => {
    const r = readPrivateInput('72', salaries('0', '1000000'));
    expect(r.ok && r.confirm?.join(' ')).toMatch(/72 is far below the range the host set for this room \(0 to 1,000,000\)/);
    expect(readPrivateInput('72000', salaries('0', '1000000'))).toMatchObject({ ok: true });
    expect((readPrivateInput('72000', salaries('0', '1000000')) as { confirm?: string[] }).confirm).toBeUndefined();
    // The wide default says nothing about sizes: no warning there (no false alarms).
    expect((readPrivateInput('72', defaultSpec('median')) as { confirm?: string[] }).confirm).toBeUndefined();
  });
});

describe('CSV columns with missing cells (was: another column used silently)', () => {
  const csv = 'id,age,bp\n1,50,120\n2,61,NA\n3,,130\n4,70,n/a\n5,44,.\n';

  it('counts NA, N/A, NaN, null, "-", "." and blanks as missing, per column', () => {
    const t = tableFromText(csv, 'h.csv');
    const bp = t.columns.find((c) => c.name === 'bp')!;
    expect(bp.numeric).toBe(true);
    expect(bp.cells).toEqual(['120', '130']);
    expect(describeColumnUse(t, t.columns.indexOf(bp))).toBe('2 of 5 rows used: 3 missing (NA, n/a, .)');
    const age = t.columns.find((c) => c.name === 'age')!;
    expect(describeColumnUse(t, t.columns.indexOf(age))).toBe('4 of 5 rows used: 1 blank');
    const t2 = tableFromText('a\n1\nNaN\nnull\n-\n2\n', 'x.csv');
    expect(t2.columns[0].cells).toEqual(['1', '2']);
  });

  it('never picks a column for the person when several hold numbers, unless the header matches', () => {
    const t = tableFromText(csv, 'h.csv');
    expect(pickColumn(t)).toBeUndefined();
    expect(pickColumn(t, 'BP')).toBe(2);
    expect(pickColumn(tableFromText('name,bp\nA,120\nB,NA\n', 'one.csv'))).toBe(1);
  });

  it('says why a file has no column of numbers', () => {
    const t = tableFromText('name,bp\nA,NA\nB,NA\n', 'h.csv');
    expect(noNumbersReason(t)).toMatch(/every cell of “bp” is missing \(NA\)/);
    const t2 = tableFromText('name,bp\nA,120\nB,high\n', 'h.csv');
    expect(noNumbersReason(t2)).toMatch(/“high” in “bp” \(row 3\) is not a number/);
  });

  it('matches the header to the column the room declared, and never falls back to another one', () => {
    // The room declared "systolic_bp"; this hospital's file has it with NA cells, beside a
    // clean numeric "age" column that the old reader used instead.
    const t = tableFromText('id,age, Systolic_BP \n1,50,120\n2,61,NA\n3,70,130\n', 'h2.csv');
    const use = declaredColumn(t, 'systolic_bp');
    expect(use).toEqual({ index: 2 });
    expect(columnText(t.columns[2])).toBe('120\n130');
    const other = tableFromText('id,age,sbp\n1,50,120\n', 'h3.csv');
    expect(declaredColumn(other, 'systolic_bp')).toEqual({ note: 'This room uses the column “systolic_bp”, and h3.csv has no column of that name: choose the column that holds it.' });
  });

  it('keeps the column it was given when its cells read only with missing values skipped', () => {
    const t = tableFromText(csv, 'h.csv');
    expect(columnText(t.columns[2])).toBe('120\n130');
  });
});

describe('item lists: pick the column whose cells match the kind (was: the name column)', () => {
  it('recognises a name,email header and picks the e-mail column', () => {
    const t = tableFromText('name,email\nAlice,alice@example.org\nBob,bob@example.org\n', 'list.csv', { itemKind: 'email' });
    expect(t.hasHeader).toBe(true);
    expect(pickColumn(t, undefined, 'email')).toBe(1);
    const r = readPrivateInput(columnText(t.columns[1]), { kind: 'psi', itemKind: 'email' });
    expect(r.ok && r.count).toBe(2);
  });
});

describe('honest units (issue 18: “the unit typed by one participant never shown only in that tab”)', () => {
  it('reads back each value with the unit typed with it, and no other', () => {
    // Was "€72 · €70,000": the € of the first line was put on every value.
    const r = read('€72\n70000');
    expect(r.ok && readBackValues(r, 0, 6)).toEqual(['€72', '70,000']);
    const money = read('-$5\n$7.25\n3');
    expect(money.ok && readBackValues(money, 2, 6)).toEqual(['−$5.00', '$7.25', '3.00']);
    const pct = read('50%\n7');
    expect(pct.ok && readBackValues(pct, 0, 6)).toEqual(['50%', '7']);
    // Plain numbers carry no units at all.
    expect(read('1\n2')).not.toHaveProperty('units');
  });

  it('says truthfully that no result shows the unit, and warns about units that differ', () => {
    const r = read('€72000');
    // Was: "“€” is kept as the unit for showing results" while no result showed it.
    expect(r.ok && r.notes?.find((n) => n.rule === 'unit')?.text).toBe('“€” is not part of the value: only the numbers are used, and results show no unit in any tab.');
    expect(r.ok && r.notes?.some((n) => /kept|showing results/.test(n.text))).toBe(false);
    // € and $ in one list are not converted: a warning to confirm before Ready.
    expect(warnings('€72000\n$70000')).toEqual(['Your values carry different units (€, $): they are not converted, only the numbers are used.']);
    expect(warnings('€72000\n70000')).toEqual([]);
  });
});
