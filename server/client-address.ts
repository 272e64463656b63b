/**
 * Which client a WebSocket upgrade comes from, for the per-address limits
 * (server/address-limits.ts): the TCP peer address, or, behind a reverse proxy, the value
 * of one header the operator names (PARLEY_TRUSTED_PROXY_HEADER) and nothing else.
 *
 * Security assumption: a configured header is trusted only because the operator says the
 * proxy sets it and nobody can reach this process except through that proxy (HOST stays on
 * loopback, docs/deploy.md). Without the setting every forwarding header is ignored, so a
 * client cannot pick its own address. IPv6 clients are grouped by their /64, because one
 * subscriber usually holds a whole /64 and could otherwise rotate through 2^64 addresses.
 * References: RFC 7239 (Forwarded), RFC 6177 (a /64 or more per IPv6 subscriber),
 * RFC 4291 §2.2 (text forms of IPv6 addresses).
 */
import { isIPv4, isIPv6 } from 'node:net';
import type { IncomingMessage } from 'node:http';

/** Expand an IPv6 address (no zone id) into its 8 groups, or undefined if malformed. */
function ipv6Groups(address: string): number[] | undefined {
  let text = address;
  let tail: number[] = [];
  const lastColon = text.lastIndexOf(':');
  const dotted = text.slice(lastColon + 1);
  if (isIPv4(dotted)) {
    const b = dotted.split('.').map(Number);
    tail = [(b[0] << 8) | b[1], (b[2] << 8) | b[3]];
    text = `${text.slice(0, lastColon + 1)}0:0`; // placeholder groups, replaced below
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const parse = (s: string) => (s === '' ? [] : s.split(':').map((g) => Number.parseInt(g, 16)));
  const head = parse(halves[0]);
  const rest = halves.length === 2 ? parse(halves[1]) : [];
  const fill = halves.length === 2 ? 8 - head.length - rest.length : 0;
  const groups = [...head, ...Array<number>(Math.max(0, fill)).fill(0), ...rest];
  if (groups.length !== 8 || groups.some((g) => !Number.isInteger(g) || g < 0 || g > 0xffff)) return undefined;
  if (tail.length === 2) groups.splice(6, 2, ...tail);
  return groups;
}

/**
 * The key limits are counted under: IPv4 as dotted quad (IPv4-mapped IPv6 included), IPv6
 * as its /64 prefix (`2001:db8:1:2::/64`). Undefined when the text is not an IP address.
 */
export function addressKey(raw: string): string | undefined {
  const address = raw.trim().replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  if (isIPv4(address)) return address;
  if (!isIPv6(address)) return undefined;
  const g = ipv6Groups(address);
  if (!g) return undefined;
  const mapped = g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff;
  if (mapped) return `${g[6] >> 8}.${g[6] & 0xff}.${g[7] >> 8}.${g[7] & 0xff}`;
  return `${g.slice(0, 4).map((x) => x.toString(16)).join(':')}::/64`;
}

/** `Forwarded: for=…` (RFC 7239): the parameter value, quotes and port removed. */
function forwardedFor(element: string): string | undefined {
  for (const pair of element.split(';')) {
    const [k, v] = pair.split('=').map((s) => s.trim());
    if (k?.toLowerCase() !== 'for' || v === undefined) continue;
    const value = v.replace(/^"(.*)"$/, '$1');
    const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(value);
    if (bracketed) return bracketed[1];
    return /^[\d.]+:\d+$/.test(value) ? value.replace(/:\d+$/, '') : value;
  }
  return undefined;
}

export type ClientAddress = { ok: true; key: string } | { ok: false; reason: string };

/**
 * The client's address key. `trustedHeader` (lower case) names the header the proxy sets;
 * for a list-valued header (X-Forwarded-For, Forwarded) the last entry counts, as that is
 * the one the trusted proxy itself appended. A configured header that is missing or
 * malformed is an error, not a fallback to the proxy's own address (which would put every
 * client behind the proxy into one bucket, or let the direct peer stand in for all).
 */
export function clientAddress(req: IncomingMessage, trustedHeader: string | undefined): ClientAddress {
  if (trustedHeader === undefined) {
    const key = addressKey(req.socket.remoteAddress ?? '');
    return key ? { ok: true, key } : { ok: false, reason: 'the connection has no peer address' };
  }
  const value = req.headers[trustedHeader];
  const text = Array.isArray(value) ? value.join(',') : value;
  if (text === undefined || text.trim() === '') return { ok: false, reason: `the trusted header ${trustedHeader} is missing` };
  const last = text.split(',').at(-1)?.trim() ?? '';
  const candidate = trustedHeader === 'forwarded' ? forwardedFor(last) : last;
  const key = candidate === undefined ? undefined : addressKey(candidate);
  return key ? { ok: true, key } : { ok: false, reason: `the trusted header ${trustedHeader} holds no IP address` };
}
