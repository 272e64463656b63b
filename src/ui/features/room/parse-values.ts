/**
 * Validation of what a participant pastes as private input, on the main thread, before
 * anything is handed to the worker. It only checks and normalises; the values themselves
 * go to the MPC worker and nowhere else. It never throws: any text yields a result or a
 * message that says which value is wrong and why.
 *
 * Security assumption: none beyond "this runs in the participant's own tab"; the worker
 * validates the normalised strings again (it trusts nothing the main thread parsed).
 *
 * How numbers are read (one rule set for the whole input, shown back to the user as notes):
 * 1. Values are separated by new lines, tabs, semicolons and spaces. A currency sign
 *    ($ € £ ¥ ₹) before or after a number, a trailing %, and "−" (U+2212) as minus are accepted.
 * 2. Self-describing numbers are always one value: "1,250.50" and "12,34,567.50" (comma groups,
 *    dot decimal), "1.250,50" (dot groups, comma decimal), "1 250,50" / "1'250.50" (spaces
 *    or apostrophes group thousands).
 * 3. Other commas depend on the input as a whole:
 *    - one line without other separators, or any comma next to a space ("1, 2"), or a
 *      field such as "1,2,3": commas SEPARATE values. "1,250" is 1 and 250 (a note says so).
 *    - several values (lines / tabs / semicolons / spaces) whose commas all look like
 *      "12,5" or "1,250": if some comma is not followed by exactly 3 digits, or the input
 *      also uses "1.250,50", the comma is a DECIMAL COMMA ("1,25" = 1.25, "1,250" = 1.25);
 *      otherwise commas GROUP THOUSANDS ("1,250" = 1250, as copied from a spreadsheet).
 * 4. A dot is a decimal point ("1.250" = 1.25, with a note), except "1.250.000" (several
 *    dots in groups of 3), and in an input that uses decimal commas, where "1.250" = 1250.
 * 5. A currency amount is one value: "€72,000" = 72000, "85 000,50 €" = 85000.50, "€980,00" =
 *    980. Spaces group thousands next to a currency sign or before a decimal comma; a line
 *    that is only "79 500" (one number or two?) is refused with a message.
 * 6. A first line with letters above lines of numbers ("Salary" copied with its column) is
 *    a header: skipped with a note, and the rest is read as a column (one value per line).
 * Readings that can change a value's magnitude ("1.250" as 1.25, "1,250" as two values or
 * 1.25) are warnings (`warning: true`): the input card keeps Ready disabled until the person
 * confirms them.
 * References: CLDR number symbols (grouping/decimal conventions per locale).
 */
export interface ValueSchema {
  /** Digits after the decimal point the computation keeps (fixed point 10^decimals). */
  decimals: number;
  /** Largest absolute value accepted. */
  maxAbs: number;
  /** Required number of values, when the room has fixed it (everyone's vectors match). */
  length?: number;
  /** Upper bound on the number of values. */
  maxLength: number;
  /** Value–weight pairs, one per line: "75 100" is a pair, not one spaced-out number. */
  pairs?: boolean;
}

export type ReadRule = 'thousands' | 'decimal-comma' | 'grouping' | 'dot-groups' | 'comma-list' | 'dot-decimal' | 'unit' | 'header';

/** One example of a reading rule that was applied, for "we read X as Y" feedback. */
export interface ReadNote {
  rule: ReadRule;
  typed: string;
  read: string;
  text: string;
  /** The reading may not be what was meant and changes the value's magnitude: confirm first. */
  warning?: boolean;
}

export type CommaRole = 'none' | 'separator' | 'decimal' | 'thousands';

export type ParseResult =
  | {
      ok: true;
      /** Normalised exact decimal strings ("1250.5", "-3", "0"). */
      values: string[];
      /** First example of each reading rule applied (empty for plain input). */
      notes?: ReadNote[];
      /** Most digits after the decimal point as typed ("10.50" -> 2), for showing results alike. */
      decimalsTyped?: number;
      /** What commas meant in this input. */
      commas?: CommaRole;
      /** The currency sign or % the values carried, when all that had one agree. */
      unit?: string;
      /**
       * Each value's own sign or % as typed ('' for none), present when any value had one:
       * the read-back shows "€72 · 70,000" for "€72\n70000", never a unit on a value typed without it.
       */
      units?: string[];
    }
  | { ok: false; error: string };

