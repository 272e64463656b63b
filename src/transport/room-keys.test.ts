import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createHash, hkdfSync } from 'node:crypto';
import { ROOM_ID_PATTERN } from '../shared/signaling.ts';
import { decodeBase64url, encodeBase64url } from './base64url.ts';
import { deriveRoomKeys, newRoomSecret, parseRoomFragment, parseRoomSecret, roomFragment, type RoomSecret } from './room-keys.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('base64url', () => {
  it('matches Node for random bytes and decodes back', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (b) => {
        const s = encodeBase64url(b);
        expect(s).toBe(Buffer.from(b).toString('base64url'));
        expect(hex(decodeBase64url(s)!)).toBe(hex(b));
      }),
    );
  });
  it('rejects non-canonical and malformed text without throwing', () => {
    for (const bad of ['A', 'AB', 'AR', '====', 'AA==', 'A+B/', 'AA A', 'é']) {
      // 'AB' has non-zero leftover bits ('AA' is the canonical spelling of 0x00).
      expect(decodeBase64url(bad), bad).toBeUndefined();
    }
    fc.assert(
      fc.property(fc.string(), (s) => {
        const d = decodeBase64url(s);
        if (d) expect(encodeBase64url(d)).toBe(s);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('room keys', () => {
  it('derives the known answer (computed independently with node:crypto)', () => {
    const secretBytes = Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex');
    const secret = parseRoomSecret(secretBytes.toString('base64url'))!;
    expect(secret).toBe('AAECAwQFBgcICQoLDA0ODw');
    const keys = deriveRoomKeys(secret);
    const roomId = createHash('sha256').update(Buffer.concat([Buffer.from('parley/room'), secretBytes])).digest('base64url');
    const signalKey = Buffer.from(hkdfSync('sha256', secretBytes, Buffer.alloc(0), Buffer.from('parley/signal'), 32));
    expect(keys.roomId).toBe(roomId);
    expect(keys.roomId).toBe('cKQqrkEDgp9hfFckjdW-G4ttG5gbBp6iALLjwsW2eaw');
    expect(hex(keys.signalKey)).toBe(signalKey.toString('hex'));
    expect(hex(keys.signalKey)).toBe('123ca1187516952222892a8c84bfc0937dc98707d6f7479572e00da6472ea026');
  });

  it('new secrets are 22 base64url chars, parse, and derive wire-valid room ids', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const s = newRoomSecret();
      expect(s).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(parseRoomSecret(s)).toBe(s);
      expect(parseRoomFragment(roomFragment(s))).toBe(s);
      const { roomId, signalKey } = deriveRoomKeys(s);
      expect(roomId).toMatch(ROOM_ID_PATTERN);
      expect(signalKey.length).toBe(32);
      seen.add(s);
    }
    expect(seen.size).toBe(50);
  });

  it('rejects malformed secrets and fragments', () => {
    const good = 'AAECAwQFBgcICQoLDA0ODw';
    for (const bad of [undefined, 42, '', good.slice(1), good + 'A', 'AAECAwQFBgcICQoLDA0ODx', 'AAECAwQFBgcICQoLDA0OD+', ' ' + good]) {
      expect(parseRoomSecret(bad)).toBeUndefined();
    }
    expect(parseRoomFragment(`#/room/${good}`)).toBe(good);
    for (const bad of [`#room/${good}`, `#/room/${good}/x`, `#/room/`, `/room/${good}`, `#/room/${good}?a`]) {
      expect(parseRoomFragment(bad)).toBeUndefined();
    }
    expect(() => deriveRoomKeys('nope' as RoomSecret)).toThrow();
  });
});
