/**
 * The group safety code: a short authentication string (SAS) over a commit-then-reveal
 * exchange among everyone in the room (DESIGN §1 step 3). Sans-I/O: mesh.ts feeds it the
 * authenticated peers and their frames and sends what it returns.
 *
 * Why an exchange and not a hash of the keys. A code computed from the keys alone can be
 * ground offline: an insider who learned the honest keys (from throwaway connections) can
 * search for keys of her own whose codes collide, and only then sit in the middle. Here the
 * code also depends on a fresh random nonce from every tab, and each tab reveals its nonce
 * only after it holds a commitment from every peer, so whoever sits in the middle has to
 * fix her choices on every leg before she learns the randomness that decides the code
 * (ZRTP, RFC 6189 §4.4.1.1 and §7; Vaudenay's SAS-MCA, CRYPTO 2005; group SAS comparison as
 * in Nguyen–Roscoe, "Authentication protocols based on low-bandwidth unspoofable channels",
 * 2011).
 *
 * One exchange per roster. A roster is the set of identity keys a tab sees: its own and
 * every authenticated peer's (mesh.ts, identity.ts). For roster R with digest
 * r = SHA-256(ROSTER ‖ room ‖ count ‖ sorted keys), tab i draws a 32-byte nonce n_i and
 *   1. sends COMMIT(r, c_i), c_i = SHA-256(COMMIT ‖ room ‖ r ‖ pk_i ‖ n_i), to every peer in R;
 *   2. once it holds a COMMIT for r from every peer in R, sends REVEAL(r, n_i) to every peer;
 *   3. once it holds from every peer a REVEAL for r that opens that peer's commitment, the
 *      code is the first 48 bits of SHA-256(CODE ‖ room ‖ count ‖ sorted (pk_j ‖ n_j)),
 *      read as six words (safety-words.ts). Only then is the code shown ("final"); until
 *      then the state is "establishing".
 * A roster change starts the exchange of the new roster. A roster seen before resumes its
 * old exchange (same nonce, same locked commitments, same code), so a peer whose view
 * flickered does not split the group, and nothing revealed earlier can be reused against a
 * fresh nonce. A peer's first commitment for a roster is final: a different one, a reveal
 * that does not open it, or a reveal before the commitment is a protocol violation and the
 * mesh drops that peer with a warning naming it.
 *
 * Wire (mesh-internal identity tag, after the identity handshake):
 *   0x03 COMMIT ‖ r (32) ‖ c (32)      0x04 REVEAL ‖ r (32) ‖ n (32)        65 bytes each
 *
 * Security argument (random-oracle model for SHA-256; the pairwise links are authenticated
 * to the keys by the identity handshake's channel binding, so a party in the middle of a
 * link must use a key of her own there). Let honest tabs A and B end with views
 * x_A ≠ x_B (the code inputs: keys and nonces). Their codes can only be final after each
 * sent its REVEAL, at times t_A ≤ t_B say. At t_B, B holds a locked commitment from every
 * peer, so x_B is fixed (binding: changing it needs a SHA-256 collision); so is x_A (fixed
 * at t_A). Before t_B nobody but B knows n_B (hiding: c_B is a hash of 256 random bits), and
 * n_B is part of x_B, so nobody can have asked the oracle for H(x_B) before t_B. Hence
 * H(x_B) is a fresh uniform value, independent of H(x_A) and of every choice the attacker
 * made, however adaptively: Pr[codes equal] = 2^-48 (+ q·2^-256 for q hash evaluations),
 * below the 2^-40 we promise per attempt. Grinding does not help: there is nothing to grind
 * on before the commitments, and after them nothing is left to choose.
 * Why an attempt is a visible failure: once every tab has revealed, the codes are fixed;
 * a mismatch stays on screen until the roster changes. To try again the attacker needs a
 * new exchange, i.e. a new roster, i.e. someone leaving or joining (shown in the list, and
 * the UI announces every code change: "compare the new words again"); withholding her
 * REVEAL leaves the tabs showing "establishing" instead of a code. Equal views x_A = x_B mean
 * the same set of keys, and a key is only in a view if its holder is the other end of a
 * direct authenticated channel, so no one is in the middle (an extra key is an extra
 * participant, visible in the count).
 *
 * References: RFC 6189 (ZRTP); S. Vaudenay, "Secure communications over insecure channels
 * based on short authenticated strings", CRYPTO 2005; L. H. Nguyen, A. W. Roscoe, J. Comput.
 * Security 19(1), 2011.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { randomBytes } from '@noble/hashes/utils.js';
import { equalBytes } from '@noble/curves/utils.js';
import { concatBytes, lengthPrefixed as lp } from '../core/codec.ts';
import { encodeBase64url } from './base64url.ts';
import { SAFETY_WORDS } from './safety-words.ts';

export const SAFETY_CODE_DOMAIN = 'parley/safety-code/v2';
const ROSTER_DOMAIN = `${SAFETY_CODE_DOMAIN}/roster`;
const COMMIT_DOMAIN = `${SAFETY_CODE_DOMAIN}/commit`;
const CODE_DOMAIN = `${SAFETY_CODE_DOMAIN}/code`;
export const SAFETY_CODE_WORDS = 6;
export const SAFETY_CODE_BITS = 8 * SAFETY_CODE_WORDS;

const COMMIT = 3;
const REVEAL = 4;
const HASH_BYTES = 32;
const NONCE_BYTES = 32;
const KEY_BYTES = 32;
export const SAFETY_MESSAGE_BYTES = 1 + HASH_BYTES + HASH_BYTES;
/** Rosters remembered per session and per peer (a room of 32 churning for hours stays far below). */
const MAX_ROSTERS = 1024;

