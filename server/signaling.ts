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
  type IceTransportPolicy,
  type ServerMessage,
  type SignalingErrorCode,
} from '../src/shared/signaling.ts';
import { createLocalBackplane, type Backplane } from './backplane.ts';
import { clientAddress } from './client-address.ts';
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
  /** Open sockets per client address (IPv6: per /64); more get HTTP 429 at upgrade. */
  maxSocketsPerAddress: number;
  /** Joins per client address per minute (token bucket, burst = this); more get RATE_LIMITED. */
  joinsPerMinute: number;
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
  maxSocketsPerAddress: 64,
  joinsPerMinute: 120,
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
  /** Handed out in every welcome; a function is called per join (short-lived TURN credentials). */
  iceServers?: readonly IceServer[] | (() => IceServer[]);
  /** Told to browsers in `welcome`: 'relay' forces every peer link through TURN. */
  iceTransportPolicy?: IceTransportPolicy;
  /** Room membership, relay and per-address counters; default: in this process. */
  backplane?: Backplane;
  /**
   * Lower-case name of the header a reverse proxy sets to the client's address
   * (PARLEY_TRUSTED_PROXY_HEADER); unset: the TCP peer address counts (server/client-address.ts).
   */
  trustedProxyHeader?: string;
  /** Told to clients in `welcome`: how long to wait for a peer link. Default: unset (client default, 45 s). */
  connectTimeoutMs?: number;
  /**
   * Ping interval; a connection that answers none of MISSED_PINGS consecutive pings is
   * terminated (so gone within MISSED_PINGS + 1 intervals).
   */
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

/** A frame held for a member whose welcome has not been sent yet (see joinRoom). */
interface Held {
  frame: string;
  joined?: string;
  left?: string;
}

interface Conn {
  readonly ws: WebSocket;
  readonly bucket: TokenBucket;
  /** Key of the client address (server/client-address.ts); its socket is counted there. */
  readonly address: string;
  state: 'new' | 'joining' | 'joined' | 'closed';
  id?: string;
  room?: string;
  /** While joining: what the backplane delivered before the welcome went out. */
  held?: Held[];
  badMessages: number;
  rateStrikes: number;
  alive: boolean;
  /** Consecutive heartbeats with neither a pong nor a message. */
  missed: number;
  joinTimer?: NodeJS.Timeout;
}

/** RFC 6455 close codes used here. */
const CLOSE_POLICY = 1008;
const CLOSE_GOING_AWAY = 1001;
const CLOSE_TRY_AGAIN = 1013;
const MAX_ERROR_TEXT = 200;
const SHUTDOWN_GRACE_MS = 1000;
/** An honest member receives at most a roster's worth of frames before its welcome. */
const MAX_HELD = 4 * LIMITS.maxRoomSize;

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

const frameOf = (msg: ServerMessage): string => JSON.stringify(msg);

