import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sha256 } from '@noble/hashes/sha2.js';
import type { MpcError } from '../errors.ts';
import { runParties, runPartiesSettled } from '../session/simulate.ts';
import { agreeOnDigest, canonicalJson, specDigest, type RosterEntry } from './agree.ts';

const roster: RosterEntry[] = ['a', 'b', 'c'].map((c) => ({ id: c.repeat(22), publicKey: c.toUpperCase().repeat(43) }));
const spec = '{"computation":"median","decimals":2,"bounds":[-1000,1000]}';

describe('specDigest', () => {
  it('is canonical in the spec (key order, whitespace) but not in the roster order', () => {
    const d = specDigest(spec, roster, 'run-1');
    expect(d.length).toBe(32);
    expect(specDigest('{ "decimals": 2, "bounds": [-1000, 1000], "computation": "median" }', roster, 'run-1')).toEqual(d);
    expect(specDigest(spec, [roster[1], roster[0], roster[2]], 'run-1')).not.toEqual(d);
  });

  it('changes with the spec, any id or key, the roster size and the nonce', () => {
    const d = specDigest(spec, roster, 'run-1');
    const variants = [
      specDigest(spec.replace('median', 'mean'), roster, 'run-1'),
      specDigest(spec.replace('2,', '3,'), roster, 'run-1'),
      specDigest(spec, [roster[0], roster[1], { ...roster[2], publicKey: 'X'.repeat(43) }], 'run-1'),
      specDigest(spec, [roster[0], roster[1], { ...roster[2], id: 'x'.repeat(22) }], 'run-1'),
      specDigest(spec, roster.slice(0, 2), 'run-1'),
      specDigest(spec, roster, 'run-2'),
      specDigest(spec, roster, new Uint8Array(5)),
    ];
    for (const v of variants) expect(v).not.toEqual(d);
  });

  it('matches an independent computation of the documented encoding', () => {
    const enc = new TextEncoder();
    const lp = (s: string) => {
      const b = enc.encode(s);
      return [...[24, 16, 8, 0].map((k) => (b.length >>> k) & 255), ...b];
    };
    const bytes = [
      ...lp('parley/spec-digest/v1'),
      ...lp('{"bounds":[-1000,1000],"computation":"median","decimals":2}'),
      0, 0, 0, 3,
      ...roster.flatMap((r) => [...lp(r.id), ...lp(r.publicKey)]),
      ...lp('run-1'),
    ];
    expect(specDigest(spec, roster, 'run-1')).toEqual(sha256(Uint8Array.from(bytes)));
  });

  it('field boundaries are unambiguous (no two rosters encode alike)', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), fc.string(), (a, b, c, d) => {
        fc.pre(a !== c || b !== d);
        expect(specDigest('{}', [{ id: a, publicKey: b }], '')).not.toEqual(specDigest('{}', [{ id: c, publicKey: d }], ''));
      }),
      { numRuns: 300 },
    );
  });

  it('rejects bad specs and empty rosters', () => {
    expect(() => specDigest('{', roster, 'n')).toThrow(/not valid JSON/);
    expect(() => specDigest(spec, [], 'n')).toThrow(/roster is empty/);
    expect(canonicalJson({ b: 1, a: [true, null, 'x'], c: undefined })).toBe('{"a":[true,null,"x"],"b":1}');
  });
});

describe('agreeOnDigest', () => {
  for (const n of [2, 3, 5]) {
    it(`passes when all ${n} parties hold the same digest`, async () => {
      const d = specDigest(spec, roster, 'run-1');
      await runParties(n, (s) => agreeOnDigest(s, d));
    });
  }

  it('a creator showing another spec to one party: everyone aborts with SPEC_MISMATCH, blaming the odd party', async () => {
    const honest = specDigest(spec, roster, 'run-1');
    const fooled = specDigest(spec.replace('median', 'max'), roster, 'run-1');
    const res = await runPartiesSettled(4, (s, i) => agreeOnDigest(s, i === 2 ? fooled : honest));
    for (const [i, r] of res.entries()) {
      expect(r.status).toBe('rejected');
      const e = (r as PromiseRejectedResult).reason as MpcError;
      // Party 2 sees everyone else differ (first: party 0), the others see party 2; a party
      // may also learn of the abort from a peer first, which carries the same code.
      expect(e.code).toBe('SPEC_MISMATCH');
      if (i !== 2 && e.message.startsWith('party 2 holds')) expect(e.party).toBe(2);
    }
    const direct = res.map((r) => (r as PromiseRejectedResult).reason as MpcError).filter((e) => / holds a different/.test(e.message) && !/aborted/.test(e.message));
    expect(direct.length).toBeGreaterThan(0);
  });

  it('a roster change (one party sees another key) is caught too', async () => {
    const a = specDigest(spec, roster, 'n');
    const b = specDigest(spec, [roster[0], { ...roster[1], publicKey: 'M'.repeat(43) }, roster[2]], 'n');
    const res = await runPartiesSettled(3, (s, i) => agreeOnDigest(s, i === 0 ? b : a));
    expect(res.every((r) => r.status === 'rejected' && (r.reason as MpcError).code === 'SPEC_MISMATCH')).toBe(true);
  });

  it('a digest of the wrong length from a peer is MALFORMED_MESSAGE blaming it; a bad own digest is INVALID_ARGUMENT', async () => {
    const d = specDigest(spec, roster, 'n');
    const res = await runPartiesSettled(3, async (s, i) => {
      if (i === 1) {
        s.broadcast(s.round(0x7f01, s.nextInstance(0x7f01), 0), d.subarray(0, 31));
        return s.ended;
      }
      return agreeOnDigest(s, d);
    });
    for (const p of [0, 2]) {
      const e = (res[p] as PromiseRejectedResult).reason as MpcError;
      expect(e.code).toBe('MALFORMED_MESSAGE');
      expect(e.party).toBe(1);
    }
    await expect(runParties(2, (s) => agreeOnDigest(s, new Uint8Array(31)))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
