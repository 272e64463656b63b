/**
 * The signaling server: rooms of WebSocket connections and a relay of sealed envelopes
 * between members of the same room (wire protocol: src/shared/signaling.ts).
 *
 * Security assumption: this server is untrusted by design (DESIGN §2). It sees opaque room
 * ids, member ids it assigns itself and AEAD-sealed envelopes; it must never log envelope
 * contents or room ids. What it must do is protect itself: every input is bounded (frame
 * size, room size, connection count, message rate, send buffer per connection), abusive
 * or silent connections are closed, and empty rooms are forgotten, so memory is bounded by
 * `maxConnections`.
 *
 * References: RFC 6455 §5.5.2 (ping/pong heartbeat), the `ws` README ("How to detect and
 * close broken connections").
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import {
  LIMITS,
  parseClientMessage,
  type IceServer,
  type ServerMessage,
  type SignalingErrorCode,
} from '../src/shared/signaling.ts';
import { TokenBucket } from './rate-limit.ts';

export interface ServerLimits {
  /** Largest accepted frame in bytes; larger frames get TOO_LARGE. */
  maxFrameBytes: number;
  /** Frames above this are not even buffered: `ws` closes the connection with 1009. */
  hardMaxFrameBytes: number;
  maxRoomSize: number;
  /** Token bucket per connection. */
  ratePerSecond: number;
  burst: number;
  /** Rate-limited messages in a row (no accepted one between) before the connection is closed. */
  maxRateStrikes: number;
  /** Malformed or out-of-order messages (BAD_MESSAGE, TOO_LARGE, NOT_JOINED) before closing. */
  maxBadMessages: number;
  /** Open WebSocket connections in total; more get HTTP 503 at upgrade. */
  maxConnections: number;
  /** A recipient whose unsent backlog exceeds this is dropped as a slow consumer. */
  maxBufferedBytes: number;
  /** A connection that has not joined a room within this time is closed. */
  joinTimeoutMs: number;
}

export const DEFAULT_SERVER_LIMITS: ServerLimits = {
  maxFrameBytes: LIMITS.maxFrameBytes,
  hardMaxFrameBytes: 2 * LIMITS.maxFrameBytes,
  maxRoomSize: LIMITS.maxRoomSize,
  ratePerSecond: LIMITS.ratePerSecond,
  burst: 2 * LIMITS.ratePerSecond,
  maxRateStrikes: LIMITS.ratePerSecond,
  maxBadMessages: 3,
  maxConnections: 5000,
  maxBufferedBytes: 1024 * 1024,
  joinTimeoutMs: 10_000,
};

/**
 * Which browser origins may open the WebSocket. 'same-host': the Origin header's host must
 * equal the Host header (the app and the socket share one origin); requests without an
 * Origin header (non-browser clients) are allowed, as nothing stops those anyway.
 */
export type OriginPolicy = 'same-host' | 'any' | readonly string[];

export interface SignalingOptions {
  /** Attach to this HTTP server's 'upgrade' event; otherwise call `handleUpgrade` yourself. */
  server?: Server;
  path?: string;
  limits?: Partial<ServerLimits>;
  iceServers?: readonly IceServer[];
  /** Told to clients in `welcome`: how long to wait for a peer link. Default: unset (client default, 45 s). */
  connectTimeoutMs?: number;
  /** Ping interval; a connection that misses one pong is terminated (so gone within 2×). */
  heartbeatMs?: number;
  origins?: OriginPolicy;
  /** Monotonic clock in ms (tests inject one for a deterministic rate limit). */
  now?: () => number;
  /** Operational log lines. Never receives envelope contents, room ids or member ids. */
  log?: (line: string) => void;
}

export interface SignalingStats {
  /** Open connections not being closed (a closing handshake may still hold a socket briefly). */
  connections: number;
  rooms: number;
  members: number;
}

export interface SignalingServer {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  stats(): SignalingStats;
  /** Close every connection with 1001 and stop; stragglers are terminated after a grace period. */
  close(): Promise<void>;
}

interface Conn {
  readonly ws: WebSocket;
  readonly bucket: TokenBucket;
  id?: string;
  room?: Room;
  badMessages: number;
  rateStrikes: number;
  alive: boolean;
  joinTimer?: NodeJS.Timeout;
}

