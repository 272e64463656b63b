// "Score my file" and the model JSON validator: known answers computed by hand from the
// model's weights, and the refusals a wrong file gets.
import { describe, expect, it } from 'vitest';
import { parseModelJson, scoreCsv, scoreCsvWith } from './score-file.ts';
import { predictMlp } from './fedavg.ts';
import { parseSchemaText } from '../table/schema.ts';
import { readModelTable } from './model-input.ts';
import { parseModelSpec } from './model-spec.ts';

const model = {
  type: 'logistic-regression', target: 'outcome', positive: 'yes',
  features: [{ name: 'age', center: 50, scale: 30 }, { name: 'bp', center: 140, scale: 60 }],
  weights: [0.5, 2, -1], intercept: 0, coefficients: {}, n: 10, iterations: 1, ridge: 0.001,
};

describe('score my file', () => {
  it('scores with any model: an MLP (one hidden unit, known weights) by header name, a blank row named', () => {
    // hidden h = relu(2·x − 1·y + 0.5) on x scaled by (x − 0)/10, y by (y − 5)/5; p = σ(3h − 1)
    const mlp = { features: [{ name: 'x', center: 0, scale: 10 }, { name: 'y', center: 5, scale: 5 }], hidden: 1, weights: [2, -1, 0.5, 3, -1] };
    const out = scoreCsvWith({ ...mlp, positive: 'yes' }, 'Y,X\n5,5\n,1\n10,-10', (x) => predictMlp(mlp, x));
    const p = (x: number, y: number) => 1 / (1 + Math.exp(-(3 * Math.max(0, 2 * (x / 10) - (y - 5) / 5 + 0.5) - 1)));
    expect(out.scores[0]).toBeCloseTo(p(5, 5), 12);
    expect(out.scores[1]).toBeNull();
    expect(out.scores[2]).toBeCloseTo(p(-10, 10), 12);
    expect(out.skipped).toEqual([{ row: 3, reason: 'y is blank or not a number' }]);
    expect(out.csv.split(/\r?\n/)[0]).toBe('Y,X,p_yes');
  });

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
