/**
 * OT between every ordered pair of a session: 128 base OTs per ordered pair (base-ot-twist.ts,
 * X25519 at native speed, all pairs in parallel, one round), then OT extension on demand — SoftSpokenOT with
 * parameter k (softspoken.ts; one more setup round for its GGM trees), or plain IKNP
 * (iknp.ts) for k = 1. One extension step moves the receivers' column matrices in one
 * round for all peers at once; both give rows q_j = t_j ⊕ r_j·Δ.
 *
 * Choosing k (npm run bench, Node 20, N=2 in one thread, random OTs per direction/s,
 * hashing included): k=1 (IKNP) 16 B/OT 1.25 M/s; k=2 8 B/OT 1.23 M/s; k=4 4 B/OT
 * 0.76 M/s; k=8 2 B/OT ~8× slower again (2^k/k PRG expansions per OT and column).
 * k=2 halves traffic for free, so it is the default; k=4 suits slow links (WebRTC data
 * channels run at ≈ 20 MB/s, DESIGN §5).
 *
 * Roles toward a peer p: `send` is the extension sender (this party holds Δ, p chooses),
 * `recv` the extension receiver (p holds Δ, this party chooses).
 *
 * [HSS17] Hazay, Scholl, Soria-Vazquez. ASIACRYPT 2017; [WRK17] Wang, Ranellucci, Katz.
 * CCS 2017 (global Δ per party in multi-party TinyOT).
 *
 * Security: the base OTs are malicious-secure in both modes (base-ot-twist.ts [MRR20]; the
 * noble-only Chou–Orlandi and endemic [MR19] OTs remain as `baseOt: 'legacy'` for
 * benchmarks beside them). `security: 'semi-honest'` (fast mode): extension as iknp.ts,
 * softspoken.ts; `security: 'malicious'` (strict mode) requires every extension to go
 * through checked-extension.ts (KOS15 check). Round ids come from the
 * session's deterministic instance counters, so every party must call these in the same
 * order.
 */
import { MpcError } from '../errors.ts';
import { randomBytes } from '../random.ts';
import type { PartyId } from '../session/channel.ts';
import { Protocol, type RoundId } from '../session/round.ts';
import type { Session } from '../session/session.ts';
import { concatBytes } from '../codec.ts';
import { POINT_BYTES, baseOtReceive, baseOtSenderKeys, baseOtSenderStart, type BaseOtSenderSecret } from './base-ot.ts';
import { ENDEMIC_OT_BYTES, ENDEMIC_POINT_BYTES, endemicReceive, endemicReceiverKeys, endemicSenderKeys, endemicSenderStart, type EndemicReceiverState, type EndemicSenderSecret } from './base-ot-endemic.ts';
import { TWIST_OT_BYTES, TWIST_SENDER_BYTES, twistReceive, twistReceiverKeys, twistSenderKeys, twistSenderStart } from './base-ot-twist.ts';
import { hashRows } from './cr-hash.ts';
import { x25519Engine, type X25519Engine } from './x25519.ts';
import { KAPPA, iknpHashKey, iknpReceive, iknpSend, type ExtensionReceived, type ExtensionSent } from './iknp.ts';
import { softSpokenMessageBytes, softSpokenReceive, softSpokenReceiverSetup, softSpokenSend, softSpokenSenderSetup, type SoftSpokenK } from './softspoken.ts';

export type { SoftSpokenK } from './softspoken.ts';
export const DEFAULT_SOFTSPOKEN_K: SoftSpokenK = 2;

/** Extension sender toward one peer (holds Δ). */
export interface ExtensionSender {
  readonly delta: Uint32Array;
  send(u: Uint8Array, m: number, receiver: number): ExtensionSent;
}

/** Extension receiver toward one peer (chooses). */
export interface ExtensionReceiver {
  messageBytes(m: number): number;
  receive(choice: Uint32Array, m: number): ExtensionReceived;
}

