/**
 * Upload rate limits for surveys: a token bucket per client address and one per survey
 * (server/rate-limit.ts's TokenBucket), checked before an upload is parsed or stored. An
 * empty bucket answers 429 with Retry-After and a sentence saying which limit and when to
 * try again. A report is one upload per contributor, so the per-address default is generous
 * for offices behind one NAT (60 a minute, bursts of 60) and still stops one script from
 * filling the database; the per-survey limit caps what all addresses together can push into
 * one survey (default 30,000 a minute, 500/s). `0` turns a limit off (the ingest bench).
 *
 *   PARLEY_SURVEY_UPLOADS_PER_MINUTE             per address   (default 60)
 *   PARLEY_SURVEY_UPLOADS_PER_MINUTE_PER_SURVEY  per survey    (default 30000)
 *
 * The address is the TCP peer, or the operator's trusted proxy header (client-address.ts).
 * Limits are per server instance; several instances each allow this much.
 */
import type { IncomingMessage } from 'node:http';
import { clientAddress } from '../client-address.ts';
import { TokenBucket } from '../rate-limit.ts';

export interface UploadLimitOptions {
  perAddressPerMinute: number;
  perSurveyPerMinute: number;
  trustedProxyHeader?: string;
  /** Monotonic milliseconds (injected in tests). */
  clock?: () => number;
}

export type LimitVerdict = { ok: true } | { ok: false; status: 429 | 400; retryAfterSeconds: number; message: string };

const MAX_BUCKETS = 100_000;

function readLimit(env: Record<string, string | undefined>, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 0 || n > 1e9) throw new Error(`${name} must be a whole number of uploads per minute (0 = no limit), got ${JSON.stringify(raw)}`);
  return n;
}

export function uploadLimitsFromEnv(env: Record<string, string | undefined>, trustedProxyHeader?: string): UploadLimitOptions {
  return {
    perAddressPerMinute: readLimit(env, 'PARLEY_SURVEY_UPLOADS_PER_MINUTE', 60),
    perSurveyPerMinute: readLimit(env, 'PARLEY_SURVEY_UPLOADS_PER_MINUTE_PER_SURVEY', 30_000),
    ...(trustedProxyHeader ? { trustedProxyHeader } : {}),
  };
}

export class UploadLimiter {
  private readonly byAddress = new Map<string, TokenBucket>();
  private readonly bySurvey = new Map<string, TokenBucket>();
  private readonly clock: () => number;

  constructor(private readonly o: UploadLimitOptions) {
    this.clock = o.clock ?? (() => performance.now());
  }

  private bucket(map: Map<string, TokenBucket>, key: string, perMinute: number): TokenBucket {
    let b = map.get(key);
    if (!b) {
      if (map.size >= MAX_BUCKETS) {
        // forget buckets that are full again (they would decide nothing), oldest first
        for (const [k, old] of map) if (old.full()) map.delete(k);
        if (map.size >= MAX_BUCKETS) map.delete(map.keys().next().value as string);
      }
      b = new TokenBucket(perMinute / 60, perMinute, this.clock);
      map.set(key, b);
    }
    return b;
  }

  /** Spend one upload for this request's address and this survey, or say why not. */
  check(req: IncomingMessage, surveyId: string): LimitVerdict {
    const { perAddressPerMinute: perAddr, perSurveyPerMinute: perSurvey } = this.o;
    if (perAddr > 0) {
      const who = clientAddress(req, this.o.trustedProxyHeader);
      if (!who.ok) return { ok: false, status: 400, retryAfterSeconds: 0, message: `cannot tell where this upload comes from: ${who.reason}` };
      if (!this.bucket(this.byAddress, who.key, perAddr).take()) {
        const wait = Math.ceil(60 / perAddr);
        return { ok: false, status: 429, retryAfterSeconds: wait, message: `too many uploads from your address (at most ${perAddr} a minute); your report was not stored, try again in ${wait} s` };
      }
    }
    if (perSurvey > 0 && !this.bucket(this.bySurvey, surveyId, perSurvey).take()) {
      const wait = Math.max(1, Math.ceil(60 / perSurvey));
      return { ok: false, status: 429, retryAfterSeconds: wait, message: `this survey is receiving too many uploads right now (at most ${perSurvey} a minute); your report was not stored, try again in ${wait} s` };
    }
    return { ok: true };
  }
}
