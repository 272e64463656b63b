/**
 * One Prio3 instance per question (draft-irtf-cfrg-vdaf-08 through @divviup/prio3 0.8,
 * two shares), answer validation in the contributor's tab, and the public meaning of an
 * aggregate. The circuits are the library's; Parley only picks parameters.
 *
 * Variance of a number question (`variance: true`) is derived from two Prio3Sums, as the
 * issue asks ("mean and variance derived from Prio3 sums of x and x²"): part 'value'
 * carries v = x − min over b bits, part 'square' carries v² over 2b bits. Then
 *   mean = min + Σv/n,  population variance = (n·Σv² − (Σv)²) / n²  (shift-invariant),
 *   sample variance = population · n/(n−1),
 * computed in exact integers before the one division. What the proofs guarantee: v is in
 * [0, 2^b) and the square part in [0, 2^2b); Prio3 has no circuit proving that the second
 * is the square of the first, so a modified client can move Σv² by up to 2^2b − 1 (about
 * as much as 1–4 extreme honest answers), never the total or the mean. The result says so.
 *
 * Every instance is `accelerate`d (fast-prio3.ts): the library's code on faster arithmetic.
 *
 * Chunk lengths follow the draft's advice (≈ √ of the number of multiplications) to keep
 * proofs short.
 */
import { Prio3Histogram, Prio3Sum, Prio3SumVec } from '@divviup/prio3';
import { bitsFor, type SurveyDescriptor, type SurveyQuestion } from './descriptor';
import { SurveyError } from './errors';
import { accelerate } from './fast-prio3';

export type Measurement = bigint | number | number[];

export interface QuestionVdaf {
  question: SurveyQuestion;
  /** Index of the question in the descriptor (a question with variance has two parts). */
  index: number;
  part: 'value' | 'square';
  vdaf: Prio3Sum | Prio3Histogram | Prio3SumVec;
  /** Turn the typed answer into the circuit's measurement (validated first). */
  encode(answer: string): Measurement;
}

const chunk = (n: number) => Math.max(1, Math.round(Math.sqrt(n)));

function wholeNumber(s: string, what: string, lo: number, hi: number): number {
  const t = s.trim();
  if (!/^-?\d+$/.test(t)) throw new SurveyError('BAD_ANSWER', `${what}: enter a whole number${t ? ` (got "${t.slice(0, 20)}")` : ''}`);
  const v = Number(t);
  if (!Number.isSafeInteger(v) || v < lo || v > hi) throw new SurveyError('BAD_ANSWER', `${what}: must be between ${lo} and ${hi} (got ${t.slice(0, 20)})`);
  return v;
}

function vdafFor(q: SurveyQuestion, index: number): QuestionVdaf {
  switch (q.kind) {
    case 'number': {
      const vdaf = accelerate(new Prio3Sum({ shares: 2, bits: bitsFor(q.max - q.min) }));
      return { question: q, index, part: 'value', vdaf, encode: (a) => BigInt(wholeNumber(a, q.label, q.min, q.max) - q.min) };
    }
    case 'choice': {
      const vdaf = accelerate(new Prio3Histogram({ shares: 2, length: q.options.length, chunkLength: chunk(q.options.length) }));
      return {
        question: q,
        index,
        part: 'value',
        vdaf,
        encode: (a) => {
          const i = q.options.indexOf(a);
          if (i < 0) throw new SurveyError('BAD_ANSWER', `${q.label}: choose one of the options`);
          return i;
        },
      };
    }
    case 'numbers': {
      const bits = bitsFor(q.max);
      const vdaf = accelerate(new Prio3SumVec({ shares: 2, length: q.length, bits, chunkLength: chunk(q.length * bits) }));
      return {
        question: q,
        index,
        part: 'value',
        vdaf,
        encode: (a) => {
          const parts = a.split(/[\s,;]+/).filter((x) => x.length > 0);
          if (parts.length !== q.length) throw new SurveyError('BAD_ANSWER', `${q.label}: enter exactly ${q.length} numbers (got ${parts.length})`);
          return parts.map((p, i) => wholeNumber(p, `${q.label}, number ${i + 1}`, 0, q.max));
        },
      };
    }
  }
}

