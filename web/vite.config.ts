// Vite builds the app into dist/, which the node embeds and serves at `/`; Vitest runs the
// component tests (jsdom, the API mocked at the fetch level). `npm run dev` proxies the API to a
// running node (PASSCOM_API, default Rumos of `passcom demo`).
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

const api = process.env.PASSCOM_API ?? 'http://127.0.0.1:7777';

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: { '/api': api },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Hashed file names let the node serve assets as immutable.
    assetsDir: 'assets',
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['src/testing/setup.ts'],
    restoreMocks: true,
    testTimeout: 10_000,
  },
});
