/**
 * The benchmark registry: every file in bench/cases exports `cases: BenchCase[]`; add yours
 * here (one import, one spread). See bench/README.md.
 */
import type { BenchCase } from '../harness.ts';
import { cases as computations } from './computations.ts';
import { cases as dp } from './dp.ts';
import { cases as model } from './model.ts';
import { cases as otTriples } from './ot-triples.ts';
import { cases as protocols } from './protocols.ts';
import { cases as psi } from './psi.ts';
import { cases as psiJs } from './psi-js.ts';
import { cases as strict } from './strict.ts';
import { cases as sum } from './sum.ts';
import { cases as survey } from './survey.ts';
import { cases as table } from './table.ts';

export const allCases: readonly BenchCase[] = [...sum, ...otTriples, ...protocols, ...computations, ...psi, ...psiJs, ...survey, ...dp, ...model, ...table, ...strict];
