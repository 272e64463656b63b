/**
 * The Redis backplane (PARLEY_REDIS_URL): several signaling instances share rooms, relayed
 * frames and per-address limits through one Redis, so browsers behind a load balancer meet
 * whichever instance they reach. Contract: server/backplane.ts.
 *
 * How. Every change of shared state is one Lua script, so Redis runs it atomically and
 * orders all joins and leaves of a room. Keys (prefix P, default `parley:`):
 *   P r:<room>      hash member → instance            (membership)
 *   P a:<address>   hash instance → open sockets      (per-address socket cap)
 *   P j:<address>   hash tok, ts                      (per-address join bucket)
 *   P im:<inst>     set "room member" of an instance  \ what to undo when
 *   P ia:<inst>     set addresses it counts sockets of / it dies
 *   P alive:<inst>  key with a TTL, refreshed every TTL/4
 *   P instances     set of instance ids
 * Each instance subscribes to one channel, P i:<inst>. A relay looks up the recipient's
 * instance and PUBLISHes there inside the same script; joins and leaves are announced to
 * each instance that has members in the room. Redis delivers the messages of one publisher
 * connection in order, so frames from one sender arrive in order and after the announcement
 * that made the sender known. An instance whose alive key expired (crash, partition) is
 * reaped by any other: its members leave their rooms (peers see peer-left) and its socket
 * counts are dropped; members elsewhere are untouched. An instance that finds its own key
 * gone was presumed dead: it closes its sockets (browsers reconnect) and re-registers.
 *
 * Security assumption: Redis is inside the deployment's trust boundary for availability,
 * not for privacy: it holds exactly what a signaling server sees (opaque room ids, random
 * member ids, sealed envelopes, client addresses), nothing the server could not read
 * anyway, and nothing is persisted by Parley (keys vanish with their members). Use
 * `rediss://` and a password off-host. Redis Cluster is not supported (the scripts touch
 * keys of several rooms and instances); one Redis, or Sentinel failover, is.
 * References: Redis docs "Scripting with Lua" (atomicity, effects replication), "Pub/Sub"
 * (delivery order, at-most-once).
 */
import { randomBytes } from 'node:crypto';
import { createClient } from '@redis/client';
import type { Backplane, BackplaneEvents, JoinResult } from './backplane.ts';

const SCRIPTS = {
  join: `
local key, id, inst, max, P, room = KEYS[1], ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4], ARGV[5]
if redis.call('HEXISTS', key, id) == 1 then return {'dup'} end
local all = redis.call('HGETALL', key)
local peers, insts, alive = {'ok'}, {}, {}
for i = 1, #all, 2 do
  local at = all[i + 1]
  if alive[at] == nil then alive[at] = redis.call('EXISTS', P .. 'alive:' .. at) == 1 end
  if alive[at] then peers[#peers + 1] = all[i]; insts[at] = true end
end
if #peers - 1 >= max then return {'full'} end
redis.call('HSET', key, id, inst)
redis.call('SADD', P .. 'im:' .. inst, room .. ' ' .. id)
for at in pairs(insts) do redis.call('PUBLISH', P .. 'i:' .. at, 'J' .. room .. ' ' .. id) end
return peers`,
  leave: `
local key, id, inst, P, room = KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[4]
if redis.call('HDEL', key, id) == 0 then return 0 end
redis.call('SREM', P .. 'im:' .. inst, room .. ' ' .. id)
local insts = {}
for _, at in ipairs(redis.call('HVALS', key)) do insts[at] = true end
for at in pairs(insts) do redis.call('PUBLISH', P .. 'i:' .. at, 'L' .. room .. ' ' .. id) end
return 1`,
  relay: `
local at = redis.call('HGET', KEYS[1], ARGV[1])
if not at then return 0 end
redis.call('PUBLISH', ARGV[2] .. 'i:' .. at, 'R' .. ARGV[3] .. ' ' .. ARGV[1] .. ' ' .. ARGV[4])
return 1`,
  acquire: `
local key, inst, max, P, addr = KEYS[1], ARGV[1], tonumber(ARGV[2]), ARGV[3], ARGV[4]
local f = redis.call('HGETALL', key)
local total = 0
for i = 1, #f, 2 do
  if f[i] == inst or redis.call('EXISTS', P .. 'alive:' .. f[i]) == 1 then total = total + tonumber(f[i + 1])
  else redis.call('HDEL', key, f[i]) end
end
if total >= max then return 0 end
redis.call('HINCRBY', key, inst, 1)
redis.call('SADD', P .. 'ia:' .. inst, addr)
return 1`,
  release: `
local key, inst, P, addr = KEYS[1], ARGV[1], ARGV[2], ARGV[3]
if redis.call('HINCRBY', key, inst, -1) <= 0 then
  redis.call('HDEL', key, inst)
  redis.call('SREM', P .. 'ia:' .. inst, addr)
end
return 1`,
  takeJoin: `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local rate, burst = tonumber(ARGV[1]) / 60000, tonumber(ARGV[2])
local b = redis.call('HMGET', KEYS[1], 'tok', 'ts')
local tok, ts = tonumber(b[1]) or burst, tonumber(b[2]) or now
tok = math.min(burst, tok + math.max(0, now - ts) * rate)
local ok = 0
if tok >= 1 then tok = tok - 1; ok = 1 end
redis.call('HSET', KEYS[1], 'tok', tostring(tok), 'ts', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate) + 1000)
return ok`,
  reap: `
local dead, P = ARGV[1], ARGV[2]
if redis.call('EXISTS', P .. 'alive:' .. dead) == 1 then return 0 end
for _, e in ipairs(redis.call('SMEMBERS', P .. 'im:' .. dead)) do
  local sp = string.find(e, ' ', 1, true)
  local room, id = string.sub(e, 1, sp - 1), string.sub(e, sp + 1)
  local key = P .. 'r:' .. room
  if redis.call('HGET', key, id) == dead then
    redis.call('HDEL', key, id)
    local insts = {}
    for _, at in ipairs(redis.call('HVALS', key)) do insts[at] = true end
    for at in pairs(insts) do redis.call('PUBLISH', P .. 'i:' .. at, 'L' .. room .. ' ' .. id) end
  end
end
for _, a in ipairs(redis.call('SMEMBERS', P .. 'ia:' .. dead)) do redis.call('HDEL', P .. 'a:' .. a, dead) end
redis.call('DEL', P .. 'im:' .. dead, P .. 'ia:' .. dead)
redis.call('SREM', P .. 'instances', dead)
return 1`,
} as const;

