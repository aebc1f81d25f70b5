import { createHash } from 'node:crypto'
import { constants } from 'node:fs'
import { appendFile, mkdtemp, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { describeAtlasStore, editor, read } from '../../tests/helpers/storeContract'
import { LowdbAtlasStore } from './lowdb'
import { type AtlasMeta, StorageError } from './types'

const ID = 'AAAAAAAAAAAAAAAAAAAAAA'
const META: AtlasMeta = {
  id: ID,
  title: 'Atlas van Sanne',
  createdAt: '2026-11-23T09:00:00.000Z',
  links: [
    {
      id: 'aaaaaaaaaaaaaaaa',
      role: 'edit',
      label: '',
      hash: 'a'.repeat(64),
      createdAt: '2026-11-23T09:00:00.000Z',
      lastUsedAt: null,
    },
  ],
  privateTime: { on: false, since: null },
  piketpaaltjes: [],
  approvals: [],
}

let dir: string
let store: LowdbAtlasStore

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'netwerkatlas-lowdb-'))
  store = await LowdbAtlasStore.open(dir)
  await store.createAtlas(META)
})

afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('LowdbAtlasStore update log', () => {
  it('loads the snapshot plus the appended updates, then keeps them as one snapshot', async () => {
    const e = editor()
    e.edit('a', 1)
    await store.storeDoc(ID, Y.encodeStateAsUpdate(e.doc))
    await store.appendUpdates(ID, [e.edit('b', 2)])
    await store.appendUpdates(ID, [e.edit('a', 3)])
    expect((await readdir(store.atlasDir(ID))).sort()).toEqual([
      'doc.json',
      'meta.json',
      'updates.log',
    ])
    expect(read(await store.loadDoc(ID))).toEqual({ a: 3, b: 2 })
    expect((await readdir(store.atlasDir(ID))).sort()).toEqual(['doc.json', 'meta.json'])
    expect(read(await store.loadDoc(ID))).toEqual({ a: 3, b: 2 })
  })

  it('keeps appended updates of an atlas that has no snapshot yet', async () => {
    const e = editor()
    await store.appendUpdates(ID, [e.edit('a', 1)])
    expect(read(await store.loadDoc(ID))).toEqual({ a: 1 })
  })

  it('keeps a torn last line (a crash during an append) aside and loads everything before it', async () => {
    const e = editor()
    await store.appendUpdates(ID, [e.edit('a', 1)])
    const torn = Buffer.from(e.edit('b', 2)).toString('base64').slice(0, 6)
    await appendFile(join(store.atlasDir(ID), 'updates.log'), torn)
    expect(read(await store.loadDoc(ID))).toEqual({ a: 1 })
    const files = await readdir(store.atlasDir(ID))
    const aside = files.filter((f) => /^updates\.log\.damaged-/.test(f))
    expect(aside).toHaveLength(1)
    // Kept whole, as found.
    // (A plain comparison: the base64 of the torn line holds '+', which a pattern would read.)
    const kept = await readFile(join(store.atlasDir(ID), aside[0] as string), 'utf8')
    expect(kept.endsWith(`\n${torn}`)).toBe(true)
    expect(files).not.toContain('updates.log')
  })

  it('sets a damaged line aside and still loads the lines after it', async () => {
    const one = editor()
    const two = editor()
    const log = join(store.atlasDir(ID), 'updates.log')
    await store.appendUpdates(ID, [one.edit('a', 1)])
    await store.appendUpdates(ID, [one.edit('b', 2)])
    await store.appendUpdates(ID, [two.edit('c', 3)])
    await store.appendUpdates(ID, [one.edit('d', 4)])
    // The second line is damaged on disk.
    const lines = (await readFile(log, 'utf8')).split('\n')
    const lost = lines[1] as string
    const damaged = `${lost.slice(0, 10)}\u0000#${lost.slice(12)}`
    lines[1] = damaged
    const asFound = lines.join('\n')
    await writeFile(log, asFound)
    const state = await store.loadDoc(ID)
    // The other device's line loads; this device's later change waits for the lost one (which
    // the device gives back when it connects), as Yjs keeps a device's changes in order.
    const doc = new Y.Doc()
    Y.applyUpdate(doc, state as Uint8Array)
    expect(doc.getMap('records').toJSON()).toEqual({ a: 1, c: 3 })
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(one.doc, Y.encodeStateVector(doc)))
    expect(doc.getMap('records').toJSON()).toEqual({ a: 1, b: 2, c: 3, d: 4 })
    const aside = (await readdir(store.atlasDir(ID))).filter((f) => f.includes('.damaged-'))
    expect(aside).toHaveLength(1)
    expect(await readFile(join(store.atlasDir(ID), aside[0] as string), 'utf8')).toBe(asFound)
  })

  it('storeDoc replaces the state and removes the log', async () => {
    const e = editor()
    await store.appendUpdates(ID, [e.edit('a', 1)])
    e.edit('b', 2)
    await store.storeDoc(ID, Y.encodeStateAsUpdate(e.doc))
    expect((await readdir(store.atlasDir(ID))).sort()).toEqual(['doc.json', 'meta.json'])
    expect(read(await store.loadDoc(ID))).toEqual({ a: 1, b: 2 })
  })
})

