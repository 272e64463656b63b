import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ed25519 } from '@noble/curves/ed25519.js';
import {
  decodeIdentityMessage,
  encodeIdentityMessage,
  IdentityHandshake,
  identityTranscript,
  keyCommitment,
  newIdentityKey,
  normalizeFingerprint,
  OFFER_BYTES,
  PROOF_BYTES,
  type IdentityKey,
} from './identity.ts';
import { SAFETY_WORDS } from './safety-words.ts';

const roomId = 'r'.repeat(43);
const fp = (c: string) => `sha-256 ${Array(32).fill(c + c).join(':')}`;
const FA = fp('A');
const FB = fp('B');

/** Two ends of one connection: A's local fingerprint is B's remote one and vice versa. */
function pair(opts: { aSeesRemote?: string; bSeesRemote?: string } = {}) {
  const ka = newIdentityKey();
  const kb = newIdentityKey();
  const a = new IdentityHandshake(ka, roomId, () => ({ local: FA, remote: opts.aSeesRemote ?? FB }));
  const b = new IdentityHandshake(kb, roomId, () => ({ local: FB, remote: opts.bSeesRemote ?? FA }));
  return { ka, kb, a, b };
}

/** Run both flights; returns what each end concluded. */
function run(a: IdentityHandshake, b: IdentityHandshake) {
  const oa = a.start();
  const ob = b.start();
  const ra = a.receive(ob); // A gets B's offer → A's proof
  const rb = b.receive(oa);
  if (!ra.ok || !rb.ok) throw new Error('offers refused');
  return { atA: a.receive(rb.reply!), atB: b.receive(ra.reply!) };
}

describe('identity handshake', () => {
  it('both ends learn the other key when the fingerprints match', () => {
    const { ka, kb, a, b } = pair();
    const { atA, atB } = run(a, b);
    expect(atA).toEqual({ ok: true, verified: kb.publicKey });
    expect(atB).toEqual({ ok: true, verified: ka.publicKey });
    expect(a.done && b.done).toBe(true);
  });

  it('refuses a proof whose signed fingerprint is not the remote one of this connection (a relay in the middle)', () => {
    const { a, b } = pair({ aSeesRemote: fp('C'), bSeesRemote: fp('D') });
    const { atA, atB } = run(a, b);
    expect(atA).toMatchObject({ ok: false, error: expect.stringMatching(/DTLS fingerprint/) });
    expect(atB).toMatchObject({ ok: false, error: expect.stringMatching(/DTLS fingerprint/) });
  });

  it('fingerprints compare case-insensitively (RFC 8122)', () => {
    const { a, b } = pair({ aSeesRemote: FB.toLowerCase() });
    expect(run(a, b).atA.ok).toBe(true);
    expect(normalizeFingerprint('SHA-256 ab:cd')).toBe('sha-256 AB:CD');
  });

  it('refuses a proof replayed from another connection (other nonces)', () => {
    const first = pair();
    const oa = first.a.start();
    first.b.start();
    const proofB = first.b.receive(oa);
    // A second connection with the same keys and fingerprints, but fresh nonces.
    const a2 = new IdentityHandshake(first.ka, roomId, () => ({ local: FA, remote: FB }));
    a2.start();
    const b2 = new IdentityHandshake(first.kb, roomId, () => ({ local: FB, remote: FA }));
    expect(a2.receive(b2.start()).ok).toBe(true);
    if (!proofB.ok) throw new Error('unexpected');
    expect(a2.receive(proofB.reply!)).toMatchObject({ ok: false, error: expect.stringMatching(/signature/) });
  });

  it('refuses a key that does not match its commitment, and our own key reflected', () => {
    const { kb, a } = pair();
    a.start();
    const other = newIdentityKey();
    // B commits to kb but then presents another key with a valid signature by that key.
    a.receive(encodeIdentityMessage({ kind: 'offer', nonce: new Uint8Array(32), commitment: keyCommitment(kb.publicKey) }));
    const sig = ed25519.sign(identityTranscript(roomId, FB, FA, new Uint8Array(32), new Uint8Array(32)), other.secretKey);
    expect(a.receive(encodeIdentityMessage({ kind: 'proof', publicKey: other.publicKey, signature: sig }))).toMatchObject({ ok: false, error: expect.stringMatching(/commitment/) });

    const self: IdentityKey = newIdentityKey();
    const r = new IdentityHandshake(self, roomId, () => ({ local: FA, remote: FB }));
    const offer = r.start();
    const reply = r.receive(offer); // our own offer reflected back
    if (!reply.ok) throw new Error('unexpected');
    expect(r.receive(reply.reply!)).toMatchObject({ ok: false, error: expect.stringMatching(/our own public key/) });
  });

  it('refuses messages out of order, duplicates, and anything after the handshake', () => {
    const k = newIdentityKey();
    const h = () => new IdentityHandshake(k, roomId, () => ({ local: FA, remote: FB }));
    const offer = encodeIdentityMessage({ kind: 'offer', nonce: new Uint8Array(32), commitment: new Uint8Array(32) });
    const proof = encodeIdentityMessage({ kind: 'proof', publicKey: new Uint8Array(32), signature: new Uint8Array(64) });
    expect(h().receive(offer)).toMatchObject({ ok: false, error: /out of order/ });
    const p = h();
    p.start();
    expect(p.receive(proof)).toMatchObject({ ok: false, error: /before the offer/ });
    const d = h();
    d.start();
    expect(d.receive(offer).ok).toBe(true);
    expect(d.receive(offer)).toMatchObject({ ok: false, error: /second/ });
    const { a, b } = pair();
    run(a, b);
    expect(a.receive(offer)).toMatchObject({ ok: false, error: /after the handshake/ });
    const nofp = new IdentityHandshake(k, roomId, () => undefined);
    nofp.start();
    expect(nofp.receive(offer)).toMatchObject({ ok: false, error: /fingerprints/ });
  });

  it('decodes only exact offers and proofs, never throws on garbage (fuzz)', () => {
    expect(OFFER_BYTES).toBe(65);
    expect(PROOF_BYTES).toBe(97);
    for (const g of [undefined, 'x', new Uint8Array(0), new Uint8Array(65), Uint8Array.of(1), Uint8Array.of(2, 0)]) expect(typeof decodeIdentityMessage(g)).toBe('string');
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 120 }), fc.constantFrom(64, 65, 66, 96, 97, 98).chain((n) => fc.uint8Array({ minLength: n, maxLength: n }))), (b) => {
        const m = decodeIdentityMessage(b);
        if (typeof m !== 'string') expect(encodeIdentityMessage(m)).toEqual(b);
        // A handshake fed garbage fails cleanly, never throws.
        const h = new IdentityHandshake(newIdentityKeyCached, roomId, () => ({ local: FA, remote: FB }));
        h.start();
        const r = h.receive(b);
        if (r.ok) expect(r.reply?.length).toBe(PROOF_BYTES);
      }),
      { numRuns: 3000 },
    );
  });
});

const newIdentityKeyCached = newIdentityKey();

describe('safety words', () => {
  it('has 256 distinct, sorted, lower-case words', () => {
    expect(SAFETY_WORDS.length).toBe(256);
    expect(new Set(SAFETY_WORDS).size).toBe(256);
    expect([...SAFETY_WORDS].sort()).toEqual(SAFETY_WORDS);
    for (const w of SAFETY_WORDS) expect(w).toMatch(/^[a-z]{3,8}$/);
  });
});
