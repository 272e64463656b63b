/**
 * Issue 16 part 2, at its stated size: two Node parties (`parley host` and `parley join`,
 * child processes) over real WebRTC (@roamhq/wrtc) and the real signaling server (in this
 * process, on a free loopback port) compute the set intersection of 100,000 e-mail
 * addresses each, and each prints exactly its common items as a plaintext oracle says.
 * About 10–20 s on a quiet 2-core machine (PSI run ≈ 8.5 s, bench:cli); the limit is
 * generous for a loaded CI machine. Timing never decides the outcome: the test waits for
 * the processes to exit.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppServer, type AppServer } from '../../server/http.ts';
import { EXIT } from './exit-codes.ts';

const BIN = fileURLToPath(new URL('./parley.mjs', import.meta.url));
const M = 100_000;
const dir = mkdtempSync(join(tmpdir(), 'parley-cli-psi-'));
let server: AppServer;
let origin = '';
const children = new Set<ChildProcess>();

interface Exited {
  code: number | null;
  stdout: string;
  stderr: string;
}

function parley(args: string[]): { link(): Promise<string>; done: Promise<Exited> } {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let stdout = '';
  let stderr = '';
  let gotLink: (l: string) => void = () => undefined;
  const link = new Promise<string>((resolve) => (gotLink = resolve));
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
    const m = /Room link: (\S+)/.exec(stderr);
    if (m) gotLink(m[1]);
  });
  const done = new Promise<Exited>((resolve) =>
    child.on('exit', (code) => {
      children.delete(child);
      resolve({ code, stdout, stderr });
    }),
  );
  return { link: () => Promise.race([link, done.then((e) => Promise.reject(new Error(`parley exited before printing its room link:\n${e.stderr}`)))]), done };
}

beforeAll(async () => {
  server = await createAppServer({});
  origin = (await server.listen(0, '127.0.0.1')).replace(/\/$/, '');
});

afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await server.close();
});

describe('parley host / join at data-team scale', { timeout: 600_000 }, () => {
  it('two Node parties intersect 100,000 items each over WebRTC and print exactly the common ones', async () => {
    // a: user0…user99999; b: every 3rd of a's range plus items a does not have, in another
    // order: |a ∩ b| = 33,334. Deterministic (no randomness in the test's inputs).
    const a = Array.from({ length: M }, (_, i) => `user${i}@example.org`);
    const b = Array.from({ length: M }, (_, i) => (i % 3 === 0 ? `user${M - 1 - i}@example.org` : `other${i}@example.net`));
    const inB = new Set(b);
    const expected = a.filter((x) => inB.has(x)).sort();
    expect(expected).toHaveLength(33_334);
    writeFileSync(join(dir, 'a.txt'), a.join('\n'));
    writeFileSync(join(dir, 'b.txt'), b.join('\n'));

    const host = parley(['host', '--server', origin, '--computation', 'psi', '--items', join(dir, 'a.txt'), '--name', 'Ann']);
    const guest = parley(['join', await host.link(), '--items', join(dir, 'b.txt'), '--ready', '--name', 'Ben', '--computation', 'psi']);
    // A hang must still report what both parties printed: past the limit the children are
    // killed, their exits resolve, and the assertions below show their stderr.
    const watchdog = setTimeout(() => {
      for (const c of children) c.kill('SIGKILL');
    }, 420_000);
    const [h, g] = await Promise.all([host.done, guest.done]).finally(() => clearTimeout(watchdog));
    expect(h.code, `host:\n${h.stderr.slice(-2000)}\nguest:\n${g.stderr.slice(-2000)}`).toBe(EXIT.OK);
    expect(g.code, g.stderr.slice(-2000)).toBe(EXIT.OK);
    for (const out of [h.stdout, g.stdout]) {
      const r = JSON.parse(out) as { computation: string; value: string[]; size: number };
      expect(r.computation).toBe('psi');
      expect(r.size).toBe(expected.length);
      expect([...r.value].sort()).toEqual(expected);
    }
  });
});
