/**
 * Short-lived TURN credentials in coturn's "TURN REST API" scheme (coturn `use-auth-secret`
 * with `static-auth-secret`): username = `<expiry unix time>:<random id>`, credential =
 * base64(HMAC-SHA1(secret, username)). coturn recomputes the HMAC with the shared secret and
 * refuses the username once its expiry time has passed, so nothing long-lived ever reaches a
 * page and the signaling server never stores a password.
 *
 * Security assumption: the secret is shared only between this server and the TURN servers
 * (environment, never logged). The random id says nothing about the room or member, so the
 * TURN server cannot link an allocation to a room. Anyone who joins any room gets a working
 * credential for `ttlSeconds`; that is the point (browsers need it) and is bounded by
 * coturn's quotas (docs/deploy.md).
 * References: draft-uberti-behave-turn-rest-00 §2; coturn README.turnserver
 * ("--use-auth-secret", "--static-auth-secret").
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { IceServer } from '../src/shared/signaling.ts';

export interface TurnRestConfig {
  /** turn:/turns: URLs of the TURN servers (all sharing `secrets[0]`). */
  urls: string[];
  /** The current secret first; older ones are only for coturn during a rotation. */
  secret: string;
  ttlSeconds: number;
}

/** The credential coturn expects for `username` under `secret`. */
export function turnPassword(secret: string, username: string): string {
  return createHmac('sha1', secret).update(username).digest('base64');
}

/** One fresh credential, valid until now + ttl. */
export function turnCredential(config: TurnRestConfig, nowMs: number = Date.now()): IceServer {
  const expiry = Math.floor(nowMs / 1000) + config.ttlSeconds;
  const username = `${expiry}:${randomBytes(9).toString('base64url')}`;
  return { urls: [...config.urls], username, credential: turnPassword(config.secret, username) };
}

/** The ICE server list for one welcome: the static entries, then a fresh TURN credential. */
export function iceServersWithTurn(staticServers: readonly IceServer[], turn: TurnRestConfig | undefined): () => IceServer[] {
  return () => {
    const list = staticServers.map((s) => ({ ...s }));
    if (turn) list.push(turnCredential(turn));
    return list;
  };
}
