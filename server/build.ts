/**
 * Builds the server into plain JavaScript (`dist/server/main.mjs`), which `npm run serve` runs
 * with Node alone: no TypeScript loader at run time, so no loader thread beside the event loop,
 * a faster start and less memory. Packages stay in node_modules (not bundled).
 *
 * Run: `node --import tsx server/build.ts [outDir]` (`npm run build:server`).
 */
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
    entryPoints,
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

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await buildServer(process.argv[2])
}
