/**
 * A token bucket, one per WebSocket connection: `rate` tokens per second, at most `burst`
 * stored. A message costs one token; an empty bucket rejects it.
 *
 * Security assumption: none beyond a monotonic clock; the clock is injected so tests are
 * deterministic (no sleeps) and so a wall-clock jump cannot refill every bucket at once.
 * Reference: the classic token bucket (RFC 2697 uses the same accounting).
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly rate: number,
    private readonly burst: number,
    private readonly now: () => number,
  ) {
    this.tokens = burst;
    this.last = now();
  }

  /** Spend one token if there is one. */
  take(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Back at the burst: remembering this bucket no longer changes any decision. */
  full(): boolean {
    this.refill();
    return this.tokens >= this.burst;
  }

  private refill(): void {
    const t = this.now();
    // Clamp elapsed time at zero: a clock that steps backwards must not drain the bucket.
    const elapsedSeconds = Math.max(0, t - this.last) / 1000;
    this.last = t;
    this.tokens = Math.min(this.burst, this.tokens + elapsedSeconds * this.rate);
  }
}
