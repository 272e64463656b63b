/**
 * The Node party as users run it: `src/cli/parley.mjs` in child processes, against the real
 * signaling server (in this process, on a free loopback port) over real WebRTC
 * (@roamhq/wrtc). Results are checked against a plaintext oracle; exit codes against
 * exit-codes.ts. The browser + Node median is in e2e/cli-party.spec.ts; the 100,000-item
 * PSI is a benchmark (bench/cli-psi.ts).
 */
import { describe, expect, it } from 'vitest';
import { EXIT } from './exit-codes.ts';
import { parleyHarness } from './parley-process.test-helpers.ts';

const { parley, file, origin: originOf } = parleyHarness('parley-cli-');

// Each test starts real processes (tsx start-up is seconds on a loaded machine): generous limits.
describe('parley join / host (two Node parties over WebRTC)', { timeout: 240_000 }, () => {
  it('computes a set intersection: each party prints its own common items, as the oracle says', async () => {
    // 30 and 24 items with 10 in common; B's spelling differs (case), normalisation must match them.
    const a = Array.from({ length: 30 }, (_, i) => `user${i}@example.org`);
    const b = Array.from({ length: 24 }, (_, i) => `User${i + 20}@Example.ORG`);
    const expected = a.filter((x) => b.some((y) => y.toLowerCase() === x)).sort();
    expect(expected).toHaveLength(10);
    const host = parley(['host', '--server', originOf(), '--computation', 'psi', '--items', file('a.txt', a.join('\n')), '--name', 'Ann']);
    const [, link] = await host.waitFor(/Room link: (\S+)/);
    const guest = parley(['join', link, '--items', file('b.txt', b.join('\n')), '--ready', '--name', 'Ben', '--computation', 'psi']);
    // Both see the same safety code (the same set of keys).
    const [codeA, codeB] = await Promise.all([host.waitFor(/Safety code: ([a-z ]+?) {2}/), guest.waitFor(/Safety code: ([a-z ]+?) {2}/)]);
    expect(codeA[1].split(' ')).toHaveLength(6);
    expect(codeB[1]).toBe(codeA[1]);
    const [h, g] = await Promise.all([host.done, guest.done]);
    expect(h.code, h.stderr).toBe(EXIT.OK);
    expect(g.code, g.stderr).toBe(EXIT.OK);
    const rh = JSON.parse(h.stdout) as { computation: string; value: string[]; size: number };
    const rg = JSON.parse(g.stdout) as { computation: string; value: string[]; size: number };
    expect(rh).toEqual({ computation: 'psi', value: expected, size: 10 });
    expect(rg.size).toBe(10);
    expect([...rg.value].sort()).toEqual(expected);
  });

  it('refuses input outside the host’s bounds (exit 3) without becoming ready', async () => {
    const host = parley(['host', '--server', originOf(), '--computation', 'max', '--spec', '{"decimals":0,"lower":"0","upper":"300"}', '--value', '120']);
    const [, link] = await host.waitFor(/Room link: (\S+)/);
    const guest = parley(['join', link, '--csv', file('p.csv', 'id,systolic_bp\n1,118\n2,305\n'), '--column', 'systolic_bp', '--ready']);
    const g = await guest.done;
    expect(g.code).toBe(EXIT.INPUT);
    expect(g.stderr).toMatch(/does not fit this computation: .*300/);
    expect(g.stdout).toBe('');
    host.child.kill('SIGTERM');
    expect((await host.done).code).toBe(EXIT.INTERRUPTED);
  });

  it('exits 7 when the host leaves before starting', async () => {
    const host = parley(['host', '--server', originOf(), '--computation', 'sum', '--parties', '3', '--value', '1']);
    const [, link] = await host.waitFor(/Room link: (\S+)/);
    const guest = parley(['join', link, '--value', '2', '--ready']);
    await guest.waitFor(/Ready with 1 value/);
    host.child.kill('SIGTERM');
    const g = await guest.done;
    expect(g.code).toBe(EXIT.HOST_LEFT);
    expect(g.stderr).toMatch(/The host \(Node host\) left before starting/);
  });

  it('Ctrl-C during a run exits 130 and the other party hears it stopped (exit 5), with no result', async () => {
    const items = (tag: string) => Array.from({ length: 1000 }, (_, i) => `${i % 2 ? tag : 'both'}${i}@example.org`).join('\n');
    const host = parley(['host', '--server', originOf(), '--computation', 'psi-size', '--items', file('h.txt', items('h')), '--name', 'Hana']);
    const [, link] = await host.waitFor(/Room link: (\S+)/);
    const guest = parley(['join', link, '--items', file('g.txt', items('g')), '--ready', '--name', 'Gil']);
    await guest.waitFor(/^checking /m); // the run has started on the guest's side
    guest.child.kill('SIGINT');
    const [h, g] = await Promise.all([host.done, guest.done]);
    expect(g.code).toBe(EXIT.INTERRUPTED);
    expect(h.code, h.stderr).toBe(EXIT.ABORTED);
    expect(h.stderr).toMatch(/Gil stopped the run: Gil stopped the run\. No result was revealed\./);
    expect(h.stdout + g.stdout).toBe('');
  });

  it('accepts rules and Start only from the host the link names (a wrong fingerprint is refused)', async () => {
    const host = parley(['host', '--server', originOf(), '--computation', 'sum', '--value', '1']);
    const [, link] = await host.waitFor(/Room link: (\S+)/);
    // The same room (secret) with another host fingerprint: what an insider would hand out.
    const forged = link.replace(/\.[A-Za-z0-9_-]{22}$/, '.AAAAAAAAAAAAAAAAAAAAAA');
    expect(forged).not.toBe(link);
    const guest = parley(['join', forged, '--value', '2', '--ready', '--timeout', '6']);
    const g = await guest.done;
    expect(g.stderr).toMatch(/Node host claims to be the host, but the room link names a different host\. Refused/);
    expect(g.code).toBe(EXIT.CONNECT);
    expect(g.stdout).toBe('');
    host.child.kill('SIGTERM');
    await host.done;
  });

  it('says what is wrong with the command line (exit 2) or the link (exit 4)', async () => {
    const csv = file('q.csv', 'id,bp\n1,120\n');
    const cases: [string[], number, RegExp][] = [
      [['join', `${originOf()}/#/room/AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA`, '--csv', csv, '--column', 'systolic', '--ready'], EXIT.USAGE, /no column "systolic". Its columns: "id", "bp"/],
      [['join', `${originOf()}/#/room/short`, '--value', '1', '--ready'], EXIT.CONNECT, /room link is incomplete or malformed/],
      [['join', `${originOf()}/#/room/AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA`, '--ready'], EXIT.USAGE, /No private input/],
      [['join', `${originOf()}/#/room/AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA`, '--value', '1'], EXIT.USAGE, /pass --ready/],
      [['host', '--server', originOf(), '--computation', 'median', '--spec', '{"lower":"9","upper":"1"}', '--value', '1'], EXIT.USAGE, /rules for median are not valid/],
      [['join', '--bogus'], EXIT.USAGE, /Unknown option '--bogus'/],
    ];
    const results = await Promise.all(cases.map(([args]) => parley(args).done));
    for (const [i, [args, code, message]] of cases.entries()) {
      expect(results[i].code, args.join(' ')).toBe(code);
      expect(results[i].stderr, args.join(' ')).toMatch(message);
    }
  });
});
