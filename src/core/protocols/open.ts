/**
 * Opening shared vectors: to every party (`open`, `openBits`) or to one party (`openTo`,
 * `openBitsTo`). One round each: every party sends its share, the receiver adds (Z_2^64)
 * or XORs (GF(2)) all shares.
 *
 * Security (semi-honest): opening reveals exactly the opened value; the shares themselves
 * are uniformly random given the value, so sending them leaks nothing more. Only open
 * what the computation declares as output, or values masked by fresh randomness (Beaver's
 * d and e). No integrity: a lying party changes the result (MACs are future work).
 *
 * The `*InRound` variants take the round id from the caller, so that composite protocols
 * (multiply, AND, comparisons) keep all their rounds under their own protocol tag.
 */
import { bytesToU64, u64AsBytes } from '../codec.ts';
import { MpcError } from '../errors.ts';
import type { PartyId } from '../session/channel.ts';
import { Protocol, type RoundId } from '../session/round.ts';
import type { Session } from '../session/session.ts';
import { type BitShares, bytesToWords, wordsAsBytes } from './bit-shares.ts';

/** Σ of all parties' shares, received in `round`. */
export async function openInRound(s: Session, round: RoundId, x: BigUint64Array): Promise<BigUint64Array> {
  const mine = u64AsBytes(x);
  const got = await s.exchange(round, () => mine, mine.length);
  const out = x.slice();
  for (const [p, bytes] of got) {
    const y = bytesToU64(bytes, x.length, p);
    for (let i = 0; i < out.length; i++) out[i] += y[i];
  }
  return out;
}

/** ⊕ of all parties' word shares, received in `round`. */
export async function openWordsInRound(s: Session, round: RoundId, x: Uint32Array): Promise<Uint32Array> {
  const mine = wordsAsBytes(x);
  const got = await s.exchange(round, () => mine, mine.length);
  const out = x.slice();
  for (const bytes of got.values()) {
    const y = bytesToWords(bytes);
    for (let i = 0; i < out.length; i++) out[i] ^= y[i];
  }
  return out;
}

function checkOwner(s: Session, owner: PartyId): void {
  if (!Number.isInteger(owner) || owner < 0 || owner >= s.n) {
    throw new MpcError('INVALID_ARGUMENT', `owner must be a party index in [0, ${s.n}), got ${owner}`);
  }
}

/** Open an additively shared vector to every party. One round. */
export async function open(s: Session, x: BigUint64Array): Promise<BigUint64Array> {
  return openInRound(s, s.round(Protocol.Open, s.nextInstance(Protocol.Open), 0), x);
}

/** Open to `owner` only: the others send their shares and get `null`. One round. */
export async function openTo(s: Session, owner: PartyId, x: BigUint64Array): Promise<BigUint64Array | null> {
  checkOwner(s, owner);
  const round = s.round(Protocol.Open, s.nextInstance(Protocol.Open), 0);
  if (s.self !== owner) {
    s.send(owner, round, u64AsBytes(x));
    return null;
  }
  const got = await s.receiveAll(round, x.byteLength);
  const out = x.slice();
  for (const [p, bytes] of got) {
    const y = bytesToU64(bytes, x.length, p);
    for (let i = 0; i < out.length; i++) out[i] += y[i];
  }
  return out;
}

/** Open XOR-shared bits to every party; the result is public, in the same layout. One round. */
export async function openBits(s: Session, x: BitShares): Promise<BitShares> {
  const words = await openWordsInRound(s, s.round(Protocol.Open, s.nextInstance(Protocol.Open), 0), x.words);
  return { count: x.count, bits: x.bits, words };
}

/** Open XOR-shared bits to `owner` only; the others get `null`. One round. */
export async function openBitsTo(s: Session, owner: PartyId, x: BitShares): Promise<BitShares | null> {
  checkOwner(s, owner);
  const round = s.round(Protocol.Open, s.nextInstance(Protocol.Open), 0);
  if (s.self !== owner) {
    s.send(owner, round, wordsAsBytes(x.words));
    return null;
  }
  const got = await s.receiveAll(round, x.words.byteLength);
  const words = x.words.slice();
  for (const bytes of got.values()) {
    const y = bytesToWords(bytes);
    for (let i = 0; i < words.length; i++) words[i] ^= y[i];
  }
  return { count: x.count, bits: x.bits, words };
}
