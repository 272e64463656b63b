/**
 * Private set intersection: item normalisation and CSV input (local, shown to the user) and
 * the N-party OPPRF-based PSI protocol (mp-psi.ts; what it reveals is stated there).
 */
export { MAX_PSI_ITEMS, type PsiMode, type PsiOptions, type PsiProgress, type PsiResult, privateSetIntersection } from './mp-psi.ts';
export { type ItemKind, type NormalisedItems, normaliseItem, normaliseItems, splitLines } from './normalise.ts';
export { type CsvColumn, type CsvColumnOptions, type CsvDelimiter, csvColumn, detectDelimiter, parseCsv, toCsv } from './csv.ts';