/**
 * 'semi-honest' (fast mode): Chou–Orlandi base OTs, extension without a check.
 * 'malicious' (strict mode): endemic base OTs [MR19] and every extension checked
 * (checked-extension.ts); the unchecked extendStart/extendAll refuse such a setup.
 */
export type OtSecurity = 'semi-honest' | 'malicious';

export interface PeerOt {
  readonly peer: PartyId;
  readonly security: OtSecurity;
  readonly send: ExtensionSender;
  readonly recv: ExtensionReceiver;
}

export interface OtOptions {
  /** SoftSpokenOT parameter; 1 = IKNP. Default 2. */
  k?: SoftSpokenK;
  /** Default 'semi-honest'. */
  security?: OtSecurity;
  /**
   * Base OTs: 'twist' (default, base-ot-twist.ts, one round) or 'legacy' (noble ristretto255:
   * Chou–Orlandi semi-honest in two rounds, endemic MR19 malicious in one) for benchmarks.
   */
  baseOt?: 'twist' | 'legacy';
  /** X25519 implementation for 'twist' (default: WebCrypto where it works, else noble). */
  engine?: X25519Engine;
}

export type SessionOt = ReadonlyMap<PartyId, PeerOt>;

/** Base-OT outputs toward one peer: our Δ and chosen keys (we will be extension sender), both keys of the reverse direction (we will be extension receiver). */
interface BaseOts {
  readonly delta: Uint32Array;
  readonly chosen: readonly Uint8Array[];
  readonly k0: readonly Uint8Array[];
  readonly k1: readonly Uint8Array[];
}

function randomDelta(): { delta: Uint32Array; bits: Uint8Array } {
  const delta = new Uint32Array(randomBytes(16).buffer);
  const bits = new Uint8Array(KAPPA);
  for (let i = 0; i < KAPPA; i++) bits[i] = (delta[i >>> 5] >>> (i & 31)) & 1;
  return { delta, bits };
}

/** Chou–Orlandi, two rounds (A, then the receivers' points). */
async function semiHonestBaseOts(s: Session, instance: number): Promise<Map<PartyId, BaseOts>> {
  // Round 1: as base-OT sender toward each peer p — for direction p→us, where p holds Δ
  // and chooses with it — send A.
  const secrets = new Map<PartyId, BaseOtSenderSecret>();
  for (const p of s.others) secrets.set(p, baseOtSenderStart());
  const As = await s.exchange(s.round(Protocol.BaseOt, instance, 0), (p) => secrets.get(p)!.A, POINT_BYTES);

  // Round 2: as base-OT receiver toward each peer with choices = our Δ for direction us→p.
  const deltas = new Map<PartyId, Uint32Array>();
  const chosen = new Map<PartyId, Uint8Array[]>();
  const messages = new Map<PartyId, Uint8Array>();
  for (const p of s.others) {
    const { delta, bits } = randomDelta();
    const { message, keys } = baseOtReceive({ instance, sender: p, receiver: s.self }, As.get(p)!, bits);
    deltas.set(p, delta);
    chosen.set(p, keys);
    messages.set(p, message);
  }
  const Bs = await s.exchange(s.round(Protocol.BaseOt, instance, 1), (p) => messages.get(p)!, KAPPA * POINT_BYTES);
  const out = new Map<PartyId, BaseOts>();
  for (const p of s.others) {
    const { k0, k1 } = baseOtSenderKeys({ instance, sender: s.self, receiver: p }, secrets.get(p)!, Bs.get(p)!, KAPPA);
    out.set(p, { delta: deltas.get(p)!, chosen: chosen.get(p)!, k0, k1 });
  }
  return out;
}

/**
 * The twist OT [MRR20] (base-ot-twist.ts), one round: A and the receiver's POPFs travel
 * together. Choices are our Δ bits toward p: per ordered pair (semi-honest) or one Δ per
 * party (malicious, see maliciousBaseOts).
 */
