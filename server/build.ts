/**
 * Builds the server into plain JavaScript (`dist/server/main.mjs`), which `npm run serve` runs
 * with Node alone: no TypeScript loader at run time, so no loader thread beside the event loop,
 * a faster start and less memory. Packages stay in node_modules (not bundled).
 *
 * Run: `node --import tsx server/build.ts [outDir]` (`npm run build:server`).
 */
import { readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { build } from 'esbuild'

const repoRoot = fileURLToPath(new URL('..', import.meta.url))

/** Where `npm run build:server` puts the server and `npm run serve` starts it. */
export const SERVER_OUT_DIR = fileURLToPath(new URL('../dist/server', import.meta.url))

/**
 * Bundles each entry (output name → source path relative to the repository) into `outDir` as
 * `<name>.mjs`, with a source map, so a stack trace names the TypeScript source
 * (`node --enable-source-maps`).
 */
export async function buildServer(
  outDir: string = SERVER_OUT_DIR,
  entryPoints: Record<string, string> = { main: 'server/main.ts' },
): Promise<void> {
  // Nothing is removed first: a server still running from an earlier build loads its lazy chunks
  // by their hashed names when first asked, so they stay (they are small).
  await build({
    absWorkingDir: repoRoot,
    // The import worker's thread starts from a file of its own (server/routes/importRunner.ts).
    entryPoints: { ...entryPoints, 'import-worker': 'server/routes/importWorker.ts' },
    outdir: outDir,
    bundle: true,
    // Lazily imported modules (the atlas file import) stay separate chunks, loaded when asked.
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20.19',
    packages: 'external',
    sourcemap: true,
    outExtension: { '.js': '.mjs' },
    logLevel: 'warning',
  })
}

/** The file `npm run serve` starts, relative to the repository. */
const SERVE_ENTRY = relative(repoRoot, join(SERVER_OUT_DIR, 'main.mjs'))

let serveOptions: string[] | undefined

/**
 * The Node options `npm run serve` starts the server with (read from package.json, the one place
 * they are written), for whatever else starts the built server: the tests and the benchmarks.
 */
export function serveNodeOptions(): string[] {
  serveOptions ??= readServeNodeOptions()
  return [...serveOptions]
}

function readServeNodeOptions(): string[] {
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
    scripts?: Record<string, string>
  }
  const words = (pkg.scripts?.serve ?? '').trim().split(/\s+/)
  if (words[0] !== 'node' || words.at(-1) !== SERVE_ENTRY) {
    throw new Error(`package.json: "serve" must be "node [options] ${SERVE_ENTRY}"`)
  }
  return words.slice(1, -1)
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await buildServer(process.argv[2])
}
