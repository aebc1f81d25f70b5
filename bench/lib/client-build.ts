/**
 * The built client for the browser workload: built with the project's own Vite config into a
 * folder of the benchmark's own (so a build here never races a test run's build of
 * `dist/client`), and rebuilt only when a source it is made from is newer than the build.
 */
import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { build } from 'vite'
import { repoRoot } from './peers'

/** Where the benchmark's client build lives (served as the server's `CLIENT_DIR`). */
export const BENCH_CLIENT_DIR = join(repoRoot, 'dist/bench-client')

/** What the client bundle is built from. */
const SOURCES = ['client', 'shared', 'vite.config.ts', 'package.json', 'package-lock.json']

/** The newest modification time (ms) of a file or of any file under a folder. */
async function newest(path: string): Promise<number> {
  const info = await stat(path).catch(() => undefined)
  if (!info) return 0
  if (!info.isDirectory()) return info.mtimeMs
  let latest = 0
  for (const entry of await readdir(path, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue
    latest = Math.max(latest, await newest(join(path, entry.name)))
  }
  return latest
}

/** Builds the client unless an up-to-date build exists. Returns its folder and whether it built. */
export async function ensureClientBuild(): Promise<{ dir: string; built: boolean }> {
  const builtAt = (await stat(join(BENCH_CLIENT_DIR, 'index.html')).catch(() => undefined))?.mtimeMs
  const sources = Math.max(...(await Promise.all(SOURCES.map((s) => newest(join(repoRoot, s))))))
  if (builtAt !== undefined && builtAt > sources) return { dir: BENCH_CLIENT_DIR, built: false }
  await build({
    configFile: join(repoRoot, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir: BENCH_CLIENT_DIR, emptyOutDir: true },
  })
  return { dir: BENCH_CLIENT_DIR, built: true }
}