describe('LowdbAtlasStore snapshot checksum', () => {
  const docPath = () => join(store.atlasDir(ID), 'doc.json')

  it('keeps appended updates in order, several per write', async () => {
    const e = editor()
    await store.appendUpdates(ID, [e.edit('a', 1), e.edit('b', 2), e.edit('a', 3)])
    expect(read(await store.loadDoc(ID))).toEqual({ a: 3, b: 2 })
  })

  it('stores the SHA-256 of the state beside it and refuses a state that does not match', async () => {
    const e = editor()
    e.edit('a', 1)
    const state = Y.encodeStateAsUpdate(e.doc)
    await store.storeDoc(ID, state)
    const file = JSON.parse(await readFile(docPath(), 'utf8'))
    expect(file.sha256).toBe(createHash('sha256').update(state).digest('hex'))
    expect(await store.loadDoc(ID)).toEqual(state)

    const flipped = Buffer.from(state)
    flipped[flipped.length - 2] = (flipped[flipped.length - 2] ?? 0) ^ 1
    await writeFile(docPath(), JSON.stringify({ ...file, state: flipped.toString('base64') }))
    await expect(store.loadDoc(ID)).rejects.toThrow(StorageError)
  })

  it('reads a snapshot written before checksums, checks it once and keeps it with one', async () => {
    const e = editor()
    e.edit('a', 1)
    const state = Y.encodeStateAsUpdate(e.doc)
    const old = { version: 1, state: Buffer.from(state).toString('base64'), savedAt: 'then' }
    await writeFile(docPath(), JSON.stringify(old))
    expect(read(await store.loadDoc(ID))).toEqual({ a: 1 })
    const file = JSON.parse(await readFile(docPath(), 'utf8'))
    expect(file.sha256).toBe(createHash('sha256').update(state).digest('hex'))

    await writeFile(
      docPath(),
      JSON.stringify({ ...old, state: Buffer.from([1, 2, 3]).toString('base64') }),
    )
    await expect(store.loadDoc(ID)).rejects.toThrow(StorageError)
    await writeFile(docPath(), JSON.stringify({ ...old, state: 'not base64!' }))
    await expect(store.loadDoc(ID)).rejects.toThrow(StorageError)
  })
})

describe('LowdbAtlasStore metadata', () => {
  it('reads a meta.json of the first version as two links, the ids taken from their hashes', async () => {
    await writeFile(
      join(store.atlasDir(ID), 'meta.json'),
      JSON.stringify({
        version: 1,
        id: ID,
        title: 'Atlas van Sanne',
        createdAt: '2026-11-23T09:00:00.000Z',
        editHash: 'c'.repeat(64),
        viewHash: 'd'.repeat(64),
      }),
    )
    const reopened = await LowdbAtlasStore.open(dir)
    const meta = await reopened.getMeta(ID)
    expect(meta?.links.map((l) => [l.id, l.role, l.hash])).toEqual([
      ['cccccccccccccccc', 'edit', 'c'.repeat(64)],
      ['dddddddddddddddd', 'view', 'd'.repeat(64)],
    ])
    expect(meta?.privateTime).toEqual({ on: false, since: null })
  })

  it('writes each change durably before it resolves, one change after another', async () => {
    const both = Promise.all([
      store.updateMeta(ID, (m) => ({ ...m, title: `${m.title} 1` })),
      store.updateMeta(ID, (m) => ({ ...m, title: `${m.title} 2` })),
    ])
    await both
    const reopened = await LowdbAtlasStore.open(dir)
    expect((await reopened.getMeta(ID))?.title).toBe('Atlas van Sanne 1 2')
    const file = JSON.parse(await readFile(join(store.atlasDir(ID), 'meta.json'), 'utf8'))
    expect(file.version).toBe(2)
    await expect(store.updateMeta('BBBBBBBBBBBBBBBBBBBBBB', (m) => m)).rejects.toThrow(StorageError)
  })

  it('keeps the plan document in files of its own beside the atlas', async () => {
    const e = editor()
    e.edit('a', 1)
    await store.storeDoc(`${ID}/plan`, Y.encodeStateAsUpdate(e.doc))
    await store.appendUpdates(`${ID}/plan`, [e.edit('b', 2)])
    expect((await readdir(store.atlasDir(ID))).sort()).toEqual([
      'meta.json',
      'plan-updates.log',
      'plan.json',
    ])
    expect(await store.loadDoc(ID)).toBeNull()
    expect(read(await store.loadDoc(`${ID}/plan`))).toEqual({ a: 1, b: 2 })
    await expect(store.loadDoc(`${ID}/other`)).rejects.toThrow(StorageError)
  })
})