const UNITS = '$€£¥₹';
const FIELD_SPLIT = /[ \t\r\n\f\v;]+/;
const COMMA_BY_SPACE = /,[ \t]|[ \t],/;
const SPACE_GROUPS = /^\d{1,3}(?:[\u00A0\u202F\u2009'’]\d{3})+(?:[.,]\d+)?$/;
const US_STRICT = /^(?:\d{1,3}(?:,\d{3})+|\d{1,2}(?:,\d{2})+,\d{3})\.\d+$/;
const EU_STRICT = /^\d{1,3}(?:\.\d{3})+,\d+$/;
const COMMA_GROUPS = /^\d{1,3}(?:,\d{3})+$/;
const DOT_GROUPS = /^\d{1,3}(?:\.\d{3})+$/;
const DECIMAL_COMMA = /^\d+,\d+$/;
const PLAIN = /^(\d*)(?:\.(\d*))?$/;
const SIMPLE = /^-?\d+(?:\.\d+)?$/;
/** Characters that make a field need more than the plain-decimal reading. */
const MARKS = /[,\u00A0\u202F\u2009'’]/;
const MAX_NOTES = 4;

interface Field {
  raw: string;
  sign: '' | '-';
  unit: string;
  body: string;
}

/** Split "-$1,250.50" into sign, unit and body; the body is still unvalidated. */
function splitField(raw: string): Field {
  // Fast path: most fields are plain ("-12.50"); pastes of 100,000 values stay quick.
  if (SIMPLE.test(raw)) return raw.charCodeAt(0) === 45 ? { raw, sign: '-', unit: '', body: raw.slice(1) } : { raw, sign: '', unit: '', body: raw };
  let s = raw.replace(/\u2212/g, '-');
  let sign: '' | '-' = '';
  let unit = '';
  const takeSign = () => {
    if (s.startsWith('-') || s.startsWith('+')) {
      if (s.startsWith('-')) sign = sign === '-' ? '' : '-';
      s = s.slice(1);
    }
  };
  takeSign();
  if (s.length > 0 && UNITS.includes(s[0])) {
    unit = s[0];
    s = s.slice(1);
    takeSign();
  }
  const last = s[s.length - 1];
  if (s.length > 1 && (last === '%' || UNITS.includes(last)) && !unit) {
    unit = last;
    s = s.slice(0, -1);
  }
  return { raw, sign, unit, body: s };
}

/** True when a comma in this body is self-described by rule 2 (no input-wide choice needed). */
function selfDescribing(body: string): boolean {
  return SPACE_GROUPS.test(body) || US_STRICT.test(body) || EU_STRICT.test(body);
}

function decideCommas(all: Field[], text: string, column: boolean): CommaRole | { error: string } {
  // Only fields with a comma or grouping mark take part in the choice.
  const fields = all.filter((f) => MARKS.test(f.body));
  const commaBodies = fields.map((f) => f.body).filter((b) => b.includes(',') && !selfDescribing(b));
  const usStyle = fields.some((f) => US_STRICT.test(f.body));
  const euStyle = fields.some((f) => EU_STRICT.test(f.body) || (SPACE_GROUPS.test(f.body) && f.body.includes(',')));
  if (usStyle && euStyle) {
    const us = fields.find((f) => US_STRICT.test(f.body));
    const eu = fields.find((f) => f.body.includes(',') && !US_STRICT.test(f.body) && selfDescribing(f.body));
    return { error: `"${truncate(us?.raw ?? '')}" and "${truncate(eu?.raw ?? '')}" use opposite decimal marks. Use one style for all values.` };
  }
  if (commaBodies.length === 0) return euStyle ? 'decimal' : usStyle ? 'thousands' : 'none';
  // One field alone is a list ("1,250" = 1 and 250), unless it is a column under a header.
  if ((all.length === 1 && !column) || COMMA_BY_SPACE.test(text)) return 'separator';
  if (!commaBodies.every((b) => DECIMAL_COMMA.test(b) || COMMA_GROUPS.test(b))) return 'separator';
  const decimalOnly = commaBodies.filter((b) => !COMMA_GROUPS.test(b));
  const groupsOnly = commaBodies.filter((b) => !DECIMAL_COMMA.test(b));
  if (decimalOnly.length > 0 || euStyle) {
    if (groupsOnly.length > 0) {
      const d = fields.find((f) => (decimalOnly.length ? f.body === decimalOnly[0] : EU_STRICT.test(f.body) || SPACE_GROUPS.test(f.body)));
      const g = fields.find((f) => f.body === groupsOnly[0]);
      return { error: `"${truncate(d?.raw ?? '')}" uses a decimal comma but "${truncate(g?.raw ?? '')}" uses commas between thousands. Use one style for all values.` };
    }
    return 'decimal';
  }
  return 'thousands';
}

interface Token {
  raw: string;
  sign: '' | '-';
  unit: string;
  /** Digits with at most one "." left, ready for PLAIN. */
  plain: string;
  rule?: ReadRule;
  /** For a comma-separated field: how many values it gave. */
  parts?: number;
}

/** Apply rules 2–4 to one field; in separator mode a field may give several tokens. */
function readField(f: Field, commas: CommaRole): Token[] {
  const one = (plain: string, rule?: ReadRule): Token[] => [{ raw: f.raw, sign: f.sign, unit: f.unit, plain, rule }];
  const b = f.body;
  if (!MARKS.test(b)) {
    if (b.indexOf('.') === b.lastIndexOf('.')) {
      // At most one dot: a decimal point, except "1.250" in an input that uses decimal commas.
      if (commas === 'decimal' && DOT_GROUPS.test(b)) return one(b.replace(/\./g, ''), 'dot-groups');
      if ((commas === 'none' || commas === 'separator') && /^\d+\.\d{3}$/.test(b)) return one(b, 'dot-decimal');
      return one(b);
    }
    return DOT_GROUPS.test(b) ? one(b.replace(/\./g, ''), 'dot-groups') : one(b);
  }
  if (SPACE_GROUPS.test(b)) return one(b.replace(/[\u00A0\u202F\u2009'’]/g, '').replace(',', '.'), 'grouping');
  if (US_STRICT.test(b)) return one(b.replace(/,/g, ''), 'thousands');
  if (EU_STRICT.test(b)) return one(b.replace(/\./g, '').replace(',', '.'), 'thousands');
  if (b.includes(',')) {
    if (commas === 'decimal' && DECIMAL_COMMA.test(b)) return one(b.replace(',', '.'), 'decimal-comma');
    if (commas === 'thousands' && COMMA_GROUPS.test(b)) return one(b.replace(/,/g, ''), 'thousands');
    // Separator mode: each comma-separated part is a value of its own (a "-" or unit may
    // prefix each part: "1,-2,$3").
    // A currency amount is one value: "€72,000" is 72000, "€980,50" is 980.50.
    if (f.unit && f.unit !== '%') {
      if (COMMA_GROUPS.test(b)) return one(b.replace(/,/g, ''), 'thousands');
      if (/^\d+,\d{1,2}$/.test(b)) return one(b.replace(',', '.'), 'decimal-comma');
    }
    const parts = f.raw.split(',').filter((p) => p.length > 0);
    const tokens = parts.flatMap((p) => readField(splitField(p), 'separator'));
    // Say so when one typed field became several values: "1,250" read as 1 and 250.
    if (tokens.length > 1 && !tokens[0].rule) tokens[0] = { ...tokens[0], rule: 'comma-list', raw: f.raw, parts: tokens.length };
    return tokens;
  }
  if ((b.match(/\./g) ?? []).length > 1 && DOT_GROUPS.test(b)) return one(b.replace(/\./g, ''), 'dot-groups');
  if (commas === 'decimal' && DOT_GROUPS.test(b)) return one(b.replace(/\./g, ''), 'dot-groups');
  if (/^\d+\.\d{3}$/.test(b) && (commas === 'none' || commas === 'separator')) return one(b, 'dot-decimal');
  return one(b);
}

export function parseValues(text: string, schema: ValueSchema): ParseResult {
  try {
    return parse(text, schema);
  } catch {
    // Defensive: the rules above never throw by design; a surprise must not crash the view.
    return { ok: false, error: 'This input could not be read. Use digits, an optional minus sign and a decimal point.' };
  }
}

/** A line that is only "79 500" or "1 250 000.5": one number with spaces, or several values? */
const SPACED_ONLY = /^[ \t]*[-+\u2212]?\d{1,3}(?: \d{3})+(?:\.\d+)?[ \t]*$/;
/** Digits grouped by plain spaces, next to a currency sign or before a decimal comma. */
const SPACED_MONEY = /(?<![\d.,])(\d{1,3}(?: \d{3})+)(?=,\d|[€$£¥₹])|(?<=[€$£¥₹][-+\u2212]?)(\d{1,3}(?: \d{3})+)(?![\d])/g;
const HAS_LETTER = /\p{L}/u;

function parse(text: string, schema: ValueSchema): ParseResult {
  // Rule 6: a header line above a column of numbers.
  const header = headerLine(text);
  if (header) {
    const rest = parseBody(header.rest, schema, true);
    if (!rest.ok) return rest;
    const note: ReadNote = { rule: 'header', typed: truncate(header.line), read: '', text: `“${truncate(header.line)}” is a header: skipped, and each line below is one value.` };
    return { ...rest, notes: [note, ...(rest.notes ?? [])] };
  }
  return parseBody(text, schema, false);
}

function headerLine(text: string): { line: string; rest: string } | undefined {
  const m = /^[ \t]*([^\r\n]*?)[ \t]*(?:\r\n|\n|\r)([\s\S]*)$/.exec(text.replace(/^(?:[ \t]*(?:\r\n|\n|\r))+/, ''));
  if (!m || !HAS_LETTER.test(m[1]) || !/\d/.test(m[2])) return undefined;
  return { line: m[1], rest: m[2] };
}

function parseBody(text: string, schema: ValueSchema, column: boolean): ParseResult {
  // Keep a currency sign or % with its number when separated by a space ("1 250,50 €").
  const attached = text.replace(/([\d.,])[ \u00A0\u202F]+([€$£¥₹%])(?![\d])/g, '$1$2').replace(/([€$£¥₹])[ \u00A0\u202F]+(?=[-+\u2212]?\d)/g, '$1');
  const ambiguous = schema.pairs ? undefined : attached.split(/\r\n|\n|\r/).find((l) => SPACED_ONLY.test(l));
  if (ambiguous) {
    const typed = ambiguous.trim();
    const parts = typed.split(/ +/);
    return {
      ok: false,
      error: `"${truncate(typed)}" could be one number (${parts.join('')}) or ${parts.length === 2 ? 'two' : parts.length} (${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}). Write ${truncate(parts.join(''))} without spaces, or separate values with commas or new lines.`,
    };
  }
  // Rule 5: "85 000,50" and "79 500€" group thousands with plain spaces.
  const joined = attached.replace(SPACED_MONEY, (g) => g.replace(/ /g, '\u202F'));
  const fields = joined
    .split(FIELD_SPLIT)
    .filter((t) => t.length > 0)
    .map(splitField);
  if (fields.length === 0) return { ok: false, error: 'Enter at least one number.' };
  if (fields.length > schema.maxLength) return tooMany(fields.length, schema);
  const commas = decideCommas(fields, joined, column);
  if (typeof commas !== 'string') return { ok: false, error: commas.error };
  const tokens = fields.flatMap((f) => readField(f, commas));
  if (tokens.length === 0) return { ok: false, error: 'Enter at least one number.' };
  if (tokens.length > schema.maxLength) return tooMany(tokens.length, schema);

  const values: string[] = [];
  const notes: ReadNote[] = [];
  const units = new Set<string>();
  const valueUnits: string[] = [];
  let decimalsTyped = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const where = tokens.length > 1 ? ` (value ${i + 1})` : '';
    const m = PLAIN.exec(t.plain);
    if (!m || (m[1] + (m[2] ?? '')).length === 0) {
      return { ok: false, error: `"${truncate(t.raw)}" is not a number${where}. Use digits, an optional minus sign and a decimal point.` };
    }
    const fraction = m[2] ?? '';
    if (fraction.replace(/0+$/, '').length > schema.decimals) {
      const allowed = schema.decimals === 0 ? 'whole numbers only' : `at most ${schema.decimals} decimal${schema.decimals === 1 ? '' : 's'}`;
      return { ok: false, error: `"${truncate(t.raw)}" has too many decimals${where}: this room uses ${allowed}.` };
    }
    const value = normalise(t.sign, m[1], fraction);
    if (Math.abs(Number(value)) > schema.maxAbs) {
      return { ok: false, error: `"${truncate(t.raw)}" is out of range${where}: values must be between −${schema.maxAbs.toLocaleString('en')} and ${schema.maxAbs.toLocaleString('en')}.` };
    }
    decimalsTyped = Math.max(decimalsTyped, Math.min(fraction.length, schema.decimals));
    if (t.unit) units.add(t.unit);
    valueUnits.push(t.unit);
    values.push(value);
    const shown = `${t.sign}${m[1] || '0'}${fraction ? `.${fraction}` : ''}`;
    if (t.rule && notes.length < MAX_NOTES && !notes.some((n) => n.rule === t.rule)) notes.push(note(t, shown));
  }
  // A unit is this tab's own: the others' tabs never see it, so no result shows one anywhere
  // (issue 18: "the unit typed by one participant never shown only in that tab").
  if (units.size === 1 && notes.length < MAX_NOTES) {
    const t = tokens.find((x) => x.unit) as Token;
    notes.push({ rule: 'unit', typed: t.raw, read: t.unit, text: `“${t.unit}” is not part of the value: only the numbers are used, and results show no unit in any tab.` });
  }
  if (units.size > 1) {
    const t = tokens.find((x) => x.unit) as Token;
    const list = [...units].join(', ');
    notes.push({ rule: 'unit', typed: t.raw, read: list, warning: true, text: `Your values carry different units (${list}): they are not converted, only the numbers are used.` });
  }
  if (schema.length !== undefined && values.length !== schema.length) {
    return { ok: false, error: `The others entered ${schema.length.toLocaleString('en')} value${schema.length === 1 ? '' : 's'}; you entered ${values.length.toLocaleString('en')}. Everyone needs the same number of values.` };
  }
  return { ok: true, values, notes, decimalsTyped, commas, unit: units.size === 1 ? [...units][0] : undefined, ...(units.size ? { units: valueUnits } : {}) };
}

function note(t: Token, shown: string): ReadNote {
  const n = describeNote(t, shown);
  // Three digits after a lone mark ("1.250", "1,250") could be thousands or decimals: the
  // reading changes the magnitude, so it is a warning; so is one field read as several values.
  const ambiguous = /^\D*\d{1,3}[.,]\d{3}\D*$/.test(t.raw) && ['dot-decimal', 'decimal-comma', 'dot-groups'].includes(n.rule);
  const split = n.rule === 'comma-list' && (t.parts === 2 || /,\d{3}(?!\d)/.test(t.raw));
  return ambiguous || split ? { ...n, warning: true } : n;
}

function describeNote(t: Token, shown: string): ReadNote {
  const typed = truncate(t.raw);
  switch (t.rule) {
    case 'thousands':
      return { rule: 'thousands', typed, read: shown, text: `We read ${typed} as ${shown} (the separators group thousands).` };
    case 'decimal-comma':
      return { rule: 'decimal-comma', typed, read: shown, text: `We read ${typed} as ${shown} (decimal comma).` };
    case 'grouping':
      return { rule: 'grouping', typed, read: shown, text: `We read ${typed} as ${shown} (spaces or apostrophes group thousands).` };
    case 'dot-groups':
      return { rule: 'dot-groups', typed, read: shown, text: `We read ${typed} as ${shown} (dots group thousands).` };
    case 'dot-decimal':
      return { rule: 'dot-decimal', typed, read: shown, text: `We read ${typed} as ${shown} (a dot is a decimal point). For ${shown.replace('.', '')} write it without the dot.` };
    default: {
      const n = t.parts ?? 2;
      return {
        rule: 'comma-list',
        typed,
        read: `${n} values`,
        text: `Commas separate values here, so ${typed} is ${n} values. For one number write it without commas or with a decimal point (1,250.00); decimal commas work with one value per line.`,
      };
    }
  }
}

function normalise(sign: '' | '-', int: string, frac: string): string {
  const i = int.replace(/^0+(?=\d)/, '') || '0';
  const f = frac.replace(/0+$/, '');
  const out = f ? `${i}.${f}` : i;
  return sign === '-' && /[1-9]/.test(out) ? `-${out}` : out;
}

function tooMany(n: number, schema: ValueSchema): ParseResult {
  return { ok: false, error: `At most ${schema.maxLength.toLocaleString('en')} values; you entered ${n.toLocaleString('en')}.` };
}

function truncate(s: string): string {
  return s.length > 24 ? `${s.slice(0, 21)}…` : s;
}
