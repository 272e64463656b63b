/**
 * A Node party (`parley join`, src/cli) in a room with two browsers (issue 16 part 2): it
 * joins by the link the host's tab shows, shows the same safety code as the tabs, and the
 * three compute a median together that all of them print and that equals the plaintext
 * oracle. The Node party reads its values from a CSV column, as a data team would.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { closeAll, enterAndReady, openRoom, readResult } from './parties';

const BIN = fileURLToPath(new URL('../src/cli/parley.mjs', import.meta.url));

test('one Node party and two browsers compute a median and agree', async ({ browser }) => {
  test.setTimeout(180_000);
  const { parties } = await openRoom(browser, 2, 'median');
  const [host, guest] = parties;
  const link = ((await host.page.getByTestId('room-link').textContent()) ?? '').trim();

  const dir = mkdtempSync(join(tmpdir(), 'parley-e2e-cli-'));
  const csv = join(dir, 'patients.csv');
  const nodeValues = [118, 141.5, 127, 160];
  writeFileSync(csv, `id,systolic_bp,age\n${nodeValues.map((v, i) => `${i + 1},${v},${40 + i}`).join('\n')}\n`);
  const child = spawn(process.execPath, [BIN, 'join', link, '--csv', csv, '--column', 'systolic_bp', '--ready', '--name', 'Pipeline', '--computation', 'median'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
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
    const lastCode = () => [...stderr.matchAll(/safety code: ([a-z]+(?: [a-z]+){5}) {2}/gi)].at(-1)?.[1];
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
    expect(await exited, stderr).toBe(0);
    const fromNode = JSON.parse(stdout) as { computation: string; value: number };
    expect(a).toEqual({ computation: 'median', value: oracle });
    expect(b).toEqual(a);
    expect({ computation: fromNode.computation, value: fromNode.value }).toEqual(a);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    await closeAll(parties);
  }
});
