/**
 * Coin tossing by commit-then-reveal [Blu81] for the OT-extension check (kos-check.ts).
 * Every party commits to a 32-byte random seed with c = SHA-256(domain ‖ instance ‖ party
 * ‖ seed), sends c with (or before) the message the coin must not depend on, then reveals
 * the seed; the coin is SHA-256 of all seeds in party order. If one party is honest, the
 * coin is uniform and unknown to everyone until the reveal round.
 *
 * Security: the commitment is hiding (the seed has 256 bits of entropy and SHA-256 is
 * modelled as a random oracle) and binding (collision resistance); a peer whose reveal
 * does not open its commitment deviated: MALICIOUS_ABORT naming it. Pure functions; the
 * rounds are driven by checked-extension.ts.
 *
 * [Blu81] Blum. Coin Flipping by Telephone. CRYPTO 1981.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesEqual } from '../codec.ts';
import { MpcError } from '../errors.ts';
import { randomBytes } from '../random.ts';

export const SEED_BYTES = 32;
export const COMMIT_BYTES = 32;
const COMMIT_DOMAIN = new TextEncoder().encode('parley/coin/commit/v1');
const COIN_DOMAIN = new TextEncoder().encode('parley/coin/value/v1');

function tagged(domain: Uint8Array, instance: number, extra: number, body: Uint8Array): Uint8Array {
  const buf = new Uint8Array(domain.length + 8 + body.length);
  buf.set(domain);
  const v = new DataView(buf.buffer, domain.length, 8);
  v.setUint32(0, instance);
  v.setUint32(4, extra);
  buf.set(body, domain.length + 8);
  return sha256(buf);
}

export interface CoinShare {
  readonly seed: Uint8Array;
  readonly commitment: Uint8Array;
}

/** A fresh seed and its commitment for one toss (`instance` separates tosses). */
export function coinShare(instance: number, party: number): CoinShare {
  const seed = randomBytes(SEED_BYTES);
  return { seed, commitment: tagged(COMMIT_DOMAIN, instance, party, seed) };
}

/**
 * The coin from every party's revealed seed (index = party id, ours included), after
 * checking each against the commitment it sent earlier.
 */
export function coinValue(instance: number, seeds: readonly Uint8Array[], commitments: readonly Uint8Array[], self: number): Uint8Array {
  const all = new Uint8Array(SEED_BYTES * seeds.length);
  for (let p = 0; p < seeds.length; p++) {
    if (seeds[p].length !== SEED_BYTES) throw new MpcError('MALFORMED_MESSAGE', `coin toss: expected a ${SEED_BYTES}-byte seed, got ${seeds[p].length}`, p);
    if (p !== self && !bytesEqual(tagged(COMMIT_DOMAIN, instance, p, seeds[p]), commitments[p])) {
      throw new MpcError('MALICIOUS_ABORT', `a participant deviated from the protocol: party ${p}'s coin-toss reveal does not open its commitment`, p);
    }
    all.set(seeds[p], SEED_BYTES * p);
  }
  return tagged(COIN_DOMAIN, instance, seeds.length, all);
}
