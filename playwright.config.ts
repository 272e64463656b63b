import { defineConfig } from '@playwright/test';

// End-to-end tests run the real production server (signaling + built app) on loopback and
// drive Debian's Chromium. Flags from DESIGN §5: loopback ICE candidates need
// --allow-loopback-in-peer-connection and the microphone permission (no media is used).
const port = Number(process.env.PARLEY_E2E_PORT ?? 8791);
const executablePath = process.env.PARLEY_CHROMIUM ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: 'e2e',
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  workers: 1,
  timeout: 120_000,
  expect: { timeout: 20_000 },
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: 'retain-on-failure',
    permissions: ['microphone'],
    launchOptions: {
      executablePath,
      args: [
        '--allow-loopback-in-peer-connection',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    command: `npx tsx server/main.ts`,
    env: { PORT: String(port), HOST: '127.0.0.1' },
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 30_000,
  },
});
