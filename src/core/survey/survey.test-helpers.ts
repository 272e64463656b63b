/** Shared by the survey tests: descriptors, aggregator keys, reports a modified client would send. */
import { b64urlEncode } from './b64';
import { generateAggregatorSecret, type AggregatorSecret } from './crypto';
import { parseDescriptor, type SurveyDescriptor } from './descriptor';
import { shardAndSeal, type ReportUpload } from './report';
import { vdafsFor } from './vdaf';

export async function testSurvey(overrides: Partial<SurveyDescriptor> = {}): Promise<{ d: SurveyDescriptor; secrets: [AggregatorSecret, AggregatorSecret] }> {
  const secrets: [AggregatorSecret, AggregatorSecret] = [await generateAggregatorSecret(), await generateAggregatorSecret()];
  const now = Date.now();
  const d = parseDescriptor({
    version: 1,
    id: b64urlEncode(crypto.getRandomValues(new Uint8Array(16))),
    title: 'Test survey',
    questions: [
      { kind: 'number', label: 'Salary (k)', min: 0, max: 255 },
      { kind: 'choice', label: 'Team', options: ['red', 'green', 'blue'] },
    ],
    opensAt: now - 1000,
    closesAt: now + 3_600_000,
    aggregators: [
      { name: 'Agg A', key: secrets[0].publicKey },
      { name: 'Agg B', key: secrets[1].publicKey },
    ],
    ...overrides,
  });
  return { d, secrets };
}

export type Attack = 'sum-out-of-range' | 'two-hot' | 'corrupt-proof';

/** An honest answer to any question (its smallest value, its first option). */
function plainAnswer(q: SurveyDescriptor['questions'][number]): string {
  if (q.kind === 'number') return String(q.min);
  if (q.kind === 'choice') return q.options[0];
  return new Array<string>(q.length).fill('0').join(',');
}

/**
 * A report from a modified client: the circuit's encoding (or proof) is replaced after the
 * honest tab's checks, exactly what someone editing the app's code could do. The descriptor
 * needs a number question (out-of-range sum, corrupted proof) or a choice (two-hot); every
 * other question gets an honest answer.
 */
export async function maliciousReport(d: SurveyDescriptor, attack: Attack): Promise<ReportUpload> {
  const vdafs = vdafsFor(d);
  const measurements: unknown[] = vdafs.map((v) => v.encode(plainAnswer(v.question)));
  type Flp = { encode(m: unknown): bigint[]; prove(...a: unknown[]): bigint[] };
  const sumPart = vdafs.find((v) => v.question.kind === 'number' && v.part === 'value');
  const choicePart = vdafs.find((v) => v.question.kind === 'choice');
  const target = attack === 'two-hot' ? choicePart : sumPart;
  if (!target) throw new Error(`maliciousReport(${attack}): the descriptor has no ${attack === 'two-hot' ? 'choice' : 'number'} question`);
  const flp = target.vdaf.flp as unknown as Flp;
  if (attack === 'sum-out-of-range') {
    // "bits" of the range ... but each one is 200: the sum would be 200·(2^bits − 1), far past it
    const bits = (target.vdaf as unknown as { bits: number }).bits;
    flp.encode = () => new Array<bigint>(bits).fill(200n);
  } else if (attack === 'two-hot') {
    const q = target.question;
    const length = q.kind === 'choice' ? q.options.length : 0;
    flp.encode = () => Array.from({ length }, (_, i) => (i < 2 ? 1n : 0n));
  } else {
    const prove = flp.prove.bind(flp);
    flp.prove = (...a: unknown[]) => {
      const p = prove(...a);
      p[0] = p[0] + 1n;
      return p;
    };
  }
  return shardAndSeal(d, crypto.getRandomValues(new Uint8Array(16)), measurements, vdafs);
}
