import { describe, expect, it } from 'vitest';
import { MpcError } from '../core/errors.ts';
import { MeshTag } from './framing.ts';
import { createMesh, type Mesh, type MeshEvent } from './mesh.ts';
import type { CreatePeerLink } from './peer-link.ts';
import { deriveRoomKeys, newRoomSecret } from './room-keys.ts';
import { EventLog, FakeLinkNet, FakeServer } from './test-support.ts';

type Node = { mesh: Mesh; log: EventLog<MeshEvent> };

function join(server: FakeServer, net: FakeLinkNet, keys: { roomId: string; signalKey: Uint8Array }, connectTimeoutMs?: number): Node {
  const log = new EventLog<MeshEvent>();
  const mesh = createMesh({ ...keys, connectTimeoutMs, onEvent: log.push, signalingUrl: 'ws://test/ws', createSocket: server.createSocket, createLink: net.createLink });
  return { mesh, log };
}

const connectedTo = (peer: string) => (e: MeshEvent) => e.type === 'peer-state' && e.peer === peer && e.state === 'connected';

async function fullMesh(n: number, server = new FakeServer(), net = new FakeLinkNet()) {
  const keys = deriveRoomKeys(newRoomSecret());
  const nodes: Node[] = [];
  for (let i = 0; i < n; i++) {
    const node = join(server, net, keys);
    await node.log.waitFor((e) => e.type === 'welcome');
    nodes.push(node);
  }
  for (const a of nodes) for (const b of nodes) if (a !== b) await a.log.waitFor(connectedTo(b.mesh.self!), 'connected');
  // Settled: every tab's safety code covers everyone (so its exchange no longer sends).
  for (const a of nodes) await a.log.waitFor((e) => e.type === 'safety-code' && e.state.status === 'final' && e.state.members.length === n - 1, 'final safety code');
  return { nodes, server, net, keys };
}

const bytes = (n: number, seed: number) => new Uint8Array(n).map((_, i) => (i * 7 + seed) & 0xff);

