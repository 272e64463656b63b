/**
 * The Node party as users run it, for tests: `src/cli/parley.mjs` in child processes against
 * the real signaling server (in the test process, on a free loopback port) over real WebRTC
 * (@roamhq/wrtc). `parleyHarness()` inside a test file's top level registers the server's
 * start and stop (and kills any child still running at the end).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import { createAppServer, type AppServer } from '../../server/http.ts';

const BIN = fileURLToPath(new URL('./parley.mjs', import.meta.url));

export interface Exited {
  code: number | null;
  /** The signal that ended the process, when one did (a native crash shows here). */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface Run {
  child: ChildProcess;
  /** Resolves when stderr has printed a line matching `re` (the match); rejects if the process exits first. */
  waitFor(re: RegExp): Promise<RegExpMatchArray>;
  done: Promise<Exited>;
}

export interface Harness {
  /** The server's http origin (set once beforeAll has run). */
  origin(): string;
  parley(args: string[]): Run;
  /** Writes `text` to a file in the harness's temporary folder; returns its path. */
  file(name: string, text: string): string;
}

export function parleyHarness(prefix: string): Harness {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const children = new Set<ChildProcess>();
  let server: AppServer | undefined;
  let origin = '';

  beforeAll(async () => {
    server = await createAppServer({});
    origin = (await server.listen(0, '127.0.0.1')).replace(/\/$/, '');
  });

  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL');
    await server?.close();
  });

  function parley(args: string[]): Run {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let stdout = '';
    let stderr = '';
    const watchers: { re: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      for (const w of [...watchers]) {
        const m = stderr.match(w.re);
        if (m) {
          watchers.splice(watchers.indexOf(w), 1);
          w.resolve(m);
        }
      }
    });
    const done = new Promise<Exited>((resolve) =>
      child.on('exit', (code, signal) => {
        children.delete(child);
        resolve({ code, signal, stdout, stderr });
      }),
    );
    return {
      child,
      done,
      waitFor: (re) =>
        new Promise((resolve, reject) => {
          const m = stderr.match(re);
          if (m) return resolve(m);
          watchers.push({ re, resolve });
          void done.then(() => reject(new Error(`parley exited before printing ${re}:\n${stderr}`)));
        }),
    };
  }

  return {
    origin: () => origin,
    parley,
    file(name, text) {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    },
  };
}
