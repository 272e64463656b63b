// Triples prepared before Start (issue 19): the prep makes the fast backend's AND triples for
// the spec the room shows (every party at its most values), the run takes its one planned
// batch from them without OT traffic. Checked: the prepared triples are valid triples across
// parties (a triple relation, not just "some bytes"), a run on them gives the plaintext
// median and sends far less, and tabs that saw different specs prepare none.
import { describe, expect, it } from 'vitest';
import { computationFor } from '../core/computations/registry.ts';
import { type PreparedSetups, PrepStore, prepareOt } from '../core/ot/prepared-ot.ts';
import type { RosterEntry } from '../core/protocols/agree.ts';
import { createMemoryNetwork } from '../core/session/memory-network.ts';
import { runParties } from '../core/session/simulate.ts';
import type { Job, JobResult } from './jobs.ts';
import { prepWish } from './plan-triples.ts';
import { runJob, runPrep } from './run-job.ts';

const N = 3;
const roster: RosterEntry[] = [0, 1, 2].map((i) => ({ id: `member-${i}`, publicKey: `key-${i}` }));
const spec = { ...computationFor('median').defaultSpec(), decimals: 0, lower: '0', upper: '100', length: 4, protection: 'fast' } as Job['spec'];
const inputs = [['12', '40', '7', '90'], ['33', '5', '21', '64'], ['8', '70', '2']];
const counts = inputs.map((v) => v.length);
// lower middle of the 11 sorted values 2 5 7 8 12 21 33 40 64 70 90
const MEDIAN = 21;

async function prepare(stores: PrepStore[], prepId: string, specs: unknown[]) {
  const net = createMemoryNetwork(N);
  return Promise.all(stores.map((st, i) => runPrep({ prepId, self: i, roster, spec: specs[i] }, () => net.channels[i], st)));
}

async function run(stores: PrepStore[], prepId: string, nonce: string): Promise<JobResult[]> {
  const net = createMemoryNetwork(N);
  return Promise.all(
    stores.map((st, i) => runJob({ spec, self: i, parties: N, counts, values: inputs[i], prepId, agreement: { specJson: JSON.stringify(spec), roster, nonce } }, () => net.channels[i], undefined, st)),
  );
}

const sent = (r: JobResult) => (r.stats?.sent ?? []).reduce((a, b) => a + b, 0);
const medianOf = (r: JobResult) => (r.ok && 'value' in r.output ? Number(r.output.value) : NaN);

describe('triples prepared before Start', () => {
  it('are valid triples across the parties, as many as the spec at its most values needs', async () => {
    const wish = await prepWish(spec as never, N);
    expect(wish?.bits).toBeGreaterThan(0);
    const got: PreparedSetups[] = [];
    await runParties(N, async (s, i) => {
      const st = new PrepStore();
      await prepareOt(s, st, 'p', 'r', wish);
      got[i] = st.take('p', 'r')!;
    });
    const [a, b, c] = (['a', 'b', 'c'] as const).map((k) => got.map((g) => g.triples!.bits![k]).reduce((x, y) => x.map((v, j) => v ^ y[j])));
    expect(a.length).toBe(wish!.bits);
    expect(c).toEqual(a.map((v, j) => v & b[j])); // ⊕c = (⊕a) ∧ (⊕b), word by word
    expect(a.some((v) => v !== 0) && b.some((v) => v !== 0)).toBe(true); // not the trivial zero triple
  });

  it('a run takes its batch from them: the plaintext median, far fewer bytes than on prepared base OTs alone', { timeout: 120_000 }, async () => {
    const stores = () => Array.from({ length: N }, () => new PrepStore());
    const withTriples = stores();
    const otOnly = stores();
    for (const r of await prepare(withTriples, 'prep-T', [spec, spec, spec])) expect(r.ok).toBe(true);
    for (const r of await prepare(otOnly, 'prep-O', [undefined, undefined, undefined])) expect(r.ok).toBe(true);
    const a = await run(withTriples, 'prep-T', 'run-T');
    const b = await run(otOnly, 'prep-O', 'run-O');
    for (const r of [...a, ...b]) expect(medianOf(r)).toBe(MEDIAN);
    // the OT extension of the run's triples (≥ 65 bits per AND triple per peer) is gone
    const wish = await prepWish(spec as never, N);
    expect(sent(a[0])).toBeLessThan(sent(b[0]) - (wish!.bits * 32 * 65 * (N - 1)) / 8 / 2);
  });

  it('tabs that show different specs prepare base OTs but no triples', { timeout: 120_000 }, async () => {
    const st = Array.from({ length: N }, () => new PrepStore());
    const other = { ...(spec as object), length: 3 };
    for (const r of await prepare(st, 'prep-X', [spec, spec, other])) expect(r.ok).toBe(true);
    const a = await run(st, 'prep-X', 'run-X');
    for (const r of a) expect(medianOf(r)).toBe(MEDIAN);
    const fresh = Array.from({ length: N }, () => new PrepStore());
    await prepare(fresh, 'prep-Y', [undefined, undefined, undefined]);
    const b = await run(fresh, 'prep-Y', 'run-Y');
    expect(Math.abs(sent(a[0]) - sent(b[0]))).toBeLessThan(1024); // same traffic: no triples were prepared
  });
});
