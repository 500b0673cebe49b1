/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The hub serves `dist/` at `/`; during development, `npm run dev` proxies the API to a running
// hub (DOORLINK_HUB, e.g. the URL `doorlink demo` prints).
const hub = process.env.DOORLINK_HUB ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react()],
  server: { proxy: { '/api': { target: hub, changeOrigin: true } } },
  build: { outDir: 'dist', sourcemap: true },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'e2e/harness/*.test.ts'],
          exclude: ['src/**/*.dom.test.tsx'],
          environment: 'node',
        },
      },
      {
        // The real components in a simulated DOM over a fake Transport (src/test/), no network.
        extends: true,
        test: {
          name: 'dom',
          include: ['src/**/*.dom.test.tsx'],
          environment: 'happy-dom',
          setupFiles: ['src/test/setup.ts'],
          testTimeout: 20_000,
        },
      },
    ],
  },
});
