import { readFile } from 'node:fs/promises'
import { basename } from 'node:path'
import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import type { Plugin } from 'vite'
import { VitePWA } from 'vite-plugin-pwa'
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

/**
 * What this build calls itself: the package version, or `NETWERKATLAS_BUILD_ID` when set (a
 * deployment can name its builds; the update test builds twice under two names).
 */
const packageVersion = (
  JSON.parse(await readFile(here('./package.json'), 'utf8')) as { version: string }
).version

/**
 * The service worker (Workbox, generated) and the web app manifest: the app itself lives on the
 * device, so it opens without a network. Only the app's own files are kept; the API and the sync
 * socket always go to the server (their answers are never taken from a cache). A new worker waits
 * until the page says so (`registerType: 'prompt'`, client/pwa/).
 */
const pwa = VitePWA({
  registerType: 'prompt',
  // Registered by client/pwa/serviceWorker.ts (workbox-window), which knows when a reload is safe.
  injectRegister: false,
  includeAssets: ['icons/apple-touch-icon-180.png', 'icons/icon.svg'],
  manifest: {
    id: '/',
    name: 'Netwerkatlas',
    short_name: 'Netwerkatlas',
    description: 'Samen je netwerk tekenen en een plan maken, ook zonder internet.',
    lang: 'nl',
    dir: 'ltr',
    start_url: '/',
    scope: '/',
    display: 'standalone',
    // --accent and --bg of client/styles.css.
    theme_color: '#1f5fae',
    background_color: '#f6f5f1',
    icons: [
      { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
      { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
      {
        src: '/icons/icon-maskable-512.png',
        sizes: '512x512',
        type: 'image/png',
        purpose: 'maskable',
      },
    ],
  },
  workbox: {
    // The app shell, the fonts, tldraw's icons and translations: every file of the build. The
    // sample atlas's pictures and the printed plan's fonts are part of it too.
    globPatterns: ['**/*.{html,js,css,woff2,woff,ttf,svg,png,json,webmanifest}'],
    // tldraw's bundle is larger than Workbox's default limit of 2 MiB.
    maximumFileSizeToCacheInBytes: 16 * 1024 * 1024,
    navigateFallback: '/index.html',
    // Only the app's own pages open from the device; any other path asks the server.
    navigateFallbackAllowlist: [/^\/$/, /^\/atlas\/[^/]+(?:\/(?:plan|bijeenkomst|basisteam))?\/?$/],
    navigateFallbackDenylist: [/^\/api\//, /^\/sync\//],
    // The old build's files go once the new worker takes over.
    cleanupOutdatedCaches: true,
    // The first worker takes the page that installed it, so a page visited once opens offline.
    // A later worker waits for the user's word (no skipWaiting).
    clientsClaim: true,
    // No runtime caching: what is not in the build (the API, the sync socket) always goes out.
    runtimeCaching: [],
    sourcemap: false,
  },
})

/**
 * What the client knows of its build: its name, and whether it is a build at all (the dev server
 * has no service worker; a build made under vitest is not in production mode, yet has one).
 */
function buildFacts(): Plugin {
  return {
    name: 'netwerkatlas:build-facts',
    config: (_config, { command }) => ({
      define: {
        // Read at each build, not when this file loads: a process may build more than once.
        __BUILD_ID__: JSON.stringify(process.env.NETWERKATLAS_BUILD_ID ?? packageVersion),
        __SERVICE_WORKER__: JSON.stringify(command === 'build'),
      },
    }),
  }
}

export default defineConfig({
  root: here('./client'),
  plugins: [react(), woff2AsTtf(), pwa, buildFacts()],
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
          // One worker runs the files one after another and imports playwright, the server and
          // the shared code once, not once per file (~3 s a file here). Each file still starts
          // its own server and Chromium, and each test its own contexts; the helpers keep no
          // state between files.
          isolate: false,
          // A group of its own: a single non-isolated worker may not share a group with projects
          // that use more workers (on machines with more than two cores).
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
})
