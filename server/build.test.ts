import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { buildServer, serveNodeOptions } from './build'

describe('buildServer', () => {
  let dir: string | undefined
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  it('keeps the chunks of an earlier build, which a running server may still load', async () => {
    dir = await mkdtemp(join(tmpdir(), 'server-build-'))
    await buildServer(dir)
    const first = await readdir(dir)
    expect(first).toContain('main.mjs')
    expect(first).toContain('import-worker.mjs')
    const lazyChunk = first.find((f) => f.startsWith('content-') && f.endsWith('.mjs'))
    expect(lazyChunk).toBeDefined()
    // A chunk of an older build, under a name this build does not make.
    await writeFile(join(dir, 'content-OLDBUILD.mjs'), 'export {}\n')
    await buildServer(dir)
    const second = await readdir(dir)
    expect(second).toEqual(expect.arrayContaining([...first, 'content-OLDBUILD.mjs']))
  }, 30_000)

  it('reads the Node options of `npm run serve` from package.json', () => {
    expect(serveNodeOptions()).toEqual([
      '--enable-source-maps',
      '--max-semi-space-size=8',
      '--no-memory-reducer',
    ])
  })
})
