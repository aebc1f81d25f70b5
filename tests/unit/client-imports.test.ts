import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../..', import.meta.url))
const client = join(root, 'client')

/** Every TypeScript source file under `dir`, tests left out (they may import anything). */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sources(path)
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : []
  })
}

/** The project files a file imports (static, type-only, re-exports and `import()` alike). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8')
  const specifiers = [
    ...text.matchAll(/^\s*(?:import|export)\b[^'"]*?\bfrom\s*['"]([^'"]+)['"]/gm),
    ...text.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm),
    ...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((m) => m[1] as string)
  return specifiers
    .filter((s) => s.startsWith('.'))
    .map((s) => resolve(dirname(file), s))
    .flatMap((base) =>
      ['.ts', '.tsx', '/index.ts', '/index.tsx']
        .map((ext) => base + ext)
        .filter((p) => existsSync(p)),
    )
}

const graph = new Map(sources(client).map((f) => [f, importsOf(f)]))
const name = (f: string) => relative(root, f)

/** The import cycles of the graph, each as the files around it (found by depth-first search). */
function cycles(): string[][] {
  const found: string[][] = []
  const state = new Map<string, 'open' | 'done'>()
  const path: string[] = []
  const visit = (file: string) => {
    state.set(file, 'open')
    path.push(file)
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') found.push(path.slice(path.indexOf(next)).map(name))
      else if (!state.has(next)) visit(next)
    }
    path.pop()
    state.set(file, 'done')
  }
  for (const file of graph.keys()) if (!state.has(file)) visit(file)
  return found
}

describe('the client’s imports', () => {
  it('form no cycle', () => {
    expect(cycles()).toEqual([])
  })

  // Each folder on the left may import only from the folders on the right.
  const below: Record<string, RegExp> = {
    'client/sync/': /^(client\/(sync|lib)|shared)\//,
    'client/lib/': /^(client\/lib|shared)\//,
    'client/access/': /^(client\/(access|sync|lib|components|i18n|easyRead)|shared)\//,
    // Easy-read is a setting of the whole app, below every screen that follows it.
    'client/easyRead/': /^(client\/(easyRead|components|i18n|lib)|shared)\//,
  }
  it.each(Object.entries(below))('keep %s below the screens that use it', (folder, allowed) => {
    const upward = [...graph]
      .filter(([file]) => name(file).startsWith(folder))
      .flatMap(([file, deps]) => deps.map((dep) => [name(file), name(dep)]))
      .filter(([, dep]) => !allowed.test(dep as string))
      .map(([file, dep]) => `${file} → ${dep}`)
    expect(upward).toEqual([])
  })
})
