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

/**
 * A report from a modified client: the circuit's encoding (or proof) is replaced after the
 * honest tab's checks, exactly what someone editing the app's code could do. The first
 * question must be a number and the second a choice (testSurvey's layout).
 */
export async function maliciousReport(d: SurveyDescriptor, attack: Attack): Promise<ReportUpload> {
  const vdafs = vdafsFor(d);
  const sum = vdafs[0].vdaf.flp as unknown as { encode(m: unknown): bigint[]; prove(...a: unknown[]): bigint[] };
  const hist = vdafs[1].vdaf.flp as unknown as { encode(m: unknown): bigint[]; prove(...a: unknown[]): bigint[] };
  const bits = (vdafs[0].vdaf as unknown as { bits: number }).bits;
  const measurements: unknown[] = [5n, 0];
  if (attack === 'sum-out-of-range') {
    // "bits" of 255 ... but each one is 200: the sum would be 200·255, far past the range
    sum.encode = () => new Array<bigint>(bits).fill(200n);
  } else if (attack === 'two-hot') {
    const length = d.questions[1].kind === 'choice' ? d.questions[1].options.length : 0;
    hist.encode = () => Array.from({ length }, (_, i) => (i < 2 ? 1n : 0n));
  } else {
    const prove = sum.prove.bind(sum);
    sum.prove = (...a: unknown[]) => {
      const p = prove(...a);
      p[0] = p[0] + 1n;
      return p;
    };
  }
  return shardAndSeal(d, crypto.getRandomValues(new Uint8Array(16)), measurements, vdafs);
}