export function createSignalingServer(options: SignalingOptions = {}): SignalingServer {
  const limits: ServerLimits = { ...DEFAULT_SERVER_LIMITS, ...options.limits };
  const path = options.path ?? '/ws';
  const iceServersOption = options.iceServers ?? [];
  const iceServers = typeof iceServersOption === 'function' ? iceServersOption : () => [...iceServersOption];
  const heartbeatMs = options.heartbeatMs ?? 5000;
  // Node parties answer pings from their JS event loop (browsers answer in the network
  // stack), and a loaded machine stalls it for seconds while a run starts: measured 5.4 s on
  // a 2-core machine at load 30, which dropped a healthy party mid-run under a one-missed-pong
  // rule. Three misses: ≥ 10 s of silence at the default interval before a member is gone.
  const MISSED_PINGS = 3;
  const origins = options.origins ?? 'same-host';
  const now = options.now ?? (() => performance.now());
  const log = options.log ?? (() => undefined);
  const bus = options.backplane ?? createLocalBackplane(now);

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: limits.hardMaxFrameBytes,
    perMessageDeflate: false, // no compression: avoids zip bombs and CPU cost on a relay
    clientTracking: true,
  });
  const conns = new Set<Conn>();
  /** This process's members per room (the backplane knows the whole room). */
  const rooms = new Map<string, Map<string, Conn>>();
  let pendingUpgrades = 0;
  let closing = false;

  function sendFrame(c: Conn, frame: string): void {
    if (c.ws.readyState !== WebSocket.OPEN) return;
    // Bounded memory: a recipient that does not read its socket is dropped, not buffered.
    if (c.ws.bufferedAmount > limits.maxBufferedBytes) {
      log('dropping a slow consumer');
      drop(c);
      return;
    }
    c.ws.send(frame);
  }

  const send = (c: Conn, msg: ServerMessage): void => sendFrame(c, frameOf(msg));

  function sendError(c: Conn, code: SignalingErrorCode, message: string): void {
    send(c, { t: 'error', code, message: message.slice(0, MAX_ERROR_TEXT) });
  }

  function forgetLocal(c: Conn): void {
    if (c.room === undefined || c.id === undefined) return;
    const members = rooms.get(c.room);
    if (members?.get(c.id) !== c) return;
    members.delete(c.id);
    if (members.size === 0) rooms.delete(c.room);
  }

  /** Remove from its room (idempotent); the backplane tells the others. */
  function leave(c: Conn): void {
    clearTimeout(c.joinTimer);
    conns.delete(c);
    const was = c.state;
    c.state = 'closed';
    forgetLocal(c);
    // A join still in flight is undone when it completes (joinRoom).
    if (was === 'joined' && c.room !== undefined && c.id !== undefined) bus.leave(c.room, c.id);
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

  async function joinRoom(c: Conn, room: string): Promise<void> {
    if (c.state !== 'new') return badMessage(c, 'BAD_MESSAGE', 'this connection has already joined a room');
    c.state = 'joining';
    const allowed = await bus.takeJoin(c.address, limits.joinsPerMinute, limits.joinsPerMinute);
    if (c.state !== 'joining') return;
    if (!allowed) {
      c.state = 'new';
      return sendError(c, 'RATE_LIMITED', `more than ${limits.joinsPerMinute} joins per minute from your address; try again in a minute`);
    }
    // Registered before the backplane commits the join, so nothing addressed to the new
    // member can arrive while this process does not know it yet.
    let id = newMemberId();
    while (rooms.get(room)?.has(id)) id = newMemberId();
    c.id = id;
    c.room = room;
    c.held = [];
    let members = rooms.get(room);
    if (!members) rooms.set(room, (members = new Map()));
    members.set(id, c);
    const result = await bus.join(room, id, limits.maxRoomSize);
    if (c.state !== 'joining') {
      if (result.ok) bus.leave(room, id);
      return;
    }
    const held = c.held;
    c.held = undefined;
    if (!result.ok) {
      forgetLocal(c);
      c.state = 'new';
      c.id = undefined;
      c.room = undefined;
      if (result.reason === 'full') return sendError(c, 'ROOM_FULL', `room is full (${limits.maxRoomSize} members)`);
      return void joinRoom(c, room); // a 128-bit id collision: draw again
    }
    c.state = 'joined';
    clearTimeout(c.joinTimer);
    c.joinTimer = undefined;
    const peers = result.peers;
    send(c, {
      t: 'welcome',
      self: id,
      peers,
      iceServers: iceServers(),
      ...(options.iceTransportPolicy !== undefined ? { iceTransportPolicy: options.iceTransportPolicy } : {}),
      ...(options.connectTimeoutMs !== undefined ? { connectTimeoutMs: options.connectTimeoutMs } : {}),
    });
    // What was announced before our place in the room's order is already in `peers`.
    const before = new Set(peers);
    for (const h of held) {
      if (h.joined !== undefined && before.has(h.joined)) continue;
      if (h.left !== undefined && !before.has(h.left)) continue;
      if (h.joined !== undefined) before.add(h.joined);
      sendFrame(c, h.frame);
    }
  }

  function hold(c: Conn, h: Held): void {
    if (!c.held) return;
    if (c.held.length >= MAX_HELD) return drop(c);
    c.held.push(h);
  }

  bus.attach({
    deliver(room, to, frame) {
      const c = rooms.get(room)?.get(to);
      if (!c) return;
      if (c.state === 'joining') hold(c, { frame });
      else sendFrame(c, frame);
    },
    announce(room, about, kind) {
      const members = rooms.get(room);
      if (!members) return;
      const frame = frameOf(kind === 'joined' ? { t: 'peer-joined', id: about } : { t: 'peer-left', id: about });
      for (const [id, c] of members) {
        if (id === about) continue;
        if (c.state === 'joining') hold(c, kind === 'joined' ? { frame, joined: about } : { frame, left: about });
        else sendFrame(c, frame);
      }
    },
    lost(reason) {
      log(`left the backplane (${reason}); closing every connection so browsers reconnect`);
      for (const c of [...conns]) closeConn(c, CLOSE_TRY_AGAIN, 'signaling server restarting');
    },
  });

  function relay(c: Conn, to: string, data: string): void {
    if (c.state !== 'joined' || c.room === undefined || c.id === undefined) return badMessage(c, 'NOT_JOINED', 'join a room before relaying');
    // Not counted as abuse: the recipient may have left a moment ago.
    if (to === c.id) return sendError(c, 'UNKNOWN_PEER', 'no such member in this room');
    const found = bus.relay(c.room, to, frameOf({ t: 'relay', from: c.id, data }));
    const unknown = () => sendError(c, 'UNKNOWN_PEER', 'no such member in this room');
    if (found === false) unknown();
    else if (found !== true) {
      found.then(
        (ok) => ok || unknown(),
        (e: unknown) => {
          // Not the sender's fault and not a missing peer: say so (the envelope was not relayed).
          log(`a relay failed in the backplane: ${e instanceof Error ? e.message : String(e)}`);
          sendError(c, 'UNAVAILABLE', 'the signaling backend did not answer; this envelope was not relayed');
        },
      );
    }
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
    if (msg.t === 'join') {
      joinRoom(c, msg.room).catch(() => {
        log('a join failed in the backplane');
        if (c.state !== 'closed') closeConn(c, CLOSE_TRY_AGAIN, 'signaling backend unavailable');
      });
    } else relay(c, msg.to, msg.data);
  }

  function onConnection(ws: WebSocket, address: string): void {
    const c: Conn = {
      ws,
      address,
      state: 'new',
      bucket: new TokenBucket(limits.ratePerSecond, limits.burst, now),
      badMessages: 0,
      rateStrikes: 0,
      alive: true,
      missed: 0,
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

  // A tick that fires late means this process's own event loop was stalled (GC, a loaded
  // machine): the pongs answering the last ping may be sitting unread in the socket buffers,
  // and timers run before I/O, so judging now would drop healthy clients. Ping again instead.
  let lastTick = performance.now();
  const heartbeat = setInterval(() => {
    const tickAt = performance.now();
    const stalled = tickAt - lastTick > 1.5 * heartbeatMs;
    lastTick = tickAt;
    let silent = 0;
    for (const c of conns) {
      if (!stalled) c.missed = c.alive ? 0 : c.missed + 1;
      if (c.missed >= MISSED_PINGS) {
        silent += 1;
        drop(c);
        continue;
      }
      c.alive = false;
      c.ws.ping();
    }
    if (silent > 0) log(`dropped ${silent} connection(s) that answered none of ${MISSED_PINGS} pings ${heartbeatMs} ms apart`);
    bus.sweep();
  }, heartbeatMs);

  function upgradeCounted(req: IncomingMessage, socket: Duplex, head: Buffer, address: string): void {
    if (closing || socket.destroyed) {
      bus.releaseSocket(address);
      return void socket.destroy();
    }
    // The raw socket closes exactly once, however the connection ends (refused handshake too).
    socket.once('close', () => bus.releaseSocket(address));
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws, address));
  }

  function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => undefined);
    const pathname = (req.url ?? '').split('?')[0];
    if (closing) return rejectUpgrade(socket, 503, 'Service Unavailable');
    if (pathname !== path) return rejectUpgrade(socket, 404, 'Not Found');
    if (!originAllowed(origins, req)) return rejectUpgrade(socket, 403, 'Forbidden');
    if (wss.clients.size + pendingUpgrades >= limits.maxConnections) return rejectUpgrade(socket, 503, 'Service Unavailable');
    const address = clientAddress(req, options.trustedProxyHeader);
    if (!address.ok) {
      log(`refused a connection: ${address.reason}`);
      return rejectUpgrade(socket, 400, 'Bad Request');
    }
    const acquired = bus.acquireSocket(address.key, limits.maxSocketsPerAddress);
    if (acquired === true) return upgradeCounted(req, socket, head, address.key);
    if (acquired === false) return rejectUpgrade(socket, 429, 'Too Many Requests');
    pendingUpgrades += 1;
    acquired.then(
      (ok) => {
        pendingUpgrades -= 1;
        if (ok) upgradeCounted(req, socket, head, address.key);
        else rejectUpgrade(socket, 429, 'Too Many Requests');
      },
      () => {
        pendingUpgrades -= 1;
        log('the backplane did not answer an upgrade');
        rejectUpgrade(socket, 503, 'Service Unavailable');
      },
    );
  }

  options.server?.on('upgrade', handleUpgrade);

  return {
    handleUpgrade,
    stats: () => ({
      connections: conns.size,
      rooms: rooms.size,
      members: [...rooms.values()].reduce((n, r) => n + r.size, 0),
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
          bus.close().then(resolve, resolve);
        });
      }),
  };
}
