/**
 * The Node aggregator: the same survey core as the aggregator tab (src/core/survey), run
 * from a terminal or a server of the organisation that agreed to aggregate.
 *
 *   parley survey-key FILE                      make a key; FILE gets the secret (mode 0600),
 *                                               stdout the public key to send the creator
 *   parley survey-aggregate '<survey link>' --key FILE [--wait] [--threads N]
 *                                               when the survey is closed (--wait: wait for
 *                                               the close), run this aggregator's half with
 *                                               the other aggregator (a tab or another Node),
 *                                               publish, and print the result as JSON;
 *                                               --threads: worker threads for the proof
 *                                               checks (default: the cores; 1 = this thread)
 *
 * The link pins the descriptor (its digest), so a server that swaps a key or a question is
 * refused before any share is opened. Exit codes are the CLI's (exit-codes.ts): 0 result
 * printed · 2 bad command line or key file · 4 server unreachable, survey not closed, or the
 * link does not match · 5 the run failed (the other aggregator or the relay misbehaved) ·
 * 6 this key is not one of the survey's aggregators.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import {
  combinePublications,
  keyFingerprint,
  newAggregatorKeyFile,
  parseSurveyFragment,
  readAggregatorKeyFile,
  runAggregator,
  SurveyClient,
  verifyDescriptor,
  type SurveyDescriptor,
} from '../core/survey/index.ts';
import { EXIT, type ExitCode } from './exit-codes.ts';
import { prepPool } from './survey-prep-pool.ts';

export const SURVEY_USAGE = `parley survey-key FILE
parley survey-aggregate '<survey link>' --key FILE [--wait] [--poll SECONDS] [--threads N]`;

class SurveyExit extends Error {
  constructor(
    readonly exit: ExitCode,
    message: string,
  ) {
    super(message);
  }
}

const log = (line: string) => process.stderr.write(`${line}\n`);
const codeOf = (e: unknown) => (typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : '');
const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

async function makeKey(rest: string[]): Promise<ExitCode> {
  if (rest.length !== 1) throw new SurveyExit(EXIT.USAGE, `survey-key takes one file name.\n\n${SURVEY_USAGE}`);
  const [file] = rest;
  if (existsSync(file)) throw new SurveyExit(EXIT.USAGE, `${file} exists; refusing to overwrite an aggregator key (it may be in use by a survey).`);
  const { text, publicKey } = await newAggregatorKeyFile();
  writeFileSync(file, text, { mode: 0o600, flag: 'wx' });
  process.stdout.write(`${publicKey}\n`);
  log(`Wrote the secret key to ${file} (readable by you only; whoever reads it can open this aggregator's shares).`);
  log(`Send the line above to the survey's creator. Fingerprint to compare by phone: ${keyFingerprint(publicKey)}`);
  return EXIT.OK;
}

function parseLink(raw: string): { origin: string; id: string; digest: string } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new SurveyExit(EXIT.USAGE, 'the survey link must be a full address such as https://parley.example/#/survey/… (quote it: # starts a comment in most shells).');
  }
  const frag = url.hash.startsWith('#/survey/') ? parseSurveyFragment(url.hash.slice('#/survey/'.length)) : undefined;
  if (!frag) throw new SurveyExit(EXIT.USAGE, 'that is not a survey link (expected …/#/survey/<id>.<digest>).');
  return { origin: url.origin, ...frag };
}

async function aggregate(rest: string[]): Promise<ExitCode> {
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: { key: { type: 'string' }, wait: { type: 'boolean' }, poll: { type: 'string' }, threads: { type: 'string' } }, allowPositionals: true, strict: true });
  } catch (e) {
    throw new SurveyExit(EXIT.USAGE, `${messageOf(e)}\n\n${SURVEY_USAGE}`);
  }
  const { values: v, positionals } = parsed;
  if (positionals.length !== 1) throw new SurveyExit(EXIT.USAGE, `survey-aggregate takes one survey link.\n\n${SURVEY_USAGE}`);
  if (!v.key) throw new SurveyExit(EXIT.USAGE, 'survey-aggregate needs --key FILE (made by parley survey-key).');
  const pollMs = Math.round(Number(v.poll ?? 5) * 1000);
  if (!Number.isFinite(pollMs) || pollMs < 100 || pollMs > 3_600_000) throw new SurveyExit(EXIT.USAGE, '--poll must be between 0.1 and 3600 seconds.');
  const threads = v.threads === undefined ? availableParallelism() : Number(v.threads);
  if (!Number.isSafeInteger(threads) || threads < 1 || threads > 256) throw new SurveyExit(EXIT.USAGE, '--threads must be a whole number from 1 to 256.');
  const link = parseLink(positionals[0]);
  let keyText: string;
  try {
    keyText = readFileSync(v.key, 'utf8');
  } catch (e) {
    throw new SurveyExit(EXIT.USAGE, `cannot read the key file ${v.key}: ${messageOf(e)}`);
  }
  const secret = await readAggregatorKeyFile(keyText).catch((e: unknown) => {
    throw new SurveyExit(EXIT.USAGE, `${v.key}: ${messageOf(e)}`);
  });

  const client = new SurveyClient(link.origin);
  const status = () =>
    client.status(link.id).catch((e: unknown) => {
      throw new SurveyExit(EXIT.CONNECT, `the server at ${link.origin} did not answer: ${messageOf(e)}`);
    });
  let s = await status();
  let d: SurveyDescriptor;
  try {
    d = verifyDescriptor(s.descriptor, link);
  } catch (e) {
    throw new SurveyExit(EXIT.CONNECT, messageOf(e));
  }
  const me = d.aggregators.findIndex((a) => a.key === secret.publicKey);
  if (me < 0) throw new SurveyExit(EXIT.REFUSED, `this key (${keyFingerprint(secret.publicKey)}) is not one of the aggregators of “${d.title}” (${d.aggregators.map((a) => a.name).join(', ')}).`);
  log(`Survey “${d.title}”: you are aggregator ${me + 1} (${d.aggregators[me].name}); the other is ${d.aggregators[1 - me].name}.`);
  while (s.state !== 'closed') {
    if (!v.wait) throw new SurveyExit(EXIT.CONNECT, `the survey is ${s.state} until ${new Date(d.closesAt).toISOString()} (${s.reports} reports so far); run again after it closes, or add --wait.`);
    await new Promise((r) => setTimeout(r, pollMs));
    s = await status();
  }
  log(`Closed with ${s.reports} reports. Checking their proofs with ${d.aggregators[1 - me].name}…`);
  let run;
  try {
    run = await runAggregator(d, me as 0 | 1, secret, client.aggregatorIo(d, me as 0 | 1), {
      onProgress: (done, total) => log(`checked ${done} of ${total} reports`),
      engine: threads > 1 ? prepPool(threads) : undefined,
    });
  } catch (e) {
    throw new SurveyExit(codeOf(e) === 'NOT_AGGREGATOR' ? EXIT.REFUSED : EXIT.ABORTED, `the aggregation failed: ${messageOf(e)}`);
  }
  const rejected = Object.entries(run.rejected).map(([why, n]) => `${n} ${why}`);
  log(`Published: ${run.publication.count} valid, ${run.publication.invalid} invalid${rejected.length ? ` (${rejected.join(', ')})` : ''}. Waiting for the other aggregator's share…`);
  for (;;) {
    s = await status();
    try {
      const result = await combinePublications(d, s.results);
      process.stdout.write(`${JSON.stringify({ computation: 'survey', ...result })}\n`);
      return EXIT.OK;
    } catch (e) {
      // the other aggregator publishes at about the same time; anything but "waiting" is final
      if (!/waiting for both/.test(messageOf(e))) throw new SurveyExit(EXIT.ABORTED, messageOf(e));
    }
    await new Promise((r) => setTimeout(r, Math.min(pollMs, 1000)));
  }
}

/** `parley survey-…`: returns the exit code; messages go to stderr, the result to stdout. */
export async function surveyCommand(argv: string[]): Promise<ExitCode> {
  const [command, ...rest] = argv;
  try {
    if (command === 'survey-key') return await makeKey(rest);
    if (command === 'survey-aggregate') return await aggregate(rest);
    throw new SurveyExit(EXIT.USAGE, `Unknown command ${JSON.stringify(command)}.\n\n${SURVEY_USAGE}`);
  } catch (e) {
    if (!(e instanceof SurveyExit)) throw e;
    log(`parley: ${e.message}`);
    return e.exit;
  }
}
