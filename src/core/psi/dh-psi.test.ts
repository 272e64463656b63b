import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MpcError } from '../errors.ts';
import { partyId } from '../session/channel.ts';
import type { MemoryNetwork } from '../session/memory-network.ts';
import { HEADER_BYTES, Protocol, decodeHeader } from '../session/round.ts';
import { runParties, runPartiesSettled, type SimulationOptions } from '../session/simulate.ts';
import { POINT_BYTES } from './blinding.ts';
import { type PsiMode, type PsiProgress, type PsiResult, privateSetIntersection } from './dh-psi.ts';

/** Plaintext oracle: party i's expected items (its own first occurrences that everyone holds). */
function oracle(sets: readonly string[][]): { size: number; items: string[][] } {
  const all = sets.map((s) => new Set(s));
  const common = new Set([...all[0]].filter((x) => all.every((s) => s.has(x))));
  return { size: common.size, items: all.map((s) => [...s].filter((x) => common.has(x))) };
}

/**
 * n parties: a planted common part, partial overlaps drawn from a shared pool, private
 * items, a repeated item, an empty set, in a party-specific order.
 */
const setsArb = (n: number): fc.Arbitrary<string[][]> =>
  fc
    .record({
      common: fc.uniqueArray(fc.string({ maxLength: 4 }), { maxLength: 3 }),
      pool: fc.uniqueArray(fc.string({ minLength: 1, maxLength: 3 }).map((s) => `pool:${s}`), { maxLength: 4 }),
      per: fc.array(
        fc.record({ picks: fc.array(fc.nat(3), { maxLength: 3 }), extra: fc.array(fc.nat(9), { maxLength: 3 }), rotate: fc.nat(8), repeat: fc.boolean(), empty: fc.boolean() }),
        { minLength: n, maxLength: n },
      ),
    })
    .map(({ common, pool, per }) =>
      per.map((p, i) => {
        if (p.empty && i === n - 1) return [];
        const own = [...common, ...p.picks.filter((k) => k < pool.length).map((k) => pool[k]), ...p.extra.map((e) => `party${i}:${e}`)];
        const r = own.length ? p.rotate % own.length : 0;
        const ordered = [...own.slice(r), ...own.slice(0, r)];
        return p.repeat && ordered.length > 0 ? [...ordered, ordered[0]] : ordered;
      }),
    );

const run = (sets: readonly string[][], mode: PsiMode): Promise<PsiResult[]> =>
  runParties(sets.length, (s) => privateSetIntersection(s, sets[s.self], mode));

