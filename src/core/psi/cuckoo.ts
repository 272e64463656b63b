/**
 * Hashing items into bins for mp-psi.ts, as in the OPPRF-based PSI protocols [PSZ18],
 * [KMPRT17], [CGS+21]: the leader places each of its items in one of its three candidate
 * bins by cuckoo hashing (one item per bin); every other party puts each of its items in all
 * three candidate bins (simple hashing). An item held by everyone then meets the leader's
 * copy in the bin the leader chose, whichever that was.
 *
 * The three bin functions are SHA-256 of the session context and the item, so every party
 * computes the same bins; they are never sent: bins only index local tables and
 * secret-shared vectors.
 *
 * Parameters: B = ⌈1.27·n⌉ + 32 bins for n leader items and three functions, without a stash,
 * as in [PSTY19] and [CGS+21] (failure probability about 2^-40; the +32 covers tiny sets);
 * insertion gives up
 * after 64·⌈log₂ B⌉ + 256 evictions and the run aborts with a clear error (the event depends
 * only on the leader's set and the public functions, and is negligible).
 *
 * [PSZ18]   Pinkas, Schneider, Zohner. Scalable Private Set Intersection Based on OT
 *           Extension. ACM TOPS 21(2), 2018.
 * [PSTY19]  Pinkas, Schneider, Tkachenko, Yanai. Efficient Circuit-Based PSI with Linear
 *           Communication. EUROCRYPT 2019.
 * [KMPRT17] Kolesnikov, Matania, Pinkas, Rosulek, Trieu. Practical Multi-party Private Set
 *           Intersection from Symmetric-Key Techniques. CCS 2017.
 * [CGS+21]  Chandran, Gupta, Sastry, Singh et al. Efficient Linear Multiparty PSI and
 *           Extensions to Circuit/Quorum PSI. CCS 2021.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { MpcError } from '../errors.ts';
import { concatBytes, utf8Encode } from '../codec.ts';
import { randomBytes } from '../random.ts';

export const HASHES = 3;
const BIN_DOMAIN = utf8Encode('parley/psi/bins/v1');

export const binCount = (leaderItems: number): number => Math.ceil(1.27 * leaderItems) + 32;

/** The three candidate bins of every item (bins[3i + h]); duplicates among the three are possible. */
export function candidateBins(items: readonly string[], context: Uint8Array, bins: number): Uint32Array {
  const out = new Uint32Array(items.length * HASHES);
  const prefix = concatBytes(BIN_DOMAIN, context);
  for (let i = 0; i < items.length; i++) {
    const d = sha256(concatBytes(prefix, utf8Encode(items[i])));
    const v = new DataView(d.buffer, d.byteOffset, d.byteLength);
    for (let h = 0; h < HASHES; h++) {
      // 64 uniform bits mod bins: bias below 2^-32
      out[HASHES * i + h] = Number((v.getBigUint64(8 * h) % BigInt(bins)));
    }
  }
  return out;
}

/**
 * Cuckoo placement: table[b] = index of the item in bin b, or −1. Random-walk insertion.
 * Throws when an item cannot be placed (see the module header).
 */
export function cuckooPlace(candidates: Uint32Array, count: number, bins: number): Int32Array {
  const table = new Int32Array(bins).fill(-1);
  const limit = 64 * Math.ceil(Math.log2(bins + 1)) + 256;
  const coins = randomBytes(4096);
  let coin = 0;
  for (let i = 0; i < count; i++) {
    let item = i;
    let last = -1;
    for (let step = 0; ; step++) {
      // a free candidate bin takes the item
      let placed = false;
      for (let h = 0; h < HASHES && !placed; h++) {
        const b = candidates[HASHES * item + h];
        if (table[b] === -1) {
          table[b] = item;
          placed = true;
        }
      }
      if (placed) break;
      if (step >= limit) throw new MpcError('ABORTED', `PSI: cuckoo hashing could not place item ${i} of ${count} in ${bins} bins (probability about 2^-40); run again`);
      // evict a random occupant other than the one just placed
      let b: number;
      do {
        if (coin === coins.length) {
          coins.set(randomBytes(coins.length));
          coin = 0;
        }
        b = candidates[HASHES * item + (coins[coin++] % HASHES)];
      } while (b === last && candidates[HASHES * item] !== candidates[HASHES * item + 1]);
      const evicted = table[b];
      table[b] = item;
      item = evicted;
      last = b;
    }
  }
  return table;
}
