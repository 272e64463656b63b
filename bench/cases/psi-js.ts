/**
 * Parley's PSI beside OpenMined's psi.js (issue 19: PSI ≥ 5× psi.js on its own workload),
 * both timed in the same repetition of one run, in this one Node thread.
 *
 * The workload is psi.js's own benchmark (private_set_intersection/cpp/psi_benchmark.cpp,
 * run by its javascript/benchmark.mjs): cardinality only (revealIntersection = false), the
 * default GCS data structure, false-positive rate 10^-6, 10^4 items per side (a point of
 * its 1…10^5 range). One psi.js repetition is the whole protocol in memory: server setup
 * message, client request, server response, client intersection size; its bytes are the
 * three serialised messages, split over the two parties. Ours is `psi-size` N = 2 with the
 * same sets, OT setup and AND triples included (mp-psi.ts), bytes as in the other cases.
 * The row reports our rate and, under "× baseline t/B", our time and bytes divided by
 * psi.js's: a time ratio of 0.2 or less means ≥ 5× psi.js.
 *
 * Note what differs: psi.js is ECDH-PSI-CA on P-256 in WebAssembly where only the client
 * learns the size, and a false positive is likely at 10^-6 (ours: ≤ 2^-40 per run); ours
 * gives both parties the size and holds against N−1 colluders at any N.
 *
 * @openmined/psi.js is an optional dependency: its transitive protoc-gen-js runs a
 * postinstall that downloads from GitHub, so `npm ci` drops it where that fails. Install
 * it with `npm install --no-save --ignore-scripts @openmined/psi.js@2.0.6`; without it the
 * row has no baseline and says so.
 */
import { privateSetIntersection } from '../../src/core/psi/mp-psi.ts';
import { type BenchCase, type Sample, timeParties } from '../harness.ts';

interface PsiJs {
  server: { createWithNewKey(reveal: boolean): PsiJsServer };
  client: { createWithNewKey(reveal: boolean): PsiJsClient };
}
interface Message {
  serializeBinary(): Uint8Array;
}
interface PsiJsServer {
  createSetupMessage(fpr: number, numClientInputs: number, inputs: readonly string[]): Message;
  processRequest(request: Message): Message;
  delete(): void;
}
interface PsiJsClient {
  createRequest(inputs: readonly string[]): Message;
  getIntersectionSize(setup: Message, response: Message): number;
  delete(): void;
}

const FPR = 1e-6;
const PSI_JS = '@openmined/psi.js';

async function loadPsiJs(): Promise<PsiJs | undefined> {
  try {
    const mod = (await import(/* @vite-ignore */ PSI_JS)) as { default: () => Promise<PsiJs> };
    return await mod.default();
  } catch {
    return undefined;
  }
}

function sets(m: number): [string[], string[]] {
  return [0, 1].map((p) => Array.from({ length: m }, (_, i) => (i % 2 === 0 ? `common-${i}@example.org` : `party${p}-${i}@example.org`))) as [string[], string[]];
}

/** One psi.js run: the size the client gets, time and mean bytes per party. */
function runPsiJs(lib: PsiJs, server: string[], client: string[]): { size: number; ms: number; bytesPerParty: number } {
  const t0 = performance.now();
  const s = lib.server.createWithNewKey(false);
  const c = lib.client.createWithNewKey(false);
  try {
    const setup = s.createSetupMessage(FPR, client.length, server);
    const request = c.createRequest(client);
    const response = s.processRequest(request);
    const size = c.getIntersectionSize(setup, response);
    const ms = performance.now() - t0;
    const bytes = setup.serializeBinary().length + request.serializeBinary().length + response.serializeBinary().length;
    return { size, ms, bytesPerParty: bytes / 2 };
  } finally {
    s.delete();
    c.delete();
  }
}

function sideBySide(m: number): BenchCase {
  return {
    name: `psi-size N=2 m=${m} vs OpenMined psi.js`,
    parties: 2,
    unit: 'items',
    async prepare(quick) {
      const size = quick ? 64 : m;
      const [a, b] = sets(size);
      const expected = Math.ceil(size / 2);
      const lib = await loadPsiJs();
      if (!lib) process.stderr.write(`  ${PSI_JS} is not installed: no baseline (npm install --no-save --ignore-scripts ${PSI_JS}@2.0.6)\n`);
      return {
        ops: 2 * size,
        async run(): Promise<Sample> {
          const ours = await timeParties(2, async () => undefined, async (s) => {
            const r = await privateSetIntersection(s, s.self === 0 ? a : b, 'psi-size');
            if (r.size !== expected) throw new Error(`parley psi-size gave ${r.size}, expected ${expected}`);
          }, { timeoutMs: Infinity });
          if (!lib) return ours;
          const theirs = runPsiJs(lib, a, b);
          // psi.js's false-positive rate 10^-6 per item may add one; anything else is a bench bug
          if (theirs.size < expected || theirs.size > expected + 2) throw new Error(`psi.js gave ${theirs.size}, expected ${expected}`);
          process.stderr.write(`  psi-size 2 × ${size}: parley ${ours.ms.toFixed(0)} ms, psi.js ${theirs.ms.toFixed(0)} ms → parley ${(theirs.ms / ours.ms).toFixed(1)}× psi.js's speed\n`);
          return { ...ours, baseline: { ms: theirs.ms, bytesPerParty: theirs.bytesPerParty } };
        },
      };
    },
  };
}

export const cases: BenchCase[] = [sideBySide(10_000)];
