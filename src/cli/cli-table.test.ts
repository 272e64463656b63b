/**
 * Issue 16 part 2 for tables: `parley host` and `parley join --csv FILE` (child processes,
 * real signaling server, real WebRTC) run a cross-tab and a linear regression over two
 * participants' CSV files, and both print the result the plaintext oracle computes over the
 * rows pooled. The guest's file names a column differently (`--map`) and has rows with a
 * blank or unreadable cell, which are skipped and counted in the read-back (the browser's
 * wording). Bad tables end with exit 3 (or 2 for a bad command line) and a message that
 * says which option fixes it.
 */
import { describe, expect, it } from 'vitest';
import { EXIT } from './exit-codes.ts';
import { parleyHarness } from './parley-process.test-helpers.ts';

const { parley, file, origin } = parleyHarness('parley-cli-table-');

interface Row {
  sex: 'F' | 'M';
  age: number;
  bmi: number;
  /** Tenths of mmHg (one decimal in the schema), so the oracle's sums are exact. */
  bp10: number;
}

/** Deterministic rows (a small LCG): bp depends on age and bmi plus noise. */
function rows(seed: number, n: number): Row[] {
  let x = seed;
  const rnd = () => ((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  return Array.from({ length: n }, () => {
    const age = 20 + Math.floor(rnd() * 60);
    const bmi = 18 + Math.floor(rnd() * 20);
    const bp10 = Math.round((90 + 0.5 * age + 0.8 * bmi + (rnd() - 0.5) * 10) * 10);
    return { sex: rnd() < 0.5 ? 'F' : 'M', age, bmi, bp10 };
  });
}

const SCHEMA = 'sex: category F, M\nage: number 0..120\nbmi: number 10..60\nbp: number 60..260 decimals 1';
const csv = (header: string, rs: Row[], extra: string[] = []) => [header, ...rs.map((r) => `${r.sex},${r.age},${r.bmi},${(r.bp10 / 10).toFixed(1)}`), ...extra].join('\n');

function crosstabOracle(all: Row[]) {
  return (['F', 'M'] as const).map((sex) => {
    const g = all.filter((r) => r.sex === sex);
    const sum10 = g.reduce((a, r) => a + r.bp10, 0);
    return { sex, count: g.length, sum: sum10 / 10, mean: sum10 / 10 / g.length };
  });
}

/** Least squares of bp on age and bmi: the 2×2 normal equations of the centred data. */
function regressionOracle(all: Row[]) {
  const n = all.length;
  const m = (f: (r: Row) => number) => all.reduce((a, r) => a + f(r), 0) / n;
  const [ma, mb, my] = [m((r) => r.age), m((r) => r.bmi), m((r) => r.bp10 / 10)];
  const s = (f: (r: Row) => number, g: (r: Row) => number, mf: number, mg: number) => all.reduce((a, r) => a + (f(r) - mf) * (g(r) - mg), 0);
  const age = (r: Row) => r.age;
  const bmi = (r: Row) => r.bmi;
  const y = (r: Row) => r.bp10 / 10;
  const [saa, sab, sbb, say, sby, syy] = [s(age, age, ma, ma), s(age, bmi, ma, mb), s(bmi, bmi, mb, mb), s(age, y, ma, my), s(bmi, y, mb, my), s(y, y, my, my)];
  const det = saa * sbb - sab * sab;
  const ba = (sbb * say - sab * sby) / det;
  const bb = (saa * sby - sab * say) / det;
  const sse = syy - ba * say - bb * sby;
  return { n, intercept: my - ba * ma - bb * mb, age: ba, bmi: bb, r2: 1 - sse / syy };
}

const hostRows = rows(7, 40);
const guestRows = rows(99, 35);
const hostCsv = () => file('host.csv', csv('sex,age,bmi,bp', hostRows));
// The guest's export (a European spreadsheet: semicolons, decimal commas) calls bp "SBP (mmHg)",
// lists the columns in another order and has two rows the reader must skip (a blank bp, an unreadable age).
const guestCsv = () =>
  file('guest.csv', ['bmi;SBP (mmHg);sex;age', ...guestRows.map((r) => `${r.bmi};${(r.bp10 / 10).toFixed(1).replace('.', ',')};${r.sex};${r.age}`), '25;;F;50', '30;120,5;M;old'].join('\n'));

async function runPair(kind: string, spec: Record<string, string>, guestUsed: number, hostArgs: string[] = []) {
  const host = parley(['host', '--server', origin(), '--computation', kind, '--spec', JSON.stringify({ columns: SCHEMA, ...spec }), '--csv', hostCsv(), '--name', 'Ann', ...hostArgs]);
  const [, link] = await host.waitFor(/Room link: (\S+)/);
  const guest = parley(['join', link, '--csv', guestCsv(), '--map', 'bp=SBP (mmHg)', '--ready', '--name', 'Ben', '--computation', kind]);
  const [h, g] = await Promise.all([host.done, guest.done]);
  expect(h.code, h.stderr).toBe(EXIT.OK);
  expect(g.code, g.stderr).toBe(EXIT.OK);
  // The read-back, in the table card's words: 37 rows, those with a needed cell blank or unreadable skipped.
  expect(g.stderr).toContain(`Your table: 37 rows read; ${guestUsed} used for this computation (${37 - guestUsed} skipped: a needed cell is missing or unreadable).`);
  expect(g.stderr).toContain('bp (from "SBP (mmHg)"): 36 of 37 rows readable; 1 blank (row 37)');
  expect(h.stderr).toContain('Your table: 40 rows read; 40 used for this computation.');
  return { host: JSON.parse(h.stdout) as Record<string, unknown>, guest: JSON.parse(g.stdout) as Record<string, unknown>, stderr: g.stderr };
}

describe('parley host / join --csv: table computations over WebRTC', { timeout: 300_000 }, () => {
  it('cross-tab of bp by sex equals the oracle over both files pooled', async () => {
    // The crosstab needs sex and bp only: the row with an unreadable age counts (M, 120.5).
    const r = await runPair('crosstab', { 'group-by': 'sex', value: 'bp' }, 36);
    expect(r.stderr).toMatch(/Only you see these counts: how many rows you use stays secret/);
    expect(r.stderr).toContain('  protection: strict'); // the default since issue 11, printed as the browser shows it
    expect(r.guest).toEqual(r.host);
    const want = crosstabOracle([...hostRows, ...guestRows, { sex: 'M', age: Number.NaN, bmi: 30, bp10: 1205 }]);
    const got = r.host as { computation: string; value: { group: { sex: string }; count: number; sum: number; mean: number }[] };
    expect(got.computation).toBe('crosstab');
    expect(got.value.map((c) => c.group.sex)).toEqual(['F', 'M']);
    got.value.forEach((c, i) => {
      expect(c.count).toBe(want[i].count);
      expect(c.sum).toBeCloseTo(want[i].sum, 6);
      expect(Math.abs(c.mean - want[i].mean)).toBeLessThanOrEqual(0.01);
    });
  });

  it('regression of bp on age and bmi equals the least-squares oracle', async () => {
    // Fast on purpose: a strict regression of these 75 rows takes over 5 minutes on a 2-core
    // machine (issue 11 note); strict tables are checked against the oracle at small sizes in
    // src/core/computations/strict.test.ts. This also exercises the host's --protection.
    const r = await runPair('regression', { target: 'bp', features: 'age, bmi' }, 35, ['--protection', 'fast']);
    expect(r.stderr).toContain('  protection: fast');
    expect(r.guest).toEqual(r.host);
    const want = regressionOracle([...hostRows, ...guestRows]);
    const got = (r.host as { value: { intercept: number; coefficients: Record<string, number>; r2: number; n: number } }).value;
    expect(got.n).toBe(want.n);
    expect(Math.abs(got.coefficients.age - want.age)).toBeLessThanOrEqual(1e-3 * Math.abs(want.age) + 2e-4);
    expect(Math.abs(got.coefficients.bmi - want.bmi)).toBeLessThanOrEqual(1e-3 * Math.abs(want.bmi) + 2e-4);
    expect(Math.abs(got.intercept - want.intercept)).toBeLessThanOrEqual(1e-3 * Math.abs(want.intercept) + 0.05);
    expect(Math.abs(got.r2 - want.r2)).toBeLessThanOrEqual(1.5e-3);
  });

  it('model evaluation (issue 13 kinds through the same --csv path): confusion matrix and ROC-AUC equal the oracle', async () => {
    // Scores on a 0.05 grid (ties are common); label depends on the score plus noise.
    const preds = (seed: number, n: number) => {
      let x = seed;
      const rnd = () => ((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
      return Array.from({ length: n }, () => {
        const score = Math.round(rnd() * 20) / 20;
        return { score, label: rnd() < 0.2 + 0.6 * score ? 1 : 0 };
      });
    };
    const [a, b] = [preds(3, 40), preds(11, 30)];
    const table = (header: string, ps: { score: number; label: number }[]) => [header, ...ps.map((p) => (header.startsWith('score') ? `${p.score.toFixed(2)},${p.label ? 'yes' : 'no'}` : `${p.label ? 'yes' : 'no'},${p.score.toFixed(2)}`))].join('\n');
    const spec = { columns: 'score: number 0..1 decimals 2\nlabel: yes/no', target: 'label', score: 'score', threshold: '0.55', metrics: 'n, confusion, auc' };
    // Fast on purpose, as the regression above: strict evaluation of 70 rows is minutes here.
    const host = parley(['host', '--server', origin(), '--computation', 'evaluate', '--spec', JSON.stringify(spec), '--csv', file('eval-a.csv', table('score,label', a)), '--name', 'Ann', '--protection', 'fast']);
    const [, link] = await host.waitFor(/Room link: (\S+)/);
    const guest = parley(['join', link, '--csv', file('eval-b.csv', table('label,score', b)), '--ready', '--name', 'Ben', '--computation', 'evaluate']);
    const [h, g] = await Promise.all([host.done, guest.done]);
    expect(h.code, h.stderr).toBe(EXIT.OK);
    expect(g.code, g.stderr).toBe(EXIT.OK);
    expect(g.stdout).toBe(h.stdout);
    const all = [...a, ...b];
    const pos = all.filter((p) => p.label === 1);
    const neg = all.filter((p) => p.label === 0);
    // ROC-AUC = P(score of a positive > score of a negative) + ½ P(tie)
    let wins = 0;
    for (const p of pos) for (const q of neg) wins += p.score > q.score ? 1 : p.score === q.score ? 0.5 : 0;
    const auc = wins / (pos.length * neg.length);
    expect(auc).toBeGreaterThan(0.6); // not a degenerate oracle
    const at = (p: { score: number }) => p.score >= 0.55;
    const want = { tp: pos.filter(at).length, fp: neg.filter(at).length, tn: neg.filter((p) => !at(p)).length, fn: pos.filter((p) => !at(p)).length };
    const got = (JSON.parse(h.stdout) as { value: { n: number; auc: number; confusion: typeof want } }).value;
    expect(got.n).toBe(all.length);
    expect(got.confusion).toEqual(want);
    expect(Math.abs(got.auc - auc)).toBeLessThan(1e-6);
  });

  it('a table that does not fit ends with exit 3 (2 for a bad --map) and says how to fix it', async () => {
    const host = parley(['host', '--server', origin(), '--computation', 'crosstab', '--spec', JSON.stringify({ columns: SCHEMA, 'group-by': 'sex', value: 'bp' }), '--csv', hostCsv()]);
    const [, link] = await host.waitFor(/Room link: (\S+)/);
    const cases: [string[], number, RegExp][] = [
      // bp is not matched by any header and no --map: the message names the option and the file's columns.
      [['--csv', guestCsv()], EXIT.INPUT, /no column.*bp[\s\S]*--map COLUMN=HEADER[\s\S]*"SBP \(mmHg\)"/i],
      [['--csv', guestCsv(), '--map', 'bp=systolic'], EXIT.USAGE, /--map bp=systolic: .* has no column "systolic"\. Its columns: "bmi", "SBP \(mmHg\)", "sex", "age"/],
      [['--csv', guestCsv(), '--map', 'pressure=SBP (mmHg)'], EXIT.INPUT, /--map names "pressure", but the host's table has no such column/],
      [['--csv', hostCsv(), '--column', 'bp'], EXIT.INPUT, /crosstab takes a whole table: give --csv FILE without --column/],
      [['--csv', file('header.csv', 'sex,age,bmi,bp\n')], EXIT.INPUT, /header row and at least one row of data/],
    ];
    const results = await Promise.all(cases.map(([args]) => parley(['join', link, ...args, '--ready']).done));
    for (const [i, [args, code, message]] of cases.entries()) {
      expect(results[i].code, `${args.join(' ')}\n${results[i].stderr}`).toBe(code);
      expect(results[i].stderr, args.join(' ')).toMatch(message);
      expect(results[i].stdout).toBe('');
    }
    host.child.kill('SIGTERM');
    const h = await host.done;
    expect(h.code, `signal ${h.signal}\n${h.stderr}`).toBe(EXIT.INTERRUPTED);
  });

  it('a list kind refuses a whole table with the option that fixes it', async () => {
    const host = parley(['host', '--server', origin(), '--computation', 'median', '--value', '120']);
    const [, link] = await host.waitFor(/Room link: (\S+)/);
    const g = await parley(['join', link, '--csv', hostCsv(), '--ready']).done;
    expect(g.code, g.stderr).toBe(EXIT.INPUT);
    expect(g.stderr).toMatch(/median takes one list of numbers or items, not a whole table: add --column NAME/);
    host.child.kill('SIGTERM');
    await host.done;
  });
});
