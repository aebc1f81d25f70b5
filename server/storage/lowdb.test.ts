import { appendFile, mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { LowdbAtlasStore } from './lowdb'

const ID = 'AAAAAAAAAAAAAAAAAAAAAA'
const META = {
  id: ID,
  title: 'Atlas van Sanne',
  createdAt: '2026-11-23T09:00:00.000Z',
  editHash: 'a'.repeat(64),
  viewHash: 'b'.repeat(64),
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

/** A doc and a function that returns the update of each edit made to it. */
function editor() {
  const doc = new Y.Doc()
  const updates: Uint8Array[] = []
  doc.on('update', (u: Uint8Array) => updates.push(u))
  return {
    doc,
    edit(key: string, value: number): Uint8Array {
      doc.getMap('records').set(key, value)
      return updates[updates.length - 1] as Uint8Array
    },
  }
}

function read(state: Uint8Array | null): Record<string, unknown> {
  const doc = new Y.Doc()
  if (state) Y.applyUpdate(doc, state)
  return doc.getMap('records').toJSON()
}

describe('LowdbAtlasStore update log', () => {
  it('loads the snapshot plus the appended updates, then keeps them as one snapshot', async () => {
    const e = editor()
    e.edit('a', 1)
    await store.storeDoc(ID, Y.encodeStateAsUpdate(e.doc))
    await store.appendUpdate(ID, e.edit('b', 2))
    await store.appendUpdate(ID, e.edit('a', 3))
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
    await store.appendUpdate(ID, e.edit('a', 1))
    expect(read(await store.loadDoc(ID))).toEqual({ a: 1 })
  })

  it('drops a torn last line (a crash during an append) and keeps everything before it', async () => {
    const e = editor()
    await store.appendUpdate(ID, e.edit('a', 1))
    const torn = Buffer.from(e.edit('b', 2)).toString('base64').slice(0, 6)
    await appendFile(join(store.atlasDir(ID), 'updates.log'), torn)
    expect(read(await store.loadDoc(ID))).toEqual({ a: 1 })
  })

  it('storeDoc replaces the state and removes the log', async () => {
    const e = editor()
    await store.appendUpdate(ID, e.edit('a', 1))
    e.edit('b', 2)
    await store.storeDoc(ID, Y.encodeStateAsUpdate(e.doc))
    expect((await readdir(store.atlasDir(ID))).sort()).toEqual(['doc.json', 'meta.json'])
    expect(read(await store.loadDoc(ID))).toEqual({ a: 1, b: 2 })
  })
})
