import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// The signaling server (server/) serves dist/ in production and sits beside Vite's dev
// server in `npm run dev`; Vite proxies /ws to it so the app always uses its own origin.
const signalingPort = Number(process.env.PARLEY_SIGNAL_PORT ?? 8788);

export default defineConfig({
  plugins: [react()],
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true },
  server: {
    proxy: { '/ws': { target: `ws://127.0.0.1:${signalingPort}`, ws: true } },
  },
  test: {
    include: ['src/**/*.test.ts', 'server/**/*.test.ts', 'bench/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
