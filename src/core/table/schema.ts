/**
 * Table schema of a room (issue 12): the columns the host declares, in the text form people
 * type into `spec-columns` (DESIGN §6), one column per line:
 *
 *   age: number 0..120
 *   systolic_bp: number 60..260 decimals 1 missing stop
 *   sex: category F, M
 *   smoker: yes/no
 *
 * A number column has bounds (decimal strings, inclusive) and decimals (0..6, default 0); a
 * category column lists its allowed values (1..64, case-insensitive, unique); yes/no reads
 * yes/no/true/false/y/n/1/0. `missing skip` (the default) drops a row whose cell is missing or
 * unreadable from every computation that needs the column, with the reason counted in the
 * read-back; `missing stop` refuses the whole file and names the row instead.
 *
 * The schema is public and part of the agreed spec (its canonical JSON goes into the digest):
 * `parseTableSchema` is the one validator for a schema that arrives as JSON from a peer, and
 * `parseSchemaText` turns the host's text into the same structure, with errors naming the line.
 * Security: none (public data); strictness keeps two browsers from reading one schema two ways.
 */
import { MpcError } from '../errors.ts';
import { formatDecimal, parseDecimal } from '../fixed-point.ts';

export const MAX_COLUMNS = 64;
export const MAX_CATEGORIES = 64;
export const MAX_TABLE_DECIMALS = 6;
const NAME = /^[A-Za-z_][A-Za-z0-9_ .-]{0,63}$/;
/** |bound| scaled below 2^52: exact in JS numbers, and sums of 10^5 rows stay far below 2^62. */
const BOUND_LIMIT = 1n << 52n;

export type MissingPolicy = 'skip' | 'stop';

export type ColumnSchema =
  | { name: string; type: 'number'; lower: string; upper: string; decimals: number; missing: MissingPolicy }
  | { name: string; type: 'category'; values: string[]; missing: MissingPolicy }
  | { name: string; type: 'boolean'; missing: MissingPolicy };

export interface TableSchema {
  columns: ColumnSchema[];
}

export interface SchemaLineError {
  /** 1-based line of the schema text. */
  line: number;
  message: string;
}

export type SchemaParse = { ok: true; schema: TableSchema } | { ok: false; errors: SchemaLineError[] };

const fail = (message: string): never => {
  throw new MpcError('INVALID_ARGUMENT', message);
};

function checkName(name: unknown): string {
  if (typeof name !== 'string' || !NAME.test(name)) {
    fail(`a column name is a letter or _ followed by up to 63 letters, digits, spaces, _ . or -; got ${JSON.stringify(name)}`);
  }
  return name as string;
}

function checkNumberColumn(name: string, lower: unknown, upper: unknown, decimals: unknown): { lower: string; upper: string; decimals: number } {
  if (typeof decimals !== 'number' || !Number.isInteger(decimals) || decimals < 0 || decimals > MAX_TABLE_DECIMALS) {
    fail(`column ${name}: decimals must be a whole number 0..${MAX_TABLE_DECIMALS}`);
  }
  const d = decimals as number;
  if (typeof lower !== 'string' || typeof upper !== 'string') fail(`column ${name}: bounds must be decimal strings`);
  let lo = 0n;
  let hi = 0n;
  try {
    lo = parseDecimal(lower as string, d);
    hi = parseDecimal(upper as string, d);
  } catch {
    fail(`column ${name}: bounds ${String(lower)}..${String(upper)} must be numbers with at most ${d} decimals`);
  }
  if (lo >= hi) fail(`column ${name}: the lower bound must be below the upper bound (got ${String(lower)}..${String(upper)})`);
  if (lo <= -BOUND_LIMIT || hi >= BOUND_LIMIT) fail(`column ${name}: bounds too wide for exact arithmetic (|bound| × 10^decimals must stay below 2^52)`);
  // Canonical form: exactly d decimals, so "0" and "0.0" hash the same.
  return { lower: formatDecimal(lo, d), upper: formatDecimal(hi, d), decimals: d };
}

function checkCategories(name: string, values: unknown): string[] {
  if (!Array.isArray(values) || values.length < 1 || values.length > MAX_CATEGORIES) fail(`column ${name}: a category column lists 1..${MAX_CATEGORIES} values`);
  const seen = new Set<string>();
  return (values as unknown[]).map((v) => {
    if (typeof v !== 'string' || v.trim() !== v || v.length === 0 || v.length > 64 || /[,\n\r]/.test(v)) {
      fail(`column ${name}: category values are 1..64 characters without commas or surrounding spaces; got ${JSON.stringify(v)}`);
    }
    const key = (v as string).toLowerCase();
    if (seen.has(key)) fail(`column ${name}: category ${JSON.stringify(v)} is listed twice`);
    seen.add(key);
    return v as string;
  });
}

