import { readFile } from 'node:fs/promises'
import { basename } from 'node:path'
import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import type { Plugin } from 'vite'
import { configDefaults, defineConfig } from 'vitest/config'

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url))
/** Where `npm run dev` expects the API server (see README). */
const devApi = process.env.DEV_API_ORIGIN ?? 'http://127.0.0.1:8787'

/**
 * `import url from '….woff2?ttf'`: the font as TrueType, converted when the client is built. The
 * printable plan embeds a subset of the font, which pdf-lib makes from a TTF only; and wawoff2's
 * WebAssembly, which does the conversion in Node, does not run from a browser bundle.
 */
function woff2AsTtf(): Plugin {
  let serve = false
  // One conversion at a time: the converter hands out a view of its own memory, which its next
  // call overwrites, so each result is copied before the next conversion starts.
  let queue: Promise<unknown> = Promise.resolve()
  const convert = (file: string): Promise<Uint8Array> => {
    const next = queue.then(async () => {
      const { default: decompress } = await import('wawoff2/decompress.js')
      return new Uint8Array(await decompress(await readFile(file)))
    })
    queue = next.catch(() => {})
    return next
  }
  return {
    name: 'netwerkatlas:woff2-as-ttf',
    enforce: 'pre',
    configResolved(config) {
      serve = config.command === 'serve'
    },
    async load(id) {
      const [file, query] = id.split('?')
      if (query !== 'ttf' || !file?.endsWith('.woff2')) return null
      const ttf = await convert(file)
      // The dev server cannot emit files: there the font travels inside the module.
      if (serve) {
        return `export default "data:font/ttf;base64,${Buffer.from(ttf).toString('base64')}"`
      }
      const name = `${basename(file, '.woff2')}.ttf`
      const ref = this.emitFile({ type: 'asset', name, source: ttf })
      return `export default import.meta.ROLLUP_FILE_URL_${ref}`
    },
  }
}

export default defineConfig({
  root: here('./client'),
  plugins: [react(), woff2AsTtf()],
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
            'tests/unit/**/*.test.ts',
          ],
          // These need PostgreSQL: the scaled project runs them.
          exclude: [...configDefaults.exclude, 'server/**/*.pg.test.ts'],
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
          // The scaled mode on a throw-away PostgreSQL and redis-server (started for the run).
          name: 'scaled',
          root: here('.'),
          include: ['tests/scaled/**/*.test.ts', 'server/**/*.pg.test.ts'],
          environment: 'node',
          globalSetup: [
            here('./tests/helpers/build-server.ts'),
            here('./tests/helpers/scaled-services.ts'),
          ],
          testTimeout: 60_000,
          hookTimeout: 60_000,
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