interface Room {
  readonly key: string;
  readonly members: Map<string, Conn>;
}

/** RFC 6455 close codes used here. */
const CLOSE_POLICY = 1008;
const CLOSE_GOING_AWAY = 1001;
const MAX_ERROR_TEXT = 200;
const SHUTDOWN_GRACE_MS = 1000;

function newMemberId(): string {
  return randomBytes(16).toString('base64url');
}

function rawByteLength(data: RawData): number {
  if (Array.isArray(data)) return data.reduce((n, b) => n + b.length, 0);
  return data instanceof ArrayBuffer ? data.byteLength : data.length;
}

function rawToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data instanceof ArrayBuffer ? new Uint8Array(data) : data).toString('utf8');
}

function originAllowed(policy: OriginPolicy, req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined || policy === 'any') return true;
  if (policy !== 'same-host') return policy.includes(origin);
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

function rejectUpgrade(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  socket.destroy();
}

export function createSignalingServer(options: SignalingOptions = {}): SignalingServer {
  const limits: ServerLimits = { ...DEFAULT_SERVER_LIMITS, ...options.limits };
  const path = options.path ?? '/ws';
  const iceServers = [...(options.iceServers ?? [])];
  const heartbeatMs = options.heartbeatMs ?? 5000;
  const origins = options.origins ?? 'same-host';
  const now = options.now ?? (() => performance.now());
  const log = options.log ?? (() => undefined);

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: limits.hardMaxFrameBytes,
    perMessageDeflate: false, // no compression: avoids zip bombs and CPU cost on a relay
    clientTracking: true,
  });
  const conns = new Set<Conn>();
  const rooms = new Map<string, Room>();
  let closing = false;

  function send(c: Conn, msg: ServerMessage): void {
    if (c.ws.readyState !== WebSocket.OPEN) return;
    // Bounded memory: a recipient that does not read its socket is dropped, not buffered.
    if (c.ws.bufferedAmount > limits.maxBufferedBytes) {
      log('dropping a slow consumer');
      drop(c);
      return;
    }
    c.ws.send(JSON.stringify(msg));
  }

  function sendError(c: Conn, code: SignalingErrorCode, message: string): void {
    send(c, { t: 'error', code, message: message.slice(0, MAX_ERROR_TEXT) });
  }

  /** Remove from its room (idempotent) and tell the others. */
  function leave(c: Conn): void {
    clearTimeout(c.joinTimer);
    conns.delete(c);
    const room = c.room;
    if (!room || c.id === undefined) return;
    c.room = undefined;
    room.members.delete(c.id);
    if (room.members.size === 0) rooms.delete(room.key);
    for (const other of room.members.values()) send(other, { t: 'peer-left', id: c.id });
  }

  function closeConn(c: Conn, code: number, reason: string): void {
    leave(c);
    c.ws.close(code, reason);
  }

  function drop(c: Conn): void {
    leave(c);
    c.ws.terminate();
  }

  function badMessage(c: Conn, code: SignalingErrorCode, message: string): void {
    c.badMessages += 1;
    sendError(c, code, message);
    if (c.badMessages >= limits.maxBadMessages) {
      log('closing a connection after repeated bad messages');
      closeConn(c, CLOSE_POLICY, 'too many bad messages');
    }
  }

  function join(c: Conn, key: string): void {
    if (c.room) return badMessage(c, 'BAD_MESSAGE', 'this connection has already joined a room');
    let room = rooms.get(key);
    if (room && room.members.size >= limits.maxRoomSize) {
      return sendError(c, 'ROOM_FULL', `room is full (${limits.maxRoomSize} members)`);
    }
    if (!room) {
      room = { key, members: new Map() };
      rooms.set(key, room);
    }
    let id = newMemberId();
    while (room.members.has(id)) id = newMemberId();
    clearTimeout(c.joinTimer);
    c.joinTimer = undefined;
    const peers = [...room.members.keys()];
    c.id = id;
    c.room = room;
    room.members.set(id, c);
    send(c, { t: 'welcome', self: id, peers, iceServers, ...(options.connectTimeoutMs !== undefined ? { connectTimeoutMs: options.connectTimeoutMs } : {}) });
    for (const other of room.members.values()) if (other !== c) send(other, { t: 'peer-joined', id });
  }

  function relay(c: Conn, to: string, data: string): void {
    if (!c.room || c.id === undefined) return badMessage(c, 'NOT_JOINED', 'join a room before relaying');
    const target = c.room.members.get(to);
    // Not counted as abuse: the recipient may have left a moment ago.
    if (!target || target === c) return sendError(c, 'UNKNOWN_PEER', 'no such member in this room');
    send(target, { t: 'relay', from: c.id, data });
  }

  function onMessage(c: Conn, data: RawData, isBinary: boolean): void {
    if (closing || c.ws.readyState !== WebSocket.OPEN) return;
    c.alive = true;
    if (!c.bucket.take()) {
      c.rateStrikes += 1;
      if (c.rateStrikes > limits.maxRateStrikes) {
        log('closing a connection that kept exceeding the rate limit');
        return closeConn(c, CLOSE_POLICY, 'rate limit exceeded');
      }
      return sendError(c, 'RATE_LIMITED', `more than ${limits.ratePerSecond} messages per second`);
    }
    c.rateStrikes = 0;
    const size = rawByteLength(data);
    if (size > limits.maxFrameBytes) return badMessage(c, 'TOO_LARGE', `frame of ${size} bytes exceeds ${limits.maxFrameBytes}`);
    if (isBinary) return badMessage(c, 'BAD_MESSAGE', 'expected a text frame');
    const parsed = parseClientMessage(rawToString(data));
    if (!parsed.ok) return badMessage(c, 'BAD_MESSAGE', parsed.error);
    const msg = parsed.value;
    if (msg.t === 'join') join(c, msg.room);
    else relay(c, msg.to, msg.data);
  }

  function onConnection(ws: WebSocket): void {
    const c: Conn = {
      ws,
      bucket: new TokenBucket(limits.ratePerSecond, limits.burst, now),
      badMessages: 0,
      rateStrikes: 0,
      alive: true,
    };
    conns.add(c);
    c.joinTimer = setTimeout(() => closeConn(c, CLOSE_POLICY, 'no join within the time limit'), limits.joinTimeoutMs);
    ws.on('message', (data, isBinary) => onMessage(c, data, isBinary));
    ws.on('pong', () => {
      c.alive = true;
    });
    ws.on('close', () => leave(c));
    // Errors (e.g. an oversize frame, code 1009) are followed by 'close'; nothing to log.
    ws.on('error', () => undefined);
  }

  const heartbeat = setInterval(() => {
    for (const c of conns) {
      if (!c.alive) {
        drop(c);
        continue;
      }
      c.alive = false;
      c.ws.ping();
    }
  }, heartbeatMs);

  function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => undefined);
    const pathname = (req.url ?? '').split('?')[0];
    if (closing) return rejectUpgrade(socket, 503, 'Service Unavailable');
    if (pathname !== path) return rejectUpgrade(socket, 404, 'Not Found');
    if (!originAllowed(origins, req)) return rejectUpgrade(socket, 403, 'Forbidden');
    if (wss.clients.size >= limits.maxConnections) return rejectUpgrade(socket, 503, 'Service Unavailable');
    wss.handleUpgrade(req, socket, head, onConnection);
  }

  options.server?.on('upgrade', handleUpgrade);

  return {
    handleUpgrade,
    stats: () => ({
      connections: conns.size,
      rooms: rooms.size,
      members: [...rooms.values()].reduce((n, r) => n + r.members.size, 0),
    }),
    close: () =>
      new Promise<void>((resolve) => {
        closing = true;
        clearInterval(heartbeat);
        options.server?.off('upgrade', handleUpgrade);
        for (const c of [...conns]) closeConn(c, CLOSE_GOING_AWAY, 'server shutting down');
        const force = setTimeout(() => {
          for (const ws of wss.clients) ws.terminate();
        }, SHUTDOWN_GRACE_MS);
        force.unref();
        wss.close(() => {
          clearTimeout(force);
          resolve();
        });
      }),
  };
}
