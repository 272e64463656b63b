import { describe, expect, it } from 'vitest';
import { chunkMessage, IDENTITY_TAG, MeshTag } from './framing.ts';
import { openMesh, type IdentitiesInfo, type SafetyState } from './index.ts';
import { createMesh, type Mesh, type MeshEvent, type MeshOptions } from './mesh.ts';
import type { CreatePeerLink, PeerLink } from './peer-link.ts';
import { deriveRoomKeys, newRoomSecret } from './room-keys.ts';
import { EventLog, FakeLinkNet, FakeServer, fakeFingerprint } from './test-support.ts';

type Node = { mesh: Mesh; log: EventLog<MeshEvent> };
const keys = () => deriveRoomKeys(newRoomSecret());

function join(server: FakeServer, createLink: CreatePeerLink, k: { roomId: string; signalKey: Uint8Array }, extra: Partial<MeshOptions> = {}): Node {
  const log = new EventLog<MeshEvent>();
  const mesh = createMesh({ ...k, onEvent: log.push, signalingUrl: 'ws://t/ws', createSocket: server.createSocket, createLink, ...extra });
  return { mesh, log };
}

/** The first final safety code that covers `peers` peers (the mesh's roster of that size). */
async function finalCode(n: Node, peers: number): Promise<string> {
  const e = await n.log.waitFor((e) => e.type === 'safety-code' && e.state.status === 'final' && e.state.members.length === peers, `final safety code over ${peers} peers`);
  if (e.type !== 'safety-code' || e.state.status !== 'final') throw new Error('unreachable');
  return e.state.code;
}

const connected = (e: MeshEvent) => e.type === 'peer-state' && e.state === 'connected';
const leftWith = (re: RegExp) => (e: MeshEvent) => e.type === 'peer-left' && re.test(e.reason);

/**
 * A hostile peer's links: `onOpen` runs on the raw link when its channel opens, before the
 * honest mesh code sees it; `tamper` rewrites (or drops, with undefined) every outgoing chunk.
 */
function hostileLinks(net: FakeLinkNet, h: { onOpen?: (link: PeerLink) => void; tamper?: (chunk: Uint8Array) => Uint8Array | undefined }): CreatePeerLink {
  return (o, ev) => {
    const inner = net.createLink(o, {
      ...ev,
      connect: () => {
        h.onOpen?.(link);
        ev.connect();
      },
    });
    const link: PeerLink = {
      ...inner,
      signal: (d) => inner.signal(d),
      fingerprints: () => inner.fingerprints(),
      path: () => inner.path(),
      destroy: () => inner.destroy(),
      get bufferedAmount() {
        return inner.bufferedAmount;
      },
      sendChunk: (c) => {
        const t = h.tamper ? h.tamper(c) : c;
        return t ? inner.sendChunk(t) : Promise.resolve();
      },
    };
    return link;
  };
}

/** Start a room with one honest member and one hostile one; resolves with both. */
async function honestAndHostile(hostile: CreatePeerLink, net: FakeLinkNet, extra: Partial<MeshOptions> = {}) {
  const server = new FakeServer();
  const k = keys();
  const honest = join(server, net.createLink, k, extra);
  await honest.log.waitFor((e) => e.type === 'welcome');
  const bad = join(server, hostile, k);
  await bad.log.waitFor((e) => e.type === 'welcome');
  return { honest, bad, badId: bad.mesh.self! };
}

