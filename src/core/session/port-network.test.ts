import { afterEach, describe, expect, it } from 'vitest';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { MpcError } from '../errors.ts';
import { secureSum } from '../protocols/sum.ts';
import { partyId } from './channel.ts';
import { type PortLike, createPortChannel, parsePortMessage } from './port-network.ts';
import { Session } from './session.ts';

const opened: MessagePort[] = [];
afterEach(() => {
  for (const p of opened.splice(0)) p.close();
});

/** Node's MessagePort has the DOM-style methods we need; only the listener's event type differs. */
const asPortLike = (p: MessagePort): PortLike => p as unknown as PortLike;

/**
 * A stand-in for the main thread's mesh: one MessageChannel per party; frames a worker
 * posts to `peer` are re-posted to that peer's port with peer = sender (transferring).
 */
function mesh(n: number): { workerPorts: MessagePort[]; mainPorts: MessagePort[]; disconnect(p: number): void } {
  const workerPorts: MessagePort[] = [];
  const mainPorts: MessagePort[] = [];
  const gone = new Set<number>();
  for (let i = 0; i < n; i++) {
    const { port1, port2 } = new MessageChannel();
    workerPorts.push(port1);
    mainPorts.push(port2);
    opened.push(port1, port2);
  }
  mainPorts.forEach((port, from) => {
    port.on('message', (data: unknown) => {
      const m = parsePortMessage(data);
      if (typeof m === 'string' || m.kind !== 'frame' || gone.has(from) || gone.has(m.peer)) return;
      mainPorts[m.peer].postMessage({ kind: 'frame', peer: from, bytes: m.bytes }, [m.bytes]);
    });
  });
  return {
    workerPorts,
    mainPorts,
    disconnect(p: number) {
      gone.add(p);
      mainPorts.forEach((port, q) => {
        if (q !== p) port.postMessage({ kind: 'closed', peer: p, reason: 'data channel closed' });
      });
    },
  };
}

describe('port network', () => {
  it('runs a 3-party secure sum through MessagePorts, transferring frame buffers', async () => {
    const { workerPorts } = mesh(3);
    const sessions = workerPorts.map((p, i) => new Session(createPortChannel(asPortLike(p), partyId(i), 3), { timeoutMs: 5000 }));
    const out = await Promise.all(sessions.map((s) => secureSum(s, BigUint64Array.from([BigInt(s.self + 1), 10n]))));
    for (const o of out) expect(Array.from(o)).toEqual([6n, 30n]);
    for (const s of sessions) s.close();
  });

  it('transfers the buffer on send (the caller cannot reuse it)', () => {
    const { port1, port2 } = new MessageChannel();
    opened.push(port1, port2);
    const ch = createPortChannel(asPortLike(port1), partyId(0), 2);
    const frame = new Uint8Array(16);
    ch.send(partyId(1), frame);
    expect(frame.byteLength).toBe(0); // detached
    ch.close();
  });

  it('a closed message from main becomes PEER_LEFT naming that peer', async () => {
    const net = mesh(2);
    const s0 = new Session(createPortChannel(asPortLike(net.workerPorts[0]), partyId(0), 2), { timeoutMs: 5000 });
    const pending = s0.receive(partyId(1), s0.round(1, 0, 0));
    net.disconnect(1);
    await expect(pending).rejects.toMatchObject({ code: 'PEER_LEFT', party: 1 });
    expect(s0.error).toBeInstanceOf(MpcError);
  });

  it('ignores malformed messages (reporting them) and rejects frames from non-members in the Session', async () => {
    const { port1, port2 } = new MessageChannel();
    opened.push(port1, port2);
    const invalid: string[] = [];
    const s = new Session(createPortChannel(asPortLike(port1), partyId(0), 2, { onInvalid: (_d, why) => invalid.push(why) }), { timeoutMs: 5000 });
    const pending = s.receive(partyId(1), s.round(1, 0, 0));
    port2.postMessage('hello');
    port2.postMessage({ kind: 'frame', peer: 1, bytes: 'x' });
    port2.postMessage({ kind: 'nope', peer: 1 });
    port2.postMessage({ kind: 'frame', peer: 5, bytes: new ArrayBuffer(12) });
    await expect(pending).rejects.toMatchObject({ code: 'MALFORMED_MESSAGE' });
    expect(invalid).toEqual(['not an object', 'frame bytes are not an ArrayBuffer', 'unknown kind "nope"']);
  });

  it('validates message shapes', () => {
    expect(parsePortMessage({ kind: 'closed', peer: 1, reason: 'bye' })).toEqual({ kind: 'closed', peer: 1, reason: 'bye' });
    expect(parsePortMessage({ kind: 'closed', peer: 1.5, reason: 'bye' })).toBe('peer is not an integer');
    expect(parsePortMessage(null)).toBe('not an object');
  });
});