describe('privateSetIntersection equals the plaintext intersection', () => {
  for (const n of [2, 3, 5]) {
    it(`N = ${n}, both modes, random sets with planted and partial overlaps, repeats, empty sets`, async () => {
      await fc.assert(
        fc.asyncProperty(setsArb(n), fc.constantFrom<PsiMode>('psi', 'psi-size'), async (sets, mode) => {
          const want = oracle(sets);
          const out = await run(sets, mode);
          out.forEach((r, i) => {
            expect(r.size).toBe(want.size);
            expect(r.mode).toBe(mode);
            if (mode === 'psi') expect(r.items).toEqual(want.items[i]);
            else expect(r.items).toBeUndefined();
          });
        }),
        { numRuns: n === 5 ? 8 : 15 },
      );
    });
  }

  it('known answer with three parties: items come back in each party’s input order', async () => {
    const sets = [
      ['d', 'a', 'b', 'c', 'x'],
      ['b', 'c', 'd', 'y', 'a', 'a'],
      ['c', 'zz', 'd', 'b', 'a'],
    ];
    const out = await run(sets, 'psi');
    expect(out.map((r) => r.items)).toEqual([
      ['d', 'a', 'b', 'c'],
      ['b', 'c', 'd', 'a'],
      ['c', 'd', 'b', 'a'],
    ]);
    expect((await run(sets, 'psi-size')).map((r) => r.size)).toEqual([4, 4, 4]);
  });

  it('reports progress up to every item of every set and all hops', async () => {
    const sets = [['a', 'b'], ['b', 'c', 'd'], []];
    const last: PsiProgress[] = [];
    await runParties(3, (s) => privateSetIntersection(s, sets[s.self], 'psi', { onProgress: (p) => (last[s.self] = p) }));
    for (const p of last) expect(p).toEqual({ blinded: 5, total: 5, hops: 3, hopsTotal: 3 });
  });

  it('binds the hash to the caller’s context: different contexts match nothing', async () => {
    const sets = [['a', 'b'], ['a', 'b']];
    const ctx = (i: number) => new Uint8Array([i]);
    const same = await runParties(2, (s) => privateSetIntersection(s, sets[s.self], 'psi-size', { context: ctx(7) }));
    const differ = await runParties(2, (s) => privateSetIntersection(s, sets[s.self], 'psi-size', { context: ctx(s.self) }));
    expect(same.map((r) => r.size)).toEqual([2, 2]);
    expect(differ.map((r) => r.size)).toEqual([0, 0]);
  });

  it('only the comparer can compare: no other party sends or receives the same blinded value twice', async () => {
    for (const n of [2, 3, 4]) {
      const views = Array.from({ length: n }, () => new Map<string, number>());
      const note = (party: number, payload: Uint8Array): void => {
        for (let off = 0; off + POINT_BYTES <= payload.length; off += POINT_BYTES) {
          const key = Array.from(payload.subarray(off, off + POINT_BYTES)).join();
          views[party].set(key, (views[party].get(key) ?? 0) + 1);
        }
      };
      const sets = Array.from({ length: n }, () => ['same@example.org', 'other@example.org']);
      await runParties(n, (s) => privateSetIntersection(s, sets[s.self], 'psi'), {
        network: {
          tamper: (f) => {
            const r = decodeHeader(f.bytes);
            if (r.protocol === Protocol.Psi && r.step >= 1 && r.step <= n) {
              note(f.from, f.bytes.subarray(HEADER_BYTES));
              note(f.to, f.bytes.subarray(HEADER_BYTES));
            }
            return undefined;
          },
        },
      });
      // the comparer receives every G_i but G_1 (which it finishes itself): common items collide
      // there; nobody else ever sees a value twice
      expect(Math.max(...views[0].values())).toBe(n - 1);
      for (let p = 1; p < n; p++) expect(Math.max(...views[p].values())).toBe(1);
    }
  });

  it('wire: every blinded value differs between two runs on the same input (fresh exponents and nonces)', async () => {
    const seen: string[] = [];
    const opts: SimulationOptions = {
      network: {
        tamper: (f) => {
          const r = decodeHeader(f.bytes);
          if (r.protocol === Protocol.Psi && r.step === 1) seen.push(Array.from(f.bytes.subarray(HEADER_BYTES, HEADER_BYTES + POINT_BYTES)).join());
          return undefined;
        },
      },
    };
    for (let k = 0; k < 2; k++) await runParties(2, (s) => privateSetIntersection(s, ['same'], 'psi'), opts);
    expect(new Set(seen).size).toBe(4);
  });
});

// --- faults: the receiver blames the sender; everyone ends with a typed error ---

function codeOf(r: PromiseSettledResult<unknown>): { code: string; party?: number } | 'ok' {
  if (r.status === 'fulfilled') return 'ok';
  expect(r.reason).toBeInstanceOf(MpcError);
  const e = r.reason as MpcError;
  return { code: e.code, party: e.party };
}

const SETS = [
  ['a', 'b', 'c'],
  ['b', 'c', 'd'],
  ['c', 'b', 'e'],
];

/** Replace the payload of the first `frames` Psi frames of `step` that party `from` sends. */
function editPayload(from: number, step: number, edit: (payload: Uint8Array) => Uint8Array, frames = 1): SimulationOptions {
  let left = frames;
  return {
    timeoutMs: 5000,
    network: {
      tamper: (f) => {
        const r = decodeHeader(f.bytes);
        if (left === 0 || f.from !== from || r.protocol !== Protocol.Psi || r.step !== step) return undefined;
        left--;
        const header = f.bytes.subarray(0, HEADER_BYTES);
        const body = edit(f.bytes.slice(HEADER_BYTES));
        const out = new Uint8Array(HEADER_BYTES + body.length);
        out.set(header);
        out.set(body, HEADER_BYTES);
        return [out];
      },
    },
  };
}

