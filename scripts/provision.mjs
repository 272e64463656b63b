#!/usr/bin/env node
/**
 * Makes sure the system programs the test suite drives are on this machine, and installs the
 * missing ones from Debian's archive (apt-get) when it can. `npm test` runs it first, so a
 * fresh clone needs nothing but `npm install && npm test`.
 *
 *   node scripts/provision.mjs            # what every `npm test` needs (chromium)
 *   node scripts/provision.mjs redis-server coturn   # named extras (their tests ask for them)
 *
 * It says what it is doing, never installs silently, and fails with the command to run by
 * hand when it cannot install (not root, no apt-get, no network to the archive). Set
 * PARLEY_CHROMIUM to a browser binary to skip the chromium step; PARLEY_NO_PROVISION=1
 * turns installing off (checks only).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';

/** Debian package → the binary whose presence means it is installed. */
const PACKAGES = {
  chromium: '/usr/bin/chromium',
  'redis-server': '/usr/bin/redis-server',
  coturn: '/usr/bin/turnserver',
  // Debian 12's server (the survey store's PostgreSQL tests start a throwaway cluster of it)
  postgresql: '/usr/lib/postgresql/15/bin/initdb',
};

const say = (msg) => process.stderr.write(`provision: ${msg}\n`);

function executable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function present(pkg) {
  if (pkg === 'chromium' && process.env.PARLEY_CHROMIUM) {
    if (executable(process.env.PARLEY_CHROMIUM)) return true;
    say(`PARLEY_CHROMIUM=${process.env.PARLEY_CHROMIUM} is not an executable file`);
    process.exit(1);
  }
  return executable(PACKAGES[pkg]);
}

function hasCommand(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/** How to run apt-get with root rights here, or null when we cannot. */
function aptRunner() {
  if (!hasCommand('apt-get')) return null;
  if (typeof process.getuid === 'function' && process.getuid() === 0) return [];
  if (hasCommand('sudo') && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0) return ['sudo', '-n'];
  return null;
}

function apt(prefix, args) {
  const [cmd, ...rest] = [...prefix, 'apt-get', ...args];
  execFileSync(cmd, rest, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

const wanted = process.argv.length > 2 ? process.argv.slice(2) : ['chromium'];
for (const pkg of wanted) {
  if (!(pkg in PACKAGES)) {
    say(`unknown package "${pkg}" (known: ${Object.keys(PACKAGES).join(', ')})`);
    process.exit(2);
  }
}
const missing = wanted.filter((p) => !present(p));
if (missing.length === 0) process.exit(0);

const manual = `apt-get update && apt-get install -y ${missing.join(' ')}`;
const prefix = process.env.PARLEY_NO_PROVISION === '1' ? null : aptRunner();
if (prefix === null) {
  say(`missing: ${missing.join(', ')} (needed by the test suite).`);
  say(`install it yourself, as root: ${manual}`);
  if (missing.includes('chromium')) say('or point PARLEY_CHROMIUM at a Chromium/Chrome binary.');
  process.exit(1);
}
say(`missing: ${missing.join(', ')}; installing Debian's package${missing.length > 1 ? 's' : ''} with apt-get (one-time set-up for the tests)…`);
try {
  apt(prefix, ['update', '-q']);
  apt(prefix, ['install', '-y', '-q', ...missing]);
} catch (e) {
  say(`apt-get failed (${e instanceof Error ? e.message : String(e)}); install by hand: ${manual}`);
  process.exit(1);
}
const still = missing.filter((p) => !present(p));
if (still.length > 0) {
  say(`apt-get finished but ${still.map((p) => PACKAGES[p]).join(', ')} is still missing`);
  process.exit(1);
}
say(`installed ${missing.join(', ')}.`);