/** `members`: the peers (member ids) the current roster covers, besides us. */
export type SafetyState =
  /** `waitingFor`: member ids whose commitment or reveal for the current roster is missing. */
  | { status: 'establishing'; members: string[]; waitingFor: string[] }
  /** `digest`: the full SHA-256 the words are cut from (tests check reduced lengths on it). */
  | { status: 'final'; members: string[]; code: string; digest: Uint8Array };

export type SafetyMessage = { kind: 'commit'; roster: Uint8Array; commitment: Uint8Array } | { kind: 'reveal'; roster: Uint8Array; nonce: Uint8Array };

/** Identity-tag message types this module handles (the handshake uses 1 and 2). */
export function isSafetyMessage(b: Uint8Array): boolean {
  return b[0] === COMMIT || b[0] === REVEAL;
}

/** Validate bytes from a peer; a string says what is wrong. Never throws. */
export function decodeSafetyMessage(b: Uint8Array): SafetyMessage | string {
  if (b.length !== SAFETY_MESSAGE_BYTES || !isSafetyMessage(b)) return `safety-code message of ${b.length} bytes with type ${b[0] ?? 'none'} (expected ${SAFETY_MESSAGE_BYTES} bytes of type ${COMMIT} or ${REVEAL})`;
  const roster = b.slice(1, 33);
  return b[0] === COMMIT ? { kind: 'commit', roster, commitment: b.slice(33) } : { kind: 'reveal', roster, nonce: b.slice(33) };
}

export function encodeSafetyMessage(m: SafetyMessage): Uint8Array {
  return concatBytes(Uint8Array.of(m.kind === 'commit' ? COMMIT : REVEAL), m.roster, m.kind === 'commit' ? m.commitment : m.nonce);
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

const u32 = (n: number) => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n);
  return b;
};

/** r: digest of the roster (room and the set of keys, any order). */
export function rosterDigest(roomId: string, keys: readonly Uint8Array[]): Uint8Array {
  const sorted = [...keys].sort(compareBytes);
  return sha256(concatBytes(lp(ROSTER_DOMAIN), lp(roomId), u32(sorted.length), ...sorted));
}

