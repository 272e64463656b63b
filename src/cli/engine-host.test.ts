/**
 * Frames held for a run that has not started here yet (a faster peer already began) are
 * bounded (64 MB). A member that fills the budget under a made-up run id must not make the
 * real run's early frames be dropped (which stalled the run until its round timeout): the
 * older held run's frames give way.
 */
import { describe, expect, it } from 'vitest';
import { EngineHost, RUN_ID_BYTES } from './engine-host.ts';

const frame = (runId: string, bytes: number): Uint8Array => {
  const f = new Uint8Array(RUN_ID_BYTES + bytes);
  f.set(new TextEncoder().encode(runId));
  return f;
};
const heldOf = (h: EngineHost, runId: string): number =>
  ((h as unknown as { held: Map<string, { bytes: Uint8Array }[]> }).held.get(runId) ?? []).reduce((n, f) => n + f.bytes.length, 0);

describe('EngineHost held frames', () => {
  it('a made-up run filling the 64 MB budget gives way to the next run instead of crowding it out', () => {
    const host = new EngineHost(async () => undefined);
    const fake = 'FAKEFAKEFAKE';
    const real = 'realrunid123';
    for (let i = 0; i < 64; i++) host.deliver('mallory', frame(fake, 1024 * 1024));
    expect(heldOf(host, fake)).toBe(64 * 1024 * 1024);
    host.deliver('alice', frame(real, 1000));
    expect(heldOf(host, real)).toBe(1000);
    expect(heldOf(host, fake)).toBe(0);
    // A run's own frames never evict each other: past the budget the newest is dropped.
    for (let i = 0; i < 70; i++) host.deliver('alice', frame(real, 1024 * 1024));
    expect(heldOf(host, real)).toBeLessThanOrEqual(64 * 1024 * 1024);
    expect(heldOf(host, real)).toBeGreaterThan(63 * 1024 * 1024);
  });
});
