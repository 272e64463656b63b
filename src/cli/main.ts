/**
 * `parley`: a room participant for servers and pipelines (issue 16 part 2).
 *
 *   parley join '<room link>' --csv patients.csv --column systolic_bp [--ready]
 *   parley host --server http://127.0.0.1:8787 --computation psi --items ids.txt --parties 2
 *   parley join '<room link>' --csv clinic.csv --map systolic_bp=SBP --ready     (a table kind)
 *
 * The result goes to stdout as JSON (the browser's `data-result` shape); everything for
 * people (safety code, computation, progress, errors) to stderr. Exit codes: exit-codes.ts.
 */
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { deriveRoomKeys, hostFingerprint, newHostKey, newRoomSecret, parseRoomLinkPath, roomLinkPath, type HostKey, type RoomLink } from '../transport/index.ts';
import { COMPUTATIONS, ITEM_KINDS, parseSpec, type RoomSpec } from '../ui/features/room/room-protocol.ts';
import { defaultSpec } from '../ui/features/room/spec-defaults.ts';
import { computationFor, type AnyComputation } from '../core/computations/registry.ts';
import { CliExit, EXIT, type ExitCode } from './exit-codes.ts';
import { SURVEY_USAGE, surveyCommand } from './survey.ts';
import { readInputText } from './input.ts';
import { Party, type RunProgress } from './party.ts';
import { progressLine } from './terminal.ts';
import { defaultLedgerPath, fileLedgerPolicy } from './ledger-file.ts';
import { budgetOfHash, stripBudget } from '../core/dp/budget.ts';

const USAGE = `Usage:
  parley join '<room link>' INPUT [--name NAME] [--ready] [--computation KIND] [--timeout SECONDS]
  parley host --server URL --computation KIND INPUT [--parties N] [--spec JSON] [--protection LEVEL] [--item-kind KIND] [--name NAME]
${SURVEY_USAGE.replace(/^/gm, '  ')}

INPUT (exactly one; read here, never uploaded):
  --csv FILE --column NAME   one column of a CSV file (its first row names the columns)
  --csv FILE                 a whole table (crosstab, correlation, regression, table-stat, models):
                             columns are matched to the host's by header name
    --map COLUMN=HEADER      where your header differs: the host's column, then yours (repeatable)
  --values FILE              numbers as you would paste them (a list, value–weight pairs); - for stdin
  --items FILE               set intersection: one e-mail / ID / phone number per line; - for stdin
  --value NUMBER             a single number

join:
  --ready              be ready as soon as the input fits the host's computation (otherwise: press Enter)
  --computation KIND   refuse a room that computes anything else (e.g. median)
  --timeout SECONDS    give up if no run starts within this time (default: wait)
  --ledger FILE        (join and host) this party's privacy ledger: private runs over the room's
                       budget are refused (default ~/.parley/ledger.json)
  --round-timeout SECONDS
                       (join and host) during a run, give up on a participant that stays
                       connected but silent this long (default: from the computation and the
                       largest input: 60 s, plus 16·(N+6) ms per item of the largest PSI list)
host:
  --server URL         the Parley server (http://host:port); the room link is printed on stderr
  --computation KIND   ${COMPUTATIONS.join(', ')}
  --parties N          start when N participants (you included) are connected and ready (default 2)
  --spec JSON          rules over the defaults, e.g. '{"decimals":0,"lower":"0","upper":"300"}';
                       for table kinds the fields as the browser's editor has them, e.g.
                       '{"columns":"sex: category F, M\nbp: number 60..260","group-by":"sex","value":"bp"}'
  --item-kind KIND     set intersection items: ${ITEM_KINDS.join(', ')} (default email)
  --protection LEVEL   strict (the default: a participant running modified code can only make the
                       run stop) or fast (semi-honest: a participant running modified code could
                       learn more than the result); set intersection has no level

The result is printed to stdout as JSON, e.g. {"computation":"median","value":42.5,"exact":"42.5"}.
Exit codes: 0 result printed · 2 bad command line · 3 input does not fit the computation ·
4 could not join (link, server, network, --timeout) · 5 run aborted (someone left, stopped
responding, sent garbage or stopped it) · 6 refused (different computation or group than agreed) ·
7 the host left before starting · 130 interrupted · 1 internal error.`;

const OPTIONS = {
  name: { type: 'string' },
  csv: { type: 'string' },
  column: { type: 'string' },
  map: { type: 'string', multiple: true },
  values: { type: 'string' },
  items: { type: 'string' },
  value: { type: 'string' },
  ready: { type: 'boolean' },
  computation: { type: 'string' },
  timeout: { type: 'string' },
  'round-timeout': { type: 'string' },
  server: { type: 'string' },
  parties: { type: 'string' },
  spec: { type: 'string' },
  'item-kind': { type: 'string' },
  protection: { type: 'string' },
  signaling: { type: 'string' },
  ledger: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

/** `ws(s)://host/ws` of an http(s) origin. */
function signalingUrlOf(origin: URL): string {
  return `${origin.protocol === 'https:' ? 'wss:' : 'ws:'}//${origin.host}/ws`;
}

function parseUrl(text: string, what: string): URL {
  try {
    const u = new URL(text);
    if (u.protocol === 'http:' || u.protocol === 'https:') return u;
  } catch {
    // fall through
  }
  throw new CliExit(EXIT.USAGE, `${what} must be an http:// or https:// address, got ${JSON.stringify(text.slice(0, 80))}.`);
}

function positiveInt(text: string | undefined, what: string, fallback: number, max: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > max) throw new CliExit(EXIT.USAGE, `${what} must be a whole number from 0 to ${max}, got ${JSON.stringify(text)}.`);
  return n;
}

