import { describe, expect, it } from 'vitest';
import { type BenchCase, checkUniqueNames, formatTable, median, runCase, selectCases, timeParties, toJsonLine } from './harness.ts';
import { partyId } from '../src/core/session/channel.ts';
import { cases as sumCases } from './cases/sum.ts';

const fake = (name: string, msList: number[]): BenchCase => ({
  name,
  parties: 2,
  unit: 'ops',
  costModelBytes: 8,
  async prepare() {
    let i = 0;
    return { ops: 1000, run: async () => ({ ms: msList[i++ % msList.length], bytesPerParty: 8000 }), plaintext: () => 1 };
  },
});

describe('bench harness', () => {
  it('takes the median of repetitions after a warm-up run', async () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    // first value is the warm-up and is ignored
    const r = await runCase(fake('x', [1000, 10, 30, 20]), { reps: 3 });
    expect(r.perSecond).toBe((1000 * 1000) / 20);
    expect(r.bytesPerParty).toBe(8);
  });

  it('filters by case-insensitive substring and rejects duplicate names', () => {
    const cs = [fake('secure sum N=2', [1]), fake('AND triples N=3', [1])];
    expect(selectCases(cs, ['SUM']).map((c) => c.name)).toEqual(['secure sum N=2']);
    expect(selectCases(cs, [])).toHaveLength(2);
    expect(() => checkUniqueNames([...cs, fake('AND triples N=3', [1])])).toThrow(/duplicate/);
  });

  it('prints JSON lines with the agreed keys and a table', async () => {
    const r = await runCase(fake('x', [10]), { reps: 1 });
    const obj = JSON.parse(toJsonLine(r)) as Record<string, unknown>;
    for (const k of ['name', 'parties', 'perSecond', 'bytesPerParty', 'costModelBytes', 'plaintextPerSecond']) expect(obj).toHaveProperty(k);
    expect(formatTable([r])).toMatch(/^case\s+N\s+per second/);
  });

  it('the secure-sum case runs (quick) and meets its cost model', async () => {
    const r = await runCase(sumCases[1], { quick: true, reps: 1 });
    expect(r.parties).toBe(3);
    expect(r.bytesPerParty).toBeGreaterThanOrEqual(16);
    expect(r.bytesPerParty).toBeLessThan(16.01); // + 8 header bytes per frame, amortised
    expect(r.perSecond).toBeGreaterThan(0);
  });

  it('counts sequential rounds, not frames: k parallel exchanges are one round, a ping-pong of k is k', async () => {
    const PROTO = 200;
    const rounds = async (pingPong: boolean, k: number) =>
      (
        await timeParties(
          2,
          async (s) => void (await s.exchange(s.round(PROTO, s.nextInstance(PROTO), 0), () => new Uint8Array(1))),
          async (s) => {
            const inst = s.nextInstance(PROTO);
            const me = s.self;
            const other = partyId(1 - me);
            if (!pingPong) {
              await Promise.all(Array.from({ length: k }, (_, j) => s.exchange(s.round(PROTO, inst, j + 1), () => new Uint8Array(4))));
              return;
            }
            for (let j = 0; j < k; j++) {
              const r = s.round(PROTO, inst, j + 1);
              if (j % 2 === me) s.send(other, r, new Uint8Array(4));
              else await s.receive(other, r);
            }
          },
        )
      ).rounds;
    expect(await rounds(false, 7)).toBe(1);
    expect(await rounds(true, 7)).toBe(7);
    expect(await rounds(true, 1)).toBe(1);
  });
});
