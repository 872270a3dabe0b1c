// The browser tests (`npm run e2e`): each file starts its own PassCom nodes and a headless
// Chromium, one file at a time (the machine has two cores); every test and hook is bounded.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    include: ['e2e/**/*.e2e.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
    teardownTimeout: 30_000,
    reporters: ['verbose'],
  },
});
