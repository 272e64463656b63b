/**
 * Server configuration from environment variables, validated once at start-up so a typo
 * fails loudly instead of running with a silently ignored setting (docs/deploy.md).
 *
 * Security assumption: the environment is trusted (the operator's). Error messages never
 * echo TURN credentials.
 */
import { fileURLToPath } from 'node:url';
import { MpcError } from '../src/core/errors.ts';
import { readFileSync } from 'node:fs';
import type { IceServer, IceTransportPolicy } from '../src/shared/signaling.ts';
import type { OriginPolicy, ServerLimits } from './signaling.ts';
import type { TurnRestConfig } from './turn-credentials.ts';

export interface ServerConfig {
  port: number;
  host: string;
  iceServers: IceServer[];
  limits: Partial<ServerLimits>;
  heartbeatMs: number;
  /** PARLEY_CONNECT_TIMEOUT_MS: told to browsers; unset = their default (45 s). */
  connectTimeoutMs?: number;
  origins: OriginPolicy;
  distDir: string;
  /** PARLEY_TURN_URLS + PARLEY_TURN_SECRET: short-lived credentials per join. */
  turn?: TurnRestConfig;
  /** PARLEY_ICE_TRANSPORT_POLICY: told to browsers; 'relay' = TURN only. */
  iceTransportPolicy?: IceTransportPolicy;
  /** PARLEY_TRUSTED_PROXY_HEADER (lower case): the client address behind a proxy. */
  trustedProxyHeader?: string;
  /** PARLEY_REDIS_URL: share rooms with other instances through Redis. */
  redisUrl?: string;
  /** PARLEY_REDIS_PREFIX: key and channel prefix, so several deployments can share one Redis. */
  redisPrefix: string;
  /** PARLEY_INSTANCE_TTL_MS: an instance silent this long is presumed dead and its members removed. */
  instanceTtlMs: number;
}

type Env = Readonly<Record<string, string | undefined>>;

const DEFAULT_DIST = fileURLToPath(new URL('../dist', import.meta.url));

function bad(message: string): MpcError {
  return new MpcError('INVALID_ARGUMENT', message);
}

export function readInt(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw bad(`${name} must be an integer, got ${JSON.stringify(raw)}`);
  const n = Number(raw);
  if (n < min || n > max) throw bad(`${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}

const ICE_SCHEME = /^(stun|stuns|turn|turns):/;

/** PARLEY_ICE_SERVERS: a JSON array of RTCIceServer ({ urls, username?, credential? }). */
export function parseIceServersEnv(raw: string | undefined): IceServer[] {
  if (raw === undefined || raw.trim() === '') return [];
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw bad('PARLEY_ICE_SERVERS is not valid JSON (expected an array of {"urls": ..., "username"?, "credential"?})');
  }
  if (!Array.isArray(value)) throw bad('PARLEY_ICE_SERVERS must be a JSON array');
  return value.map((entry: unknown, i): IceServer => {
    const where = `PARLEY_ICE_SERVERS[${i}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw bad(`${where} must be an object`);
    const { urls, username, credential, ...rest } = entry as Record<string, unknown>;
    const extra = Object.keys(rest);
    if (extra.length > 0) throw bad(`${where} has unknown keys ${extra.join(', ')} (allowed: urls, username, credential)`);
    const list = typeof urls === 'string' ? [urls] : urls;
    if (!Array.isArray(list) || list.length === 0 || !list.every((u): u is string => typeof u === 'string')) {
      throw bad(`${where}.urls must be a string or a non-empty array of strings`);
    }
    const wrong = list.find((u) => !ICE_SCHEME.test(u));
    if (wrong !== undefined) throw bad(`${where}.urls: ${JSON.stringify(wrong)} must start with stun:, stuns:, turn: or turns:`);
    if (username !== undefined && typeof username !== 'string') throw bad(`${where}.username must be a string`);
    if (credential !== undefined && typeof credential !== 'string') throw bad(`${where}.credential must be a string`);
    // Browsers reject a TURN server without both (RTCPeerConnection throws InvalidAccessError).
    if (list.some((u) => u.startsWith('turn')) && (username === undefined || credential === undefined)) {
      throw bad(`${where}: a turn:/turns: server needs both username and credential`);
    }
    const server: IceServer = { urls: typeof urls === 'string' ? urls : [...list] };
    if (username !== undefined) server.username = username;
    if (credential !== undefined) server.credential = credential;
    return server;
  });
}

/** PARLEY_ALLOWED_ORIGINS: unset = same host as the request, `*` = any, else a comma list. */
export function parseOrigins(raw: string | undefined): OriginPolicy {
  if (raw === undefined || raw.trim() === '') return 'same-host';
  if (raw.trim() === '*') return 'any';
  const list = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const isOrigin = (o: string): boolean => {
    try {
      return new URL(o).origin === o;
    } catch {
      return false;
    }
  };
  for (const o of list) {
    if (!isOrigin(o)) throw bad(`PARLEY_ALLOWED_ORIGINS: ${JSON.stringify(o)} is not an origin like https://parley.example.org`);
  }
  return list;
}

