/**
 * The room rules of the Node party: the shared ones come from src/ui/features/room/room-rules.ts
 * (the browser uses the same file), the explanation of a failure included (`describeFailure`
 * with `terminal: true`: no "You can start again"). Only the PSI wait is the CLI's own.
 */
import { isPsi, type RoomSpec } from '../ui/features/room/room-protocol.ts';
import { roundTimeout } from '../ui/features/room/room-rules.ts';

export { describeFailure, isRefusal, publicReason, specForRun } from '../ui/features/room/room-rules.ts';

/**
 * How much longer than a tab a Node party waits for one PSI message. The browser's rule
 * allows 2 ms·(N+6) per item of the largest set; Node parties measured here took about
 * 27 ms per item before answering (10,000 items, two parties, machine at load 25–45), so
 * with the browser's allowance a 10,000-item run ended in ROUND_TIMEOUT although both
 * parties were working. A longer wait costs nothing when a peer leaves (its connection
 * closes at once); it only delays noticing a peer that is connected but silent.
 */
export const NODE_PSI_WAIT_FACTOR = 8;

/** The Node party's wait for one message: `overrideMs` (--round-timeout), else the browser's rule with the PSI part × NODE_PSI_WAIT_FACTOR. */
export function nodeRoundTimeout(spec: RoomSpec, counts: readonly number[], overrideMs?: number): number {
  if (overrideMs !== undefined) return overrideMs;
  const browser = roundTimeout(spec, counts);
  const base = roundTimeout(spec, []);
  return isPsi(spec) ? base + (browser - base) * NODE_PSI_WAIT_FACTOR : browser;
}