async function twistBaseOts(s: Session, instance: number, globalDelta: boolean, engine: X25519Engine): Promise<Map<PartyId, BaseOts>> {
  const shared = globalDelta ? randomDelta() : undefined;
  const deltas = new Map<PartyId, Uint32Array>();
  const prepared = await Promise.all(
    s.others.map(async (p) => {
      const { delta, bits } = shared ?? randomDelta();
      deltas.set(p, delta);
      const [secret, state] = await Promise.all([twistSenderStart(engine), twistReceive(engine, { instance, sender: p, receiver: s.self }, bits)]);
      return { p, secret, state, payload: concatBytes(secret.message, state.message) };
    }),
  );
  const payloads = new Map(prepared.map((x) => [x.p, x.payload]));
  const got = await s.exchange(s.round(Protocol.BaseOt, instance, 0), (p) => payloads.get(p)!, TWIST_SENDER_BYTES + KAPPA * TWIST_OT_BYTES);
  const out = new Map<PartyId, BaseOts>();
  await Promise.all(
    prepared.map(async ({ p, secret, state }) => {
      const msg = got.get(p)!;
      const [chosen, { k0, k1 }] = await Promise.all([
        twistReceiverKeys(engine, { instance, sender: p, receiver: s.self }, state, msg.subarray(0, TWIST_SENDER_BYTES)),
        twistSenderKeys(engine, { instance, sender: s.self, receiver: p }, secret, msg.subarray(TWIST_SENDER_BYTES), KAPPA),
      ]);
      out.set(p, { delta: deltas.get(p)!, chosen, k0, k1 });
    }),
  );
  return out;
}

/**
 * Endemic OT [MR19], one round: A and the receiver's (r_0, r_1) pairs travel together.
 * One Δ per party, the same toward every peer: the global MAC key of multi-party TinyOT
 * [HSS17, WRK17], where a party's keys for all others' bits must share one Δ so that MACs
 * of an opened value can be checked together. Each pairwise check bounds what that peer
 * learns about it (kos-check.ts); leaks add up over peers, each bit still costing 1/2.
 */
async function maliciousBaseOts(s: Session, instance: number): Promise<Map<PartyId, BaseOts>> {
  const secrets = new Map<PartyId, EndemicSenderSecret>();
  const states = new Map<PartyId, EndemicReceiverState>();
  const deltas = new Map<PartyId, Uint32Array>();
  const payloads = new Map<PartyId, Uint8Array>();
  const { delta, bits } = randomDelta();
  for (const p of s.others) {
    const secret = endemicSenderStart();
    const state = endemicReceive({ instance, sender: p, receiver: s.self }, bits);
    secrets.set(p, secret);
    states.set(p, state);
    deltas.set(p, delta);
    payloads.set(p, concatBytes(secret.A, state.message));
  }
  const got = await s.exchange(s.round(Protocol.BaseOt, instance, 0), (p) => payloads.get(p)!, ENDEMIC_POINT_BYTES + KAPPA * ENDEMIC_OT_BYTES);
  const out = new Map<PartyId, BaseOts>();
  for (const p of s.others) {
    const msg = got.get(p)!;
    const chosen = endemicReceiverKeys({ instance, sender: p, receiver: s.self }, states.get(p)!, msg.subarray(0, ENDEMIC_POINT_BYTES));
    const { k0, k1 } = endemicSenderKeys({ instance, sender: s.self, receiver: p }, secrets.get(p)!, msg.subarray(ENDEMIC_POINT_BYTES), KAPPA);
    out.set(p, { delta: deltas.get(p)!, chosen, k0, k1 });
  }
  return out;
}

/**
 * OT setup with every peer, both directions: 128 base OTs per ordered pair (one round;
 * legacy semi-honest two), plus one round of GGM corrections for SoftSpokenOT
 * (k > 1). Semi-honest: a random Δ per ordered pair; malicious: one Δ per party for
 * all its peers (maliciousBaseOts). Call it once per Session: every run has its own Session (engine.worker.ts), so
 * base OTs, Δ and every extended correlation are fresh per run and never reused.
 */
