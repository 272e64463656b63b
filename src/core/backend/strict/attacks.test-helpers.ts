// Shared by the strict attack suites (attacks.test.ts, attacks-operands.test.ts).
import { expect } from 'vitest';
import { DEVIATION_MESSAGE } from '../types.ts';

/** Parties 0 and 1 (honest) both rejected with the deviation message, blaming neither of them. */
export function expectHonestAbort(results: PromiseSettledResult<unknown>[]): void {
  for (const p of [0, 1]) {
    const r = results[p];
    expect(r.status, `party ${p} must not get a result`).toBe('rejected');
    const e = (r as PromiseRejectedResult).reason as { code: string; message: string; party?: number };
    expect(['ABORTED', 'MALICIOUS_ABORT']).toContain(e.code);
    expect(e.message).toContain(DEVIATION_MESSAGE);
    expect(e.party === 0 || e.party === 1, 'an honest party is never blamed').toBe(false);
  }
}
