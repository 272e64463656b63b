/**
 * The ledger rules every tab and the Node party share (ledger.ts), over an in-memory store: in a
 * room with a privacy budget a run without ε is refused (it would spend nothing yet open the exact
 * output), whether the budget comes from the link or was pinned by the first private spec, and
 * even when the stored ledger was tampered into something malformed; a room that never had a
 * budget still runs exact computations.
 */
import { describe, expect, it } from 'vitest';
import { ledgerRefusal, spend, type LedgerStorage } from './ledger.ts';

const ROOM = 'room';
function memory(): LedgerStorage & { texts: Map<string, string> } {
  const texts = new Map<string, string>();
  return { texts, load: (id) => texts.get(id) ?? null, save: (id, t) => void texts.set(id, t) };
}
const EXACT = {};
const REFUSED = /privacy budget, and this run adds no noise/;

describe('exact runs in a room with a budget', () => {
  it('the link names a budget: a run without ε is refused before any ledger exists', () => {
    const store = memory();
    expect(ledgerRefusal(store, ROOM, EXACT, '2')).toMatch(REFUSED);
    expect(ledgerRefusal(store, ROOM, { epsilon: '1', budget: '2' }, '2')).toBeUndefined();
  });

  it('a budget pinned by the first private spec (link without one): later exact runs are refused', () => {
    const store = memory();
    expect(ledgerRefusal(store, ROOM, EXACT, undefined)).toBeUndefined();
    expect(ledgerRefusal(store, ROOM, { epsilon: '1', budget: '3' }, undefined)).toBeUndefined();
    expect(spend(store, ROOM, 'run-1', '1')).toBe(true);
    expect(ledgerRefusal(store, ROOM, EXACT, undefined)).toMatch(REFUSED);
  });

  it('a malformed ledger refuses exact runs too (it may have held a budget)', () => {
    const store = memory();
    store.texts.set(ROOM, '{"total":"2","spent":[{"runId":"a","epsilon":"-2","at":0}]}');
    expect(ledgerRefusal(store, ROOM, EXACT, undefined)).toMatch(REFUSED);
  });

  it('a room that never had a budget runs exact computations, also with private runs spent', () => {
    const store = memory();
    expect(spend(store, ROOM, 'run-1', '0.5')).toBe(true); // a private run without any budget
    expect(ledgerRefusal(store, ROOM, EXACT, undefined)).toBeUndefined();
    const broken: LedgerStorage = {
      load: () => {
        throw new Error('storage disabled');
      },
      save: () => undefined,
    };
    expect(ledgerRefusal(broken, ROOM, EXACT, undefined)).toBeUndefined();
    expect(ledgerRefusal(broken, ROOM, EXACT, '1')).toMatch(REFUSED);
  });
});
