import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MpcError } from '../errors.ts';
import { partyId } from '../session/channel.ts';
import type { MemoryNetwork } from '../session/memory-network.ts';
import { HEADER_BYTES, Protocol, decodeHeader } from '../session/round.ts';
import { runParties, runPartiesSettled, type SimulationOptions } from '../session/simulate.ts';
import { dealerSources } from '../protocols/dealer.test-helpers.ts';
import type { TripleSource } from '../triples/types.ts';
import { binCount } from './cuckoo.ts';
import { dealerOts } from './dealer-ot.test-helpers.ts';
import { type PsiMode, type PsiProgress, type PsiResult, privateSetIntersection } from './mp-psi.ts';

// Psi steps on the wire (mp-psi.ts): SEEDS and TABLE from the non-leaders, COLUMNS (+ chunk) from the leader
const SEEDS = 1;
const TABLE = 2;
const COLUMNS = 16;

/** Plaintext oracle: party i's expected items (its own first occurrences that everyone holds). */
function oracle(sets: readonly string[][], values?: readonly bigint[][]): { size: number; items: string[][]; sum: bigint } {
  const all = sets.map((s) => new Set(s));
  const common = new Set([...all[0]].filter((x) => all.every((s) => s.has(x))));
  let sum = 0n;
  sets.forEach((set, p) => set.forEach((x, i) => (sum += common.has(x) && values ? values[p][i] : 0n)));
  return { size: common.size, items: all.map((s) => [...s].filter((x) => common.has(x))), sum };
}

/** Value of row i of party p: signed, repeated items included (their values add up). */
const valueOf = (p: number, i: number, seed: number): bigint => BigInt(((seed + 7919 * p + 104729 * i) % 20001) - 10000);
const valuesFor = (sets: readonly string[][], seed: number): bigint[][] => sets.map((set, p) => set.map((_, i) => valueOf(p, i, seed)));

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

const run = (sets: readonly string[][], mode: PsiMode, opts: { values?: bigint[][]; dealer?: boolean } = {}): Promise<PsiResult[]> => {
  const triples: TripleSource[] | undefined = opts.dealer === false ? undefined : dealerSources(sets.length).sources;
  const ots = opts.dealer === false ? undefined : dealerOts(sets.length);
  return runParties(sets.length, (s) => privateSetIntersection(s, sets[s.self], mode, { values: opts.values?.[s.self], triples: triples?.[s.self], ot: ots?.[s.self] }));
};