/** Validates a schema that arrived as parsed JSON (from a peer, the link or the UI). */
export function parseTableSchema(raw: unknown): TableSchema {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail('the table schema must be an object');
  const o = raw as Record<string, unknown>;
  if (Object.keys(o).some((k) => k !== 'columns')) fail('the table schema has unknown fields');
  if (!Array.isArray(o.columns) || o.columns.length < 1 || o.columns.length > MAX_COLUMNS) fail(`a table schema has 1..${MAX_COLUMNS} columns`);
  const names = new Set<string>();
  const columns = (o.columns as unknown[]).map((c): ColumnSchema => {
    if (typeof c !== 'object' || c === null) fail('each column must be an object');
    const col = c as Record<string, unknown>;
    const name = checkName(col.name);
    if (names.has(name.toLowerCase())) fail(`column ${name} is declared twice`);
    names.add(name.toLowerCase());
    const missing = col.missing ?? 'skip';
    if (missing !== 'skip' && missing !== 'stop') fail(`column ${name}: missing must be "skip" or "stop"`);
    const allowed: Record<string, string[]> = {
      number: ['name', 'type', 'lower', 'upper', 'decimals', 'missing'],
      category: ['name', 'type', 'values', 'missing'],
      boolean: ['name', 'type', 'missing'],
    };
    const fields = allowed[String(col.type)];
    if (!fields) fail(`column ${name}: type must be number, category or boolean`);
    if (Object.keys(col).some((k) => !fields.includes(k))) fail(`column ${name}: unknown fields for a ${String(col.type)} column`);
    switch (col.type) {
      case 'number':
        return { name, type: 'number', ...checkNumberColumn(name, col.lower, col.upper, col.decimals ?? 0), missing: missing as MissingPolicy };
      case 'category':
        return { name, type: 'category', values: checkCategories(name, col.values), missing: missing as MissingPolicy };
      default:
        return { name, type: 'boolean', missing: missing as MissingPolicy };
    }
  });
  return { columns };
}

const LINE = /^\s*([^:]+?)\s*:\s*(.+?)\s*$/;
const NUMBER_TYPE = /^number\s+(\S+?)\s*\.\.\s*(\S+?)(?:\s+decimals\s+(\d+))?(?:\s+missing\s+(skip|stop))?$/i;
const CATEGORY_TYPE = /^category\s+(.+?)(?:\s+missing\s+(skip|stop))?$/i;
const BOOLEAN_TYPE = /^(?:yes\/no|boolean|bool)(?:\s+missing\s+(skip|stop))?$/i;

/** The host's schema text → schema; every problem names its line. Blank lines and `#` comments are ignored. */
export function parseSchemaText(text: string): SchemaParse {
  const errors: SchemaLineError[] = [];
  const raw: Record<string, unknown>[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const t = line.trim();
    if (t === '' || t.startsWith('#')) return;
    const m = LINE.exec(t);
    if (!m) return void errors.push({ line: i + 1, message: 'expected "name: number 0..100", "name: category A, B" or "name: yes/no"' });
    const [, name, type] = m;
    let n: RegExpExecArray | null;
    if ((n = NUMBER_TYPE.exec(type))) raw.push({ line: i + 1, name, type: 'number', lower: n[1], upper: n[2], decimals: n[3] === undefined ? 0 : Number(n[3]), missing: (n[4] ?? 'skip').toLowerCase() });
    else if ((n = BOOLEAN_TYPE.exec(type))) raw.push({ line: i + 1, name, type: 'boolean', missing: (n[1] ?? 'skip').toLowerCase() });
    else if ((n = CATEGORY_TYPE.exec(type))) raw.push({ line: i + 1, name, type: 'category', values: n[1].split(',').map((v) => v.trim()).filter((v) => v !== ''), missing: (n[2] ?? 'skip').toLowerCase() });
    else errors.push({ line: i + 1, message: `column ${name}: expected "number LOW..HIGH [decimals D]", "category A, B, …" or "yes/no" (optionally "missing skip|stop"), got "${type}"` });
  });
  // Validate column by column so an error names its line, then the whole (duplicates, count).
  for (const { line, ...col } of raw) {
    try {
      parseTableSchema({ columns: [col] });
    } catch (e) {
      errors.push({ line: line as number, message: e instanceof Error ? e.message : String(e) });
    }
  }
  if (errors.length > 0) return { ok: false, errors: errors.sort((a, b) => a.line - b.line) };
  if (raw.length === 0) return { ok: false, errors: [{ line: 1, message: 'declare at least one column, e.g. "age: number 0..120"' }] };
  try {
    return { ok: true, schema: parseTableSchema({ columns: raw.map(({ line: _line, ...col }) => col) }) };
  } catch (e) {
    return { ok: false, errors: [{ line: 1, message: e instanceof Error ? e.message : String(e) }] };
  }
}

/** Schema → the text form (parseSchemaText(formatSchemaText(s)) equals s). */
export function formatSchemaText(schema: TableSchema): string {
  return schema.columns
    .map((c) => {
      const missing = c.missing === 'stop' ? ' missing stop' : '';
      if (c.type === 'number') return `${c.name}: number ${c.lower}..${c.upper}${c.decimals ? ` decimals ${c.decimals}` : ''}${missing}`;
      if (c.type === 'category') return `${c.name}: category ${c.values.join(', ')}${missing}`;
      return `${c.name}: yes/no${missing}`;
    })
    .join('\n');
}

/** The column called `name` (case-insensitive), or an INVALID_ARGUMENT naming the choices. */
export function schemaColumn(schema: TableSchema, name: string): ColumnSchema {
  const c = schema.columns.find((col) => col.name.toLowerCase() === name.trim().toLowerCase());
  if (!c) fail(`no column "${name}" in the table schema (columns: ${schema.columns.map((col) => col.name).join(', ')})`);
  return c as ColumnSchema;
}
