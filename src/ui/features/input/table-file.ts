/**
 * Reads a chosen or dropped file in this tab (FileReader) and turns it into a table. The
 * file is never uploaded: nothing here touches the network.
 */
import { noNumbersReason, tableFromText, type Table } from './tabular';
import type { ItemKind } from '../../../core/psi/normalise';

export const MAX_FILE_BYTES = 20 * 1024 * 1024;

export type FileOutcome = { ok: true; table: Table } | { ok: false; error: string };

/** `numbers: false` for item lists (set intersection), where any column can be used. */
export async function readTableFile(file: File, { numbers = true, itemKind }: { numbers?: boolean; itemKind?: ItemKind } = {}): Promise<FileOutcome> {
  if (/\.(xlsx|xlsm|xls|ods|numbers)$/i.test(file.name)) {
    return { ok: false, error: `${file.name} is a spreadsheet workbook. Save it as CSV first (File → Save as → CSV), then choose the CSV.` };
  }
  if (file.size > MAX_FILE_BYTES) return { ok: false, error: `${file.name} is larger than 20 MB. Choose a smaller CSV.` };
  let text: string;
  try {
    text = await readText(file);
  } catch {
    return { ok: false, error: `${file.name} could not be read.` };
  }
  if (text.includes('\u0000')) return { ok: false, error: `${file.name} is not a text (CSV) file.` };
  const table = tableFromText(text, file.name, { itemKind });
  if (table.columns.length === 0 || table.rows === 0) return { ok: false, error: `${file.name} is empty.` };
  if (numbers && !table.columns.some((c) => c.numeric)) return { ok: false, error: `${file.name} has no column of numbers: ${noNumbersReason(table)}.` };
  return { ok: true, table };
}

function readText(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(typeof reader.result === 'string' ? reader.result : '');
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsText(file);
  });
}
