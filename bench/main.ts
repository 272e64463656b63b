/**
 * `npm run bench [-- options]`
 *   --json          one JSON object per line instead of a table
 *   --only <text>   run cases whose name contains <text> (repeatable, case-insensitive)
 *   --quick         small sizes (smoke test)
 *   --reps <k>      timed repetitions per case (median reported; default 5)
 *   --list          print case names and exit
 */
import { allCases } from './cases/index.ts';
import { type BenchResult, checkUniqueNames, formatTable, runCase, selectCases, toJsonLine } from './harness.ts';

interface Args {
  json: boolean;
  quick: boolean;
  list: boolean;
  reps: number;
  only: string[];
}

function parseArgs(argv: readonly string[]): Args {
  const a: Args = { json: false, quick: false, list: false, reps: 5, only: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--json') a.json = true;
    else if (arg === '--quick') a.quick = true;
    else if (arg === '--list') a.list = true;
    else if (arg === '--only') a.only.push(value());
    else if (arg.startsWith('--only=')) a.only.push(arg.slice(7));
    else if (arg === '--reps') a.reps = Math.max(1, Number.parseInt(value(), 10) || 5);
    else throw new Error(`unknown option ${arg} (see bench/main.ts)`);
  }
  return a;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  checkUniqueNames(allCases);
  const cases = selectCases(allCases, args.only);
  if (args.list) {
    for (const c of cases) console.log(c.name);
    return;
  }
  if (cases.length === 0) throw new Error(`no case matches ${args.only.join(', ')}; try --list`);
  const results: BenchResult[] = [];
  for (const c of cases) {
    const r = await runCase(c, { reps: args.reps, quick: args.quick });
    results.push(r);
    if (args.json) console.log(toJsonLine(r));
    else process.stderr.write(`  done: ${c.name}\n`);
  }
  if (!args.json) console.log(formatTable(results));
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
