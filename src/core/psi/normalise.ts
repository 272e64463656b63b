/**
 * Deterministic normalisation of set items before PSI: two parties' spellings of the same
 * email, phone number or ID must become the same string, or they will not match (PSI
 * compares exactly). The rules are simple, shown to the user (`examples`), and fixed: a
 * change here changes which items match across versions, so version it with the protocol.
 *
 * - email: trim, Unicode NFC, case-fold (lower(upper(s)), a close approximation of Unicode
 *   full case folding: "ß" → "ss", final sigma → σ), NFC again; must look like
 *   local@domain (one "@", both sides non-empty, no whitespace) or the line is dropped.
 * - phone: NFKC (full-width digits become ASCII), strip whitespace, "-", ".", "(", ")";
 *   keep one leading "+"; what remains must be 3–20 digits or the line is dropped. No
 *   country-code rewriting ("0044…" and "+44…" stay different): say so in the UI.
 * - id, text: trim, collapse inner whitespace runs to one space, NFC. Case is kept.
 * Empty lines are dropped; duplicates (after normalisation) are removed, first kept.
 *
 * Security: none; this runs locally on the user's own input.
 * [UAX15] Unicode Normalization Forms. [Unicode §5.18] Case Mappings.
 */
import { MpcError } from '../errors.ts';

export type ItemKind = 'email' | 'phone' | 'id' | 'text';

export interface NormalisedItems {
  /** Normalised, deduplicated, in order of first appearance. */
  items: string[];
  /** Non-empty lines that are not a valid item of this kind. */
  dropped: number;
  /** Lines whose normalised form repeats an earlier one. */
  duplicates: number;
  /** A few lines and what they became (changed ones first), to show the user. */
  examples: { raw: string; normalised: string }[];
}

const MAX_EXAMPLES = 5;
const EMAIL = /^[^\s@]+@[^\s@]+$/u;
const PHONE = /^\+?[0-9]{3,20}$/;

// toLowerCase applies the final-sigma rule (Σ → ς at a word end); case folding maps ς to σ.
const caseFold = (s: string): string => s.toUpperCase().toLowerCase().replace(/\u03c2/gu, '\u03c3');

/** One item normalised, or undefined when it is empty or invalid for `kind`. */
export function normaliseItem(raw: string, kind: ItemKind): string | undefined {
  let s: string;
  switch (kind) {
    case 'email':
      s = caseFold(raw.trim().normalize('NFC')).normalize('NFC');
      return EMAIL.test(s) ? s : undefined;
    case 'phone':
      s = raw.normalize('NFKC').replace(/[\s\-.()]/gu, '');
      return PHONE.test(s) ? s : undefined;
    case 'id':
    case 'text':
      s = raw.trim().replace(/\s+/gu, ' ').normalize('NFC');
      return s === '' ? undefined : s;
    default:
      throw new MpcError('INVALID_ARGUMENT', `unknown item kind ${String(kind)}`);
  }
}

/** Normalise pasted lines (or a CSV column) of one kind. */
export function normaliseItems(lines: readonly string[], kind: ItemKind): NormalisedItems {
  const seen = new Set<string>();
  const items: string[] = [];
  const changed: NormalisedItems['examples'] = [];
  const unchanged: NormalisedItems['examples'] = [];
  let dropped = 0;
  let duplicates = 0;
  for (const raw of lines) {
    const normalised = normaliseItem(raw, kind);
    if (normalised === undefined) {
      if (raw.trim() !== '') dropped++;
      continue;
    }
    if (seen.has(normalised)) {
      duplicates++;
      continue;
    }
    seen.add(normalised);
    items.push(normalised);
    const bucket = normalised === raw ? unchanged : changed;
    if (bucket.length < MAX_EXAMPLES) bucket.push({ raw, normalised });
  }
  return { items, dropped, duplicates, examples: [...changed, ...unchanged].slice(0, MAX_EXAMPLES) };
}

/** Lines of pasted text (LF, CRLF or CR). */
export const splitLines = (text: string): string[] => text.split(/\r\n|\n|\r/);