/** The host's rules with `--protection` applied (absent: the spec's default, strict). */
function hostSpec(v: Values): RoomSpec {
  const spec = hostRules(v);
  const level = v.protection;
  if (level === undefined) return spec;
  if (level !== 'strict' && level !== 'fast') throw new CliExit(EXIT.USAGE, `--protection must be strict or fast, got ${JSON.stringify(level)}.`);
  const withLevel = parseSpec({ ...spec, protection: level });
  if (!withLevel) throw new CliExit(EXIT.USAGE, `${spec.kind} has no protection level (set intersection runs one protocol); leave out --protection.`);
  return withLevel;
}

function hostRules(v: Values): RoomSpec {
  const kind = v.computation;
  if (!kind || !(COMPUTATIONS as readonly string[]).includes(kind)) throw new CliExit(EXIT.USAGE, `host needs --computation, one of: ${COMPUTATIONS.join(', ')}.`);
  let overrides: Record<string, unknown> = {};
  if (v.spec !== undefined) {
    try {
      const o: unknown = JSON.parse(v.spec);
      if (typeof o !== 'object' || o === null || Array.isArray(o)) throw new Error('not an object');
      overrides = o as Record<string, unknown>;
    } catch (e) {
      throw new CliExit(EXIT.USAGE, `--spec must be a JSON object (${e instanceof Error ? e.message : String(e)}).`);
    }
  }
  const def = computationFor(kind);
  if (def.draft) return draftSpec(kind, def.draft, overrides);
  const base = defaultSpec(kind as RoomSpec['kind']) as unknown as Record<string, unknown>;
  const spec = parseSpec({ ...base, ...(v['item-kind'] !== undefined ? { itemKind: v['item-kind'] } : {}), ...overrides, kind });
  if (!spec) throw new CliExit(EXIT.USAGE, `The rules for ${kind} are not valid: ${JSON.stringify({ ...base, ...overrides })}. Check --spec and --item-kind (${ITEM_KINDS.join(', ')}).`);
  return spec;
}

/**
 * A table-shaped kind's spec from the editor's texts (the registry's `draft`: one schema line per
 * column, the filter, the columns by name), as the browser's host types them.
 */
function draftSpec(kind: string, draft: NonNullable<AnyComputation['draft']>, overrides: Record<string, unknown>): RoomSpec {
  const base = defaultSpec(kind as RoomSpec['kind']);
  const texts = draft.toDraft(base);
  const wrong = Object.entries(overrides).filter(([k, x]) => !(k in texts) || typeof x !== 'string');
  if (wrong.length) throw new CliExit(EXIT.USAGE, `--spec for ${kind} takes text fields ${Object.keys(texts).map((k) => JSON.stringify(k)).join(', ')}; not ${wrong.map(([k]) => JSON.stringify(k)).join(', ')}.`);
  const built = draft.fromDraft(base, { ...texts, ...(overrides as Record<string, string>) });
  if (!built.ok) throw new CliExit(EXIT.USAGE, `The rules for ${kind} are not valid: ${built.error}. Check --spec.`);
  const spec = parseSpec(built.spec);
  if (!spec) throw new CliExit(EXIT.USAGE, `The rules for ${kind} are not valid. Check --spec.`);
  return spec;
}

/** Ask on the terminal; resolves on Enter. */
function confirmOnTerminal(summary: string): Promise<void> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    rl.question(`${summary} Press Enter to be ready (Ctrl-C to leave). `, () => {
      rl.close();
      resolve();
    });
  });
}

function progressReporter(): (p: RunProgress) => void {
  const tty = process.stderr.isTTY;
  let lastPhase = '';
  let lastAt = 0;
  return (p) => {
    const line = progressLine(p);
    if (tty) {
      process.stderr.write(`\r\x1b[K${line}`);
      return;
    }
    // Logs: a line per phase and every 10 s of a long run, not one per second.
    if (p.phase !== lastPhase || p.millis - lastAt >= 10_000) {
      lastPhase = p.phase;
      lastAt = p.millis;
      process.stderr.write(`${line}\n`);
    }
  };
}

