import { defineConfig } from 'vitest/config';

/**
 * Two projects: `unit` runs in parallel and needs nothing but Node; `integration` talks to the
 * lab (real Nautobot, real FRR over SSH) and runs one file at a time, since the files share it.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            'proto/**/*.test.ts',
            'packages/*/src/**/*.test.ts',
            'agent/**/*.test.ts',
            'cloud/**/*.test.ts',
            'test/lab/**/*.test.ts',
            'test/support/**/*.test.ts',
          ],
          exclude: ['**/node_modules/**'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
