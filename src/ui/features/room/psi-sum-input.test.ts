import { describe, expect, it } from 'vitest';
import { readPrivateInput } from './private-input';
import { parseSpec, type RoomSpec } from './room-protocol';

const SPEC: RoomSpec = { kind: 'psi-sum', itemKind: 'email', decimals: 2 };

describe('psi-sum input: item, value per line', () => {
  it('reads items and exact values, skips a header, keeps repeats (their values add up), drops invalid items', () => {
    const r = readPrivateInput('email,spend\nAnn@Example.org, 120.5\nbob@example.org;80\nann@example.org\t-20.25\nnot-an-email, 5', SPEC);
    expect(r).toMatchObject({ ok: true, count: 3, items: ['ann@example.org', 'bob@example.org', 'ann@example.org'], values: ['120.50', '80.00', '-20.25'] });
    if (!r.ok) throw new Error('unreachable');
    expect(r.notes.join(' ')).toMatch(/header/);
    expect(r.notes.join(' ')).toMatch(/1 repeated item: their values are added up/);
    expect(r.notes.join(' ')).toMatch(/1 line has no valid e-mail/);
  });

  it('says which line is wrong: no separator, too many decimals, out of range', () => {
    expect(readPrivateInput('ann@example.org 12', SPEC)).toMatchObject({ ok: false, error: expect.stringMatching(/^Line 1: put the item, a comma/) });
    expect(readPrivateInput('ann@example.org, 1\nbob@example.org, 1.234', SPEC)).toMatchObject({ ok: false, error: expect.stringMatching(/^Line 2: .*2 decimal places/) });
    expect(readPrivateInput('ann@example.org, 1\nbob@example.org, 2000000000000', SPEC)).toMatchObject({ ok: false, error: expect.stringMatching(/^Line 2: values must be within/) });
  });

  it('the spec carries its decimals, and only psi-sum may', () => {
    expect(parseSpec({ kind: 'psi-sum', itemKind: 'id', decimals: 0 })).toEqual({ kind: 'psi-sum', itemKind: 'id', decimals: 0 });
    expect(parseSpec({ kind: 'psi-sum', itemKind: 'id' })).toBeUndefined();
    expect(parseSpec({ kind: 'psi-sum', itemKind: 'id', decimals: 7 })).toBeUndefined();
    expect(parseSpec({ kind: 'psi', itemKind: 'id', decimals: 2 })).toBeUndefined();
  });
});
