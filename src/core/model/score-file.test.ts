// "Score my file" and the model JSON validator: known answers computed by hand from the
// model's weights, and the refusals a wrong file gets.
import { describe, expect, it } from 'vitest';
import { parseModelJson, scoreCsv } from './score-file.ts';
import { parseSchemaText } from '../table/schema.ts';
import { readModelTable } from './model-input.ts';
import { parseModelSpec } from './model-spec.ts';

const model = {
  type: 'logistic-regression', target: 'outcome', positive: 'yes',
  features: [{ name: 'age', center: 50, scale: 30 }, { name: 'bp', center: 140, scale: 60 }],
  weights: [0.5, 2, -1], intercept: 0, coefficients: {}, n: 10, iterations: 1, ridge: 0.001,
};

describe('score my file', () => {
  it('applies the weights to the scaled features, by header name, and appends p_yes', () => {
    const m = parseModelJson(JSON.stringify(model));
    const out = scoreCsv(m, 'id,BP,Age\n1,140,80\n2,,50\n3,200,20');
    const z = (age: number, bp: number) => 0.5 + 2 * ((age - 50) / 30) - 1 * ((bp - 140) / 60);
    expect(out.scores[0]).toBeCloseTo(1 / (1 + Math.exp(-z(80, 140))), 12);
    expect(out.scores[1]).toBeNull();
    expect(out.scores[2]).toBeCloseTo(1 / (1 + Math.exp(-z(20, 200))), 12);
    expect(out.skipped).toEqual([{ row: 3, reason: 'bp is blank or not a number' }]);
    expect(out.csv.split(/\r?\n/)[0]).toBe('id,BP,Age,p_yes');
  });
  it.each([
    ['{', 'not JSON'],
    [JSON.stringify({ ...model, type: 'mlp' }), 'not a Parley logistic-regression model'],
    [JSON.stringify({ ...model, weights: [1, 2] }), 'needs 3 numeric weights'],
    [JSON.stringify({ ...model, features: [{ name: 'age', center: 1, scale: 0 }] }), 'positive scale'],
  ])('refuses a bad model file %#', (text, message) => {
    expect(() => parseModelJson(text)).toThrow(message);
  });
  it('names a feature the file lacks', () => {
    expect(() => scoreCsv(parseModelJson(JSON.stringify(model)), 'age,weight\n1,2')).toThrow('no column bp');
  });
});

describe('model input', () => {
  const s = parseSchemaText('score: number 0..1 decimals 2\nlabel: yes/no');
  if (!s.ok) throw new Error('schema');
  const spec = parseModelSpec({ kind: 'evaluate', schema: s.schema, maxRows: 3, target: 'label', score: ['score'] });
  it('reads a CSV with the read-back and counts the rows used', () => {
    const r = readModelTable('score;label\n0,5;yes\n0,25;no\n;no', spec);
    expect(r.ok && r.used).toBe(2);
  });
  it('refuses more rows than the room allows, and a file with no usable row', () => {
    expect(readModelTable('score,label\n0.1,yes\n0.2,no\n0.3,no\n0.4,yes', spec)).toMatchObject({ ok: false, error: expect.stringContaining('at most 3') });
    expect(readModelTable('score,label\n,yes', spec)).toMatchObject({ ok: false, error: expect.stringContaining('No row') });
  });
});