/** PARLEY_TURN_URLS (comma list of turn:/turns: URLs) with PARLEY_TURN_SECRET or PARLEY_TURN_SECRET_FILE. */
export function parseTurn(env: Env): TurnRestConfig | undefined {
  const rawUrls = env.PARLEY_TURN_URLS?.trim() ?? '';
  const file = env.PARLEY_TURN_SECRET_FILE?.trim() ?? '';
  let secret = env.PARLEY_TURN_SECRET ?? '';
  if (file !== '') {
    if (secret !== '') throw bad('set PARLEY_TURN_SECRET or PARLEY_TURN_SECRET_FILE, not both');
    try {
      secret = readFileSync(file, 'utf8').trim();
    } catch (e) {
      throw bad(`PARLEY_TURN_SECRET_FILE: cannot read ${JSON.stringify(file)} (${e instanceof Error && 'code' in e ? String(e.code) : 'error'})`);
    }
  }
  if (rawUrls === '' && secret === '') return undefined;
  if (rawUrls === '') throw bad('PARLEY_TURN_SECRET is set but PARLEY_TURN_URLS is not (e.g. turns:turn.example.org:5349)');
  if (secret === '') throw bad('PARLEY_TURN_URLS is set but neither PARLEY_TURN_SECRET nor PARLEY_TURN_SECRET_FILE is');
  // The secret is never echoed, only its length.
  if (secret.length < 16) throw bad(`the TURN secret is too short (${secret.length} characters; use at least 16, e.g. openssl rand -base64 32)`);
  const urls = rawUrls.split(',').map((u) => u.trim()).filter((u) => u !== '');
  const wrong = urls.find((u) => !/^turns?:[^\s]+$/.test(u));
  if (wrong !== undefined) throw bad(`PARLEY_TURN_URLS: ${JSON.stringify(wrong)} must start with turn: or turns:`);
  return { urls, secret, ttlSeconds: readInt(env, 'PARLEY_TURN_TTL_SECONDS', 3600, 60, 7 * 86_400) };
}

function parsePolicy(raw: string | undefined): IceTransportPolicy | undefined {
  const v = raw?.trim() ?? '';
  if (v === '') return undefined;
  if (v !== 'all' && v !== 'relay') throw bad(`PARLEY_ICE_TRANSPORT_POLICY must be "all" or "relay", got ${JSON.stringify(v)}`);
  return v;
}

/** PARLEY_TRUSTED_PROXY_HEADER: an HTTP header name (RFC 9110 token), e.g. x-forwarded-for. */
function parseProxyHeader(raw: string | undefined): string | undefined {
  const v = raw?.trim().toLowerCase() ?? '';
  if (v === '') return undefined;
  if (!/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(v)) throw bad(`PARLEY_TRUSTED_PROXY_HEADER: ${JSON.stringify(v)} is not a header name (e.g. x-forwarded-for, x-real-ip, forwarded)`);
  return v;
}

function parseRedisPrefix(raw: string | undefined): string {
  const v = raw?.trim() ?? '';
  if (v === '') return 'parley:';
  if (!/^[A-Za-z0-9:_.-]{1,64}$/.test(v)) throw bad('PARLEY_REDIS_PREFIX: up to 64 of A-Z a-z 0-9 : _ . -');
  return v;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function parseRedisUrl(raw: string | undefined): string | undefined {
  const v = raw?.trim() ?? '';
  if (v === '') return undefined;
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    throw bad('PARLEY_REDIS_URL is not a URL (e.g. redis://127.0.0.1:6379 or rediss://user:pass@redis.internal:6380)');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw bad('PARLEY_REDIS_URL must start with redis:// or rediss://');
  return v;
}

export function readConfig(env: Env, defaults: { port: number } = { port: 8787 }): ServerConfig {
  const rate = readInt(env, 'PARLEY_RATE_PER_SECOND', 50, 1, 10_000);
  return {
    port: readInt(env, 'PORT', defaults.port, 0, 65_535),
    host: env.HOST?.trim() || '127.0.0.1',
    iceServers: parseIceServersEnv(env.PARLEY_ICE_SERVERS),
    heartbeatMs: readInt(env, 'PARLEY_HEARTBEAT_MS', 5000, 100, 600_000),
    ...(env.PARLEY_CONNECT_TIMEOUT_MS?.trim() ? { connectTimeoutMs: readInt(env, 'PARLEY_CONNECT_TIMEOUT_MS', 45_000, 1000, 300_000) } : {}),
    origins: parseOrigins(env.PARLEY_ALLOWED_ORIGINS),
    distDir: env.PARLEY_DIST_DIR?.trim() || DEFAULT_DIST,
    ...optional('turn', parseTurn(env)),
    ...optional('iceTransportPolicy', parsePolicy(env.PARLEY_ICE_TRANSPORT_POLICY)),
    ...optional('trustedProxyHeader', parseProxyHeader(env.PARLEY_TRUSTED_PROXY_HEADER)),
    ...optional('redisUrl', parseRedisUrl(env.PARLEY_REDIS_URL)),
    redisPrefix: parseRedisPrefix(env.PARLEY_REDIS_PREFIX),
    instanceTtlMs: readInt(env, 'PARLEY_INSTANCE_TTL_MS', 10_000, 500, 600_000),
    limits: {
      maxRoomSize: readInt(env, 'PARLEY_MAX_ROOM_SIZE', 32, 2, 1000),
      ratePerSecond: rate,
      burst: 2 * rate,
      maxRateStrikes: rate,
      maxConnections: readInt(env, 'PARLEY_MAX_CONNECTIONS', 5000, 1, 1_000_000),
      joinTimeoutMs: readInt(env, 'PARLEY_JOIN_TIMEOUT_MS', 10_000, 100, 600_000),
      maxSocketsPerAddress: readInt(env, 'PARLEY_MAX_SOCKETS_PER_ADDRESS', 64, 1, 1_000_000),
      joinsPerMinute: readInt(env, 'PARLEY_JOINS_PER_MINUTE', 120, 1, 1_000_000),
    },
  };
}
