/**
 * Fuzzing of everything that decodes bytes from the untrusted server or from peers, beyond
 * the per-module fuzz tests (framing.test.ts, envelope.test.ts, identity.test.ts): the
 * signaling message parsers on both sides, the signaling client's whole receive path, and
 * a mesh fed random chunks by an authenticated peer.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LIMITS, parseClientMessage, parseServerMessage } from '../shared/signaling.ts';
import { encodeBase64url } from './base64url.ts';
import { chunkMessage, MeshTag } from './framing.ts';
import { createMesh, type MeshEvent } from './mesh.ts';
import type { PeerLink } from './peer-link.ts';
import { deriveRoomKeys, newRoomSecret } from './room-keys.ts';
import { SignalingClient } from './signaling-client.ts';
import { EventLog, FakeLinkNet, FakeServer, memberId } from './test-support.ts';

const id = memberId();
/** Values of every JSON type, including the edge cases parsers trip on. */
const jsonValue = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 1.5, 1e308, '', id, 'x'.repeat(LIMITS.maxEnvelopeChars + 1), [], {}, [id], ['bad']),
  fc.jsonValue({ maxDepth: 3 }),
  fc.string(),
);
const messageLike = fc.record(
  {
    t: fc.constantFrom('join', 'relay', 'welcome', 'peer-joined', 'peer-left', 'error', 'nope', '__proto__'),
    room: jsonValue,
    to: jsonValue,
    from: jsonValue,
    data: fc.oneof(jsonValue, fc.uint8Array({ maxLength: 200 }).map(encodeBase64url)),
    self: jsonValue,
    peers: jsonValue,
    iceServers: fc.oneof(jsonValue, fc.array(fc.record({ urls: jsonValue, username: jsonValue, credential: jsonValue }), { maxLength: 3 })),
    id: jsonValue,
    code: jsonValue,
    message: jsonValue,
    connectTimeoutMs: jsonValue,
  },
  { requiredKeys: ['t'] },
);
const frameText = fc.oneof(fc.string({ maxLength: 300 }), messageLike.map((m) => JSON.stringify(m)), fc.jsonValue().map((v) => JSON.stringify(v)));

describe('signaling parsers (fuzz)', () => {
  it('parseServerMessage and parseClientMessage never throw and only accept well-typed messages', () => {
    fc.assert(
      fc.property(fc.oneof(frameText, jsonValue), (text) => {
        const s = parseServerMessage(text);
        if (s.ok) {
          const m = s.value;
          if (m.t === 'welcome') {
            expect(m.peers.every((p) => /^[A-Za-z0-9_-]{22}$/.test(p))).toBe(true);
            if (m.connectTimeoutMs !== undefined) expect(m.connectTimeoutMs).toBeGreaterThanOrEqual(1000);
          }
          if (m.t === 'relay') expect(m.data.length).toBeLessThanOrEqual(LIMITS.maxEnvelopeChars);
          if (m.t === 'error') expect(m.message.length).toBeLessThanOrEqual(500);
        } else expect(typeof s.error).toBe('string');
        const c = parseClientMessage(text);
        if (c.ok && c.value.t === 'relay') expect(c.value.data).toMatch(/^[A-Za-z0-9_-]+$/);
      }),
      { numRuns: 5000 },
    );
  });

  it('the signaling client survives any sequence of server frames and delivers no signal from them', () => {
    const keys = deriveRoomKeys(newRoomSecret());
    fc.assert(
      fc.property(fc.array(frameText, { maxLength: 12 }), (frames) => {
        const signals: unknown[] = [];
        const server = new FakeServer();
        const client = new SignalingClient(
          { ...keys, url: 'ws://t/ws', createSocket: server.createSocket },
          { welcome: () => undefined, peerJoined: () => undefined, peerLeft: () => undefined, signal: (f, d) => signals.push([f, d]), warning: () => undefined, error: () => undefined },
        );
        client.receive(JSON.stringify({ t: 'welcome', self: memberId(), peers: [id], iceServers: [] }));
        for (const f of frames) client.receive(f);
        // Nothing without the room key can produce a signal.
        expect(signals).toEqual([]);
        client.close();
      }),
      { numRuns: 2000 },
    );
  });
});

describe('mesh fed random chunks by an authenticated peer (fuzz)', () => {
  it('never throws; delivers only whole valid messages; drops the peer on the first bad chunk', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.uint8Array({ maxLength: 30 }), fc.uint8Array({ minLength: 1, maxLength: 40 }).map((b) => [...chunkMessage(MeshTag.Control, b)][0])), { minLength: 1, maxLength: 10 }),
        async (chunks) => {
          const server = new FakeServer();
          const net = new FakeLinkNet();
          const keys = deriveRoomKeys(newRoomSecret());
          let raw: PeerLink | undefined;
          const logA = new EventLog<MeshEvent>();
          const a = createMesh({ ...keys, onEvent: logA.push, signalingUrl: 'ws://t/ws', createSocket: server.createSocket, createLink: net.createLink });
          await logA.waitFor((e) => e.type === 'welcome');
          const logB = new EventLog<MeshEvent>();
          const b = createMesh({
            ...keys,
            onEvent: logB.push,
            signalingUrl: 'ws://t/ws',
            createSocket: server.createSocket,
            createLink: (o, ev) => {
              const l = net.createLink(o, ev);
              raw = l;
              return l;
            },
          });
          await logA.waitFor((e) => e.type === 'peer-state' && e.state === 'connected');
          await logB.waitFor((e) => e.type === 'peer-state' && e.state === 'connected');
          for (const c of chunks) await raw!.sendChunk(c).catch(() => undefined);
          // A marker message after the fuzz: either it arrives (all chunks were valid) or the peer was dropped.
          await raw!.sendChunk([...chunkMessage(MeshTag.Mpc, Uint8Array.of(42))][0]).catch(() => undefined);
          const end = await logA.waitFor((e) => e.type === 'peer-left' || (e.type === 'message' && e.tag === MeshTag.Mpc));
          for (const e of logA.events) if (e.type === 'message') expect(e.bytes.length).toBeLessThanOrEqual(40);
          if (end.type === 'peer-left') expect(end.reason).toMatch(/malformed frame|before|identity/);
          a.close();
          b.close();
        },
      ),
      { numRuns: 80 },
    );
  });
});
