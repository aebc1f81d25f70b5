/**
 * What every `AtlasStore` promises, as one suite run against each engine (the embedded lowdb
 * folder and PostgreSQL): what a test of a file layout or a table cannot say about the other.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { type AtlasMeta, type AtlasStore, StorageError } from '../../server/storage/types'
import type { AccessEntry } from '../../shared/api/accessLog'
import type { SnapshotInfo } from '../../shared/api/history'
import type { PlanVersion } from '../../shared/api/versions'

/** How a suite makes, opens and removes one engine's storage. */
export interface StoreEngine {
  /** A new, empty place to store in (a folder, a database); its name for `open`. */
  newPlace(): Promise<string>
  /** Opens the storage at `place` (again: as a restarted server does). */
  open(place: string): Promise<AtlasStore & { close?(): Promise<void> }>
  removePlace(place: string): Promise<void>
}

const ID = 'CCCCCCCCCCCCCCCCCCCCCC'
const OTHER = 'DDDDDDDDDDDDDDDDDDDDDD'

/** An atlas's metadata as a new atlas has it. */
export function sampleMeta(id: string = ID): AtlasMeta {
  return {
    id,
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
      {
        id: 'bbbbbbbbbbbbbbbb',
        role: 'view',
        label: 'Buurvrouw',
        hash: 'b'.repeat(64),
        createdAt: '2026-11-23T09:00:00.000Z',
        lastUsedAt: null,
        carriedByEdit: true,
      },
    ],
    privateTime: { on: false, since: null },
    piketpaaltjes: [],
    approvals: [],
  }
}

