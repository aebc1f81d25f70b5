import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vitest/config'

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url))
/** Where `npm run dev` expects the API server (see README). */
const devApi = process.env.DEV_API_ORIGIN ?? 'http://127.0.0.1:8787'

export default defineConfig({
  root: here('./client'),
  plugins: [react()],
  build: {
    outDir: here('./dist/client'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 4000,
  },
  server: {
    proxy: {
      '/api': devApi,
      '/sync': { target: devApi.replace(/^http/, 'ws'), ws: true },
    },
  },
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          root: here('.'),
          include: [
            'shared/**/*.test.ts',
            'client/**/*.test.ts',
            'server/**/*.test.ts',
            'tests/fuzz/**/*.test.ts',
          ],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          root: here('.'),
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: [here('./tests/helpers/build-server.ts')],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'security',
          root: here('.'),
          include: ['tests/security/**/*.test.ts'],
          environment: 'node',
          globalSetup: [here('./tests/helpers/build-server.ts')],
          testTimeout: 90_000,
          hookTimeout: 30_000,
          // Each file starts servers and measures round trips: one at a time, on a quiet machine.
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'browser',
          root: here('.'),
          include: ['tests/browser/**/*.test.ts'],
          environment: 'node',
          globalSetup: [here('./tests/helpers/build-client.ts')],
          testTimeout: 90_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
})
