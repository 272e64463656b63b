/**
 * Test support (not a test): a WebSocket client that queues parsed server messages so tests
 * await events instead of sleeping, and a helper that runs a signaling server on an
 * ephemeral loopback port.
 *
 * Security assumption: none; loopback only.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { WebSocket, type ClientOptions } from 'ws';
import { parseServerMessage, type ServerMessage } from '../src/shared/signaling.ts';
import { createSignalingServer, type SignalingOptions, type SignalingServer } from './signaling.ts';

type Waiter = { pred: (m: ServerMessage) => boolean; resolve: (m: ServerMessage) => void; reject: (e: Error) => void };

export class TestClient {
  readonly received: ServerMessage[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private waiters: Waiter[] = [];
  private consumed = 0;
  private readonly handedOut = new Set<number>();

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const parsed = parseServerMessage(String(data));
      if (!parsed.ok) throw new Error(`server sent a malformed frame: ${parsed.error}`);
      this.received.push(parsed.value);
      this.flush();
    });
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        for (const w of this.waiters) w.reject(new Error(`socket closed (${code} ${String(reason)}) while waiting`));
        this.waiters = [];
        resolve({ code, reason: String(reason) });
      });
    });
    ws.on('error', () => undefined);
  }

  static async connect(url: string, options?: ClientOptions): Promise<TestClient> {
    const ws = new WebSocket(url, options);
    const client = new TestClient(ws);
    await once(ws, 'open');
    return client;
  }

  /** The next not yet consumed message matching `pred` (messages before it stay queued). */
  next(pred: (m: ServerMessage) => boolean = () => true): Promise<ServerMessage> {
    return new Promise((resolve, reject) => {
      this.waiters.push({ pred, resolve, reject });
      this.flush();
      if (this.ws.readyState === WebSocket.CLOSED) reject(new Error('socket already closed'));
    });
  }

  async nextOf<T extends ServerMessage['t']>(t: T): Promise<Extract<ServerMessage, { t: T }>> {
    return (await this.next((m) => m.t === t)) as Extract<ServerMessage, { t: T }>;
  }

  /** Messages in arrival order, each delivered to at most one waiter. */
  private flush(): void {
    const taken = this.handedOut;
    this.waiters = this.waiters.filter((w) => {
      for (let i = this.consumed; i < this.received.length; i++) {
        if (taken.has(i) || !w.pred(this.received[i])) continue;
        taken.add(i);
        w.resolve(this.received[i]);
        return false;
      }
      return true;
    });
    // Advance past a prefix that has been handed out, so later waits do not see it again.
    while (taken.delete(this.consumed)) this.consumed++;
  }

  sendRaw(data: string | Buffer): void {
    this.ws.send(data);
  }

  send(msg: unknown): void {
    this.ws.send(JSON.stringify(msg));
  }

  async join(room: string): Promise<Extract<ServerMessage, { t: 'welcome' }>> {
    this.send({ t: 'join', room });
    return this.nextOf('welcome');
  }

  relay(to: string, data: string): void {
    this.send({ t: 'relay', to, data });
  }

  async close(): Promise<void> {
    if (this.ws.readyState !== WebSocket.CLOSED) this.ws.close();
    await this.closed;
  }
}

/** The HTTP status that refused a WebSocket upgrade from `from`, or 101 if it was accepted. */
export function upgradeStatus(url: string, from: string, headers?: Record<string, string>): Promise<number> {
  const ws = new WebSocket(url, { localAddress: from, headers });
  return new Promise((resolve) => {
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('open', () => {
      resolve(101);
      ws.close();
    });
    ws.on('error', () => undefined);
  });
}

export const randomRoom = (): string => randomBytes(32).toString('base64url');
export const randomEnvelope = (bytes: number): string => randomBytes(bytes).toString('base64url');

export interface RunningSignaling {
  http: Server;
  signaling: SignalingServer;
  url: string;
  stop(): Promise<void>;
}

/** A signaling server on 127.0.0.1 with an ephemeral port. */
export async function startSignaling(options: Omit<SignalingOptions, 'server'> = {}): Promise<RunningSignaling> {
  const http = createServer((_req, res) => res.writeHead(404).end());
  const signaling = createSignalingServer({ ...options, server: http });
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  const { port } = http.address() as AddressInfo;
  return {
    http,
    signaling,
    url: `ws://127.0.0.1:${port}/ws`,
    async stop() {
      await signaling.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
