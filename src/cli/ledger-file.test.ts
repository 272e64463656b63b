/**
 * The Node party's file ledger: it refuses the private run that would exceed the room's budget,
 * the charges survive a restart (a fresh process reading the same file), and a tampered or
 * malformed file refuses every private run instead of being overwritten.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileLedgerPolicy } from './ledger-file.ts';
import type { RoomSpec } from '../ui/features/room/room-protocol.ts';

const ROOM = 'room-id-for-tests';
const fresh = () => join(mkdtempSync(join(tmpdir(), 'parley-ledger-')), 'sub', 'ledger.json');
const dp = (epsilon: string, budget = '3') => ({ kind: 'sum', epsilon, budget }) as unknown as RoomSpec;

describe('file ledger', () => {
  it('charges runs and refuses the one that would exceed the budget', () => {
    const path = fresh();
    const p = fileLedgerPolicy(path, ROOM, '3');
    expect(p.refuse(dp('2'))).toBeUndefined();
    expect(p.charge('run-1', dp('2'))).toBeUndefined();
    expect(p.charge('run-1', dp('2'))).toMatch(/already used .* replayed start is refused/); // a replay is not free
    expect(p.refuse(dp('1'))).toBeUndefined();
    expect(p.refuse(dp('1.000001'))).toMatch(/only 1 of the room's privacy budget 3 is left/);
    expect(p.charge('run-2', dp('1.5'))).toMatch(/would spend/);
    // a run naming another budget than the pinned one is refused
    expect(p.refuse(dp('0.1', '10'))).toMatch(/budget of 10, but this room's budget is 3/);
  });

  it('in a room with a budget, a run without ε is refused (it would open the exact output for free)', () => {
    const exact = { kind: 'sum' } as unknown as RoomSpec;
    const correlation = { kind: 'correlation', columns: ['a', 'b'] } as unknown as RoomSpec;
    const p = fileLedgerPolicy(fresh(), ROOM, '3');
    expect(p.refuse(exact)).toMatch(/privacy budget, and this run adds no noise/);
    expect(p.refuse(correlation)).toMatch(/adds no noise/);
    expect(p.charge('run-1', exact)).toMatch(/adds no noise/);
    // a room without a budget still runs exact computations, and writes nothing for them
    const path = fresh();
    const q = fileLedgerPolicy(path, ROOM, undefined);
    expect(q.refuse(exact)).toBeUndefined();
    expect(q.charge('run-1', exact)).toBeUndefined();
    expect(() => readFileSync(path, 'utf8')).toThrow(/ENOENT/);
  });

  it('survives a restart: a new process reads the charges and refuses', () => {
    const path = fresh();
    expect(fileLedgerPolicy(path, ROOM, '3').charge('run-1', dp('2.5'))).toBeUndefined();
    const script = `import { fileLedgerPolicy } from ${JSON.stringify(join(import.meta.dirname, 'ledger-file.ts'))};
      const p = fileLedgerPolicy(${JSON.stringify(path)}, ${JSON.stringify(ROOM)}, undefined);
      process.stdout.write(JSON.stringify([p.refuse({ kind: 'sum', epsilon: '1', budget: '3' }) ?? null, p.refuse({ kind: 'sum', epsilon: '0.5', budget: '3' }) ?? null]));`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', cwd: import.meta.dirname });
    const [over, fits] = JSON.parse(out) as [string | null, string | null];
    expect(over).toMatch(/only 0.5 of the room's privacy budget 3 is left/);
    expect(fits).toBeNull();
  });

  it('a pinned total wins over a later link, with a notice', () => {
    const path = fresh();
    fileLedgerPolicy(path, ROOM, '3');
    const later = fileLedgerPolicy(path, ROOM, '100');
    expect(later.notice).toMatch(/keeps 3/);
    expect(later.refuse(dp('5', '100'))).toMatch(/budget is 3/);
  });

  it('a tampered file refuses private runs and is not overwritten', () => {
    const path = fresh();
    const p = fileLedgerPolicy(path, ROOM, '3');
    expect(p.charge('run-1', dp('3'))).toBeUndefined();
    expect(p.refuse(dp('0.1'))).toMatch(/left/);
    // the owner "refunds" itself with a negative charge: malformed, so refused
    const o = JSON.parse(readFileSync(path, 'utf8')) as { rooms: Record<string, { spent: { epsilon: string }[] }> };
    o.rooms[ROOM].spent[0].epsilon = '-3';
    writeFileSync(path, JSON.stringify(o));
    expect(p.refuse(dp('0.1'))).toMatch(/unreadable/);
    writeFileSync(path, '{ not json');
    expect(p.refuse(dp('0.1'))).toMatch(/unreadable/);
    expect(p.charge('run-2', dp('0.1'))).toMatch(/unreadable/);
    expect(readFileSync(path, 'utf8')).toBe('{ not json');
  });
});
