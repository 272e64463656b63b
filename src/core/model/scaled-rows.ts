/**
 * A party's usable rows as feature vectors scaled by the declared bounds, x̃ = (x − center) /
 * scale in [−1, 1], with their 0/1 labels: the local training data of logistic regression
 * (logistic.ts, with a leading 1 for the intercept) and of the federated MLP (fedavg.ts).
 * Security: local only; nothing here leaves the tab.
 */
import type { ReadTable } from '../table/run-table.ts';
import { schemaColumn } from '../table/schema.ts';
import { rowsOf } from './evaluate.ts';
import { type LogisticSpec, type NumberColumn, binaryLabel } from './model-spec.ts';

export interface FeatureScaling {
  name: string;
  /** x̃ = (x − center) / scale. */
  center: number;
  scale: number;
}

/** What a labelled model spec declares about its rows (logistic and mlp alike). */
type LabelledFrame = Pick<LogisticSpec, 'schema' | 'where' | 'maxRows' | 'target' | 'positive' | 'features'>;

export function scalingOf(spec: Pick<LabelledFrame, 'schema' | 'features'>): FeatureScaling[] {
  return spec.features.map((f) => {
    const c = schemaColumn(spec.schema, f) as NumberColumn;
    const lo = Number(c.lower);
    const hi = Number(c.upper);
    return { name: c.name, center: (lo + hi) / 2, scale: (hi - lo) / 2 };
  });
}

/** Rows of `table` valid in `needed` (and passing the filter), as [1 × lead, x̃…] and labels. */
export function scaledRows(spec: LabelledFrame, needed: string[], table: ReadTable, lead: 0 | 1): { X: Float64Array[]; Y: number[] } {
  const label = binaryLabel(schemaColumn(spec.schema, spec.target), spec.positive)!;
  const scaling = scalingOf(spec);
  const rows = rowsOf(spec, needed, table);
  const target = table.columns.get(spec.target)!.values;
  const cols = spec.features.map((f) => {
    const c = schemaColumn(spec.schema, f) as NumberColumn;
    return { v: table.columns.get(c.name)!.values, pow: 10 ** c.decimals };
  });
  const X: Float64Array[] = [];
  const Y: number[] = [];
  for (let r = 0; r < rows.length; r++) {
    if (!rows[r]) continue;
    const v = new Float64Array(lead + cols.length);
    if (lead) v[0] = 1;
    cols.forEach((c, j) => (v[lead + j] = (c.v[r] / c.pow - scaling[j].center) / scaling[j].scale));
    X.push(v);
    Y.push(label.of(target[r]));
  }
  return { X, Y };
}