/** c_i: commits the holder of `publicKey` to `nonce` for roster `roster`. */
export function nonceCommitment(roomId: string, roster: Uint8Array, publicKey: Uint8Array, nonce: Uint8Array): Uint8Array {
  return sha256(concatBytes(lp(COMMIT_DOMAIN), lp(roomId), roster, publicKey, nonce));
}

/** The SAS digest over everyone's (key, revealed nonce), any order. */
export function safetyDigest(roomId: string, entries: readonly { publicKey: Uint8Array; nonce: Uint8Array }[]): Uint8Array {
  const sorted = [...entries].sort((a, b) => compareBytes(a.publicKey, b.publicKey));
  return sha256(concatBytes(lp(CODE_DOMAIN), lp(roomId), u32(sorted.length), ...sorted.flatMap((e) => [e.publicKey, e.nonce])));
}

/** Six words: one per byte of the digest's first 48 bits. */
export function safetyWords(digest: Uint8Array): string {
  return Array.from(digest.subarray(0, SAFETY_CODE_WORDS), (b) => SAFETY_WORDS[b]).join(' ');
}

interface Exchange {
  roster: Uint8Array;
  /** Member id → key, as authenticated when the exchange started. */
  peers: Map<string, Uint8Array>;
  nonce: Uint8Array;
  commitment: Uint8Array;
  revealed: boolean;
  final?: { code: string; digest: Uint8Array };
}

/** What one peer (by key) committed to and revealed, per roster (hex of r). */
type PeerRecords = Map<string, { commitment: Uint8Array; nonce?: Uint8Array }>;

export interface SafetyExchangeOptions {
  roomId: string;
  /** Our identity public key (32 bytes). */
  publicKey: Uint8Array;
  /** Hand a message to the link of member `peer` (in order, after the identity handshake). */
  send(peer: string, bytes: Uint8Array): void;
  /** The state changed (a new roster started, or the current one became final). */
  onState(state: SafetyState): void;
  /** Test seam: the nonce source (default 32 random bytes). */
  nonce?: () => Uint8Array;
}

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

export class SafetyExchange {
  private readonly exchanges = new Map<string, Exchange>();
  private readonly records = new Map<string, PeerRecords>();
  private current: Exchange;

  constructor(private readonly o: SafetyExchangeOptions) {
    // Alone, the code covers our key only; it is final at once (no event: nothing changed yet).
    this.current = this.exchangeFor(new Map());
    this.advance(false);
  }

  get state(): SafetyState {
    const x = this.current;
    const members = [...x.peers.keys()];
    if (x.final) return { status: 'final', members, code: x.final.code, digest: x.final.digest };
    const key = hex(x.roster);
    const waitingFor = [...x.peers].filter(([, pk]) => {
      const rec = this.records.get(encodeBase64url(pk))?.get(key);
      return x.revealed ? !rec?.nonce : !rec;
    });
    return { status: 'establishing', members, waitingFor: waitingFor.map(([id]) => id) };
  }

  /** The authenticated peers changed (member id → 32-byte key). Starts or resumes that roster's exchange. */
  setPeers(peers: ReadonlyMap<string, Uint8Array>): void {
    const next = this.exchangeFor(peers);
    if (next === this.current && sameMembers(next.peers, peers)) return;
    next.peers = new Map(peers);
    this.current = next;
    for (const id of next.peers.keys()) this.o.send(id, encodeSafetyMessage({ kind: 'commit', roster: next.roster, commitment: next.commitment }));
    if (next.revealed) for (const id of next.peers.keys()) this.o.send(id, encodeSafetyMessage({ kind: 'reveal', roster: next.roster, nonce: next.nonce }));
    this.o.onState(this.state);
    this.advance();
  }

