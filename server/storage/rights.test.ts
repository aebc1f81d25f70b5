import { randomBytes } from 'node:crypto'
import { appendFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AccessEntry } from '../../shared/api/accessLog'
import { AtRestCipher } from './encryption'
import { LowdbAtlasStore } from './lowdb'
import type { AtlasMeta } from './types'

const ID = 'BBBBBBBBBBBBBBBBBBBBBB'
const META: AtlasMeta = {
  id: ID,
  title: 'Atlas van Sanne',
  createdAt: '2026-11-23T09:00:00.000Z',
  links: [],
  privateTime: { on: false, since: null },
  piketpaaltjes: [],
  approvals: [],
}

const entry = (at: string): AccessEntry => ({
  at,
  event: 'opened',
  by: { linkId: 'aaaaaaaaaaaaaaaa', role: 'edit', label: 'Ria' },
  device: { kind: 'phone', browser: 'Chrome', system: 'Android' },
})

let dir: string
let store: LowdbAtlasStore

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'netwerkatlas-rights-'))
  store = await LowdbAtlasStore.open(dir)
  await store.createAtlas(META)
})

afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('the access log on disk', () => {
  it('keeps whole lines only: a torn last line (never acknowledged) is dropped', async () => {
    await store.appendAccess(ID, [entry('2026-12-01T10:00:00.000Z')])
    await appendFile(join(store.atlasDir(ID), 'access.log'), '{"at":"2026-12-0')
    const kept = await store.readAccess(ID, new Date('2026-01-01T00:00:00.000Z'))
    expect(kept).toEqual([entry('2026-12-01T10:00:00.000Z')])
    expect(await readFile(join(store.atlasDir(ID), 'access.log'), 'utf8')).toBe(
      `${JSON.stringify(entry('2026-12-01T10:00:00.000Z'))}\n`,
    )
  })

  it('keeps the entry appended after a torn line', async () => {
    await store.appendAccess(ID, [entry('2026-12-01T10:00:00.000Z')])
    await appendFile(join(store.atlasDir(ID), 'access.log'), '{"at":"2026-12-0')
    await store.appendAccess(ID, [entry('2026-12-02T10:00:00.000Z')])
    const kept = await store.readAccess(ID, new Date('2026-01-01T00:00:00.000Z'))
    expect(kept).toEqual([entry('2026-12-01T10:00:00.000Z'), entry('2026-12-02T10:00:00.000Z')])
  })
})

describe('the access log on disk with an at-rest key', () => {
  it('is sealed line by line, and an entry appended after a torn line is kept', async () => {
    const sealedDir = await mkdtemp(join(tmpdir(), 'netwerkatlas-rights-sealed-'))
    try {
      const sealed = await LowdbAtlasStore.open(sealedDir, {
        cipher: new AtRestCipher(randomBytes(32)),
      })
      await sealed.createAtlas(META)
      await sealed.appendAccess(ID, [entry('2026-12-01T10:00:00.000Z')])
      const path = join(sealed.atlasDir(ID), 'access.log')
      const first = await readFile(path, 'utf8')
      expect(first).not.toContain('Ria')
      // A torn append: part of a sealed line, no newline.
      await appendFile(path, first.slice(0, 20))
      await sealed.appendAccess(ID, [entry('2026-12-02T10:00:00.000Z')])
      expect(await sealed.readAccess(ID, new Date('2026-01-01T00:00:00.000Z'))).toEqual([
        entry('2026-12-01T10:00:00.000Z'),
        entry('2026-12-02T10:00:00.000Z'),
      ])
    } finally {
      await rm(sealedDir, { recursive: true, force: true })
    }
  })
})

describe('erasure on disk', () => {
  it('finishes an erasure that a crash cut short at the next start', async () => {
    // The record was written, the folder not yet removed.
    await writeFile(
      join(dir, 'erased', `${ID}.json`),
      JSON.stringify({ id: ID, erasedAt: '2026-12-05T10:00:00.000Z' }),
    )
    const reopened = await LowdbAtlasStore.open(dir)
    expect(await readdir(join(dir, 'atlases'))).toEqual([])
    expect(reopened.erasedAt(ID)).toBe('2026-12-05T10:00:00.000Z')
    expect(await reopened.getMeta(ID)).toBeNull()
  })

  it('writes nothing for an erased atlas afterwards', async () => {
    await store.eraseAtlas(ID, new Date())
    await store.appendAccess(ID, [entry(new Date().toISOString())])
    await expect(store.storeDoc(ID, new Uint8Array([0, 0]))).rejects.toThrow()
    expect(await readdir(join(dir, 'atlases'))).toEqual([])
  })
})