describe('privateSetIntersection equals the plaintext oracle', () => {
  for (const n of [2, 3, 5]) {
    it(`N = ${n}, all three modes, random sets with planted and partial overlaps, repeats, empty sets`, async () => {
      await fc.assert(
        fc.asyncProperty(setsArb(n), fc.constantFrom<PsiMode>('psi', 'psi-size', 'psi-sum'), fc.nat(1000), async (sets, mode, seed) => {
          const values = mode === 'psi-sum' ? valuesFor(sets, seed) : undefined;
          const want = oracle(sets, values);
          const out = await run(sets, mode, { values });
          out.forEach((r, i) => {
            expect(r.size).toBe(want.size);
            expect(r.mode).toBe(mode);
            if (mode === 'psi') expect(r.items).toEqual(want.items[i]);
            else expect(r.items).toBeUndefined();
            if (mode === 'psi-sum') expect(r.sum).toBe(want.sum);
            else expect(r.sum).toBeUndefined();
          });
        }),
        { numRuns: n === 5 ? 6 : 12 },
      );
    });
  }

  it('known answer, three parties (psi-sum on OT-generated triples, no dealer): items in each party’s input order', async () => {
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
    // "how much did our common customers spend": a appears twice at party 1 (2 + 3)
    const values = [[10n, 1n, 2n, 3n, 99n], [4n, 5n, 6n, 7n, 2n, 3n], [-1n, 50n, 8n, 9n, 10n]];
    const sums = await run(sets, 'psi-sum', { values, dealer: false });
    expect(sums.map((r) => [r.size, r.sum])).toEqual(Array(3).fill([4, 1n + 2n + 3n + 10n + 4n + 5n + 6n + 5n + -1n + 8n + 9n + 10n]));
    expect((await run(sets, 'psi-size')).map((r) => r.size)).toEqual([4, 4, 4]);
  });

  it('larger sets: 150 items each, 3 parties, 60 in common (hundreds of bins, cuckoo evictions)', async () => {
    const common = Array.from({ length: 60 }, (_, i) => `c${i}@example.org`);
    const sets = [0, 1, 2].map((p) => [...common, ...Array.from({ length: 90 }, (_, i) => `p${p}-${i}`)]);
    for (const r of await run(sets, 'psi-size')) expect(r.size).toBe(60);
  });

  it('psi-sum refuses values whose total could overflow, and a value count that does not match', async () => {
    const big = [[1n << 62n], [1n]];
    const res = await runPartiesSettled(2, (s) => privateSetIntersection(s, ['a'], 'psi-sum', { values: big[s.self], triples: dealerSources(2).sources[s.self] }));
    expect(codeOf(res[0])).toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(runParties(2, (s) => privateSetIntersection(s, ['a', 'b'], 'psi-sum', { values: [1n] }))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('reports a true fraction: OPRF units to their total, then the zero test’s AND-triple words, never going back', async () => {
    const sets = [['a', 'b'], ['b', 'c', 'd'], []];
    const seen: PsiProgress[][] = [[], [], []];
    const dealer = dealerSources(3).sources;
    const ots = dealerOts(3);
    await runParties(3, (s) => privateSetIntersection(s, sets[s.self], 'psi', { triples: dealer[s.self], ot: ots[s.self], onProgress: (p) => seen[s.self].push(p) }));
    const lastOf = (p: number, stage: PsiProgress['stage']) => seen[p].filter((x) => x.stage === stage).at(-1) as PsiProgress;
    for (let p = 0; p < 3; p++) {
      for (const stage of ['oprf', 'mpc'] as const) expect(lastOf(p, stage).done).toBe(lastOf(p, stage).total);
      const fractions = seen[p].map((x) => x.fraction);
      for (let i = 1; i < fractions.length; i++) expect(fractions[i]).toBeGreaterThanOrEqual(fractions[i - 1]);
      expect(fractions.at(-1)).toBe(1);
      // 32 bins: one word per AND-layer input; σ = 40 + log2(32) = 45 planes → 44 words in the 6 layers
      expect(lastOf(p, 'mpc').total).toBe(44);
      expect(seen[p].find((x) => x.stage === 'mpc')?.done).toBe(0);
    }
    // units: own items hashed, one per bin row of OPRF columns (per peer at the leader), then
    // the table (3 keys per item at P_j, one decoded key per item and peer at the leader).
    // The leader is party 2 (smallest set, empty): 32 bins, padded to one chunk of 32 rows.
    expect(binCount(0)).toBe(32);
    expect(lastOf(2, 'oprf').total).toBe(0 + 2 * 32 + 0);
    expect(lastOf(1, 'oprf').total).toBe(3 + 32 + 3 * 3);
    expect(lastOf(0, 'oprf').total).toBe(2 + 32 + 3 * 2);
  });

  it('binds every hash to the caller’s context: different contexts match nothing', async () => {
    // unequal sizes, so the leader does not depend on the (differing) context
    const sets = [['a', 'b'], ['a', 'b', 'c']];
    const dealer = () => dealerSources(2).sources;
    const [d1, o1] = [dealer(), dealerOts(2)];
    const same = await runParties(2, (s) => privateSetIntersection(s, sets[s.self], 'psi-size', { context: new Uint8Array([7]), triples: d1[s.self], ot: o1[s.self] }));
    const [d2, o2] = [dealer(), dealerOts(2)];
    const differ = await runParties(2, (s) => privateSetIntersection(s, sets[s.self], 'psi-size', { context: new Uint8Array([s.self]), triples: d2[s.self], ot: o2[s.self] }));
    expect(same.map((r) => r.size)).toEqual([2, 2]);
    expect(differ.map((r) => r.size)).toEqual([0, 0]);
  });

  it('wire: the leader’s OPRF columns differ between two runs on the same input (fresh seeds and nonces)', async () => {
    const seen: string[] = [];
    const opts: SimulationOptions = {
      network: {
        tamper: (f) => {
          const r = decodeHeader(f.bytes);
          if (r.protocol === Protocol.Psi && r.instance === 0 && r.step === COLUMNS) seen.push(Array.from(f.bytes.subarray(HEADER_BYTES, HEADER_BYTES + 64)).join());
          return undefined;
        },
      },
    };
    for (let k = 0; k < 2; k++) {
      const dealer = dealerSources(2, k).sources;
      const ots = dealerOts(2);
      await runParties(2, (s) => privateSetIntersection(s, ['same', 'x'], 'psi', { triples: dealer[s.self], ot: ots[s.self] }), opts);
    }
    expect(seen.length).toBe(2);
    expect(new Set(seen).size).toBe(2);
  });
});

// --- faults: the receiver blames the sender; everyone ends with a typed error ---

function codeOf(r: PromiseSettledResult<unknown>): { code: string; party?: number } | 'ok' {
  if (r.status === 'fulfilled') return 'ok';
  expect(r.reason).toBeInstanceOf(MpcError);
  const e = r.reason as MpcError;
  return { code: e.code, party: e.party };
}

// party 0 has the smallest set, so it leads
const SETS = [
  ['b', 'c'],
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

async function settle(opts: SimulationOptions, mode: PsiMode): Promise<PromiseSettledResult<PsiResult>[]> {
  const dealer = dealerSources(3).sources;
  const ots = dealerOts(3);
  return runPartiesSettled(3, (s) => privateSetIntersection(s, SETS[s.self], mode, { triples: dealer[s.self], ot: ots[s.self], values: SETS[s.self].map(() => 1n) }), opts);
}

/** The detecting party names the sender; everyone ends with an error (nobody gets a result). */
async function expectBlame(opts: SimulationOptions, party: number, mode: PsiMode = 'psi'): Promise<void> {
  const res = await settle(opts, mode);
  const codes = res.map(codeOf);
  expect(codes).not.toContain('ok');
  expect(codes).toContainEqual({ code: 'MALFORMED_MESSAGE', party });
}

describe('privateSetIntersection under faults', () => {
  const set = (bytes: Uint8Array, at: number, value: number[]) => {
    bytes.set(value, at);
    return bytes;
  };

  it('OPRF messages of the wrong length (seed columns, the leader’s columns) are MALFORMED_MESSAGE blaming their sender', async () => {
    await expectBlame(editPayload(0, COLUMNS, (p) => p.subarray(0, p.length - 4)), 0);
    await expectBlame(editPayload(1, SEEDS, (p) => p.subarray(0, p.length - 1)), 1, 'psi-size');
    await expectBlame(editPayload(2, SEEDS, (p) => Uint8Array.of(...p, 0)), 2, 'psi-sum');
  });

  it('a wrong length (short table, lying size) or an impossible encoding attempt is MALFORMED_MESSAGE blaming the sender', async () => {
    await expectBlame(editPayload(1, 2, (p) => p.subarray(0, p.length - 8)), 1);
    await expectBlame(editPayload(2, 2, (p) => set(p, 0, [9])), 2);
    // a size claimed consistently to everyone: the table does not have the announced length
    await expectBlame(editPayload(1, 0, (p) => set(p, 0, [0, 0, 0, 4]), 2), 1);
  });

  it('a bad announcement from the leader (unknown item, malformed, too many) is MALFORMED_MESSAGE blaming it', async () => {
    const enc = (items: string[]) => {
      const parts = [[0, 0, 0, items.length]];
      for (const x of items) parts.push([0, 0, 0, x.length], [...new TextEncoder().encode(x)]);
      return Uint8Array.from(parts.flat());
    };
    for (const bad of [enc(['b', 'zz']), enc(['b', 'c', 'b']).subarray(0, 9), Uint8Array.of(0, 0, 0, 9), enc(['b', 'b'])]) {
      const res = await settle(editPayload(0, 3, () => bad.slice(), 2), 'psi');
      expect(res.map(codeOf).filter((o) => o !== 'ok')).toContainEqual({ code: 'MALFORMED_MESSAGE', party: 0 });
    }
  });

  it('a party that drops mid-protocol gives PEER_LEFT naming it', async () => {
    // steps: 0 hello (all), SEEDS and TABLE (from the non-leaders), COLUMNS (from the leader, party 0)
    for (const step of [0, SEEDS, COLUMNS, TABLE]) {
      for (const who of [0, 2]) {
        const sends = step === 0 || (who === 0 ? step === COLUMNS : step !== COLUMNS);
        if (!sends) continue;
        let net: MemoryNetwork | undefined;
        const res = await settle(
          {
            timeoutMs: 5000,
            onNetwork: (m) => (net = m),
            network: {
              tamper: (f) => {
                const r = decodeHeader(f.bytes);
                if (f.from !== who || r.protocol !== Protocol.Psi || r.step !== step) return undefined;
                net?.drop(partyId(who));
                return [];
              },
            },
          },
          'psi',
        );
        const others = [0, 1, 2].filter((p) => p !== who);
        for (const p of others) expect(codeOf(res[p])).toEqual({ code: 'PEER_LEFT', party: who });
        expect(res[who].status).toBe('rejected');
      }
    }
  });
});
