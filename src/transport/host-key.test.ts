import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { encodeBase64url } from './base64url.ts';
import { hostFingerprint, hostKeyFromSecret, newHostKey, parseHostStatement, parseRoomLinkPath, roomLinkPath, signHostStatement, verifyHostStatement } from './host-key.ts';
import { newRoomSecret } from './room-keys.ts';

const ROOM = 'r'.repeat(43);
const session = () => encodeBase64url(newHostKey().publicKey);

describe('host pinning (issue 10 part 2)', () => {
  it('accepts the statement of the key the link names, for the session key it names', () => {
    const host = newHostKey();
    const fp = hostFingerprint(host.publicKey);
    const s = session();
    const st = signHostStatement(host, ROOM, s);
    expect(parseHostStatement(st)).toEqual(st);
    expect(verifyHostStatement(st, fp, ROOM, s)).toEqual({ ok: true });
  });

  it('refuses an insider key, a replay onto another session key, another room and garbage', () => {
    const host = newHostKey();
    const fp = hostFingerprint(host.publicKey);
    const s = session();
    const insider = newHostKey();
    // The insider signs with its own key: the fingerprint does not match the link.
    expect(verifyHostStatement(signHostStatement(insider, ROOM, s), fp, ROOM, s)).toEqual({ ok: false, reason: 'wrong-key' });
    // The real statement replayed by someone whose proven session key differs.
    const real = signHostStatement(host, ROOM, s);
    expect(verifyHostStatement(real, fp, ROOM, session())).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verifyHostStatement(real, fp, 'x'.repeat(43), s)).toEqual({ ok: false, reason: 'bad-signature' });
    // The insider's key under the real host's public key field: signature fails.
    expect(verifyHostStatement({ key: real.key, sig: signHostStatement(insider, ROOM, s).sig }, fp, ROOM, s)).toEqual({ ok: false, reason: 'bad-signature' });
    fc.assert(
      fc.property(fc.anything(), (v) => {
        expect(verifyHostStatement(v, fp, ROOM, s).ok).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps a stored host key usable after a reload (from its secret half)', () => {
    const host = newHostKey();
    const again = hostKeyFromSecret(host.secretKey.slice());
    expect(again && hostFingerprint(again.publicKey)).toBe(hostFingerprint(host.publicKey));
    expect(hostKeyFromSecret(new Uint8Array(31))).toBeUndefined();
  });

  it('reads back exactly the links it writes and nothing else', () => {
    const link = { secret: newRoomSecret(), host: hostFingerprint(newHostKey().publicKey) };
    expect(parseRoomLinkPath(roomLinkPath(link))).toEqual(link);
    for (const bad of [link.secret, `${link.secret}.`, `${link.secret}.${link.host}.x`, `${link.secret}.${link.host.slice(1)}`, `.${link.host}`, `${link.secret}/${link.host}`, 42]) {
      expect(parseRoomLinkPath(bad), String(bad)).toBeUndefined();
    }
    fc.assert(fc.property(fc.string(), (t) => {
      const p = parseRoomLinkPath(t);
      if (p) expect(roomLinkPath(p)).toBe(t);
    }));
  });
});
