/**
 * Public surface of table computations (issue 12): the schema and its text form, filters,
 * the CSV reader and the per-column read-back, the table spec, and one entry point
 * `runTableComputation` on the backend interface.
 */
export { type ColumnSchema, type TableSchema, type SchemaParse, formatSchemaText, parseSchemaText, parseTableSchema, schemaColumn } from './schema.ts';
export { type RowFilter, formatWhere, parseWhere, parseRowFilter } from './filter.ts';
export { csvDelimiter, parseCsv } from './csv.ts';
export { type ColumnReadBack, type TableRead, headerKey, mapColumns, readBackLines, readTable, usableRows } from './read-table.ts';
export { TABLE_KINDS, type TableKind, type TableSpec, crosstabCells, isTableKind, neededColumns, parseTableSpec } from './table-spec.ts';
export { type CrosstabCell, type ReadTable, type TableOutput, isTableOutput, runTableComputation, selectedRows } from './run-table.ts';
export { type ColumnChoice, type TableInputRead, readTableText } from './table-input.ts';
export { tableResultJson } from './result-json.ts';
export { type RegressionOutput, linearRegression } from './regression.ts';
export { type TableFrame, hasTableFrame, parseTableFrame } from './table-spec.ts';
export { type CsvTableRead, readCsvFor, readCsvTable } from './table-input.ts';
export { TABLE_COMPUTATIONS, type TableData, FRAME_FIELDS, MAX_ROWS_FIELD, WHERE_FIELD, frameDraft, frameFromDraft, tableDraft, tableOfPayload, tableReadSummary } from './registry-table.ts';
export { TABLE_STATISTICS, type TableStatSpec, parseTableStatSpec } from './table-stat.ts';
export { DEFAULT_SCHEMA_TEXT, TABLE_LABELS, defaultFrame, defaultTableSpec, tableRevealNotes } from './describe-table.ts';
