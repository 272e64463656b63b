/**
 * Table computations (issue 12) at the issue's size, 3 parties × 10,000 rows each, beside the
 * same statistic in plaintext on the pooled rows by one party:
 * - `table crosstab N=3 rows=10000 cells=2x10`: count, sum and mean of a number column per
 *   cell of a 2 × 10 cross-tab (issue target: < 2 s in the browser);
 * - `table correlation N=3 rows=10000 cols=5` (target < 3 s);
 * - `table regression N=3 rows=10000 features=10` (target < 5 s).
 * One operation = one row (N·rows per run). The timed span starts after the parties' OT setup
 * (a one-time cost per room). All N parties share this one thread.
 */
import { createFastBackend } from '../../src/core/backend/fast.ts';
import type { Backend } from '../../src/core/backend/types.ts';
import type { Session } from '../../src/core/session/session.ts';
import { createTripleSource } from '../../src/core/triples/triple-source.ts';
import { parseSchemaText } from '../../src/core/table/schema.ts';
import { readTable } from '../../src/core/table/read-table.ts';
import { type ReadTable, runTableComputation } from '../../src/core/table/run-table.ts';
import { parseTableSpec } from '../../src/core/table/table-spec.ts';
import { type BenchCase, timeParties, timeSync } from '../harness.ts';

const rng = (seed: number) => {
  let x = seed >>> 0;
  return () => ((x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 2 ** 32);
};

function warmBackends(): { warm: (s: Session) => Promise<unknown>; of: (s: Session) => Backend } {
  const made = new Map<Session, Backend>();
  return {
    warm: async (s) => {
      const b = createFastBackend(s, createTripleSource(s));
      made.set(s, b);
      const x = b.constant([1n]);
      await b.mul(x, x);
    },
    of: (s) => made.get(s)!,
  };
}

const CITIES = Array.from({ length: 10 }, (_, i) => `c${i}`);

function tableCase(kind: 'crosstab' | 'correlation' | 'regression', n: number, rows: number, width: number): BenchCase {
  const label = kind === 'crosstab' ? 'cells=2x10' : kind === 'correlation' ? `cols=${width}` : `features=${width}`;
  return {
    name: `table ${kind} N=${n} rows=${rows} ${label}`,
    parties: n,
    unit: 'rows',
    async prepare(quick) {
      const size = quick ? 50 : rows;
      const k = quick ? 2 : width;
      const xs = Array.from({ length: kind === 'regression' ? k + 1 : Math.max(k, 1) }, (_, j) => `x${j}`);
      const parsed = parseSchemaText([...xs.map((c) => `${c}: number 0..100 decimals 1`), 'sex: category F, M', `city: category ${CITIES.join(', ')}`].join('\n'));
      if (!parsed.ok) throw new Error('schema');
      const schema = parsed.schema;
      const files = Array.from({ length: n }, (_, p) => {
        const r = rng(700 + p);
        return Array.from({ length: size }, () => {
          const base = r() * 50;
          return [...xs.map((_, j) => (Math.round((base + r() * 50 * (j + 1) / xs.length) * 10) / 10).toFixed(1)), r() < 0.5 ? 'F' : 'M', CITIES[Math.floor(r() * 10)]];
        });
      });
      const tables: ReadTable[] = files.map((f) => readTable([[...xs, 'sex', 'city'], ...f], schema) as ReadTable);
      const fields =
        kind === 'crosstab' ? { groupBy: ['sex', 'city'], value: 'x0' } : kind === 'correlation' ? { columns: xs.slice(0, k) } : { target: xs[k], features: xs.slice(0, k) };
      const spec = parseTableSpec({ kind, schema, where: [], maxRows: size, ...fields });
      const pooled = files.flat().map((row) => row.slice(0, xs.length).map(Number));
      return {
        ops: n * size,
        run: () => {
          const w = warmBackends();
          return timeParties(n, w.warm, (s) => runTableComputation(w.of(s), spec, tables[s.self]), { timeoutMs: Infinity });
        },
        plaintext: () =>
          timeSync(() => {
            // the pooled sums every statistic here is a function of
            const m = xs.length;
            const s = new Float64Array(m);
            const q = new Float64Array(m * m);
            for (const row of pooled)
              for (let i = 0; i < m; i++) {
                s[i] += row[i];
                for (let j = i; j < m; j++) q[i * m + j] += row[i] * row[j];
              }
            if (!(q[0] >= 0 && s[0] >= 0)) throw new Error('unreachable');
          }),
      };
    },
  };
}

export const cases: BenchCase[] = [tableCase('crosstab', 3, 10_000, 1), tableCase('correlation', 3, 10_000, 5), tableCase('regression', 3, 10_000, 10)];
