// Preparation before Start (issue 19), through the worker's code path minus comlink: base OTs
// prepared over the stable roster, taken by exactly one run, discarded on a roster change;
// a prep id is never prepared twice, and parties that disagree on the prep set up afresh.
// Outputs are checked against the plaintext median; whether prepared material was used is
// read from the bytes a party sent (a run on prepared OTs sends no base-OT messages).
import { describe, expect, it } from 'vitest';
import { computationFor } from '../core/computations/registry.ts';
import { PrepStore } from '../core/ot/prepared-ot.ts';
import type { RosterEntry } from '../core/protocols/agree.ts';
import { createMemoryNetwork } from '../core/session/memory-network.ts';
import type { Job, JobResult } from './jobs.ts';
import { runJob, runPrep } from './run-job.ts';

const roster: RosterEntry[] = [0, 1].map((i) => ({ id: `member-${i}`, publicKey: `key-${i}` }));
const inputs = [['12', '40', '7'], ['33', '5', '21']];
// nearest rank, the lower middle of 5 7 12 21 33 40
const MEDIAN = 12;

async function prepare(stores: PrepStore[], prepId: string) {
  const net = createMemoryNetwork(2);
  return Promise.all(stores.map((st, i) => runPrep({ prepId, self: i, roster }, () => net.channels[i], st)));
}

async function run(stores: PrepStore[], prepIds: (string | undefined)[], protection: 'strict' | 'fast', nonce: string): Promise<JobResult[]> {
  const net = createMemoryNetwork(2);
  const spec = { ...computationFor('median').defaultSpec(), decimals: 0, lower: '0', upper: '100', length: 10, protection } as Job['spec'];
  return Promise.all(
    stores.map((st, i) =>
      runJob({ spec, self: i, parties: 2, counts: [3, 3], values: inputs[i], prepId: prepIds[i], agreement: { specJson: JSON.stringify(spec), roster, nonce } }, () => net.channels[i], undefined, st),
    ),
  );
}

const sent = (r: JobResult) => (r.stats?.sent ?? []).reduce((a, b) => a + b, 0);
const medianOf = (r: JobResult) => (r.ok && 'value' in r.output ? Number(r.output.value) : NaN);

describe.each(['strict', 'fast'] as const)('prepared OT setups (%s)', (protection) => {
  it('prepare → used by one run (no base OTs sent, plaintext result) → gone; reuse of the id refused; then fresh setup', { timeout: 120_000 }, async () => {
    const stores = [new PrepStore(), new PrepStore()];
    const fresh = await run(stores, [undefined, undefined], protection, 'fresh');
    for (const r of fresh) expect(medianOf(r)).toBe(MEDIAN);

    for (const r of await prepare(stores, 'prep-A')) expect(r.ok).toBe(true);
    expect(stores.map((s) => s.size)).toEqual([1, 1]);
    const prepared = await run(stores, ['prep-A', 'prep-A'], protection, 'run-1');
    for (const r of prepared) expect(medianOf(r)).toBe(MEDIAN);
    // 128 base OTs per direction are ≥ 4 KiB per peer; the prepared run skips them
    expect(sent(prepared[0])).toBeLessThan(sent(fresh[0]) - 4096);
    expect(stores.map((s) => s.size)).toEqual([0, 0]);

    // the same prep id again: preparing it is refused, and naming it in a run sets up afresh
    for (const r of await prepare(stores, 'prep-A')) expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', message: expect.stringMatching(/never reused/) } });
    const again = await run(stores, ['prep-A', 'prep-A'], protection, 'run-2');
    for (const r of again) expect(medianOf(r)).toBe(MEDIAN);
    expect(sent(again[0])).toBeGreaterThan(sent(prepared[0]) + 4096);
  });

  it('a roster change on one side or mismatched prep ids → fresh setup and the right result, never a wrong one', { timeout: 120_000 }, async () => {
    const stores = [new PrepStore(), new PrepStore()];
    await prepare(stores, 'prep-B');
    stores[1].discard(); // party 1 saw the group change
    const out = await run(stores, ['prep-B', 'prep-B'], protection, 'run-3');
    for (const r of out) expect(medianOf(r)).toBe(MEDIAN);
    expect(stores[0].size).toBe(0); // taken and dropped, not kept for a later run

    await prepare(stores, 'prep-C');
    await prepare(stores, 'prep-D');
    const mixed = await run(stores, ['prep-C', 'prep-D'], protection, 'run-4');
    for (const r of mixed) expect(medianOf(r)).toBe(MEDIAN);
    expect(sent(mixed[0])).toBeGreaterThan(sent(out[0]) - 1024);
  });
});

describe('PrepStore', () => {
  it('binds a prep to its roster: another roster takes nothing and the prep is dropped', () => {
    const st = new PrepStore();
    st.begin('p');
    st.put('p', 'roster-1', {} as never);
    expect(st.has('p', 'roster-2')).toBe(false);
    expect(st.take('p', 'roster-2')).toBeUndefined();
    expect(st.take('p', 'roster-1')).toBeUndefined();
    expect(() => st.begin('p')).toThrow(/never reused/);
  });
});
