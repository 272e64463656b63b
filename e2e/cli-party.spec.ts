/**
 * A Node party (`parley join`, src/cli) in a room with two browsers (issue 16 part 2): it
 * joins by the link the host's tab shows, shows the same safety code as the tabs, and the
 * three compute a median together that all of them print and that equals the plaintext
 * oracle. The Node party reads its values from a CSV column, as a data team would.
 * And a table: a browser host and a Node party (`--csv FILE --map`, the whole file) run a
 * cross-tab whose result, in the tab and on the Node party's stdout, equals the oracle.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { closeAll, enterAndReady, openRoom, readResult } from './parties';

const BIN = fileURLToPath(new URL('../src/cli/parley.mjs', import.meta.url));

/** `parley join …` as a child process: its output so far, and its exit code once it ends. */
function nodeParty(args: string[]) {
  const child = spawn(process.execPath, [BIN, 'join', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const out = { stdout: '', stderr: '' };
  child.stdout.on('data', (d: Buffer) => (out.stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out.stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { child, out, exited, kill: () => child.exitCode === null && child.kill('SIGKILL') };
}

test('one Node party and two browsers compute a median and agree', async ({ browser }) => {
  test.setTimeout(180_000);
  const { parties } = await openRoom(browser, 2, 'median');
  const [host, guest] = parties;
  const link = ((await host.page.getByTestId('room-link').textContent()) ?? '').trim();

  const dir = mkdtempSync(join(tmpdir(), 'parley-e2e-cli-'));
  const csv = join(dir, 'patients.csv');
  const nodeValues = [118, 141.5, 127, 160];
  writeFileSync(csv, `id,systolic_bp,age\n${nodeValues.map((v, i) => `${i + 1},${v},${40 + i}`).join('\n')}\n`);
  const node = nodeParty([link, '--csv', csv, '--column', 'systolic_bp', '--ready', '--name', 'Pipeline', '--computation', 'median']);
  const { exited, out } = node;
  try {
    for (const p of parties) {
      await expect(p.page.getByTestId('participant')).toHaveCount(3, { timeout: 60_000 });
      await expect(p.page.locator('[data-testid="participant"][data-state="connecting"]')).toHaveCount(0, { timeout: 60_000 });
      await expect(p.page.getByTestId('participant').filter({ hasText: 'Pipeline' })).toHaveCount(1);
    }
    // The terminal shows the words the tabs show (the same set of identity keys).
    await expect(host.page.getByTestId('safety-code')).toHaveText(/^\s*\w+( \w+){5}\s*$/);
    const code = ((await host.page.getByTestId('safety-code').textContent()) ?? '').trim();
    await expect(guest.page.getByTestId('safety-code')).toHaveText(code);
    const lastCode = () => [...out.stderr.matchAll(/safety code: ([a-z]+(?: [a-z]+){5}) {2}/gi)].at(-1)?.[1];
    await expect.poll(lastCode, { timeout: 30_000 }).toBe(code);

    const hostValues = [122, 135.25];
    const guestValues = [150, 119, 133];
    await enterAndReady(host, hostValues.join('\n'));
    await enterAndReady(guest, guestValues.join('\n'));
    // The Node party was ready as soon as its input fit (--ready): everyone shows ready.
    await expect(host.page.locator('[data-testid="participant"][data-state="ready"]')).toHaveCount(3, { timeout: 30_000 });
    await host.page.getByTestId('start').click();

    const all = [...hostValues, ...guestValues, ...nodeValues].sort((a, b) => a - b);
    const oracle = all[Math.floor((all.length - 1) / 2)]; // the lower median (DESIGN: always a real input)
    const [a, b] = await Promise.all([readResult(host), readResult(guest)]);
    expect(await exited, out.stderr).toBe(0);
    const fromNode = JSON.parse(out.stdout) as { computation: string; value: number };
    expect(a).toEqual({ computation: 'median', value: oracle });
    expect(b).toEqual(a);
    expect({ computation: fromNode.computation, value: fromNode.value }).toEqual(a);
  } finally {
    node.kill();
    await closeAll(parties);
  }
});

test('a browser host and a Node party (--csv, --map) run a cross-tab that equals the oracle', async ({ browser }) => {
  test.setTimeout(240_000);
  const { parties } = await openRoom(browser, 1, 'crosstab');
  const [host] = parties;
  const page = host.page;
  await page.getByTestId('spec-columns').fill('sex: category F, M\nsystolic_bp: number 60..260 decimals 1');
  await page.getByTestId('spec-group-by').fill('sex');
  await page.getByTestId('spec-value').fill('systolic_bp');
  await expect(page.getByTestId('spec-error')).toHaveCount(0);
  const link = ((await page.getByTestId('room-link').textContent()) ?? '').trim();

  const tab = [['F', 121.5], ['M', 140], ['F', 133]] as const;
  // The pipeline's export calls the column "SBP" and has a row with it blank (skipped, counted).
  const mine = [['M', 150.5], ['M', 128], ['F', 117.5]] as const;
  const dir = mkdtempSync(join(tmpdir(), 'parley-e2e-cli-table-'));
  const csv = join(dir, 'clinic.csv');
  writeFileSync(csv, `id,sex,SBP\n${mine.map(([s, v], i) => `${i + 1},${s},${v}`).join('\n')}\n9,F,\n`);
  const node = nodeParty([link, '--csv', csv, '--map', 'systolic_bp=SBP', '--ready', '--name', 'Pipeline', '--computation', 'crosstab']);
  try {
    await expect(page.getByTestId('participant')).toHaveCount(2, { timeout: 60_000 });
    await expect.poll(() => node.out.stderr, { timeout: 60_000 }).toContain('Your table: 4 rows read; 3 used for this computation (1 skipped: a needed cell is missing or unreadable).');
    expect(node.out.stderr).toContain('systolic_bp (from "SBP"): 3 of 4 rows readable; 1 blank (row 5)');
    await page.getByTestId('private-input').fill(`sex,systolic_bp\n${tab.map(([s, v]) => `${s},${v}`).join('\n')}\n`);
    await expect(page.getByTestId('table-rows')).toHaveAttribute('data-used', '3');
    await page.getByTestId('ready').click();
    await expect(page.locator('[data-testid="participant"][data-state="ready"]')).toHaveCount(2, { timeout: 30_000 });
    await page.getByTestId('start').click();

    const rows = [...tab, ...mine];
    const oracle = ['F', 'M'].map((sex) => {
      const vs = rows.filter(([s]) => s === sex).map(([, v]) => Math.round(v * 10));
      const sum = vs.reduce((a, v) => a + v, 0) / 10;
      return { group: { sex }, count: vs.length, sum, mean: sum / vs.length };
    });
    const result = page.locator(`[data-testid="result"][data-result*='"computation":"crosstab"']`);
    await expect(result).toBeVisible({ timeout: 120_000 });
    const inTab = JSON.parse((await result.getAttribute('data-result')) ?? 'null') as { value: { group: { sex: string }; count: number; sum: number; mean: number }[] };
    expect(await node.exited, node.out.stderr).toBe(0);
    const fromNode = JSON.parse(node.out.stdout) as typeof inTab;
    expect(fromNode.value).toEqual(inTab.value);
    inTab.value.forEach((c, i) => {
      expect(c.group).toEqual(oracle[i].group);
      expect(c.count).toBe(oracle[i].count);
      expect(c.sum).toBeCloseTo(oracle[i].sum, 6);
      expect(Math.abs(c.mean - oracle[i].mean)).toBeLessThanOrEqual(0.0005 + 1e-9);
    });
  } finally {
    node.kill();
    await closeAll(parties);
  }
});