export async function setupOt(s: Session, opts: OtOptions = {}): Promise<SessionOt> {
  const k = opts.k ?? DEFAULT_SOFTSPOKEN_K;
  const security = opts.security ?? 'semi-honest';
  if (![1, 2, 4, 8].includes(k)) throw new MpcError('INVALID_ARGUMENT', `OT extension parameter k must be 1, 2, 4 or 8, got ${k}`);
  if (security !== 'semi-honest' && security !== 'malicious') throw new MpcError('INVALID_ARGUMENT', `OT security must be 'semi-honest' or 'malicious', got ${String(security)}`);
  const baseOt = opts.baseOt ?? 'twist';
  if (baseOt !== 'twist' && baseOt !== 'legacy') throw new MpcError('INVALID_ARGUMENT', `base OT must be 'twist' or 'legacy', got ${String(baseOt)}`);
  const instance = s.nextInstance(Protocol.BaseOt);
  const base =
    baseOt === 'twist'
      ? await twistBaseOts(s, instance, security === 'malicious', opts.engine ?? (await x25519Engine()))
      : security === 'malicious'
        ? await maliciousBaseOts(s, instance)
        : await semiHonestBaseOts(s, instance);
  const step = baseOt === 'legacy' && security === 'semi-honest' ? 2 : 1;

  const out = new Map<PartyId, PeerOt>();
  if (k === 1) {
    for (const p of s.others) {
      const b = base.get(p)!;
      const snd = { delta: b.delta, keys: b.chosen, calls: 0 };
      const rcv = { keys0: b.k0, keys1: b.k1, calls: 0 };
      out.set(p, {
        peer: p,
        security,
        send: { delta: snd.delta, send: (u, m, r) => iknpSend(snd, u, m, r) },
        recv: { messageBytes: (m) => (KAPPA * m) / 8, receive: (c, m) => iknpReceive(rcv, c, m) },
      });
    }
    return out;
  }

  // Last setup round (SoftSpokenOT): as extension receiver, send the GGM corrections of our trees.
  const ggm = new Map<PartyId, ReturnType<typeof softSpokenReceiverSetup>>();
  for (const p of s.others) ggm.set(p, softSpokenReceiverSetup(k, base.get(p)!.k0, base.get(p)!.k1));
  const trees = await s.exchange(s.round(Protocol.BaseOt, instance, step), (p) => ggm.get(p)!.message, 2 * KAPPA * 32);
  for (const p of s.others) {
    const b = base.get(p)!;
    const snd = softSpokenSenderSetup(k, b.delta, b.chosen, trees.get(p)!, p);
    const rcv = ggm.get(p)!.state;
    out.set(p, {
      peer: p,
      security,
      send: { delta: snd.delta, send: (u, m, r) => softSpokenSend(snd, u, m, r) },
      recv: { messageBytes: (m) => softSpokenMessageBytes(k, m), receive: (c, m) => softSpokenReceive(rcv, c, m) },
    });
  }
  return out;
}

/** Correlated rows of one extension step with one peer. */
export interface ExtendedRows {
  /** As IKNP receiver (peer holds Δ): our choice bits' rows t_j, and the call number. */
  readonly t: Uint32Array;
  readonly recvCall: number;
  /** As IKNP sender (we hold Δ): rows q_j = t'_j ⊕ r'_j·Δ for the peer's choices r'. */
  readonly q: Uint32Array;
  readonly sendCall: number;
}

/** An extension step whose columns are sent and whose peers' columns are awaited. */
export interface PendingExtension {
  readonly m: number;
  readonly round: RoundId;
  readonly recv: ReadonlyMap<PartyId, { readonly t: Uint32Array; readonly call: number }>;
}

/**
 * First half of an extension step, synchronous: as receiver toward every peer p, choose
 * `choicesFor(p)` (m bits; m a multiple of 32, the same everywhere) and send the columns.
 * Splitting the step lets a caller overlap the transfer with other work (pipelining).
 */
