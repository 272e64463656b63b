/**
 * One HTTP server for Parley: the built app (static files), `/healthz` and the signaling
 * WebSocket at `/ws`, so the app only ever talks to its own origin.
 *
 * Security assumption: as for server/signaling.ts and server/static-files.ts; TLS is
 * terminated in front of this process (docs/deploy.md).
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSignalingServer, type SignalingOptions, type SignalingServer } from './signaling.ts';
import { createStaticHandler, sendText, type RequestHandler } from './static-files.ts';
import type { SurveyApi } from './survey/routes.ts';

export interface AppServerOptions extends Omit<SignalingOptions, 'server'> {
  /** Directory of the built app; omit to serve signaling and /healthz only (npm run dev). */
  distDir?: string;
  /** The survey API (/api/surveys…), when this process stores surveys. */
  surveys?: SurveyApi;
}

export interface AppServer {
  readonly http: Server;
  readonly signaling: SignalingServer;
  /** Resolves to the base URL, e.g. http://127.0.0.1:8787/ */
  listen(port: number, host: string): Promise<string>;
  close(): Promise<void>;
}

const HTTP_CLOSE_GRACE_MS = 2000;

export function baseUrl(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}/`;
}

export async function createAppServer(options: AppServerOptions = {}): Promise<AppServer> {
  const { distDir, surveys, ...signalingOptions } = options;
  const serveStatic: RequestHandler | undefined = distDir === undefined ? undefined : await createStaticHandler(distDir);
  const http = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz') return sendText(req, res, 200, 'ok');
    if (surveys?.handle(req, res)) return;
    if (!serveStatic) return sendText(req, res, 404, 'not found (this server only does signaling)');
    serveStatic(req, res).catch(() => {
      if (!res.headersSent) sendText(req, res, 500, 'internal error');
      else res.destroy();
    });
  });
  // Slow-loris protection for plain HTTP; WebSocket sockets are handed over at upgrade.
  http.headersTimeout = 10_000;
  http.requestTimeout = 30_000;
  const signaling = createSignalingServer({ ...signalingOptions, server: http });

  return {
    http,
    signaling,
    async listen(port, host) {
      http.listen(port, host);
      await once(http, 'listening');
      return baseUrl(host, (http.address() as AddressInfo).port);
    },
    async close() {
      await signaling.close();
      await surveys?.close();
      const closed = new Promise<void>((resolve) => http.close(() => resolve()));
      http.closeIdleConnections();
      const force = setTimeout(() => http.closeAllConnections(), HTTP_CLOSE_GRACE_MS);
      force.unref();
      await closed;
      clearTimeout(force);
    },
  };
}