async function main(argv: string[]): Promise<ExitCode> {
  if (argv[0]?.startsWith('survey-')) return surveyCommand(argv); // survey aggregator (src/cli/survey.ts)
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    throw new CliExit(EXIT.USAGE, `${e instanceof Error ? e.message : String(e)}\n\n${USAGE}`);
  }
  const { values: v, positionals } = parsed;
  if (v.help || positionals.length === 0) {
    process.stderr.write(`${USAGE}\n`);
    return v.help ? EXIT.OK : EXIT.USAGE;
  }
  const [command, ...rest] = positionals;
  if (command !== 'join' && command !== 'host') throw new CliExit(EXIT.USAGE, `Unknown command ${JSON.stringify(command)}.\n\n${USAGE}`);
  const readStdin = () => readFileSync(0, 'utf8');
  const input = readInputText(v, readStdin);
  const usesStdin = [v.csv, v.values, v.items].includes('-');
  const waitMs = positiveInt(v.timeout, '--timeout', 0, 7 * 24 * 3600) * 1000;
  const roundTimeoutMs = v['round-timeout'] === undefined ? undefined : Math.max(1, positiveInt(v['round-timeout'], '--round-timeout', 0, 7 * 24 * 3600)) * 1000;
  const log = (line: string) => process.stderr.write(`${process.stderr.isTTY ? '\r\x1b[K' : ''}${line}\n`);

  let link: RoomLink;
  let signalingUrl: string;
  let host: { key: HostKey; spec: RoomSpec; startWhen: number } | undefined;
  let linkBudget: string | undefined;
  if (command === 'join') {
    if (rest.length !== 1) throw new CliExit(EXIT.USAGE, `join takes one room link (quote it: the # starts a comment in most shells).\n\n${USAGE}`);
    const url = parseUrl(rest[0], 'The room link');
    const parsed = url.hash.startsWith('#/room/') ? parseRoomLinkPath(stripBudget(url.hash.slice('#/room/'.length))) : undefined;
    if (!parsed) throw new CliExit(EXIT.CONNECT, 'The room link is incomplete or malformed: it should end in #/room/ followed by 22 characters, a dot and 22 more. Copy the whole link.');
    link = parsed;
    linkBudget = budgetOfHash(url.hash);
    signalingUrl = v.signaling ?? signalingUrlOf(url);
    if (v.computation !== undefined && !(COMPUTATIONS as readonly string[]).includes(v.computation)) throw new CliExit(EXIT.USAGE, `--computation must be one of: ${COMPUTATIONS.join(', ')}.`);
  } else {
    if (rest.length !== 0) throw new CliExit(EXIT.USAGE, `host takes no positional arguments.\n\n${USAGE}`);
    if (!v.server) throw new CliExit(EXIT.USAGE, 'host needs --server URL (the Parley server to create the room on).');
    const server = parseUrl(v.server, '--server');
    const key = newHostKey();
    host = { key, spec: hostSpec(v), startWhen: positiveInt(v.parties, '--parties', 2, 32) };
    if (host.startWhen < 2) throw new CliExit(EXIT.USAGE, '--parties must be at least 2.');
    link = { secret: newRoomSecret(), host: hostFingerprint(key.publicKey) };
    signalingUrl = v.signaling ?? signalingUrlOf(server);
    linkBudget = 'budget' in host.spec ? host.spec.budget : undefined;
    log(`Room link: ${server.origin}/#/room/${roomLinkPath(link)}${linkBudget ? `~budget=${linkBudget}` : ''}`);
  }
  const autoReady = !!v.ready || !!host;
  if (!autoReady && (!process.stdin.isTTY || usesStdin)) {
    throw new CliExit(EXIT.USAGE, 'Not on an interactive terminal (or the input comes from stdin): pass --ready to be ready as soon as the input fits.');
  }

  const ledger = fileLedgerPolicy(v.ledger ?? defaultLedgerPath(), deriveRoomKeys(link.secret).roomId, linkBudget);
  if (ledger.notice) log(ledger.notice);
  const party = new Party({
    link,
    signalingUrl,
    name: v.name ?? (host ? 'Node host' : 'Node party'),
    host,
    inputText: input.text,
    table: input.table,
    autoReady,
    confirmReady: autoReady ? undefined : confirmOnTerminal,
    expectKind: command === 'join' ? v.computation : undefined,
    waitMs,
    roundTimeoutMs,
    log,
    progress: progressReporter(),
    policy: ledger,
  });
  const stop = (signal: string) => party.interrupt(`Stopped (${signal}).`);
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  const outcome = await party.run();
  if (outcome.result) process.stdout.write(`${JSON.stringify(outcome.result)}\n`);
  log(outcome.message);
  return outcome.exit;
}

function exitWith(code: number): void {
  // wrtc keeps native handles alive: exit explicitly once stdout is flushed.
  process.stdout.write('', () => process.exit(code));
}

main(process.argv.slice(2)).then(exitWith, (e: unknown) => {
  if (e instanceof CliExit) {
    process.stderr.write(`parley: ${e.message}\n`);
    exitWith(e.exit);
  } else {
    process.stderr.write(`parley: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    exitWith(EXIT.INTERNAL);
  }
});
