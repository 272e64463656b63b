/**
 * A hostile signaling server for end-to-end tests (DESIGN §2: the server is untrusted). It
 * serves the built app (dist/) and speaks the real wire protocol (src/shared/signaling.ts)
 * on a real WebSocket, but every relay goes through a test-supplied `onRelay` that may drop,
 * rewrite, replay or invent envelopes, and tests can inject any frame (fake members).
 *
 * Given the room secret (`learnSecret`), it can also open and re-seal envelopes: that plays
 * a server colluding with someone who holds the link, the strongest position short of
 * running a WebRTC endpoint itself.
 *
 * Security assumption: none; test code, loopback only.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { WebSocketServer, type WebSocket } from 'ws';
import { parseClientMessage, type ServerMessage } from '../src/shared/signaling.ts';
import { openEnvelope, sealEnvelope, type EnvelopePlain } from '../src/transport/envelope.ts';
import { deriveRoomKeys, parseRoomSecret, type RoomKeys } from '../src/transport/room-keys.ts';
import { createStaticHandler, sendText } from '../server/static-files.ts';
import { randomBytes } from 'node:crypto';

export interface Relay {
  from: string;
  to: string;
  data: string;
}

export interface HostileOptions {
  /** Told to browsers in `welcome`, so refusals surface in seconds. */
  connectTimeoutMs: number;
  /** What to deliver for a relay a member sent: [] drops it. Default: deliver as is. */
  onRelay?: (r: Relay, server: HostileServer) => Relay[];
  /** Extra (fake) member ids listed in every welcome. */
  fakeMembers?: string[];
  /**
   * A partition of the room: the k-th member to join (0-based) is in group `group(k)`, and
   * members see (welcome, peer-joined/left, relays) only those of their own group. Plays a
   * server that puts each victim in a room of its own with an attacker's endpoint.
   */
  group?: (joinIndex: number) => number;
}

export class HostileServer {
  readonly recorded: Relay[] = [];
  readonly members = new Map<string, WebSocket>();
  /** Join index of each member (see HostileOptions.group). */
  readonly joinIndex = new Map<string, number>();
  private joins = 0;
  keys: RoomKeys | undefined;
  url = '';
  private http: Server | undefined;
  private wss: WebSocketServer | undefined;

  constructor(private readonly options: HostileOptions) {}

  async start(): Promise<string> {
    const serveStatic = await createStaticHandler(fileURLToPath(new URL('../dist', import.meta.url)));
    this.http = createServer((req, res) => {
      serveStatic(req, res).catch(() => sendText(req, res, 500, 'error'));
    });
    this.wss = new WebSocketServer({ server: this.http, path: '/ws' });
    this.wss.on('connection', (ws) => this.onConnection(ws));
    this.http.listen(0, '127.0.0.1');
    await once(this.http, 'listening');
    this.url = `http://127.0.0.1:${(this.http.address() as AddressInfo).port}/`;
    return this.url;
  }

  /** The room link's secret (from `room-link`), to read and forge envelopes. */
  learnSecret(link: string): void {
    // `#/room/<secret>.<host fingerprint>`: the secret is before the dot.
    const secret = parseRoomSecret(link.split('#/room/')[1]?.split('.')[0]);
    if (!secret) throw new Error(`no room secret in ${link}`);
    this.keys = deriveRoomKeys(secret);
  }

  /** Open a relayed envelope with the learnt key (undefined if it does not open). */
  open(r: Relay): EnvelopePlain | undefined {
    if (!this.keys) return undefined;
    const o = openEnvelope(this.keys.signalKey, { roomId: this.keys.roomId, from: r.from, to: r.to }, r.data);
    return o.ok ? o.value : undefined;
  }

  /** Seal a (modified) plaintext as `r.from` → `r.to`. */
  seal(r: Relay, plain: EnvelopePlain): Relay {
    if (!this.keys) throw new Error('learnSecret first');
    return { ...r, data: sealEnvelope(this.keys.signalKey, { roomId: this.keys.roomId, from: r.from, to: r.to }, plain) };
  }

  send(to: string, m: ServerMessage): void {
    this.members.get(to)?.send(JSON.stringify(m));
  }

  deliver(r: Relay): void {
    this.send(r.to, { t: 'relay', from: r.from, data: r.data });
  }

  /** Whether members `a` and `b` see each other (always, unless the room is partitioned). */
  sees(a: string, b: string): boolean {
    const g = this.options.group;
    if (!g) return true;
    const ia = this.joinIndex.get(a);
    const ib = this.joinIndex.get(b);
    return ia !== undefined && ib !== undefined && g(ia) === g(ib);
  }

  async close(): Promise<void> {
    for (const ws of this.members.values()) ws.terminate();
    await new Promise<void>((resolve) => this.wss?.close(() => resolve()));
    this.http?.closeAllConnections();
    await new Promise<void>((resolve) => this.http?.close(() => resolve()));
  }

  private onConnection(ws: WebSocket): void {
    const self = randomBytes(16).toString('base64url');
    ws.on('message', (raw) => {
      const p = parseClientMessage(String(raw));
      if (!p.ok) return;
      const m = p.value;
      if (m.t === 'join') {
        this.joinIndex.set(self, this.joins++);
        const peers = [...[...this.members.keys()].filter((id) => this.sees(self, id)), ...(this.options.fakeMembers ?? [])];
        this.members.set(self, ws);
        ws.send(JSON.stringify({ t: 'welcome', self, peers, iceServers: [], connectTimeoutMs: this.options.connectTimeoutMs } satisfies ServerMessage));
        for (const id of this.members.keys()) if (id !== self && this.sees(self, id)) this.send(id, { t: 'peer-joined', id: self });
        return;
      }
      const r: Relay = { from: self, to: m.to, data: m.data };
      this.recorded.push(r);
      if (!this.sees(r.from, r.to) && this.members.has(r.to)) return;
      for (const out of this.options.onRelay ? this.options.onRelay(r, this) : [r]) this.deliver(out);
    });
    ws.on('close', () => {
      if (!this.members.delete(self)) return;
      for (const id of this.members.keys()) if (this.sees(self, id)) this.send(id, { t: 'peer-left', id: self });
    });
  }
}
