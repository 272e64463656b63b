/**
 * CSV for results that are not a plain list of numbers (rank, histogram, statistics,
 * threshold): a histogram as bucket rows, anything else as "field,value" rows. Built in
 * the tab from the same JSON as data-result; RFC 4180 quoting.
 */
export function csvCell(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvFromData(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return undefined;
  const o = data as Record<string, unknown>;
  const edges = o.edges;
  const counts = o.value;
  if (Array.isArray(edges) && Array.isArray(counts) && edges.length === counts.length + 1) {
    const rows = counts.map((c, i) => `${csvCell(String(edges[i]))},${csvCell(String(edges[i + 1]))},${csvCell(String(c))}`);
    return `from,to,count\r\n${rows.join('\r\n')}\r\n`;
  }
  const rows = ['field,value'];
  const walk = (key: string, v: unknown) => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(`${key}[${i + 1}]`, x));
    else if (typeof v === 'object' && v !== null) for (const [k, x] of Object.entries(v)) walk(key ? `${key}.${k}` : k, x);
    else rows.push(`${csvCell(key)},${csvCell(String(v))}`);
  };
  walk('', o);
  return `${rows.join('\r\n')}\r\n`;
}
