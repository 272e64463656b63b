/**
 * Serves the built app (dist/) with content types, caching and security headers.
 *
 * Security assumption: only files under the dist directory are ever read (no directory
 * traversal, no symlinks leading out, no dotfiles); the directory is built by us and holds
 * nothing secret, but the host around it may. The CSP keeps the app to its own origin:
 * scripts and workers from 'self' (workers also from blob:), network only to 'self' and
 * the WebSocket on the same host. Room secrets live in the URL fragment, which browsers
 * never send, and `Referrer-Policy: no-referrer` keeps even the path out of other sites.
 *
 * References: OWASP Secure Headers Project; CSP Level 3 (`connect-src 'self'` covers
 * ws(s) to the same host in current browsers; the explicit ws:/wss: source is for older
 * ones).
 */
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, resolve, sep } from 'node:path';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

/** A Host header we are willing to echo into the CSP (hostname or [IPv6], optional port). */
const SAFE_HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

export function contentSecurityPolicy(host: string | undefined): string {
  const ws = host !== undefined && SAFE_HOST.test(host) ? ` ws://${host} wss://${host}` : '';
  return [
    "default-src 'self'",
    "script-src 'self'",
    // React sets style properties through the DOM (not governed by CSP); inline <style>
    // from a UI library stays possible without allowing inline script.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self'${ws}`,
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Headers for every response, including errors and /healthz. */
export function securityHeaders(req: IncomingMessage): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(req.headers.host),
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}

export function sendText(req: IncomingMessage, res: ServerResponse, status: number, text: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, {
    ...securityHeaders(req),
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
    'Cache-Control': 'no-store',
    ...extra,
  });
  res.end(req.method === 'HEAD' ? undefined : text);
}

/** Vite puts content-hashed files under /assets/: those never change under their name. */
function cacheControl(urlPath: string): string {
  return urlPath.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
}

function isInside(root: string, full: string): boolean {
  return full === root || full.startsWith(root + sep);
}

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** `distDir` must exist (the caller says what to do when it does not). */
export async function createStaticHandler(distDir: string): Promise<RequestHandler> {
  const root = await realpath(distDir);
  return async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(req, res, 405, 'method not allowed', { Allow: 'GET, HEAD' });
    const rawPath = (req.url ?? '/').split('?')[0];
    let urlPath: string;
    try {
      urlPath = decodeURIComponent(rawPath);
    } catch {
      return sendText(req, res, 400, 'bad request');
    }
    if (!urlPath.startsWith('/') || urlPath.includes('\0') || urlPath.includes('\\')) return sendText(req, res, 400, 'bad request');
    if (urlPath === '/') urlPath = '/index.html';
    // No traversal and no dotfiles: every segment must be a plain name.
    const segments = urlPath.slice(1).split('/');
    if (segments.some((s) => s === '' || s.startsWith('.'))) return sendText(req, res, 404, 'not found');
    const candidate = resolve(root, ...segments);
    if (!isInside(root, candidate)) return sendText(req, res, 404, 'not found');
    let file: string;
    let size: number;
    try {
      file = await realpath(candidate); // follows symlinks, so check containment again
      const info = await stat(file);
      if (!info.isFile() || !isInside(root, file)) return sendText(req, res, 404, 'not found');
      size = info.size;
    } catch {
      return sendText(req, res, 404, 'not found');
    }
    res.writeHead(200, {
      ...securityHeaders(req),
      'Content-Type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'Content-Length': String(size),
      'Cache-Control': cacheControl(urlPath),
    });
    if (req.method === 'HEAD') return void res.end();
    const stream = createReadStream(file);
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  };
}
