import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { randomBytes } from '@noble/ciphers/utils.js';
import { LIMITS } from '../shared/signaling.ts';
import { decodeBase64url, encodeBase64url } from './base64url.ts';
import { EnvelopeSession, openEnvelope, parseSignalData, sealEnvelope, type EnvelopePlain, type SignalData } from './envelope.ts';

const id = () => encodeBase64url(randomBytes(16));
const key = randomBytes(32);
const roomId = encodeBase64url(randomBytes(32));
const [alice, bob, carol] = [id(), id(), id()];
const offer: SignalData = { type: 'offer', sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n' };
const plain: EnvelopePlain = { sid: id(), seq: 7, kind: 'signal', to: id(), data: offer };
const addr = { roomId, from: alice, to: bob };

describe('sealEnvelope / openEnvelope', () => {
  it('round-trips and fits the wire pattern', () => {
    const sealed = sealEnvelope(key, addr, plain);
    expect(sealed).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(openEnvelope(key, addr, sealed)).toEqual({ ok: true, value: plain });
    // Two seals of the same plaintext differ (random nonce).
    expect(sealEnvelope(key, addr, plain)).not.toBe(sealed);
  });

  it('rejects a wrong key or any re-addressing (room, sender, recipient swapped)', () => {
    const sealed = sealEnvelope(key, addr, plain);
    const cases = [
      [randomBytes(32), addr],
      [key, { ...addr, roomId: encodeBase64url(randomBytes(32)) }],
      [key, { ...addr, from: carol }],
      [key, { ...addr, to: carol }],
      [key, { roomId, from: bob, to: alice }],
    ] as const;
    for (const [k, a] of cases) {
      const r = openEnvelope(k, a, sealed);
      expect(r).toMatchObject({ ok: false, reason: 'AUTH_FAILED' });
    }
  });

  it('rejects every single-bit flip of the sealed bytes', () => {
    const bytes = decodeBase64url(sealEnvelope(key, addr, plain))!;
    for (let i = 0; i < bytes.length; i++) {
      const t = bytes.slice();
      t[i] ^= 1 << (i % 8);
      const r = openEnvelope(key, addr, encodeBase64url(t));
      expect(r.ok, `byte ${i}`).toBe(false);
      expect(['AUTH_FAILED', 'MALFORMED']).toContain(r.ok ? '' : r.reason);
    }
    expect(openEnvelope(key, addr, encodeBase64url(bytes.subarray(0, bytes.length - 1)))).toMatchObject({ ok: false, reason: 'AUTH_FAILED' });
  });

  it('rejects garbage with a reason and never throws (fuzz)', () => {
    for (const g of [undefined, null, 3, {}, '', '!!', 'A', 'x'.repeat(LIMITS.maxEnvelopeChars + 1), encodeBase64url(new Uint8Array(40))]) {
      const r = openEnvelope(key, addr, g);
      expect(r.ok).toBe(false);
    }
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.base64String(), fc.uint8Array({ maxLength: 300 }).map(encodeBase64url)), (s) => {
        const r = openEnvelope(key, addr, s);
        expect(r.ok).toBe(false);
        expect(typeof (r.ok ? '' : r.message)).toBe('string');
      }),
      { numRuns: 5000 },
    );
  });

  it('rejects authentic but invalid plaintexts (a key holder sending nonsense)', () => {
    const bad: unknown[] = [
      { sid: 'short', seq: 1, kind: 'hello' },
      { sid: plain.sid, seq: -1, kind: 'hello' },
      { sid: plain.sid, seq: 1.5, kind: 'hello' },
      { sid: plain.sid, seq: 1, kind: 'nope' },
      { sid: plain.sid, seq: 1, kind: 'signal', to: 'x', data: offer },
      { sid: plain.sid, seq: 1, kind: 'signal', to: plain.to, data: { type: 'offer', sdp: 3 } },
      { sid: plain.sid, seq: 1, kind: 'signal', to: plain.to, data: { type: 'candidate', candidate: { candidate: 'c', sdpMLineIndex: -1 } } },
      [1, 2],
    ];
    for (const b of bad) {
      const r = openEnvelope(key, addr, sealEnvelope(key, addr, b as EnvelopePlain));
      expect(r, JSON.stringify(b)).toMatchObject({ ok: false, reason: 'BAD_PAYLOAD' });
    }
  });

  it('parseSignalData keeps simple-peer signals and drops extra fields', () => {
    const cand = { type: 'candidate', candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 5000 typ host', sdpMid: '0', sdpMLineIndex: 0, evil: 1 } };
    expect(parseSignalData(cand)).toEqual({ type: 'candidate', candidate: { candidate: cand.candidate.candidate, sdpMid: '0', sdpMLineIndex: 0 } });
    expect(parseSignalData({ type: 'renegotiate', renegotiate: true })).toEqual({ type: 'renegotiate', renegotiate: true });
    expect(typeof parseSignalData({ type: 'transceiverRequest' })).toBe('string');
  });
});

describe('EnvelopeSession freshness', () => {
  // Alice and Bob each have a session; Bob learnt Alice's sid from her hello, and vice versa.
  const setup = () => ({ a: new EnvelopeSession(key, roomId), b: new EnvelopeSession(key, roomId) });

  it('delivers hello and signals in order', () => {
    const { a, b } = setup();
    const h = b.open(alice, bob, a.seal(alice, bob, { kind: 'hello' }));
    expect(h).toMatchObject({ ok: true, value: { kind: 'hello', sid: a.sid } });
    for (let i = 0; i < 5; i++) {
      const r = b.open(alice, bob, a.seal(alice, bob, { kind: 'signal', to: b.sid, data: offer }));
      expect(r).toMatchObject({ ok: true, value: { kind: 'signal', data: offer } });
    }
  });

  it('refuses a replay within the session and out-of-order (older) envelopes', () => {
    const { a, b } = setup();
    const e1 = a.seal(alice, bob, { kind: 'signal', to: b.sid, data: offer });
    const e2 = a.seal(alice, bob, { kind: 'signal', to: b.sid, data: offer });
    expect(b.open(alice, bob, e1).ok).toBe(true);
    expect(b.open(alice, bob, e1)).toMatchObject({ ok: false, reason: 'REPLAY' });
    expect(b.open(alice, bob, e2).ok).toBe(true);
    expect(b.open(alice, bob, e1)).toMatchObject({ ok: false, reason: 'REPLAY' });
  });

  it('refuses signals recorded in an earlier session, even with the same member ids', () => {
    const { a, b: bOld } = setup();
    const old = a.seal(alice, bob, { kind: 'signal', to: bOld.sid, data: offer });
    expect(bOld.open(alice, bob, old).ok).toBe(true);
    const bNew = new EnvelopeSession(key, roomId); // Bob reloads; a hostile server gives him the same id
    expect(bNew.open(alice, bob, old)).toMatchObject({ ok: false, reason: 'WRONG_SESSION' });
  });
});
