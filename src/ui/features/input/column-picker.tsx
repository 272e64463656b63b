/** Which column of a CSV file or pasted range to use as input. */
import { useEffect, useRef } from 'react';
import { describeColumnUse, type Table } from './tabular';

export const ALL_CELLS = -1;
/** No column chosen yet: several could be meant, so the person picks (pickColumn). */
export const NO_COLUMN = -2;

export interface ColumnPickerProps {
  table: Table;
  chosen: number;
  disabled: boolean;
  onChoose: (index: number) => void;
  onUndo?: () => void;
  /** Offer every column, not only numeric ones (item lists). */
  anyColumn?: boolean;
}

export function ColumnPicker({ table, chosen, disabled, onChoose, onUndo, anyColumn = false }: ColumnPickerProps) {
  const select = useRef<HTMLSelectElement>(null);
  const numeric = table.columns.map((c, i) => ({ c, i })).filter((x) => anyColumn || x.c.numeric);
  const allNumeric = !anyColumn && numeric.length === table.columns.length && table.columns.length > 1;
  const several = numeric.length > 1 || allNumeric;
  // Move focus to the choice when there is one to make (keyboard users land on it).
  useEffect(() => {
    if (several) select.current?.focus();
  }, [table, several]);
  const count = chosen === ALL_CELLS ? table.columns.reduce((a, c) => a + c.cells.length, 0) : (table.columns[chosen]?.cells.length ?? 0);
  const use =
    chosen === NO_COLUMN
      ? undefined
      : chosen === ALL_CELLS
        ? `all cells of ${table.source}: ${count.toLocaleString('en')} value${count === 1 ? '' : 's'}`
        : `column “${table.columns[chosen]?.name ?? ''}” of ${table.source}: ${describeColumnUse(table, chosen)}`;
  return (
    <div className="column-picker" data-testid="column-picker">
      {several ? (
        <label>
          {table.source} has {table.columns.length} columns. Use:
          <select ref={select} data-testid="input-column" value={chosen} disabled={disabled} onChange={(e) => onChoose(Number(e.target.value))}>
            {chosen === NO_COLUMN && (
              <option value={NO_COLUMN} disabled>
                Choose a column…
              </option>
            )}
            {numeric.map(({ c, i }) => (
              <option key={i} value={i}>
                {c.name} ({c.cells.length} {anyColumn ? 'items' : 'values'})
              </option>
            ))}
            {allNumeric && <option value={ALL_CELLS}>All cells, row by row</option>}
          </select>
        </label>
      ) : null}
      <p className="hint" role="status">
        {use ? (
          <>
            Using {use}
            {table.hasHeader ? ' (header row skipped)' : ''}.{' '}
          </>
        ) : (
          <>Several columns hold {anyColumn ? 'items' : 'numbers'}: choose the one with your values. </>
        )}
        {onUndo && (
          <button type="button" className="linkish" onClick={onUndo} disabled={disabled}>
            Undo, restore what I typed
          </button>
        )}
      </p>
    </div>
  );
}