  /**
   * A safety-code frame from authenticated peer `peer` with key `publicKey`. Returns an
   * error (the caller drops the peer) on a malformed frame or a protocol violation.
   */
  receive(peer: string, publicKey: Uint8Array, bytes: Uint8Array): string | undefined {
    const m = decodeSafetyMessage(bytes);
    if (typeof m === 'string') return m;
    const who = encodeBase64url(publicKey);
    let recs = this.records.get(who);
    if (!recs) this.records.set(who, (recs = new Map()));
    const key = hex(m.roster);
    const rec = recs.get(key);
    if (m.kind === 'commit') {
      if (rec) return equalBytes(rec.commitment, m.commitment) ? undefined : `${peer} changed its safety-code commitment for the same group`;
      if (recs.size >= MAX_ROSTERS) return `${peer} started more than ${MAX_ROSTERS} safety-code exchanges`;
      recs.set(key, { commitment: m.commitment });
    } else {
      if (!rec) return `${peer} revealed its safety-code nonce before committing to it`;
      if (rec.nonce) return equalBytes(rec.nonce, m.nonce) ? undefined : `${peer} revealed a second safety-code nonce`;
      if (!equalBytes(nonceCommitment(this.o.roomId, m.roster, publicKey, m.nonce), rec.commitment)) return `${peer} revealed a safety-code nonce that does not match its commitment`;
      rec.nonce = m.nonce;
    }
    if (equalBytes(m.roster, this.current.roster)) this.advance();
    return undefined;
  }

  private exchangeFor(peers: ReadonlyMap<string, Uint8Array>): Exchange {
    for (const k of peers.values()) if (k.length !== KEY_BYTES) throw new RangeError(`identity key of ${k.length} bytes (expected ${KEY_BYTES})`);
    const roster = rosterDigest(this.o.roomId, [this.o.publicKey, ...peers.values()]);
    const key = hex(roster);
    const known = this.exchanges.get(key);
    if (known) return known;
    if (this.exchanges.size >= MAX_ROSTERS) this.exchanges.delete(this.exchanges.keys().next().value!);
    const nonce = this.o.nonce ? this.o.nonce() : randomBytes(NONCE_BYTES);
    if (nonce.length !== NONCE_BYTES) throw new RangeError(`nonce of ${nonce.length} bytes (expected ${NONCE_BYTES})`);
    const x: Exchange = { roster, peers: new Map(peers), nonce, commitment: nonceCommitment(this.o.roomId, roster, this.o.publicKey, nonce), revealed: false };
    this.exchanges.set(key, x);
    return x;
  }

  /** Reveal once every commitment is in; finish once every reveal is in. */
  private advance(notify = true): void {
    const x = this.current;
    if (x.final) return;
    const key = hex(x.roster);
    const recs = [...x.peers.values()].map((pk) => ({ pk, rec: this.records.get(encodeBase64url(pk))?.get(key) }));
    if (!x.revealed) {
      if (!recs.every((r) => r.rec)) return;
      x.revealed = true;
      for (const id of x.peers.keys()) this.o.send(id, encodeSafetyMessage({ kind: 'reveal', roster: x.roster, nonce: x.nonce }));
    }
    if (!recs.every((r) => r.rec?.nonce)) return;
    const digest = safetyDigest(this.o.roomId, [{ publicKey: this.o.publicKey, nonce: x.nonce }, ...recs.map((r) => ({ publicKey: r.pk, nonce: r.rec!.nonce! }))]);
    x.final = { code: safetyWords(digest), digest };
    if (notify) this.o.onState(this.state);
  }
}

function sameMembers(a: ReadonlyMap<string, Uint8Array>, b: ReadonlyMap<string, Uint8Array>): boolean {
  if (a.size !== b.size) return false;
  for (const [id, k] of a) {
    const other = b.get(id);
    if (!other || !equalBytes(other, k)) return false;
  }
  return true;
}
