/**
 * `npm run dev`: the signaling server (no static files) on PARLEY_SIGNAL_PORT (default
 * 8788) beside Vite's dev server on PORT (default 5173). vite.config.ts proxies /ws to the
 * signaling port, so the app uses its own origin exactly as in production.
 *
 * Security assumption: development on loopback; any Origin is accepted on the signaling
 * port because the Vite proxy forwards the browser's.
 */
import { createServer as createViteServer } from 'vite';
import { readConfig, readInt } from './config.ts';
import { baseUrl, createAppServer } from './http.ts';
import { iceServersWithTurn } from './turn-credentials.ts';

function loadConfig() {
  try {
    return {
      config: readConfig(process.env, { port: 5173 }),
      signalPort: readInt(process.env, 'PARLEY_SIGNAL_PORT', 8788, 1, 65_535),
    };
  } catch (e) {
    console.error(`Parley: configuration error: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
}

const { config, signalPort } = loadConfig();
// vite.config.ts reads the same variable for its /ws proxy; make the default explicit.
process.env.PARLEY_SIGNAL_PORT = String(signalPort);

const signaling = await createAppServer({
  iceServers: iceServersWithTurn(config.iceServers, config.turn),
  ...(config.iceTransportPolicy ? { iceTransportPolicy: config.iceTransportPolicy } : {}),
  limits: config.limits,
  heartbeatMs: config.heartbeatMs,
  origins: 'any',
  log: (line) => console.log(`Parley signaling: ${line}`),
});
try {
  await signaling.listen(signalPort, '127.0.0.1');
} catch (e) {
  console.error(`Parley: cannot start signaling on 127.0.0.1:${signalPort} (${e instanceof Error ? e.message : String(e)}); set PARLEY_SIGNAL_PORT.`);
  process.exit(1);
}

const vite = await createViteServer({ server: { port: config.port, host: config.host, strictPort: true } });
try {
  await vite.listen();
} catch (e) {
  console.error(`Parley: cannot start Vite on ${config.host}:${config.port} (${e instanceof Error ? e.message : String(e)}); set PORT.`);
  await signaling.close();
  process.exit(1);
}
console.log(`Parley (dev) is running at ${baseUrl(config.host, config.port)} (signaling on 127.0.0.1:${signalPort})`);

let stopping = false;
async function shutdown(): Promise<void> {
  if (stopping) process.exit(1);
  stopping = true;
  await Promise.allSettled([vite.close(), signaling.close()]);
  process.exit(0);
}
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
