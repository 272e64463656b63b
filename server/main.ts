/**
 * `npm start`: the production process. Serves dist/ (built by `vite build`, which
 * `npm start` runs first), /healthz and the signaling WebSocket at /ws.
 * Configuration: environment variables, see server/config.ts and docs/deploy.md.
 *
 * Security assumption: binds to 127.0.0.1 unless HOST says otherwise; put a TLS proxy in
 * front for anything beyond this machine.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readConfig, type ServerConfig } from './config.ts';
import { createAppServer } from './http.ts';
import { createRedisBackplane, type RedisBackplane } from './redis-backplane.ts';
import { iceServersWithTurn } from './turn-credentials.ts';
import { openSurveyStore } from './survey/open-store.ts';
import { createSurveyApi } from './survey/routes.ts';
import { uploadLimitsFromEnv } from './survey/upload-limits.ts';

function loadConfig(): ServerConfig {
  try {
    return readConfig(process.env);
  } catch (e) {
    console.error(`Parley: configuration error: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
}

const config = loadConfig();

if (!existsSync(join(config.distDir, 'index.html'))) {
  console.error(
    `Parley: the built app was not found (${join(config.distDir, 'index.html')}).\n` +
      'Run `npm run build` first, or use `npm start`, which builds and then starts the server.',
  );
  process.exit(1);
}

async function openSurveys() {
  try {
    const store = await openSurveyStore(process.env);
    console.log(`Parley: surveys are stored in ${store.kind === 'postgres' ? 'PostgreSQL (DATABASE_URL)' : `SQLite (${process.env.PARLEY_SURVEY_DB?.trim() || 'data/surveys.sqlite'})`}`);
    return createSurveyApi(store, Date.now, uploadLimitsFromEnv(process.env, config.trustedProxyHeader));
  } catch (e) {
    console.error(`Parley: cannot open the survey database: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
}

const log = (line: string) => console.log(`Parley: ${line}`);

/** PARLEY_REDIS_URL: share rooms with the other instances; without it, one process holds them. */
async function connectBackplane(): Promise<RedisBackplane | undefined> {
  if (config.redisUrl === undefined) return undefined;
  try {
    return await createRedisBackplane({ url: config.redisUrl, prefix: config.redisPrefix, instanceTtlMs: config.instanceTtlMs, log });
  } catch (e) {
    console.error(`Parley: cannot use Redis at PARLEY_REDIS_URL (${e instanceof Error ? e.message : String(e)})`);
    process.exit(1);
  }
}
const backplane = await connectBackplane();

const app = await createAppServer({
  surveys: await openSurveys(),
  ...(backplane ? { backplane } : {}),
  distDir: config.distDir,
  iceServers: iceServersWithTurn(config.iceServers, config.turn),
  ...(config.iceTransportPolicy ? { iceTransportPolicy: config.iceTransportPolicy } : {}),
  ...(config.trustedProxyHeader ? { trustedProxyHeader: config.trustedProxyHeader } : {}),
  limits: config.limits,
  heartbeatMs: config.heartbeatMs,
  connectTimeoutMs: config.connectTimeoutMs,
  origins: config.origins,
  log,
});

try {
  const url = await app.listen(config.port, config.host);
  const count = config.iceServers.length + (config.turn ? 1 : 0);
  const ice = count === 0 ? 'no ICE servers (same network only)' : `${count} ICE server(s)${config.turn ? `, TURN credentials valid ${config.turn.ttlSeconds} s` : ''}`;
  if (config.iceServers.some((s) => s.credential !== undefined)) {
    console.warn('Parley: PARLEY_ICE_SERVERS contains a static TURN password; every page can read it. Prefer PARLEY_TURN_URLS + PARLEY_TURN_SECRET (docs/deploy.md).');
  }
  const scale = backplane ? `; sharing rooms through Redis as instance ${backplane.instanceId}` : '';
  console.log(`Parley is running at ${url} (${ice}${scale})`);
} catch (e) {
  const code = typeof e === 'object' && e !== null && 'code' in e ? String(e.code) : '';
  const hint = code === 'EADDRINUSE' ? ` Port ${config.port} is in use; set PORT to another one.` : '';
  console.error(`Parley: cannot listen on ${config.host}:${config.port}: ${e instanceof Error ? e.message : String(e)}.${hint}`);
  process.exit(1);
}

let stopping = false;
function shutdown(signal: string): void {
  if (stopping) {
    process.exit(1); // a second Ctrl-C: do not wait any longer
  }
  stopping = true;
  console.log(`Parley: ${signal} received, closing connections…`);
  app.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
}
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
