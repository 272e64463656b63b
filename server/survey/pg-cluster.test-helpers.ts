/**
 * A throwaway PostgreSQL cluster for the store tests: initdb into a temporary directory,
 * `postgres` on a loopback port, stopped by its PID and deleted afterwards. It runs as the
 * tests' own user; when that is root (CI here), PostgreSQL refuses to run, so the cluster
 * runs as Debian's `postgres` system user via runuser. Missing binaries are installed first
 * (scripts/provision.mjs postgresql, as the Redis and coturn tests do); only when that is
 * impossible does the caller skip, with the reason returned.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensurePackages } from '../services.ts';

export interface PgCluster {
  url: string;
  stop(): Promise<void>;
}

function pgBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(root, versions[0], 'bin') : undefined;
}

export function pgUnavailable(): string | undefined {
  if (!pgBin()) {
    const installed = ensurePackages('postgresql');
    if (!installed.ok || !pgBin()) return `PostgreSQL could not be installed (${installed.ok ? 'no initdb after apt-get' : installed.reason}); skipping the PostgreSQL store tests`;
  }
  if (process.getuid?.() === 0 && spawnSync('id', ['-u', 'postgres']).status !== 0) return 'running as root and there is no postgres user to run the cluster as; skipping';
  return undefined;
}

export async function startPgCluster(port: number): Promise<PgCluster> {
  const bin = pgBin()!;
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'parley-pg-'));
  const data = join(dir, 'data');
  if (asRoot) {
    const uid = Number(spawnSync('id', ['-u', 'postgres']).stdout.toString().trim());
    const gid = Number(spawnSync('id', ['-g', 'postgres']).stdout.toString().trim());
    chownSync(dir, uid, gid);
    chmodSync(dir, 0o700);
  }
  const run = (cmd: string, args: string[]) => (asRoot ? { cmd: 'runuser', args: ['-u', 'postgres', '--', cmd, ...args] } : { cmd, args });
  const init = run(join(bin, 'initdb'), ['-D', data, '-U', 'parley', '--auth=trust', '--no-sync', '-E', 'UTF8']);
  const r = spawnSync(init.cmd, init.args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`initdb failed: ${r.stderr || r.stdout}`);
  const pg = run(join(bin, 'postgres'), ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=on', '-c', 'synchronous_commit=on']);
  const child: ChildProcess = spawn(pg.cmd, pg.args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr!.on('data', (c: Buffer) => (log += c.toString()));
  // ready when it says so on stderr (an event, not a sleep)
  await new Promise<void>((resolve, reject) => {
    const onData = () => {
      if (/ready to accept connections/.test(log)) {
        child.stderr!.off('data', onData);
        resolve();
      }
    };
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`postgres exited (${code}): ${log}`)));
  });
  return {
    url: `postgres://parley@127.0.0.1:${port}/postgres`,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        // SIGINT = fast shutdown, sent to the postmaster itself (its PID is the first line of
        // postmaster.pid; runuser in between does not forward signals)
        const pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
        process.kill(pid > 0 ? pid : child.pid!, 'SIGINT');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