/** A doc and a function that returns the update of each edit made to it. */
export function editor() {
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

/** The records map of a stored state, as JSON. */
export function read(state: Uint8Array | null): Record<string, unknown> {
  const doc = new Y.Doc()
  if (state) Y.applyUpdate(doc, state)
  return doc.getMap('records').toJSON()
}

function version(number: number): PlanVersion {
  return {
    id: `v${number}`,
    number,
    at: `2026-12-0${number}T10:00:00.000Z`,
    meetingId: null,
    planHash: String(number).repeat(64),
    content: { client: 'Sanne', questions: [{ id: 'q1', text: 'Wie helpt mij?' }], agreements: [] },
  }
}

const entry = (at: string): AccessEntry => ({
  at,
  event: 'opened',
  by: { linkId: 'aaaaaaaaaaaaaaaa', role: 'edit', label: 'Ria' },
  device: { kind: 'phone', browser: 'Chrome', system: 'Android' },
})

const snapshot = (n: number): SnapshotInfo => ({
  id: `snapshot${String(n).padStart(8, '0')}`,
  at: `2026-12-0${n}T10:00:00.000Z`,
  reason: 'edits',
  editors: [{ label: 'Ria', role: 'edit' }],
})

/** Registers the suite for one engine. */
export function describeAtlasStore(name: string, engine: StoreEngine): void {
  describe(`${name}: what every atlas store promises`, () => {
    let place: string
    let store: AtlasStore & { close?(): Promise<void> }
    const opened: (AtlasStore & { close?(): Promise<void> })[] = []
    const reopen = async () => {
      const again = await engine.open(place)
      opened.push(again)
      return again
    }

    beforeEach(async () => {
      place = await engine.newPlace()
      store = await reopen()
      await store.createAtlas(sampleMeta())
    })

    afterEach(async () => {
      await Promise.all(opened.splice(0).map((s) => s.close?.()))
      await engine.removePlace(place)
    })

    it('loads the snapshot plus the appended updates, and again after a restart', async () => {
      const e = editor()
      e.edit('a', 1)
      await store.storeDoc(ID, Y.encodeStateAsUpdate(e.doc))
      await store.appendUpdates?.(ID, [e.edit('b', 2)])
      await store.appendUpdates?.(ID, [e.edit('a', 3), e.edit('c', 4)])
      expect(read(await store.loadDoc(ID))).toEqual({ a: 3, b: 2, c: 4 })
      expect(read(await (await reopen()).loadDoc(ID))).toEqual({ a: 3, b: 2, c: 4 })
    })

    it('keeps appended updates of a document that has no snapshot yet, in order', async () => {
      const e = editor()
      await store.appendUpdates?.(ID, [e.edit('a', 1), e.edit('b', 2), e.edit('a', 3)])
      expect(read(await (await reopen()).loadDoc(ID))).toEqual({ a: 3, b: 2 })
    })

    it('storeDoc replaces the state, appended updates included', async () => {
      const e = editor()
      await store.appendUpdates?.(ID, [e.edit('a', 1)])
      e.edit('b', 2)
      await store.storeDoc(ID, Y.encodeStateAsUpdate(e.doc))
      await store.appendUpdates?.(ID, [e.edit('c', 3)])
      expect(read(await (await reopen()).loadDoc(ID))).toEqual({ a: 1, b: 2, c: 3 })
    })

    it('keeps the plan apart from the maps, and knows no other document', async () => {
      const e = editor()
      e.edit('a', 1)
      await store.storeDoc(`${ID}/plan`, Y.encodeStateAsUpdate(e.doc))
      await store.appendUpdates?.(`${ID}/plan`, [e.edit('b', 2)])
      expect(await store.loadDoc(ID)).toBeNull()
      expect(read(await store.loadDoc(`${ID}/plan`))).toEqual({ a: 1, b: 2 })
      await expect(store.loadDoc(`${ID}/other`)).rejects.toThrow(StorageError)
      await expect(store.loadDoc('../etc/passwd')).rejects.toThrow(StorageError)
    })

    it('refuses an atlas id twice, and has no metadata for an unknown one', async () => {
      await expect(store.createAtlas(sampleMeta())).rejects.toThrow(StorageError)
      expect(await store.getMeta(OTHER)).toBeNull()
      expect(await store.getMeta('not an id')).toBeNull()
      expect(await store.getMeta(ID)).toEqual(sampleMeta())
    })

    it('writes each change of the metadata durably, one after another', async () => {
      await Promise.all([
        store.updateMeta(ID, (m) => ({ ...m, title: `${m.title} 1` })),
        store.updateMeta(ID, (m) => ({ ...m, title: `${m.title} 2` })),
        store.updateMeta(ID, (m) => ({ ...m, privateTime: { on: true, since: 'nu' } })),
      ])
      const again = await reopen()
      expect(await again.getMeta(ID)).toMatchObject({
        title: 'Atlas van Sanne 1 2',
        privateTime: { on: true, since: 'nu' },
        links: sampleMeta().links,
      })
      await expect(store.updateMeta(OTHER, (m) => m)).rejects.toThrow(StorageError)
    })

    it('removes an atlas with everything stored for it', async () => {
      const e = editor()
      await store.appendUpdates?.(ID, [e.edit('a', 1)])
      await store.storeDoc(`${ID}/plan`, Y.encodeStateAsUpdate(e.doc))
      await store.addVersion(ID, () => version(1))
      await store.removeAtlas(ID)
      await store.removeAtlas(OTHER)
      const again = await reopen()
      expect(await again.getMeta(ID)).toBeNull()
      expect(await again.loadDoc(ID)).toBeNull()
      expect(await again.loadDoc(`${ID}/plan`)).toBeNull()
      expect(await again.listVersions(ID)).toEqual([])
    })

    it('adds plan versions after the ones there are, and none to an unknown atlas', async () => {
      const first = await store.addVersion(ID, (existing) => version(existing.length + 1))
      expect(first.number).toBe(1)
      await store.addVersions(ID, (existing) => [
        version(existing.length + 1),
        version(existing.length + 2),
      ])
      const again = await reopen()
      expect((await again.listVersions(ID)).map((v) => v.number)).toEqual([1, 2, 3])
      expect(await again.listVersions(ID)).toEqual([version(1), version(2), version(3)])
      await expect(store.addVersion(OTHER, () => version(1))).rejects.toThrow(StorageError)
      expect(await store.listVersions(OTHER)).toEqual([])
    })

    it('keeps the access log from a time on, and drops what is older', async () => {
      await store.appendAccess(ID, [entry('2026-01-01T10:00:00.000Z')])
      await store.appendAccess(ID, [
        entry('2026-12-01T10:00:00.000Z'),
        entry('2026-12-02T10:00:00.000Z'),
      ])
      const since = new Date('2026-06-01T00:00:00.000Z')
      expect(await store.readAccess(ID, since)).toEqual([
        entry('2026-12-01T10:00:00.000Z'),
        entry('2026-12-02T10:00:00.000Z'),
      ])
      const again = await reopen()
      // The old entry is gone for good: even from the start of time it is not read.
      expect(await again.readAccess(ID, new Date(0))).toEqual([
        entry('2026-12-01T10:00:00.000Z'),
        entry('2026-12-02T10:00:00.000Z'),
      ])
      expect(await again.readAccess(OTHER, new Date(0))).toEqual([])
    })

    it('keeps the restores of the history in the access log, without content', async () => {
      const restored: AccessEntry[] = [
        { ...entry('2026-12-03T10:00:00.000Z'), event: 'restored-person' },
        { ...entry('2026-12-03T10:05:00.000Z'), event: 'restored-atlas' },
      ]
      await store.appendAccess(ID, restored)
      expect(await (await reopen()).readAccess(ID, new Date(0))).toEqual(restored)
    })

    it('keeps snapshots of the maps in order, drops those picked, and none of an unknown atlas', async () => {
      const e = editor()
      const states: Uint8Array[] = []
      // At most two kept: each addition drops the oldest beyond them.
      const keepTwo = (all: SnapshotInfo[]) => all.slice(0, Math.max(0, all.length - 2))
      for (const n of [1, 2, 3]) {
        e.edit('a', n)
        states.push(Y.encodeStateAsUpdate(e.doc))
        await store.addSnapshot(ID, snapshot(n), states[n - 1] as Uint8Array, keepTwo)
      }
      const again = await reopen()
      expect(await again.listSnapshots(ID)).toEqual([snapshot(2), snapshot(3)])
      expect(read(await again.loadSnapshot(ID, snapshot(3).id))).toEqual({ a: 3 })
      expect(await again.loadSnapshot(ID, snapshot(1).id)).toBeNull()
      expect(await again.loadSnapshot(OTHER, snapshot(3).id)).toBeNull()
      await again.removeSnapshots(ID, [snapshot(2).id])
      expect(await again.listSnapshots(ID)).toEqual([snapshot(3)])
      await again.addSnapshot(OTHER, snapshot(1), states[0] as Uint8Array, () => [])
      expect(await again.listSnapshots(OTHER)).toEqual([])
    })

    it('adds a snapshot only when the newest is old enough, with the links noted since the last', async () => {
      const state = Y.encodeStateAsUpdate(editor().doc)
      expect(await store.addSnapshot(ID, snapshot(1), state, () => [], 3_600_000)).toEqual(
        snapshot(1),
      )
      const early = { ...snapshot(2), at: '2026-12-01T10:30:00.000Z' }
      expect(await store.addSnapshot(ID, early, state, () => [], 3_600_000)).toBeNull()
      expect(await store.listSnapshots(ID)).toEqual([snapshot(1)])
      // Without the rule (a bulk change) it is added all the same.
      expect(await store.addSnapshot(ID, early, state, () => [])).toEqual(early)
      if (!store.noteEditors) return
      // A shared store keeps who edited for whichever server takes the next snapshot.
      await store.noteEditors(ID, ['bbbbbbbbbbbbbbbb', 'aaaaaaaaaaaaaaaa'])
      await store.noteEditors(ID, ['aaaaaaaaaaaaaaaa', 'gonegonegonegone'])
      await store.noteEditors(OTHER, ['aaaaaaaaaaaaaaaa'])
      const withNoted = await reopen().then((again) =>
        again.addSnapshot(ID, { ...snapshot(3), editors: [] }, state, () => [], 3_600_000),
      )
      const noted = [
        { label: '', role: 'edit' },
        { label: 'Buurvrouw', role: 'view' },
        { label: null, role: 'edit' },
      ]
      expect(withNoted?.editors).toEqual(noted)
      expect((await store.listSnapshots(ID))[2]?.editors).toEqual(noted)
      // Taken: the next snapshot names nobody.
      const next = await store.addSnapshot(ID, { ...snapshot(4), editors: [] }, state, () => [])
      expect(next?.editors).toEqual([])
    })

    it('erases an atlas with its snapshots, which an addition after it does not bring back', async () => {
      const e = editor()
      e.edit('a', 1)
      await store.addSnapshot(ID, snapshot(1), Y.encodeStateAsUpdate(e.doc), () => [])
      await store.eraseAtlas(ID, new Date('2026-12-05T10:00:00.000Z'))
      await store.addSnapshot(ID, snapshot(2), Y.encodeStateAsUpdate(e.doc), () => [])
      const again = await reopen()
      expect(await again.listSnapshots(ID)).toEqual([])
      expect(await again.loadSnapshot(ID, snapshot(1).id)).toBeNull()
    })

    it('erases an atlas: only the time of erasure stays, also after a restart', async () => {
      const e = editor()
      await store.storeDoc(ID, Y.encodeStateAsUpdate(e.doc))
      await store.appendAccess(ID, [entry('2026-12-01T10:00:00.000Z')])
      expect(store.erasedAt(ID)).toBeNull()
      await store.eraseAtlas(ID, new Date('2026-12-05T10:00:00.000Z'))
      expect(store.erasedAt(ID)).toBe('2026-12-05T10:00:00.000Z')
      expect(await store.getMeta(ID)).toBeNull()
      await store.appendAccess(ID, [entry(new Date().toISOString())])
      await expect(store.storeDoc(ID, Y.encodeStateAsUpdate(e.doc))).rejects.toThrow()
      const again = await reopen()
      expect(again.erasedAt(ID)).toBe('2026-12-05T10:00:00.000Z')
      expect(await again.getMeta(ID)).toBeNull()
      expect(await again.loadDoc(ID)).toBeNull()
      expect(await again.readAccess(ID, new Date(0))).toEqual([])
    })
  })
}
