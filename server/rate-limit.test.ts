/** Token bucket on an injected clock: burst, refill rate, cap, and a clock stepping back. */
import { describe, expect, it } from 'vitest';
import { TokenBucket } from './rate-limit.ts';

function takeAll(b: TokenBucket, max = 1000): number {
  let n = 0;
  while (n < max && b.take()) n++;
  return n;
}

describe('TokenBucket', () => {
  it('allows a burst, then refills at the rate, never above the burst', () => {
    let t = 0;
    const b = new TokenBucket(10, 20, () => t);
    expect(takeAll(b)).toBe(20);
    t += 500;
    expect(takeAll(b)).toBe(5);
    t += 100_000;
    expect(takeAll(b)).toBe(20);
  });

  it('does not refill or drain when the clock steps backwards', () => {
    let t = 1000;
    const b = new TokenBucket(10, 4, () => t);
    expect(takeAll(b)).toBe(4);
    t = 0;
    expect(b.take()).toBe(false);
    t = 100;
    expect(takeAll(b)).toBe(1);
  });
});
