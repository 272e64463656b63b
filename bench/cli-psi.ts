/**
 * `npm run bench:cli`: two Node parties (`parley host` + `parley join`, two processes, real
 * WebRTC over loopback, the real signaling server in this process) compute a set
 * intersection of m items each (issue 16 part 2: m = 100,000). Reports, per repetition and
 * as the median: connect (both processes started → run started), run (start → result, from
 * the host's "Done in" line), the group's item rate, each process's peak memory, and the
 * plaintext intersection of the same sets beside it as a ratio. The result is checked
 * against the plaintext size on every run.
 *
 *   npm run bench:cli -- [--items 100000] [--reps 1] [--mode psi-size|psi] [--json]
 *
 * Half of each set is common. At m = 100,000 a run took 8.5 s here at load ~5 (111.9 s at
 * load ~30 before KKRT's zero test was trimmed); the same size is a test in `npm test`
 * (src/cli/cli-psi-100k.test.ts), this bench adds timings and memory.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAppServer } from '../server/http.ts';
import { median } from './harness.ts';

const BIN = fileURLToPath(new URL('../src/cli/parley.mjs', import.meta.url));

interface Args {
  items: number;
  reps: number;
  mode: 'psi' | 'psi-size';
  json: boolean;
}

function parseArgs(argv: readonly string[]): Args {
  const a: Args = { items: 100_000, reps: 1, mode: 'psi-size', json: false };
  for (let i = 0; i < argv.length; i++) {
    const next = () => argv[++i] ?? '';
    if (argv[i] === '--items') a.items = Number.parseInt(next(), 10);
    else if (argv[i] === '--reps') a.reps = Number.parseInt(next(), 10);
    else if (argv[i] === '--mode') a.mode = next() === 'psi' ? 'psi' : 'psi-size';
    else if (argv[i] === '--json') a.json = true;
    else throw new Error(`unknown option ${argv[i]} (use --items N, --reps K, --mode psi|psi-size, --json)`);
  }
  if (!Number.isInteger(a.items) || a.items < 1 || a.items > 100_000) throw new Error('--items must be 1..100000 (the per-party limit)');
  if (!Number.isInteger(a.reps) || a.reps < 1) throw new Error('--reps must be at least 1');
  return a;
}

/** Peak resident memory of a process so far (VmHWM), in MB; 0 once it is gone. */
function peakMb(pid: number | undefined): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

interface Party {
  stderr(): string;
  stdout(): string;
  peak(): number;
  done: Promise<number | null>;
  kill(): void;
}

/** Its progress lines ("computing 42% · … s") are echoed with `tag`, so a long run shows it is moving. */
function party(args: string[], tag?: string): Party {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let peak = 0;
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => {
    const text = d.toString();
    err += text;
    if (tag) for (const line of text.split('\n')) if (/ · .* sent · /.test(line)) console.error(`  [${tag}] ${line.trim()}`);
  });
  const poll = setInterval(() => (peak = Math.max(peak, peakMb(child.pid))), 500);
  const done = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      clearInterval(poll);
      resolve(code);
    }),
  );
  return { stderr: () => err, stdout: () => out, peak: () => peak, done, kill: () => child.kill('SIGKILL') };
}

async function waitFor(p: Party, re: RegExp): Promise<RegExpMatchArray> {
  for (;;) {
    const m = p.stderr().match(re);
    if (m) return m;
    const exited = await Promise.race([p.done.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), 100))]);
    if (exited && !p.stderr().match(re)) throw new Error(`parley exited before ${re}:\n${p.stderr()}`);
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const m = args.items;
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-cli-'));
  const a = Array.from({ length: m }, (_, i) => (i % 2 === 0 ? `common-${i}@example.org` : `host-${i}@example.org`));
  const b = Array.from({ length: m }, (_, i) => (i % 2 === 0 ? `common-${i}@example.org` : `guest-${i}@example.org`));
  writeFileSync(join(dir, 'a.txt'), a.join('\n'));
  writeFileSync(join(dir, 'b.txt'), b.join('\n'));
  const plainMs: number[] = [];
  let expected = 0;
  for (let i = 0; i < Math.max(3, args.reps); i++) {
    const t0 = performance.now();
    const set = new Set(a);
    expected = b.filter((x) => set.has(x)).length;
    plainMs.push(performance.now() - t0);
  }

  const server = await createAppServer({});
  const origin = (await server.listen(0, '127.0.0.1')).replace(/\/$/, '');
  const runs: { connectS: number; runS: number; peakHostMb: number; peakGuestMb: number }[] = [];
  try {
    for (let r = 0; r < args.reps; r++) {
      const t0 = performance.now();
      const host = party(['host', '--server', origin, '--computation', args.mode, '--items', join(dir, 'a.txt'), '--name', 'bench-host'], args.json ? undefined : 'host');
      const [, link] = await waitFor(host, /Room link: (\S+)/);
      const guest = party(['join', link, '--items', join(dir, 'b.txt'), '--ready', '--name', 'bench-guest']);
      try {
        await waitFor(host, /Everyone is ready/);
        const connectS = (performance.now() - t0) / 1000;
        const [hc, gc] = await Promise.all([host.done, guest.done]);
        if (hc !== 0 || gc !== 0) throw new Error(`exit codes ${hc}/${gc}\nhost:\n${host.stderr().slice(-2000)}\nguest:\n${guest.stderr().slice(-2000)}`);
        const size = (o: string) => {
          const j = JSON.parse(o) as { value: number | string[]; size?: number };
          return typeof j.value === 'number' ? j.value : (j.size ?? -1);
        };
        if (size(host.stdout()) !== expected || size(guest.stdout()) !== expected) throw new Error(`wrong size: host ${host.stdout()} guest ${guest.stdout()}, expected ${expected}`);
        const runS = Number(/Done in ([\d.]+) s/.exec(host.stderr())?.[1] ?? NaN);
        runs.push({ connectS, runS, peakHostMb: host.peak(), peakGuestMb: guest.peak() });
        if (!args.json) console.error(`run ${r + 1}: connect ${connectS.toFixed(1)} s, start→result ${runS.toFixed(1)} s, peak ${host.peak().toFixed(0)} / ${guest.peak().toFixed(0)} MB`);
      } finally {
        host.kill();
        guest.kill();
      }
    }
  } finally {
    await server.close();
  }
  const runS = median(runs.map((x) => x.runS));
  const plaintextMs = median(plainMs);
  const row = {
    name: `cli ${args.mode} N=2 m=${m} (two processes, WebRTC)`,
    items: 2 * m,
    common: expected,
    reps: args.reps,
    connectSeconds: median(runs.map((x) => x.connectS)),
    runSeconds: runS,
    itemsPerSecond: (2 * m) / runS,
    plaintextMs,
    slowdown: (runS * 1000) / plaintextMs,
    peakMbHost: Math.max(...runs.map((x) => x.peakHostMb)),
    peakMbGuest: Math.max(...runs.map((x) => x.peakGuestMb)),
  };
  if (args.json) console.log(JSON.stringify(row));
  else {
    console.log(`${row.name}: start→result ${runS.toFixed(1)} s (median of ${args.reps}), ${row.itemsPerSecond.toFixed(0)} items/s for the group, connect ${row.connectSeconds.toFixed(1)} s`);
    console.log(`plaintext intersection of the same sets: ${plaintextMs.toFixed(1)} ms → ${row.slowdown.toFixed(0)}× slower in MPC; peak memory ${row.peakMbHost.toFixed(0)} MB (host) / ${row.peakMbGuest.toFixed(0)} MB (guest)`);
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  },
);
