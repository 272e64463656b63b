/**
 * Test and benchmark support (not used by the server): real services on loopback, each
 * started on free ports and stopped by its PID. Debian's redis-server and coturn are
 * provisioned through scripts/provision.mjs; when that fails the caller gets the reason to
 * print and skips, never silently.
 *
 * Security assumption: loopback only; throwaway secrets; nothing is persisted (redis with no
 * RDB/AOF, coturn with its own temporary user database and pid file).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export type Availability = { ok: true } | { ok: false; reason: string };

/** Installs the Debian packages if missing (scripts/provision.mjs); the reason if impossible. */
export function ensurePackages(...packages: string[]): Availability {
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts/provision.mjs'), ...packages], { encoding: 'utf8' });
  if (r.status === 0) return { ok: true };
  const said = `${r.stderr ?? ''}${r.stdout ?? ''}`.trim().split('\n').slice(-3).join(' / ');
  return { ok: false, reason: `${packages.join(', ')} not available (${said || `provision exited ${r.status}`})` };
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const srv = createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const address = srv.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

export interface Service {
  readonly pid: number;
  readonly port: number;
  /** Everything the process wrote so far (stdout and stderr). */
  output(): string;
  /** SIGTERM, then SIGKILL after a grace period; resolves once it has exited. */
  stop(): Promise<void>;
  /** SIGKILL at once: a crash, for tests of what survives one. */
  kill(): Promise<void>;
}

/** Spawn and resolve once `ready` matches the output; reject with the output if it exits first. */
export async function startProcess(command: string, args: string[], ready: RegExp, port: number, env?: NodeJS.ProcessEnv, cleanup?: () => void): Promise<Service> {
  const child: ChildProcess = spawn(command, args, { cwd: ROOT, env: env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => {
    exited = true;
    cleanup?.();
    resolve();
  }));
  await new Promise<void>((resolve, reject) => {
    const onData = (d: Buffer) => {
      text += d.toString();
      if (ready.test(text)) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', (e) => reject(new Error(`${command}: ${e.message}`)));
    void exit.then(() => reject(new Error(`${command} exited before it was ready:\n${text.slice(-2000)}`)));
  });
  const pid = child.pid ?? 0;
  const signal = async (sig: NodeJS.Signals, graceMs: number) => {
    if (exited) return;
    child.kill(sig);
    const force = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exit;
    clearTimeout(force);
  };
  return { pid, port, output: () => text, stop: () => signal('SIGTERM', 3000), kill: () => signal('SIGKILL', 0) };
}

/** redis-server on a free loopback port, nothing persisted. */
export async function startRedis(): Promise<Service & { url: string }> {
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'yes', '--loglevel', 'notice'];
  const svc = await startProcess('/usr/bin/redis-server', args, /Ready to accept connections/, port);
  return { ...svc, url: `redis://127.0.0.1:${port}` };
}

/**
 * coturn on loopback with coturn's REST API auth (`use-auth-secret`); `secrets` may hold
 * several (a rotation). Verbose, so tests can see allocations in `output()`.
 */
export async function startCoturn(secrets: string[], realm = 'parley.test'): Promise<Service> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'parley-coturn-'));
  // A relay range of its own, away from the ephemeral ports other tests draw from.
  const minPort = 40_000 + Math.floor(Math.random() * 200) * 50;
  const args = [
    '-n', '-v', '--log-file=stdout', '--simple-log', '--no-cli', '--no-tls', '--no-dtls', '--fingerprint',
    '--listening-ip=127.0.0.1', `--listening-port=${port}`, '--relay-ip=127.0.0.1',
    `--min-port=${minPort}`, `--max-port=${minPort + 49}`,
    // Both browsers are on loopback, so their relayed peers are loopback addresses.
    '--allow-loopback-peers',
    `--realm=${realm}`, '--use-auth-secret', ...secrets.map((s) => `--static-auth-secret=${s}`),
    `--pidfile=${join(dir, 'turnserver.pid')}`, `--userdb=${join(dir, 'turndb')}`,
  ];
  return startProcess('/usr/bin/turnserver', args, new RegExp(`UDP listener opened on: 127\\.0\\.0\\.1:${port}`), port, undefined, () =>
    rmSync(dir, { recursive: true, force: true }),
  );
}

/**
 * The production process (server/main.ts) with extra settings, on `port` (0 = free). Run as
 * `node --import tsx` rather than the tsx launcher, so the PID is the server itself and a
 * SIGKILL really kills it (the launcher would leave its child running).
 */
export async function startParley(env: Record<string, string>, port = 0): Promise<Service & { url: string }> {
  // Its own throwaway survey database (server/survey), never the checkout's data/.
  const dir = mkdtempSync(join(tmpdir(), 'parley-instance-'));
  const svc = await startProcess(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'server/main.ts')],
    /Parley is running at (http:\/\/\S+\/)/,
    port,
    { ...process.env, HOST: '127.0.0.1', PORT: String(port), DATABASE_URL: '', PARLEY_SURVEY_DB: join(dir, 'surveys.sqlite'), ...env },
    () => rmSync(dir, { recursive: true, force: true }),
  );
  const url = /Parley is running at (http:\/\/\S+\/)/.exec(svc.output())?.[1] ?? '';
  return { ...svc, port: Number(new URL(url).port), url };
}
