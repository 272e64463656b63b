/**
 * Attack (review, session 4): a host replays an old run id to run a private computation
 * without charge. The run id is the host's choice (room-reducer `start`, party.ts maybeStart)
 * and nothing checks that it is new; the ledger's "idempotent per run id" then treats the
 * replay as paid. Budget 3, ε = 2 per run: after the first run only 1 is left, yet the host can
 * start any number of ε = 2 … or here ε = 1 runs under the first run's id, each accepted and
 * none charged, so the total ε spent on this party's data grows without bound.
 *
 * Both tests FAIL on the code under review (they are the evidence); they pass once a run id
 * already in the ledger is refused (or charged again), e.g. in `spend`/`charge`:
 * "this run id was already used in this room; a replayed start is refused".
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ledgerRefusal, readLedger, spend, spentOf, type LedgerStorage } from '../core/dp/ledger.ts';
import { fileLedgerPolicy, fileLedgerStorage } from './ledger-file.ts';
import type { RoomSpec } from '../ui/features/room/room-protocol.ts';

const ROOM = 'room-id-for-replay-tests';
const dp = (epsilon: string) => ({ kind: 'sum', epsilon, budget: '3' }) as unknown as RoomSpec;
const micro = (s: string) => BigInt(Math.round(Number(s) * 1e6));

describe('privacy ledger: a replayed run id', () => {
  it('Node party (one run per process): a restarted party asked to run under an old run id is refused or charged', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'parley-replay-')), 'ledger.json');
    // process 1: the honest first run, ε = 2 of 3
    expect(fileLedgerPolicy(path, ROOM, '3').charge('AAAAAAAAAAAA', dp('2'))).toBeUndefined();
    // processes 2..6: the host starts ε = 1 runs, all under the first run's id
    let accepted = 0;
    for (let restart = 0; restart < 5; restart++) {
      const p = fileLedgerPolicy(path, ROOM, '3');
      if (p.refuse(dp('1')) === undefined && p.charge('AAAAAAAAAAAA', dp('1')) === undefined) accepted += 1;
    }
    // whatever was accepted must have been paid for, and never more than the budget
    const ledger = readLedger(fileLedgerStorage(path), ROOM);
    if (ledger === 'unreadable') throw new Error('ledger unreadable');
    const charged = spentOf(ledger);
    expect(micro('2') + BigInt(accepted) * micro('1'), `${accepted} replayed run(s) accepted, ledger charged ${charged} µε`).toBe(charged);
    expect(charged).toBeLessThanOrEqual(micro('3'));
  });

  it('browser tab rules (refuse, then spend on accept): a replayed run id is refused or charged', () => {
    const texts = new Map<string, string>();
    const store: LedgerStorage = { load: (r) => texts.get(r) ?? null, save: (r, t) => void texts.set(r, t) };
    // the tab's hooks (room-controller.ts ledgerHooks): refuse → accepted → spend
    const take = (runId: string, epsilon: string): boolean => {
      if (ledgerRefusal(store, ROOM, { epsilon, budget: '3' }) !== undefined) return false;
      spend(store, ROOM, runId, epsilon);
      return true;
    };
    expect(take('AAAAAAAAAAAA', '2')).toBe(true);
    let accepted = 0;
    for (let i = 0; i < 5; i++) if (take('AAAAAAAAAAAA', '1')) accepted += 1;
    const ledger = readLedger(store, ROOM);
    if (ledger === 'unreadable') throw new Error('ledger unreadable');
    expect(micro('2') + BigInt(accepted) * micro('1'), `${accepted} replayed run(s) accepted`).toBe(spentOf(ledger));
  });
});