/** The (value − min)² part of a number question with variance. */
function squareVdafFor(q: Extract<SurveyQuestion, { kind: 'number' }>, index: number): QuestionVdaf {
  const vdaf = accelerate(new Prio3Sum({ shares: 2, bits: 2 * bitsFor(q.max - q.min) }));
  return {
    question: q,
    index,
    part: 'square',
    vdaf,
    encode: (a) => {
      const v = BigInt(wholeNumber(a, q.label, q.min, q.max) - q.min);
      return v * v;
    },
  };
}

/** The Prio3 instances of a descriptor, in report order: per question its value part, then its square part if any. */
export const vdafsFor = (d: SurveyDescriptor): QuestionVdaf[] =>
  d.questions.flatMap((q, i) => (q.kind === 'number' && q.variance ? [vdafFor(q, i), squareVdafFor(q, i)] : [vdafFor(q, i)]));

/** What a question's aggregate means to a reader, from the unsharded Prio3 result. */
export type QuestionResult =
  | { kind: 'number'; label: string; total: number; mean: number | null; variance?: NumberSpread }
  | { kind: 'choice'; label: string; counts: { option: string; count: number }[] }
  | { kind: 'numbers'; label: string; totals: number[]; means: (number | null)[] };

export interface NumberSpread {
  /** Σ(x − mean)² / n; null with no report. */
  population: number | null;
  /** Σ(x − mean)² / (n − 1); null below two reports. */
  sample: number | null;
  /** √sample (√population with one report would be 0 and say nothing). */
  sampleStddev: number | null;
  /** How far one modified client could move Σ(x − min)² (see the header). */
  squareBound: number;
}

const big = (x: unknown): bigint => (typeof x === 'bigint' ? x : BigInt(Number(x)));

/** Population and sample variance from n, Σv and Σv² (v = x − min), exactly up to the last division. */
export function spreadOf(n: number, sum: bigint, sumSquares: bigint, bits: number): NumberSpread {
  const squareBound = 2 ** (2 * bits) - 1;
  if (n === 0) return { population: null, sample: null, sampleStddev: null, squareBound };
  const N = BigInt(n);
  // n·Σv² − (Σv)² = n·Σ(v − mean)² ≥ 0 for honest squares; a lying client can push it below 0
  const scaled = N * sumSquares - sum * sum;
  const clamped = scaled < 0n ? 0n : scaled;
  const population = Number(clamped) / (n * n);
  const sample = n > 1 ? Number(clamped) / (n * (n - 1)) : null;
  return { population, sample, sampleStddev: sample === null ? null : Math.sqrt(sample), squareBound };
}

/** Per question, from the unsharded results of its parts (in vdafsFor order). */
export function describeResults(d: SurveyDescriptor, vdafs: readonly QuestionVdaf[], raws: readonly unknown[], count: number): QuestionResult[] {
  return d.questions.map((q, i) => {
    const parts = vdafs.map((v, j) => ({ v, raw: raws[j] })).filter((x) => x.v.index === i);
    const value = parts.find((x) => x.v.part === 'value')!.raw;
    const num = (x: unknown) => Number(x);
    switch (q.kind) {
      case 'number': {
        const total = num(value) + count * q.min;
        const out: QuestionResult = { kind: 'number', label: q.label, total, mean: count > 0 ? total / count : null };
        const square = parts.find((x) => x.v.part === 'square');
        if (square) out.variance = spreadOf(count, big(value), big(square.raw), bitsFor(q.max - q.min));
        return out;
      }
      case 'choice': {
        const counts = (value as unknown[]).map(num);
        return { kind: 'choice', label: q.label, counts: q.options.map((option, k) => ({ option, count: counts[k] })) };
      }
      case 'numbers': {
        const totals = (value as unknown[]).map(num);
        return { kind: 'numbers', label: q.label, totals, means: totals.map((t) => (count > 0 ? t / count : null)) };
      }
    }
  });
}