async function expectAllBlame(opts: SimulationOptions, code: string, party: number, mode: PsiMode = 'psi'): Promise<void> {
  const res = await runPartiesSettled(3, (s) => privateSetIntersection(s, SETS[s.self], mode), opts);
  for (const r of res) expect(codeOf(r)).toEqual({ code, party });
}

describe('privateSetIntersection under faults', () => {
  const set = (bytes: Uint8Array, at: number, value: number[]) => {
    bytes.set(value, at);
    return bytes;
  };
  const nonCanonical = new Array<number>(POINT_BYTES).fill(0xff);
  const identity = new Array<number>(POINT_BYTES).fill(0);

  it('an invalid point in a hop is MALFORMED_MESSAGE blaming its sender', async () => {
    await expectAllBlame(editPayload(1, 1, (p) => set(p, POINT_BYTES, nonCanonical)), 'MALFORMED_MESSAGE', 1);
    await expectAllBlame(editPayload(2, 2, (p) => set(p, 0, identity)), 'MALFORMED_MESSAGE', 2, 'psi-size');
  });

  it('an invalid point in a set sent to the comparer is MALFORMED_MESSAGE blaming its sender', async () => {
    await expectAllBlame(editPayload(2, 3, (p) => set(p, 0, nonCanonical)), 'MALFORMED_MESSAGE', 2);
    await expectAllBlame(editPayload(1, 3, (p) => set(p, 2 * POINT_BYTES, identity)), 'MALFORMED_MESSAGE', 1, 'psi-size');
  });

  it('a wrong count (short hop, repeated value, lying size) is MALFORMED_MESSAGE blaming the sender', async () => {
    await expectAllBlame(editPayload(1, 1, (p) => p.subarray(0, p.length - POINT_BYTES)), 'MALFORMED_MESSAGE', 1);
    await expectAllBlame(editPayload(2, 3, (p) => p.subarray(POINT_BYTES)), 'MALFORMED_MESSAGE', 2);
    await expectAllBlame(editPayload(1, 3, (p) => set(p, 0, Array.from(p.subarray(POINT_BYTES, 2 * POINT_BYTES)))), 'MALFORMED_MESSAGE', 1);
    // a size claimed consistently to everyone is caught by the first party that receives the chain
    await expectAllBlame(editPayload(1, 0, (p) => set(p, 0, [0, 0, 0, 4]), 2), 'MALFORMED_MESSAGE', 1);
  });

  it('a bad answer from the comparer (size too large, positions out of range or order) is MALFORMED_MESSAGE', async () => {
    const answers: [PsiMode, Uint8Array][] = [
      ['psi-size', new Uint8Array([0, 0, 0, 9])],
      ['psi-size', new Uint8Array([0, 0, 1])],
      ['psi', new Uint8Array([0, 0, 0, 3])],
      ['psi', new Uint8Array([0, 0, 0, 1, 0, 0, 0, 1])],
      ['psi', new Uint8Array(16)],
    ];
    for (const [mode, answer] of answers) {
      const res = await runPartiesSettled(3, (s) => privateSetIntersection(s, SETS[s.self], mode), editPayload(0, 4, () => answer.slice()));
      expect(res.map(codeOf).filter((o) => o !== 'ok')).toContainEqual({ code: 'MALFORMED_MESSAGE', party: 0 });
    }
  });

  it('a party that drops mid-protocol gives PEER_LEFT naming it', async () => {
    for (const step of [0, 1, 2, 3]) {
      let net: MemoryNetwork | undefined;
      const res = await runPartiesSettled(3, (s) => privateSetIntersection(s, SETS[s.self], 'psi'), {
        timeoutMs: 5000,
        onNetwork: (m) => (net = m),
        network: {
          tamper: (f) => {
            const r = decodeHeader(f.bytes);
            if (f.from !== 2 || r.protocol !== Protocol.Psi || r.step !== step) return undefined;
            net?.drop(partyId(2));
            return [];
          },
        },
      });
      expect(codeOf(res[0])).toEqual({ code: 'PEER_LEFT', party: 2 });
      expect(codeOf(res[1])).toEqual({ code: 'PEER_LEFT', party: 2 });
      expect(res[2].status).toBe('rejected');
    }
  });
});
