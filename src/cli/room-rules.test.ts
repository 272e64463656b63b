import { describe, expect, it } from 'vitest';
import { defaultSpec } from '../ui/features/room/spec-defaults.ts';
import { roundTimeout } from '../ui/features/room/room-rules.ts';
import { NODE_PSI_WAIT_FACTOR, nodeRoundTimeout } from './room-rules.ts';

describe('nodeRoundTimeout', () => {
  it('waits NODE_PSI_WAIT_FACTOR times the browser’s per-item allowance in PSI, the same 60 s otherwise, and --round-timeout wins', () => {
    const psi = defaultSpec('psi-size');
    const counts = [10_000, 9_000];
    expect(roundTimeout(psi, counts)).toBe(60_000 + 10_000 * 8 * 2);
    expect(nodeRoundTimeout(psi, counts)).toBe(60_000 + 10_000 * 8 * 2 * NODE_PSI_WAIT_FACTOR);
    // Measured: ~27 ms per item before a Node party answers; the allowance must exceed it.
    expect((nodeRoundTimeout(psi, [1, 1]) - 60_000) / 1).toBeGreaterThan(27 * 2);
    const median = defaultSpec('median');
    expect(nodeRoundTimeout(median, [5, 5])).toBe(roundTimeout(median, [5, 5]));
    expect(nodeRoundTimeout(psi, counts, 5_000)).toBe(5_000);
  });
});
