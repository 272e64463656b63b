/**
 * Peak memory of a browser tab, for bench/browser.ts (issue 15: < 1 GiB per tab): the
 * largest VmHWM (peak resident set) among the Chromium renderer processes this bench
 * started (descendants of this process with --type=renderer). Each Playwright context
 * gets its own renderer, and a tab's workers run inside it, so this is "one tab, its MPC
 * worker included". Linux only (/proc); elsewhere it reports undefined.
 */
import { readFileSync, readdirSync } from 'node:fs';

function parentOf(pid: number): number | undefined {
  try {
    // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may hold spaces, so split after ')'
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

function isOurs(pid: number, root: number): boolean {
  for (let p: number | undefined = pid, hops = 0; p && p > 1 && hops < 20; p = parentOf(p), hops++) if (p === root) return true;
  return false;
}

/** MB; undefined when /proc is unavailable or no renderer is found. */
export function peakTabMb(): number | undefined {
  let pids: number[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number);
  } catch {
    return undefined;
  }
  let peak: number | undefined;
  for (const pid of pids) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer') || !isOurs(pid, process.pid)) continue;
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) peak = Math.max(peak ?? 0, Number(m[1]) / 1024);
    } catch {
      // the process ended while we looked
    }
  }
  return peak === undefined ? undefined : Math.round(peak);
}
