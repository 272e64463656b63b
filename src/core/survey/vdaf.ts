/**
 * One Prio3 instance per question (draft-irtf-cfrg-vdaf-08 through @divviup/prio3 0.8,
 * two shares), answer validation in the contributor's tab, and the public meaning of an
 * aggregate. The circuits are the library's; Parley only picks parameters.
 *
 * Chunk lengths follow the draft's advice (≈ √ of the number of multiplications) to keep
 * proofs short.
 */
import { Prio3Histogram, Prio3Sum, Prio3SumVec } from '@divviup/prio3';
import { bitsFor, type SurveyDescriptor, type SurveyQuestion } from './descriptor';
import { SurveyError } from './errors';

export type Measurement = bigint | number | number[];

export interface QuestionVdaf {
  question: SurveyQuestion;
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

export function vdafFor(q: SurveyQuestion): QuestionVdaf {
  switch (q.kind) {
    case 'number': {
      const vdaf = new Prio3Sum({ shares: 2, bits: bitsFor(q.max - q.min) });
      return { question: q, vdaf, encode: (a) => BigInt(wholeNumber(a, q.label, q.min, q.max) - q.min) };
    }
    case 'choice': {
      const vdaf = new Prio3Histogram({ shares: 2, length: q.options.length, chunkLength: chunk(q.options.length) });
      return {
        question: q,
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
      const vdaf = new Prio3SumVec({ shares: 2, length: q.length, bits, chunkLength: chunk(q.length * bits) });
      return {
        question: q,
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

export const vdafsFor = (d: SurveyDescriptor): QuestionVdaf[] => d.questions.map(vdafFor);

/** What a question's aggregate means to a reader, from the unsharded Prio3 result. */
export type QuestionResult =
  | { kind: 'number'; label: string; total: number; mean: number | null }
  | { kind: 'choice'; label: string; counts: { option: string; count: number }[] }
  | { kind: 'numbers'; label: string; totals: number[]; means: (number | null)[] };

export function describeResult(q: SurveyQuestion, raw: unknown, count: number): QuestionResult {
  const num = (x: unknown) => (typeof x === 'bigint' ? Number(x) : Number(x));
  switch (q.kind) {
    case 'number': {
      const total = num(raw) + count * q.min;
      return { kind: 'number', label: q.label, total, mean: count > 0 ? total / count : null };
    }
    case 'choice': {
      const counts = (raw as unknown[]).map(num);
      return { kind: 'choice', label: q.label, counts: q.options.map((option, i) => ({ option, count: counts[i] })) };
    }
    case 'numbers': {
      const totals = (raw as unknown[]).map(num);
      return { kind: 'numbers', label: q.label, totals, means: totals.map((t) => (count > 0 ? t / count : null)) };
    }
  }
}