type ScriptName = keyof typeof SCRIPTS;

export interface RedisBackplaneOptions {
  url: string;
  /** Key and channel prefix (several deployments can share one Redis). */
  prefix?: string;
  /** An instance silent this long is presumed dead (its alive key expires). */
  instanceTtlMs?: number;
  /**
   * Backplane commands (relays, joins, counters) this instance may have waiting for Redis at
   * once; beyond it new ones fail at once with BackplaneBusyError (the client is told
   * UNAVAILABLE) instead of queueing without bound.
   */
  maxPendingCommands?: number;
  log?: (line: string) => void;
}

/** Too many backplane commands already wait for Redis (RedisBackplaneOptions.maxPendingCommands). */
export class BackplaneBusyError extends Error {
  constructor(pending: number) {
    super(`${pending} backplane commands are already waiting for Redis`);
    this.name = 'BackplaneBusyError';
  }
}

export interface RedisBackplane extends Backplane {
  readonly instanceId: string;
}

/** Connects (command and subscriber connections), loads the scripts and registers this instance. */
export async function createRedisBackplane(options: RedisBackplaneOptions): Promise<RedisBackplane> {
  const P = options.prefix ?? 'parley:';
  const ttl = options.instanceTtlMs ?? 10_000;
  const log = options.log ?? (() => undefined);
  const inst = randomBytes(12).toString('base64url');
  const channel = `${P}i:${inst}`;
  let events: BackplaneEvents | undefined;
  let closed = false;
  let lastError = '';

  const maxPending = options.maxPendingCommands ?? 100_000;
  let pending = 0;
  // No per-command timeout on the command connection. node-redis' default (5 s) counts from
  // the moment a command is queued, so under a burst of relays a backlog longer than 5 s
  // failed relays that Redis then ran anyway (the timeout does not take back a written
  // command): the sender was told UNKNOWN_PEER for envelopes that were, or were not,
  // delivered. Here every command completes or its connection fails; the backlog is bounded
  // by maxPendingCommands, and Redis being unreachable shows on the heartbeat, which keeps
  // a timeout on its own connection.
  const client = createClient({ url: options.url, commandOptions: { timeout: 0 } });
  const sub = client.duplicate();
  // Liveness on its own connection: a backlog of relays must not make this instance look dead.
  const beat = createClient({ url: options.url });
  for (const c of [client, sub, beat]) {
    c.on('error', (e: unknown) => {
      const text = e instanceof Error ? e.message : String(e);
      if (text !== lastError) log(`redis: ${text}`);
      lastError = text;
    });
  }
  await Promise.all([client.connect(), sub.connect(), beat.connect()]);

  const shas = new Map<ScriptName, string>();
  async function load(): Promise<void> {
    for (const name of Object.keys(SCRIPTS) as ScriptName[]) shas.set(name, await client.sendCommand<string>(['SCRIPT', 'LOAD', SCRIPTS[name]]));
  }
  await load();

  /** EVALSHA; after a Redis restart (scripts flushed) load them again and retry once. */
  async function run<T>(name: ScriptName, keys: string[], args: string[], via: typeof client = client): Promise<T> {
    const command = () => via.sendCommand<T>(['EVALSHA', shas.get(name) ?? '', String(keys.length), ...keys, ...args]);
    if (pending >= maxPending) throw new BackplaneBusyError(pending);
    pending += 1;
    try {
      return await command();
    } catch (e) {
      if (!(e instanceof Error) || !e.message.startsWith('NOSCRIPT')) throw e;
      await load();
      return await command();
    } finally {
      pending -= 1;
    }
  }
  const quietly = (p: Promise<unknown>) => void p.catch((e: unknown) => log(`redis: ${e instanceof Error ? e.message : String(e)}`));

  function dispatch(message: string): void {
    if (!events) return;
    const kind = message[0];
    const body = message.slice(1);
    const sp = body.indexOf(' ');
    const room = body.slice(0, sp);
    if (kind === 'R') {
      const sp2 = body.indexOf(' ', sp + 1);
      events.deliver(room, body.slice(sp + 1, sp2), body.slice(sp2 + 1));
    } else if (kind === 'J' || kind === 'L') {
      events.announce(room, body.slice(sp + 1), kind === 'J' ? 'joined' : 'left');
    }
  }
  await sub.subscribe(channel, dispatch);

  async function register(): Promise<void> {
    await client.sendCommand(['SET', `${P}alive:${inst}`, '1', 'PX', String(ttl)]);
    await client.sendCommand(['SADD', `${P}instances`, inst]);
  }
  await register();

  async function tick(): Promise<void> {
    const refreshed = await beat.sendCommand<string | null>(['SET', `${P}alive:${inst}`, '1', 'PX', String(ttl), 'XX']);
    if (refreshed === null && !closed) {
      // Our key expired: the others may already have removed our members.
      events?.lost('this instance was presumed dead');
      await run('reap', [], [inst, P], beat);
      await register();
    }
    const others = await beat.sendCommand<string[]>(['SMEMBERS', `${P}instances`]);
    for (const other of others) {
      if (other !== inst && (await run<number>('reap', [], [other, P], beat)) === 1) log(`removed the members of instance ${other}: its alive key expired`);
    }
  }
  let ticking = false;
  const timer = setInterval(() => {
    if (ticking || closed) return;
    ticking = true;
    tick()
      .catch((e: unknown) => log(`redis heartbeat failed: ${e instanceof Error ? `${e.name}: ${e.message || 'timeout'}` : String(e)}`))
      .finally(() => (ticking = false));
  }, Math.max(100, Math.floor(ttl / 4)));

  const roomKey = (room: string) => `${P}r:${room}`;

  return {
    instanceId: inst,
    attach(e) {
      events = e;
    },
    acquireSocket: async (address, max) => (await run<number>('acquire', [`${P}a:${address}`], [inst, String(max), P, address])) === 1,
    releaseSocket(address) {
      quietly(run('release', [`${P}a:${address}`], [inst, P, address]));
    },
    takeJoin: async (address, perMinute, burst) => (await run<number>('takeJoin', [`${P}j:${address}`], [String(perMinute), String(burst)])) === 1,
    async join(room, id, maxRoomSize): Promise<JoinResult> {
      const reply = await run<string[]>('join', [roomKey(room)], [id, inst, String(maxRoomSize), P, room]);
      if (reply[0] === 'ok') return { ok: true, peers: reply.slice(1) };
      return { ok: false, reason: reply[0] === 'full' ? 'full' : 'duplicate-id' };
    },
    leave(room, id) {
      quietly(run('leave', [roomKey(room)], [id, inst, P, room]));
    },
    relay: async (room, to, frame) => (await run<number>('relay', [roomKey(room)], [to, P, room, frame])) === 1,
    sweep: () => undefined, // Redis expires idle join buckets itself (PEXPIRE in takeJoin)
    async close() {
      closed = true;
      clearInterval(timer);
      // Leave at once rather than after the TTL: drop the alive key, then reap ourselves.
      try {
        await client.sendCommand(['DEL', `${P}alive:${inst}`]);
        await run('reap', [], [inst, P]);
      } catch (e) {
        log(`redis: could not deregister (${e instanceof Error ? e.message : String(e)}); the others reap this instance after ${ttl} ms`);
      }
      await Promise.allSettled([sub.close(), client.close(), beat.close()]);
    },
  };
}
