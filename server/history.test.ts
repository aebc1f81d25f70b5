import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { writeShape } from '../tests/helpers/clients'
import { makeDataDir, removeDir } from '../tests/helpers/server'
import { AtlasHistory, type HistoryOptions } from './history'
import { createLogger } from './log'
import { AtRestCipher } from './storage/encryption'
import { LowdbAtlasStore } from './storage/lowdb'
import { MemoryAtlasStore } from './storage/memory'
import type { AtlasMeta } from './storage/types'

const ID = 'HHHHHHHHHHHHHHHHHHHHHH'
const log = createLogger('silent')

function meta(): AtlasMeta {
  const link = (id: string, label: string) => ({
    id,
    role: 'edit' as const,
    label,
    hash: '0'.repeat(64),
    createdAt: new Date().toISOString(),
    lastUsedAt: null,
  })
  return {
    id: ID,
    title: 'Atlas',
    createdAt: new Date().toISOString(),
    links: [link('link-ria', 'Ria (moeder)'), link('link-ahmed', 'Ahmed')],
    privateTime: { on: false, since: null },
    piketpaaltjes: [],
    approvals: [],
  }
}

function docWith(...keys: string[]): Y.Doc {
  const doc = new Y.Doc()
  for (const key of keys) writeShape(doc, key, { x: 0, y: 0 })
  return doc
}

async function settle(history: AtlasHistory, count: number): Promise<void> {
  const deadline = Date.now() + 5000
  while ((await history.list(ID)).length < count) {
    if (Date.now() > deadline) throw new Error(`fewer than ${count} snapshots`)
    await new Promise((r) => setTimeout(r, 5))
  }
}

const options = (o: Partial<HistoryOptions> = {}): HistoryOptions => ({
  intervalMs: 0,
  keepDays: 90,
  maxSnapshots: 100,
  ...o,
})

const dirs: string[] = []
afterEach(async () => {
  for (const dir of dirs.splice(0)) await removeDir(dir)
})

describe('AtlasHistory', () => {
  it('takes a snapshot at a save only when the maps changed since the last one, with who edited', async () => {
    const store = new MemoryAtlasStore()
    await store.createAtlas(meta())
    const history = new AtlasHistory(store, options(), log)
    const doc = docWith('a')
    history.saved(ID, doc)
    await new Promise((r) => setTimeout(r, 20))
    expect(await history.list(ID)).toEqual([])

    history.edited(ID, 'link-ria')
    history.edited(ID, 'link-ria')
    history.edited(`${ID}/plan`, 'link-ahmed')
    history.edited(ID, 'link-gone')
    history.saved(ID, doc)
    await settle(history, 1)
    const [first] = await history.list(ID)
    expect(first?.reason).toBe('edits')
    expect(first?.editors).toEqual([
      { label: 'Ria (moeder)', role: 'edit' },
      { label: null, role: 'edit' },
    ])

    // Saved again without a change (the log folded into the snapshot): nothing new.
    history.saved(ID, doc)
    await new Promise((r) => setTimeout(r, 20))
    expect(await history.list(ID)).toHaveLength(1)
    // A change by the server itself (a restore) counts, with no link named.
    history.edited(ID, undefined)
    history.saved(ID, doc)
    await settle(history, 2)
    expect((await history.list(ID))[0]?.editors).toEqual([])
  })

  it('keeps at most one per interval while edited, and none of the plan', async () => {
    const store = new MemoryAtlasStore()
    await store.createAtlas(meta())
    const history = new AtlasHistory(store, options({ intervalMs: 60_000 }), log)
    const doc = docWith('a')
    for (let i = 0; i < 5; i++) {
      history.edited(ID, 'link-ria')
      history.saved(ID, doc)
      history.edited(`${ID}/plan`, 'link-ria')
      history.saved(`${ID}/plan`, doc)
      await new Promise((r) => setTimeout(r, 5))
    }
    await settle(history, 1)
    await new Promise((r) => setTimeout(r, 20))
    expect(await history.list(ID)).toHaveLength(1)
    // A bulk change takes one whatever the interval.
    await history.take(ID, Y.encodeStateAsUpdate(doc), 'before-restore')
    expect((await history.list(ID)).map((s) => s.reason)).toEqual(['before-restore', 'edits'])
  })

  it('drops snapshots past their days and beyond the cap, oldest first', async () => {
    const store = new MemoryAtlasStore()
    await store.createAtlas(meta())
    const old = {
      id: 'old-old-old-old-',
      at: '2020-01-01T00:00:00.000Z',
      reason: 'edits' as const,
      editors: [],
    }
    await store.addSnapshot(ID, old, new Uint8Array([0, 0]), () => [])
    const history = new AtlasHistory(store, options({ keepDays: 30, maxSnapshots: 3 }), log)
    expect(await history.list(ID)).toEqual([])
    expect(await store.listSnapshots(ID)).toEqual([])
    const taken = []
    for (let i = 0; i < 5; i++) {
      taken.push((await history.take(ID, Y.encodeStateAsUpdate(docWith(`s${i}`)), 'import')).id)
    }
    expect((await history.list(ID)).map((s) => s.id)).toEqual(taken.slice(2).reverse())
    expect(await history.load(ID, taken[0] as string)).toBeNull()
    expect(await history.load(ID, taken[4] as string)).not.toBeNull()
  })

  it('stores its snapshots sealed beside the atlas when encryption is on, and reads them back', async () => {
    const dir = await makeDataDir()
    dirs.push(dir)
    const cipher = new AtRestCipher(Buffer.alloc(32, 7))
    const store = await LowdbAtlasStore.open(dir, { cipher })
    await store.createAtlas(meta())
    const history = new AtlasHistory(store, options(), log)
    const state = Y.encodeStateAsUpdate(docWith('geheime-notitie'))
    const info = await history.take(ID, state, 'import')
    const folder = join(dir, 'atlases', ID, 'history')
    const names = await readdir(folder)
    expect(names.sort()).toEqual([`${info.id}.json`, 'index.json'].sort())
    for (const name of names) {
      const bytes = await readFile(join(folder, name))
      expect(bytes.includes('geheime')).toBe(false)
      expect(bytes.includes('"snapshots"')).toBe(false)
      expect(bytes.includes(Buffer.from(state).toString('base64').slice(0, 40))).toBe(false)
    }
    const reopened = await LowdbAtlasStore.open(dir, { cipher })
    expect(await reopened.listSnapshots(ID)).toEqual([info])
    expect(await reopened.loadSnapshot(ID, info.id)).toEqual(state)
    // Erasing the atlas takes its history with it.
    await reopened.eraseAtlas(ID, new Date())
    await expect(readdir(folder)).rejects.toMatchObject({ code: 'ENOENT' })
    expect(await reopened.listSnapshots(ID)).toEqual([])
    // A snapshot that arrives after the erasure makes no folder again.
    await reopened.addSnapshot(ID, { ...info, id: 'late-late-late-l' }, state, () => [])
    await expect(readdir(join(dir, 'atlases', ID))).rejects.toMatchObject({ code: 'ENOENT' })
  })
})