describe('mesh (in-memory links, fake signaling)', () => {
  it('connects 4 members pairwise with one initiator per pair (the lower id)', async () => {
    const { nodes, net } = await fullMesh(4);
    expect(net.links.length).toBe(12); // 6 pairs × 2 ends
    expect(net.links.filter((l) => l.initiator).length).toBe(6);
    for (const n of nodes) expect(n.mesh.peers().map((p) => p.state)).toEqual(['connected', 'connected', 'connected']);
    // Each end's local fingerprint is the other end's remote one.
    const [a, b] = nodes;
    const ab = a.mesh.fingerprints(b.mesh.self!)!;
    const ba = b.mesh.fingerprints(a.mesh.self!)!;
    expect([ab.local, ab.remote]).toEqual([ba.remote, ba.local]);
  });

  it('delivers messages in order with their tags, including a 3 MB message, and counts bytes', async () => {
    const { nodes } = await fullMesh(3);
    const [a, b, c] = nodes;
    const big = bytes(3 * 1024 * 1024 + 5, 1);
    const sent = [
      a.mesh.send(b.mesh.self!, MeshTag.Control, bytes(10, 2)),
      a.mesh.send(b.mesh.self!, MeshTag.Mpc, big),
      a.mesh.send(b.mesh.self!, MeshTag.Mpc, new Uint8Array(0)),
      a.mesh.broadcast(MeshTag.Control, bytes(3, 3)),
    ];
    await Promise.all(sent);
    const fromA = (e: MeshEvent) => e.type === 'message' && e.peer === a.mesh.self;
    await b.log.waitFor((e) => fromA(e) && b.log.events.filter(fromA).length === 4);
    await c.log.waitFor(fromA);
    const got = b.log.events.filter(fromA).map((e) => (e.type === 'message' ? e : undefined)!);
    expect(got.map((m) => [m.tag, m.bytes.length])).toEqual([[0, 10], [1, big.length], [1, 0], [0, 3]]);
    expect(Buffer.from(got[1].bytes).equals(Buffer.from(big))).toBe(true);
    const aToB = a.mesh.peers().find((p) => p.id === b.mesh.self)!;
    const bFromA = b.mesh.peers().find((p) => p.id === a.mesh.self)!;
    expect(aToB.bytesSent).toBeGreaterThan(big.length);
    expect(bFromA.bytesReceived).toBe(aToB.bytesSent);
  });

  it('reports peer-left once when a member leaves, and refuses sends to it', async () => {
    const { nodes } = await fullMesh(3);
    const [a, b, c] = nodes;
    const bId = b.mesh.self!;
    b.mesh.close();
    for (const n of [a, c]) {
      await n.log.waitFor((e) => e.type === 'peer-left' && e.peer === bId);
      // The data channel closing and the server's peer-left both happen; one event.
      await n.log.waitFor((e) => e.type === 'peer-left' && e.peer === bId);
    }
    expect(a.log.events.filter((e) => e.type === 'peer-left' && e.peer === bId).length).toBe(1);
    await expect(a.mesh.send(bId, MeshTag.Control, bytes(1, 0))).rejects.toMatchObject({ code: 'PEER_LEFT' });
    await expect(a.mesh.send(c.mesh.self!, MeshTag.Control, bytes(1, 0))).resolves.toBeUndefined();
  });

  it('connects when the server announces a joiner late, and ignores a duplicate peer-joined', async () => {
    const server = new FakeServer();
    const net = new FakeLinkNet();
    const keys = deriveRoomKeys(newRoomSecret());
    const [high, low] = ['z'.repeat(22), 'A'.repeat(22)];
    server.nextIds = [high, low]; // the joiner has the lower id, so it will send the offer
    const a = join(server, net, keys);
    await a.log.waitFor((e) => e.type === 'welcome');
    server.holdAnnouncements = true;
    const j = join(server, net, keys);
    // J's hello reaches A before A hears that J joined; J's offer waits for A's hello.
    await server.relayLog.waitFor((f) => f.from === low && f.to === high);
    await j.log.waitFor((e) => e.type === 'peer-state' && e.state === 'connecting');
    expect(a.mesh.peers()).toEqual([]);
    server.releaseAnnouncements();
    server.inject(high, { t: 'peer-joined', id: low });
    await a.log.waitFor(connectedTo(low));
    await j.log.waitFor(connectedTo(high));
    expect(net.links.length).toBe(2);
    await a.mesh.send(low, MeshTag.Control, bytes(1, 0));
    await j.log.waitFor((e) => e.type === 'message' && e.peer === high);
  });

  it('drops a peer whose link is still connecting when the server says it left', async () => {
    const server = new FakeServer();
    // Hold every relay from the second member, so its link to the first never completes.
    let holdFrom = '';
    server.intercept = (f) => f.from !== holdFrom;
    const keys = deriveRoomKeys(newRoomSecret());
    const net = new FakeLinkNet();
    const a = join(server, net, keys);
    await a.log.waitFor((e) => e.type === 'welcome');
    server.nextIds = ['~'.repeat(0) + 'zzzzzzzzzzzzzzzzzzzzzz']; // highest id: A initiates
    holdFrom = 'zzzzzzzzzzzzzzzzzzzzzz';
    const b = join(server, net, keys);
    await a.log.waitFor((e) => e.type === 'peer-state' && e.peer === holdFrom && e.state === 'connecting');
    server.inject(a.mesh.self!, { t: 'peer-left', id: holdFrom });
    await a.log.waitFor((e) => e.type === 'peer-left' && e.peer === holdFrom);
    expect(a.mesh.peers()).toEqual([{ id: holdFrom, state: 'closed', bytesSent: 0, bytesReceived: 0, buffered: 0 }]);
    expect(net.links[0].closed).toBe(true);
    b.mesh.close();
  });

  it('keeps the handshake that arrives before our side reports connect, and completes it after', async () => {
    const server = new FakeServer();
    const net = new FakeLinkNet();
    let openAnswerer = () => undefined as void;
    net.answererOpens = new Promise<void>((r) => (openAnswerer = r));
    // See the answerer's raw chunks, to know when the initiator's offer has arrived early.
    const early = new EventLog<Uint8Array>();
    const createLink: CreatePeerLink = (o, ev) => net.createLink(o, { ...ev, data: (c) => (o.initiator ? undefined : early.push(c), ev.data(c)) });
    const keys = deriveRoomKeys(newRoomSecret());
    server.nextIds = ['A'.repeat(22), 'z'.repeat(22)];
    const mk = () => {
      const log = new EventLog<MeshEvent>();
      return { log, mesh: createMesh({ ...keys, onEvent: log.push, signalingUrl: 'ws://t/ws', createSocket: server.createSocket, createLink }) };
    };
    const a = mk(); // lower id: initiator, its channel opens first
    await a.log.waitFor((e) => e.type === 'welcome');
    const b = mk();
    await early.waitFor(() => true, 'initiator offer at the answerer');
    // Neither side may report the other before both proved their keys.
    expect(a.log.events.some(connectedTo('z'.repeat(22)))).toBe(false);
    expect(b.log.events.some((e) => e.type === 'peer-state' && e.state === 'connected')).toBe(false);
    openAnswerer();
    await a.log.waitFor(connectedTo('z'.repeat(22)));
    await a.mesh.send('z'.repeat(22), MeshTag.Control, bytes(5, 1));
    await b.log.waitFor((e) => e.type === 'message');
    const kinds = b.log.events.filter((e) => e.type !== 'welcome' && e.type !== 'safety-code').map((e) => (e.type === 'peer-state' ? e.state : e.type));
    expect(kinds).toEqual(['connecting', 'identity', 'connected', 'message']);
  });

  it('gives up on a link that never opens', async () => {
    const server = new FakeServer();
    server.intercept = (f) => server.relayed.filter((x) => x.from === f.from).length <= 1; // hellos only
    const keys = deriveRoomKeys(newRoomSecret());
    const net = new FakeLinkNet();
    const a = join(server, net, keys, 30);
    await a.log.waitFor((e) => e.type === 'welcome');
    const b = join(server, net, keys, 30);
    const left = await a.log.waitFor((e) => e.type === 'peer-left');
    expect(left.type === 'peer-left' && left.reason).toMatch(/could not connect to .*no direct connection/);
    // Code, not words, is what the UI and the Node party branch on (a refusal, not a departure).
    expect(left.type === 'peer-left' && left.code).toBe('UNREACHABLE');
    await b.log.waitFor((e) => e.type === 'peer-left');
    a.mesh.close();
    b.mesh.close();
  });

  it('drops a peer that sends a malformed frame, naming it', async () => {
    const { nodes, net } = await fullMesh(2);
    const [a, b] = nodes;
    const link = net.links.find((l) => l.remote && l.events && l.initiator === (b.mesh.self! < a.mesh.self!))!;
    await link.sendChunk(Uint8Array.of(9, 9, 9)); // raw garbage from B's end
    const left = await a.log.waitFor((e) => e.type === 'peer-left' && e.peer === b.mesh.self);
    expect(left.type === 'peer-left' && left.reason).toMatch(/malformed frame/);
  });

  it('rejects sends to unknown peers and oversized messages with typed errors', async () => {
    const { nodes } = await fullMesh(2);
    const e = await nodes[0].mesh.send('nobody', MeshTag.Mpc, bytes(1, 0)).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(MpcError);
    const small = createMesh({ ...deriveRoomKeys(newRoomSecret()), onEvent: () => undefined, maxMessageBytes: 4, signalingUrl: 'ws://x/ws', createSocket: new FakeServer().createSocket, createLink: new FakeLinkNet().createLink });
    await expect(small.send('x', MeshTag.Mpc, bytes(5, 0))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    small.close();
  });
});
