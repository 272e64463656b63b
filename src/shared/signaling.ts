/**
 * The signaling wire protocol between browsers and the signaling server (JSON text frames
 * over one WebSocket at path `/ws`).
 *
 * Security assumption: the server is untrusted. It sees only an opaque room id (a hash of
 * the room secret), random member ids it assigns itself, and sealed envelopes (base64url
 * AEAD ciphertexts, see src/transport/envelope.ts). It never sees the room secret, display
 * names, the computation, SDP or ICE candidates in the clear.
 *
 * Both sides parse what they receive with the validators below, in one place, before use.
 */

/** Limits shared by server and client. */
export const LIMITS = {
  /** Largest WebSocket text frame the server accepts, in bytes. */
  maxFrameBytes: 64 * 1024,
  /** Largest sealed envelope (base64url characters). SDP with many candidates fits easily. */
  maxEnvelopeChars: 48 * 1024,
  /** Members per room. DESIGN §2 aims at 32. */
  maxRoomSize: 32,
  /** Messages per connection per second (token bucket, burst = 2 × rate). */
  ratePerSecond: 50,
} as const;

/** Accepted range of `welcome.connectTimeoutMs`, in ms. */
export const CONNECT_TIMEOUT_RANGE = { min: 1000, max: 300_000 } as const;

/** base64url of SHA-256("parley/room" ‖ secret): 43 characters. */
export const ROOM_ID_PATTERN = /^[A-Za-z0-9_-]{43}$/;
/** Server-assigned member id: 22 base64url characters (16 random bytes). */
export const MEMBER_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;
const ENVELOPE_PATTERN = /^[A-Za-z0-9_-]+$/;

export interface IceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}

/**
 * RTCConfiguration.iceTransportPolicy: 'relay' makes browsers use TURN relay candidates only
 * (a deployment that must hide participants' addresses from each other, or a test of TURN).
 */
export type IceTransportPolicy = 'all' | 'relay';

/** Browser → server. */
export type ClientMessage =
  | { t: 'join'; room: string }
  | { t: 'relay'; to: string; data: string };

/** Server → browser. */
export type ServerMessage =
  /**
   * `connectTimeoutMs` (optional): how long browsers wait for a peer link before giving up
   * ("could not connect to X"). From the server's configuration; clients clamp it to
   * [CONNECT_TIMEOUT_RANGE] (a hostile server can only make connecting fail, as by dropping).
   * `iceTransportPolicy` (optional, default 'all'): like iceServers, server configuration; a
   * hostile server choosing 'relay' can only route the (DTLS-encrypted) links through TURN.
   */
  | { t: 'welcome'; self: string; peers: string[]; iceServers: IceServer[]; iceTransportPolicy?: IceTransportPolicy; connectTimeoutMs?: number }
  | { t: 'peer-joined'; id: string }
  | { t: 'peer-left'; id: string }
  | { t: 'relay'; from: string; data: string }
  | { t: 'error'; code: SignalingErrorCode; message: string };

export type SignalingErrorCode =
  | 'BAD_MESSAGE'
  | 'TOO_LARGE'
  | 'RATE_LIMITED'
  | 'ROOM_FULL'
  | 'NOT_JOINED'
  | 'UNKNOWN_PEER'
  /** The server could not do what was asked for a reason of its own (e.g. its backplane did not answer). */
  | 'UNAVAILABLE';

type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

function parseJsonObject(text: unknown): Record<string, unknown> | string {
  if (typeof text !== 'string') return 'expected a text frame';
  if (text.length > LIMITS.maxFrameBytes) return `frame of ${text.length} bytes exceeds ${LIMITS.maxFrameBytes}`;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'frame is not valid JSON';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'frame is not a JSON object';
  return value as Record<string, unknown>;
}

const isId = (v: unknown): v is string => typeof v === 'string' && MEMBER_ID_PATTERN.test(v);
const isEnvelope = (v: unknown): v is string =>
  typeof v === 'string' && v.length > 0 && v.length <= LIMITS.maxEnvelopeChars && ENVELOPE_PATTERN.test(v);

/** Validate a frame from a browser. */
export function parseClientMessage(text: unknown): Parsed<ClientMessage> {
  const o = parseJsonObject(text);
  if (typeof o === 'string') return { ok: false, error: o };
  switch (o.t) {
    case 'join':
      if (typeof o.room !== 'string' || !ROOM_ID_PATTERN.test(o.room)) return { ok: false, error: 'join: room must be 43 base64url characters' };
      return { ok: true, value: { t: 'join', room: o.room } };
    case 'relay':
      if (!isId(o.to)) return { ok: false, error: 'relay: bad recipient id' };
      if (!isEnvelope(o.data)) return { ok: false, error: 'relay: data must be a base64url envelope within the size limit' };
      return { ok: true, value: { t: 'relay', to: o.to, data: o.data } };
    default:
      return { ok: false, error: `unknown message type ${JSON.stringify(o.t)}` };
  }
}

function parseIceServers(v: unknown): IceServer[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out: IceServer[] = [];
  for (const s of v) {
    if (typeof s !== 'object' || s === null) return undefined;
    const r = s as Record<string, unknown>;
    const urls = r.urls;
    const okUrls = typeof urls === 'string' || (Array.isArray(urls) && urls.every((u) => typeof u === 'string'));
    if (!okUrls) return undefined;
    const server: IceServer = { urls: urls as string | string[] };
    if (typeof r.username === 'string') server.username = r.username;
    if (typeof r.credential === 'string') server.credential = r.credential;
    out.push(server);
  }
  return out;
}

/** Validate a frame from the (untrusted) server. */
export function parseServerMessage(text: unknown): Parsed<ServerMessage> {
  const o = parseJsonObject(text);
  if (typeof o === 'string') return { ok: false, error: o };
  switch (o.t) {
    case 'welcome': {
      const ice = parseIceServers(o.iceServers);
      if (!isId(o.self) || !Array.isArray(o.peers) || !o.peers.every(isId) || !ice) return { ok: false, error: 'welcome: malformed' };
      const welcome: ServerMessage = { t: 'welcome', self: o.self, peers: o.peers as string[], iceServers: ice };
      const policy = o.iceTransportPolicy;
      if (policy !== undefined) {
        if (policy !== 'all' && policy !== 'relay') return { ok: false, error: 'welcome: iceTransportPolicy must be "all" or "relay"' };
        welcome.iceTransportPolicy = policy;
      }
      const ct = o.connectTimeoutMs;
      if (ct !== undefined) {
        if (typeof ct !== 'number' || !Number.isInteger(ct)) return { ok: false, error: 'welcome: connectTimeoutMs must be an integer' };
        welcome.connectTimeoutMs = Math.min(CONNECT_TIMEOUT_RANGE.max, Math.max(CONNECT_TIMEOUT_RANGE.min, ct));
      }
      return { ok: true, value: welcome };
    }
    case 'peer-joined':
    case 'peer-left':
      if (!isId(o.id)) return { ok: false, error: `${o.t}: bad id` };
      return { ok: true, value: { t: o.t, id: o.id } };
    case 'relay':
      if (!isId(o.from) || !isEnvelope(o.data)) return { ok: false, error: 'relay: malformed' };
      return { ok: true, value: { t: 'relay', from: o.from, data: o.data } };
    case 'error':
      if (typeof o.code !== 'string' || typeof o.message !== 'string') return { ok: false, error: 'error: malformed' };
      return { ok: true, value: { t: 'error', code: o.code as SignalingErrorCode, message: o.message.slice(0, 500) } };
    default:
      return { ok: false, error: `unknown message type ${JSON.stringify(o.t)}` };
  }
}
