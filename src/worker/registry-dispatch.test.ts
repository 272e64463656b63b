// The computation registry as the worker and the UI use it: every kind is declared once
// (spec parser, default, input re-validation, run, reveal notes, cost, timeout), and runJob
// dispatches through it. The PSI cases fail on the code before the registry: the worker
// passed the caller's items to the PSI as given, so "Alice@Example.org" never met
// "alice@example.org", and it accepted a list with a repeated item.
import { describe, expect, it } from 'vitest';
import { REGISTRY, REGISTERED_KINDS, computationFor, parseRegisteredSpec, specForRun } from '../core/computations/registry.ts';
import { createMemoryNetwork } from '../core/session/memory-network.ts';
import type { RosterEntry } from '../core/protocols/agree.ts';
import { runJob } from './run-job.ts';
import type { Job, JobResult } from './jobs.ts';

/** Runs one job per party over an in-memory network (the worker's code path, minus comlink). */
async function runAll(jobs: Omit<Job, 'self' | 'parties' | 'agreement'>[]): Promise<JobResult[]> {
  const n = jobs.length;
  const net = createMemoryNetwork(n);
  const roster: RosterEntry[] = jobs.map((_, i) => ({ id: `party-${i}`, publicKey: `key-${i}` }));
  return Promise.all(
    jobs.map((j, i) =>
      runJob({ ...j, self: i, parties: n, agreement: { specJson: JSON.stringify(j.spec), roster, nonce: 'registry-test' } }, () => net.channels[i]),
    ),
  );
}

describe('computation registry', () => {
  it('declares every select value once, each with a default spec its own parser accepts', () => {
    expect(new Set(REGISTERED_KINDS).size).toBe(REGISTRY.length);
    for (const d of REGISTERED_KINDS.map(computationFor)) {
      const spec = d.defaultSpec();
      expect(parseRegisteredSpec(spec), d.kind).toEqual({ ok: true, spec });
      expect(d.title.length, d.kind).toBeGreaterThan(0);
      expect(d.reveals(spec, 3).reveals.length, d.kind).toBeGreaterThan(0);
      expect(d.cost(spec, 3).summary.length, d.kind).toBeGreaterThan(0);
      expect(d.timeoutMs(spec, [1, 1, 1]), d.kind).toBeGreaterThanOrEqual(60_000);
    }
  });

  it('refuses unknown kinds and fields of another kind', () => {
    expect(parseRegisteredSpec({ kind: 'magic' }).ok).toBe(false);
    expect(parseRegisteredSpec({ ...computationFor('psi').defaultSpec(), p: '50' }).ok).toBe(false);
    expect(parseRegisteredSpec({ ...computationFor('median').defaultSpec(), itemKind: 'email' }).ok).toBe(false);
  });

  it('keeps the input rules that still apply when the host switches computation', () => {
    const mean = { ...computationFor('mean').defaultSpec(), lower: '10000', upper: '500000', decimals: 0, minParties: 3 };
    const median = computationFor('median').defaultSpec(mean);
    expect(median).toMatchObject({ kind: 'median', lower: '10000', upper: '500000', decimals: 0, minParties: 3 });
    const psi = computationFor('psi').defaultSpec(median);
    expect(psi).toMatchObject({ kind: 'psi', minParties: 3 });
    // and back: a PSI spec has no bounds to keep, so the numeric defaults return
    expect(computationFor('sum').defaultSpec(psi)).toMatchObject({ kind: 'sum', minParties: 3, decimals: 2 });
  });

  it('element-wise kinds fix their length at Start; others keep theirs', () => {
    const mean = computationFor('mean').defaultSpec();
    expect(specForRun(mean as never, [4, 4])).toMatchObject({ length: 4 });
    const median = computationFor('median').defaultSpec();
    expect(specForRun(median as never, [4, 2])).toEqual(median);
  });
});

describe('runJob dispatches through the registry', () => {
  it('normalises PSI items again in the worker: differently typed e-mails meet', { timeout: 120_000 }, async () => {
    const spec = computationFor('psi-size').defaultSpec();
    const out = await runAll([
      { spec: spec as Job['spec'], counts: [2, 2], items: ['Alice@Example.org', 'carol@example.org'] },
      { spec: spec as Job['spec'], counts: [2, 2], items: ['alice@example.org', 'dave@example.org'] },
    ]);
    for (const r of out) expect(r).toMatchObject({ ok: true, output: { kind: 'psi-size', size: 1 } });
  });

  it('refuses a PSI list with an item repeated once normalised (its public count would be wrong)', { timeout: 60_000 }, async () => {
    const spec = computationFor('psi').defaultSpec();
    const out = await runAll([
      { spec: spec as Job['spec'], counts: [2, 1], items: ['bob@example.org', 'BOB@example.org'] },
      { spec: spec as Job['spec'], counts: [2, 1], items: ['bob@example.org'] },
    ]);
    expect(out[0]).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', message: expect.stringMatching(/repeats/) } });
  });

  it('runs the pooled average over lists of different lengths (116 and 86 values) against the plaintext', { timeout: 120_000 }, async () => {
    const a = Array.from({ length: 116 }, (_, i) => String(110 + (i % 41)));
    const b = Array.from({ length: 86 }, (_, i) => String(120 + ((i * 7) % 53)));
    const spec = { ...computationFor('pooled-mean').defaultSpec(), decimals: 0, lower: '0', upper: '300', length: 200 };
    const out = await runAll([
      { spec: spec as Job['spec'], counts: [116, 86], values: a },
      { spec: spec as Job['spec'], counts: [116, 86], values: b },
    ]);
    const all = [...a, ...b].map(Number);
    // exact: Σ·100 / T rounded half up, as a 2-decimal string
    const total = all.reduce((x, y) => x + y, 0);
    const expected = (Math.floor((2 * total * 100 + all.length) / (2 * all.length)) / 100).toFixed(2);
    for (const r of out) expect(r).toMatchObject({ ok: true, output: { kind: 'pooled-mean', value: expected, count: 202 } });
  });

  it('runs several statistics on one commitment at N=3, each equal to the plaintext', { timeout: 180_000 }, async () => {
    const lists = [['52000', '61000.50', '58000'], ['72000', '49000'], ['66000', '70500', '55000', '64000']];
    const spec = { ...computationFor('several').defaultSpec(), decimals: 2, lower: '10000', upper: '200000', length: 10, statistics: ['pooled-mean', 'median', 'histogram'], edges: ['50000', '60000', '70000'] };
    const counts = lists.map((l) => l.length);
    const out = await runAll(lists.map((values) => ({ spec: spec as Job['spec'], counts, values })));
    const all = lists.flat().map(Number).sort((a, b) => a - b);
    const mean = ((all.reduce((a, b) => a + b, 0) * 100) / all.length / 100).toFixed(4); // 4 decimals: decimals + 2
    const median = all[Math.ceil(all.length / 2) - 1]; // nearest rank, the lower middle
    const buckets = [0, 0, 0, 0];
    for (const v of all) buckets[[50000, 60000, 70000].filter((e) => v >= e).length]++;
    for (const r of out) {
      expect(r.ok).toBe(true);
      if (!r.ok || r.output.kind !== 'several') throw new Error('expected several results');
      const [pm, md, hist] = r.output.results;
      expect(pm).toMatchObject({ kind: 'pooled-mean', value: mean, count: 9 });
      expect(Number(md.value)).toBe(median);
      expect(hist.buckets?.counts).toEqual(buckets);
    }
  });
});