describe('mesh identities', () => {
  it('authenticates every pair: keys exposed, identity before connected, one safety code for all', async () => {
    const server = new FakeServer();
    const net = new FakeLinkNet();
    const k = keys();
    const nodes: Node[] = [];
    for (let i = 0; i < 4; i++) {
      nodes.push(join(server, net.createLink, k));
      await nodes[i].log.waitFor((e) => e.type === 'welcome');
    }
    for (const a of nodes) for (const b of nodes) if (a !== b) await a.log.waitFor((e) => connected(e) && e.type === 'peer-state' && e.peer === b.mesh.self);
    const codes = new Set(await Promise.all(nodes.map((n) => finalCode(n, 3))));
    expect(codes.size).toBe(1);
    expect([...codes][0]).toMatch(/^([a-z]+ ){5}[a-z]+$/);
    for (const a of nodes) {
      for (const p of a.mesh.peers()) {
        const b = nodes.find((n) => n.mesh.self === p.id)!;
        expect(p.publicKey).toBe(b.mesh.publicKey);
        const kinds = a.log.events.filter((e) => (e.type === 'identity' || e.type === 'peer-state') && e.peer === p.id).map((e) => (e.type === 'identity' ? 'identity' : e.type === 'peer-state' ? e.state : ''));
        expect(kinds).toEqual(['connecting', 'identity', 'connected']);
      }
      expect(await a.mesh.path(a.mesh.peers()[0].id)).toEqual({ kind: 'direct', local: 'host', remote: 'host' });
    }
    // A subset sees a different code: the code covers exactly the keys on screen.
    const gone = nodes[3].mesh.self!;
    nodes[3].mesh.close();
    await nodes[0].log.waitFor((e) => e.type === 'peer-left' && e.peer === gone);
    const after = await Promise.all(nodes.slice(0, 3).map((n) => finalCode(n, 2)));
    expect(new Set(after).size).toBe(1);
    expect(after[0]).not.toBe([...codes][0]);
    for (const n of nodes) n.mesh.close();
  });

  it('refuses a peer behind a relay that terminates DTLS (fingerprints differ from the signed ones)', async () => {
    const server = new FakeServer();
    const net = new FakeLinkNet();
    // A relay in the middle shows each end its own certificate's fingerprint.
    const mitm: CreatePeerLink = (o, ev) => {
      const l = net.createLink(o, ev);
      (l as unknown as { seenRemoteFingerprint: string }).seenRemoteFingerprint = fakeFingerprint(`mitm${o.initiator ? 1 : 2}`.padEnd(22, 'x'));
      return l;
    };
    const k = keys();
    const a = join(server, mitm, k);
    await a.log.waitFor((e) => e.type === 'welcome');
    const b = join(server, mitm, k);
    // Whichever end checks first refuses and closes the link; the other sees it close.
    for (const [me, other] of [[a, b], [b, a]] as const) {
      await me.log.waitFor((e) => e.type === 'peer-left' && e.peer === other.mesh.self);
      expect(me.log.events.some(connected)).toBe(false);
      expect(me.log.events.some((e) => e.type === 'message')).toBe(false);
    }
    const warnings = [a, b].flatMap((n) => n.log.events.filter((e) => e.type === 'warning').map((e) => [n, e] as const));
    expect(warnings.length).toBeGreaterThanOrEqual(1);
    for (const [n, w] of warnings) {
      const other = n === a ? b : a;
      expect(w.type === 'warning' && w.message).toMatch(new RegExp(`refused the connection to ${other.mesh.self}: identity signature does not match the DTLS fingerprint`));
      expect(w.type === 'warning' && w.code).toBe('REFUSED');
      const left = await n.log.waitFor(leftWith(/could not prove its identity/));
      expect(left.type === 'peer-left' && left.code).toBe('UNAUTHENTICATED');
    }
  });

  it('refuses a large message before authentication on its first chunk (no buffering for strangers)', async () => {
    const net = new FakeLinkNet();
    const hostile = hostileLinks(net, { onOpen: (l) => void l.sendChunk([...chunkMessage(MeshTag.Mpc, new Uint8Array(1_000_000))][0]) });
    const { honest } = await honestAndHostile(hostile, net);
    await honest.log.waitFor(leftWith(/before proving its identity: message of 1000000 bytes on channel 1 exceeds 97/));
  });

  it('refuses a peer that sends data before proving its identity', async () => {
    const net = new FakeLinkNet();
    const hostile = hostileLinks(net, { onOpen: (l) => void l.sendChunk([...chunkMessage(MeshTag.Control, new TextEncoder().encode('{"t":"hello"}'))][0]) });
    const { honest, badId } = await honestAndHostile(hostile, net);
    await honest.log.waitFor(leftWith(/sent data before proving its identity/));
    expect(honest.log.events.some((e) => e.type === 'message' || connected(e))).toBe(false);
    expect(honest.log.events.some((e) => e.type === 'warning' && e.peer === badId)).toBe(true);
  });

  it('refuses a forged signature, and an oversized identity message', async () => {
    for (const [tamper, why] of [
      [(c: Uint8Array) => (c[0] === IDENTITY_TAG && c.length === 6 + 97 ? c.map((x, i) => (i === c.length - 1 ? x ^ 1 : x)) : c), /identity signature does not match/],
      [(c: Uint8Array) => (c[0] === IDENTITY_TAG && c.length === 6 + 65 ? [...chunkMessage(IDENTITY_TAG, new Uint8Array(500))][0] : c), /malformed frame before proving its identity: message of 500 bytes on channel 2 exceeds 97/],
    ] as const) {
      const net = new FakeLinkNet();
      const { honest } = await honestAndHostile(hostileLinks(net, { tamper }), net);
      await honest.log.waitFor(leftWith(why), String(why));
      expect(honest.log.events.some(connected)).toBe(false);
    }
  });

  it('drops a peer that repeats the handshake after it was authenticated', async () => {
    const net = new FakeLinkNet();
    let raw: PeerLink | undefined;
    const { honest, badId } = await honestAndHostile(hostileLinks(net, { onOpen: (l) => (raw = l) }), net);
    await honest.log.waitFor((e) => connected(e) && e.type === 'peer-state' && e.peer === badId);
    await raw!.sendChunk([...chunkMessage(IDENTITY_TAG, new Uint8Array(65).fill(1, 0, 1))][0]);
    await honest.log.waitFor(leftWith(/identity message after the handshake/));
  });

  it('drops a peer that floods control messages or sends an oversized one, naming it', async () => {
    for (const [flood, why] of [
      [async (l: PeerLink) => {
        const c = [...chunkMessage(MeshTag.Control, Uint8Array.of(1))][0];
        for (let i = 0; i < 2000; i++) await l.sendChunk(c);
      }, /flooded control messages/],
      [async (l: PeerLink) => {
        for (const c of chunkMessage(MeshTag.Control, new Uint8Array(70_000))) await l.sendChunk(c);
      }, /malformed frame: message of 70000 bytes on channel 0 exceeds 65536/],
    ] as const) {
      const net = new FakeLinkNet();
      let raw: PeerLink | undefined;
      const { honest, badId } = await honestAndHostile(hostileLinks(net, { onOpen: (l) => (raw = l) }), net);
      await honest.log.waitFor((e) => connected(e) && e.type === 'peer-state' && e.peer === badId);
      await flood(raw!).catch(() => undefined); // the link closes under the flood
      const left = await honest.log.waitFor((e) => e.type === 'peer-left' && e.peer === badId);
      expect(left.type === 'peer-left' && left.reason).toMatch(why);
      expect(left.type === 'peer-left' && left.code).toBe('MISBEHAVED');
      const delivered = honest.log.events.filter((e) => e.type === 'message').length;
      expect(delivered).toBeLessThan(1000); // the burst of 400 plus refill while it ran, not the 2000 sent
    }
  });

  it('a peer that opens a channel but never proves its identity is dropped at the timeout', async () => {
    const net = new FakeLinkNet();
    const silent = hostileLinks(net, { tamper: (c) => (c[0] === IDENTITY_TAG ? undefined : c) });
    const { honest } = await honestAndHostile(silent, net, { connectTimeoutMs: 50 });
    const left = await honest.log.waitFor(leftWith(/no identity proof within/));
    expect(left.type === 'peer-left' && left.code).toBe('UNAUTHENTICATED');
  });

  it('uses the connect timeout from the server welcome: "could not connect to X"', async () => {
    const server = new FakeServer();
    server.connectTimeoutMs = 1000; // the lower bound clients accept
    server.intercept = (f) => server.relayed.filter((x) => x.from === f.from).length <= 1; // hellos only
    const net = new FakeLinkNet();
    const k = keys();
    const a = join(server, net.createLink, k);
    await a.log.waitFor((e) => e.type === 'welcome');
    const started = Date.now();
    const b = join(server, net.createLink, k);
    await b.log.waitFor((e) => e.type === 'welcome');
    const left = await a.log.waitFor(leftWith(new RegExp(`could not connect to ${b.mesh.self}`)));
    expect(left.type === 'peer-left' && left.reason).toMatch(/after 1 s/);
    expect(left.type === 'peer-left' && left.code).toBe('UNREACHABLE');
    expect(Date.now() - started).toBeLessThan(5000);
    a.mesh.close();
    b.mesh.close();
  });

  it('openMesh reports identities (with the safety code) before connected, the path after, and identities again after a peer leaves', async () => {
    const server = new FakeServer();
    const net = new FakeLinkNet();
    const secret = newRoomSecret();
    type Ev = { e: 'ids'; info: IdentitiesInfo } | { e: 'code'; state: SafetyState } | { e: 'state'; id: string; s: string } | { e: 'left'; id: string } | { e: 'path'; id: string; kind: string };
    const open = async () => {
      const log = new EventLog<Ev>();
      const mesh = await openMesh(
        secret,
        {
          welcome: () => undefined,
          peerState: (id, s) => log.push({ e: 'state', id, s }),
          peerLeft: (id) => log.push({ e: 'left', id }),
          message: () => undefined,
          error: () => undefined,
          identities: (info) => log.push({ e: 'ids', info }),
          safetyCode: (state) => log.push({ e: 'code', state }),
          path: (id, path) => log.push({ e: 'path', id, kind: path.kind }),
        },
        { signalingUrl: 'ws://t/ws', createSocket: server.createSocket, createLink: net.createLink },
      );
      return { log, mesh };
    };
    const a = await open();
    const b = await open();
    await a.log.waitFor((e) => e.e === 'state' && e.s === 'connected');
    await b.log.waitFor((e) => e.e === 'state' && e.s === 'connected');
    const idsA = a.log.events.find((e) => e.e === 'ids')!;
    const idsB = b.log.events.find((e) => e.e === 'ids')!;
    expect(a.log.events.indexOf(idsA)).toBeLessThan(a.log.events.findIndex((e) => e.e === 'state' && e.s === 'connected'));
    if (idsA.e !== 'ids' || idsB.e !== 'ids') throw new Error('unreachable');
    const finalOf = async (log: EventLog<Ev>, peers: number) => {
      const c = await log.waitFor((e) => e.e === 'code' && e.state.status === 'final' && e.state.members.length === peers);
      return c.e === 'code' && c.state.status === 'final' ? c.state.code : '';
    };
    const code = await finalOf(a.log, 1);
    expect(code).toBe(await finalOf(b.log, 1));
    // The code is announced as being established before it is final.
    const firstCode = a.log.events.findIndex((e) => e.e === 'code');
    expect(a.log.events[firstCode]).toMatchObject({ e: 'code', state: { status: 'establishing', members: [b.mesh.self] } });
    expect(idsA.info.peers).toEqual({ [b.mesh.self!]: b.mesh.publicKey });
    expect(idsA.info.self).toBe(a.mesh.publicKey);
    expect(await a.log.waitFor((e) => e.e === 'path')).toEqual({ e: 'path', id: b.mesh.self, kind: 'direct' });
    b.mesh.close();
    await a.log.waitFor((e) => e.e === 'left');
    await a.log.waitFor((e) => e.e === 'ids' && Object.keys(e.info.peers).length === 0);
    const alone = a.log.events.filter((e) => e.e === 'code').at(-1);
    expect(alone).toMatchObject({ e: 'code', state: { status: 'final', members: [] } });
    expect(alone?.e === 'code' && alone.state.status === 'final' && alone.state.code).not.toBe(code);
    a.mesh.close();
  });
});
