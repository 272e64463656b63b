/**
 * A participant's rank shown as a position on a bar: "You are 2nd of 5 · top 40%".
 * Rank 1 is the top (the largest value, by the computation's convention), drawn at the
 * right end so that "higher" reads as "further along".
 */
import { ordinal } from './format';

export interface RankBarProps {
  rank: number;
  of: number;
  /** "Top x%" as computed by the protocol; derived from rank/of when absent. */
  percentile?: number;
}

export function rankSentence({ rank, of, percentile }: RankBarProps): string {
  const top = percentile ?? Math.round((rank / Math.max(1, of)) * 100);
  // "Top 100 %" says nothing: the ends are named, the lower half counts from the bottom.
  if (of > 1 && rank === of) return `You are ${ordinal(rank)} of ${of} · the lowest value`;
  if (of > 1 && rank === 1) return `You are 1st of ${of} · the highest value`;
  if (top > 50) return `You are ${ordinal(rank)} of ${of} · bottom ${Math.round(((of - rank + 1) / of) * 100)}%`;
  return `You are ${ordinal(rank)} of ${of} · top ${top}%`;
}

export function RankBar(props: RankBarProps) {
  const { rank, of } = props;
  const valid = Number.isInteger(rank) && Number.isInteger(of) && of >= 1 && rank >= 1 && rank <= of;
  if (!valid) return <p className="hint">Rank unavailable.</p>;
  const sentence = rankSentence(props);
  // Position along the bar: last place at 0%, first place at 100%.
  const at = of === 1 ? 100 : ((of - rank) / (of - 1)) * 100;
  return (
    <figure className="rank" data-testid="rank-bar">
      <p className="big">{sentence.replace(' · ', ', ')}</p>
      <div className="rank-track" role="img" aria-label={sentence}>
        {Array.from({ length: of }, (_, i) => (
          <span key={i} className="rank-tick" style={{ left: `${of === 1 ? 100 : (i / (of - 1)) * 100}%` }} />
        ))}
        <span className="rank-marker" style={{ left: `${at}%` }} aria-hidden="true" />
      </div>
      <div className="rank-ends" aria-hidden="true">
        <span>{ordinal(of)}</span>
        <span>1st</span>
      </div>
    </figure>
  );
}