/** This process's open files under `path`'s name, with their open flags (Linux's /proc). */
async function openFiles(path: string): Promise<number[]> {
  const flags: number[] = []
  for (const fd of await readdir('/proc/self/fd')) {
    const target = await readlink(`/proc/self/fd/${fd}`).catch(() => '')
    if (target !== path) continue
    const info = await readFile(`/proc/self/fdinfo/${fd}`, 'utf8').catch(() => '')
    const match = /^flags:\s*([0-7]+)$/m.exec(info)
    if (match) flags.push(Number.parseInt(match[1] as string, 8))
  }
  return flags
}

describe.runIf(process.platform === 'linux')('LowdbAtlasStore open update logs', () => {
  it('keeps a log open while it is appended to, each write synced, and closes it when it goes', async () => {
    const e = editor()
    const log = join(store.atlasDir(ID), 'updates.log')
    await store.appendUpdates(ID, [e.edit('a', 1)])
    await store.appendUpdates(ID, [e.edit('b', 2)])
    const flags = await openFiles(log)
    expect(flags).toHaveLength(1)
    // Every write reaches the disk before it returns: the acknowledgement's promise.
    expect((flags[0] as number) & constants.O_DSYNC).toBe(constants.O_DSYNC)
    expect((flags[0] as number) & constants.O_APPEND).toBe(constants.O_APPEND)

    await store.storeDoc(ID, Y.encodeStateAsUpdate(e.doc))
    expect(await openFiles(log)).toHaveLength(0)
    await store.appendUpdates(ID, [e.edit('c', 3)])
    expect(await openFiles(log)).toHaveLength(1)
    await store.removeAtlas(ID)
    expect(await openFiles(log)).toHaveLength(0)
  })

  it('keeps at most 128 logs open, closing the least recently appended first', async () => {
    const ids = Array.from({ length: 65 }, (_, i) => `B${String(i).padStart(21, '0')}`)
    for (const id of ids) await store.createAtlas({ ...META, id })
    const e = editor()
    const update = e.edit('a', 1)
    const keys = ids.flatMap((id) => [id, `${id}/plan`])
    for (const key of keys) await store.appendUpdates(key, [update])
    const logOf = (key: string) =>
      key.endsWith('/plan')
        ? join(store.atlasDir(key.slice(0, -5)), 'plan-updates.log')
        : join(store.atlasDir(key), 'updates.log')
    const open = async () => {
      const all = await Promise.all(keys.map(async (key) => (await openFiles(logOf(key))).length))
      return keys.filter((_, i) => all[i] === 1)
    }
    expect(await open()).toEqual(keys.slice(2))
    // An append to a closed log opens it again, at its end; every line is kept.
    await store.appendUpdates(keys[0] as string, [e.edit('b', 2)])
    expect(await open()).toEqual([keys[0], ...keys.slice(3)])
    expect(read(await store.loadDoc(keys[0] as string))).toEqual({ a: 1, b: 2 })
  })
})

describeAtlasStore('LowdbAtlasStore', {
  newPlace: () => mkdtemp(join(tmpdir(), 'netwerkatlas-lowdb-contract-')),
  open: (place) => LowdbAtlasStore.open(place),
  removePlace: (place) => rm(place, { recursive: true, force: true }),
})