export function extendStart(s: Session, ot: SessionOt, m: number, choicesFor: (p: PartyId) => Uint32Array, round: RoundId): PendingExtension {
  const recv = new Map<PartyId, { t: Uint32Array; call: number }>();
  for (const p of s.others) {
    const peer = peerOt(ot, p);
    if (peer.security === 'malicious') throw new MpcError('INVALID_ARGUMENT', 'a malicious-secure OT setup must be extended with its consistency check (checked-extension.ts: extendChecked, deltaOtAll)');
    const r = peer.recv.receive(choicesFor(p), m);
    recv.set(p, { t: r.t, call: r.call });
    s.send(p, round, r.u);
  }
  return { m, round, recv };
}

/** Second half: receive every peer's columns (it chose toward us) and derive our rows. */
export async function extendFinish(s: Session, ot: SessionOt, pending: PendingExtension): Promise<Map<PartyId, ExtendedRows>> {
  const out = new Map<PartyId, ExtendedRows>();
  if (s.others.length === 0) return out;
  const got = await s.receiveAll(pending.round, peerOt(ot, s.others[0]).recv.messageBytes(pending.m));
  for (const p of s.others) {
    const { q, call } = peerOt(ot, p).send.send(got.get(p)!, pending.m, p);
    const r = pending.recv.get(p)!;
    out.set(p, { t: r.t, recvCall: r.call, q, sendCall: call });
  }
  return out;
}

/** One extension round with every peer (extendStart then extendFinish). */
export function extendAll(s: Session, ot: SessionOt, m: number, choicesFor: (p: PartyId) => Uint32Array, round: RoundId): Promise<Map<PartyId, ExtendedRows>> {
  return extendFinish(s, ot, extendStart(s, ot, m, choicesFor, round));
}

export function peerOt(ot: SessionOt, p: PartyId): PeerOt {
  const x = ot.get(p);
  if (!x) throw new MpcError('INVALID_ARGUMENT', `no OT setup with party ${p}`);
  return x;
}

const ZERO_MASK = new Uint32Array(4);

/** Random OT outputs of one step with one peer (64-bit messages, 2 words per OT; or 256-bit, 8 words). */
export interface RandomOts {
  /** As sender: m0_j, m1_j. */
  readonly m0: Uint32Array;
  readonly m1: Uint32Array;
  /** As receiver: m_{r_j} for our choices r. */
  readonly mr: Uint32Array;
}

/** Hash the rows of one step into random OTs [IKNP03]: H(j, q_j), H(j, q_j ⊕ Δ), H(j, t_j). */
export function hashToRandomOts(self: PartyId, p: PeerOt, rows: ExtendedRows, m: number, purpose: number, words: 2 | 8 = 2): RandomOts {
  const sendKey = iknpHashKey(self, p.peer, rows.sendCall, purpose);
  const recvKey = iknpHashKey(p.peer, self, rows.recvCall, purpose);
  const m0 = new Uint32Array(words * m), m1 = new Uint32Array(words * m), mr = new Uint32Array(words * m);
  hashRows(sendKey, rows.q, m, 0, ZERO_MASK, m0, words);
  hashRows(sendKey, rows.q, m, 0, p.send.delta, m1, words);
  hashRows(recvKey, rows.t, m, 0, ZERO_MASK, mr, words);
  return { m0, m1, mr };
}

/** m random OTs in each direction with every peer (one round after setup). */
export async function randomOtAll(s: Session, ot: SessionOt, m: number, choicesFor: (p: PartyId) => Uint32Array): Promise<Map<PartyId, RandomOts>> {
  const instance = s.nextInstance(Protocol.OtExt);
  const rows = await extendAll(s, ot, m, choicesFor, s.round(Protocol.OtExt, instance, 0));
  const out = new Map<PartyId, RandomOts>();
  for (const [p, r] of rows) out.set(p, hashToRandomOts(s.self, peerOt(ot, p), r, m, Protocol.OtExt));
  return out;
}
