/**
 * Tests only: the base-OT correlation of every ordered pair dealt by a trusted party, then
 * extended by the real IKNP code (src/core/ot/iknp.ts), so PSI tests exercise the OPRF's
 * real OT extension without paying for ristretto255 base OTs in every simulated run (the
 * products use setupOt through the triple source). Like dealer.test-helpers.ts for triples.
 */
import { KAPPA, iknpReceive, iknpSend } from '../ot/iknp.ts';
import type { PeerOt, SessionOt } from '../ot/ot-setup.ts';
import { randomBytes } from '../random.ts';
import { type PartyId, partyId } from '../session/channel.ts';

/** One SessionOt per party, consistent between every pair (semi-honest IKNP, k = 1). */
export function dealerOts(n: number): SessionOt[] {
  const out = Array.from({ length: n }, () => new Map<PartyId, PeerOt>());
  // direction i → j: i is the extension sender (holds Δ), j the receiver
  const dir = new Map<string, { delta: Uint32Array; chosen: Uint8Array[]; k0: Uint8Array[]; k1: Uint8Array[] }>();
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const delta = new Uint32Array(randomBytes(16).buffer);
      const k0 = Array.from({ length: KAPPA }, () => randomBytes(32));
      const k1 = Array.from({ length: KAPPA }, () => randomBytes(32));
      const chosen = k0.map((k, b) => (((delta[b >>> 5] >>> (b & 31)) & 1) === 1 ? k1[b] : k));
      dir.set(`${i}>${j}`, { delta, chosen, k0, k1 });
    }
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const mine = dir.get(`${i}>${j}`)!; // we send toward j
      const theirs = dir.get(`${j}>${i}`)!; // j sends toward us: we receive
      const snd = { delta: mine.delta, keys: mine.chosen, calls: 0 };
      const rcv = { keys0: theirs.k0, keys1: theirs.k1, calls: 0 };
      out[i].set(partyId(j), {
        peer: partyId(j),
        security: 'semi-honest',
        send: { delta: snd.delta, send: (u, m, r) => iknpSend(snd, u, m, r) },
        recv: { messageBytes: (m) => (KAPPA * m) / 8, receive: (c, m) => iknpReceive(rcv, c, m) },
      });
    }
  }
  return out;
}
