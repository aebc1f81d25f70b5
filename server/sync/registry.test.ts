import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { Role } from '../../shared/api/atlases'
import { createLogger } from '../log'
import { MemoryAtlasStore } from '../storage/memory'
import { decodeClientMessage, encodeSyncStep1, encodeUpdate } from './protocol'
import { RoomRegistry } from './registry'
import type { Connection } from './room'

const ID = 'AAAAAAAAAAAAAAAAAAAAAA'

function conn(role: Role): Connection & { received: Uint8Array[] } {
  const received: Uint8Array[] = []
  return { role, received, send: (data) => received.push(data) }
}

function setup(timing = { debounceMs: 20, maxWaitMs: 50 }) {
  const store = new MemoryAtlasStore()
  const logs: string[] = []
  let loads = 0
  const counting = {
    loadDoc: (id: string) => {
      loads++
      return store.loadDoc(id)
    },
    storeDoc: (id: string, state: Uint8Array) => store.storeDoc(id, state),
  }
  const registry = new RoomRegistry(
    counting,
    timing,
    createLogger('debug', (l) => logs.push(l)),
  )
  return { store, registry, logs, loads: () => loads }
}

function editUpdate(key: string): Uint8Array {
  const doc = new Y.Doc()
  doc.getMap('records').set(key, { id: key })
  return Y.encodeStateAsUpdate(doc)
}

function stored(store: MemoryAtlasStore): Y.Doc {
  const doc = new Y.Doc()
  const state = store.docs.get(ID)
  if (state) Y.applyUpdate(doc, state)
  return doc
}

describe('RoomRegistry', () => {
  it('loads an atlas once when many clients join at the same moment', async () => {
    const { registry, loads } = setup()
    const rooms = await Promise.all(
      Array.from({ length: 10 }, () => registry.join(ID, conn('edit'))),
    )
    expect(new Set(rooms).size).toBe(1)
    expect(rooms[0]?.size).toBe(10)
    expect(loads()).toBe(1)
  })

  it('saves an edit after the debounce, and at the latest after the max wait', async () => {
    const { registry, store } = setup({ debounceMs: 30, maxWaitMs: 60 })
    const a = conn('edit')
    const room = await registry.join(ID, a)
    const started = Date.now()
    // Keep editing faster than the debounce: the max wait must still save.
    let i = 0
    while (!store.docs.has(ID)) {
      room.receive(a, encodeUpdate(editUpdate(`k${i++}`)))
      await new Promise((r) => setTimeout(r, 5))
      if (Date.now() - started > 2000) throw new Error('never saved')
    }
    expect(Date.now() - started).toBeLessThan(500)
    expect(stored(store).getMap('records').size).toBeGreaterThan(0)
  })

  it('saves and unloads a room when the last connection leaves; flushAll saves pending edits', async () => {
    const { registry, store } = setup({ debounceMs: 1000, maxWaitMs: 1000 })
    const a = conn('edit')
    const b = conn('edit')
    const room = await registry.join(ID, a)
    await registry.join(ID, b)
    room.receive(a, encodeUpdate(editUpdate('one')))
    await registry.flushAll()
    expect(stored(store).getMap('records').has('one')).toBe(true)
    room.receive(b, encodeUpdate(editUpdate('two')))
    await registry.leave(ID, a)
    expect(registry.openIds).toEqual([ID])
    await registry.leave(ID, b)
    expect(registry.openIds).toEqual([])
    expect(stored(store).getMap('records').has('two')).toBe(true)
  })

  it('relays edits to the other connections, not back to the sender', async () => {
    const { registry } = setup()
    const a = conn('edit')
    const b = conn('view')
    const room = await registry.join(ID, a)
    await registry.join(ID, b)
    a.received.length = 0
    b.received.length = 0
    room.receive(a, encodeUpdate(editUpdate('x')))
    expect(a.received).toEqual([])
    expect(b.received.map((m) => decodeClientMessage(m).kind)).toEqual(['update'])
  })

  it('does not ask a view connection for its state, and drops its writes', async () => {
    const { registry, logs } = setup()
    const viewer = conn('view')
    const room = await registry.join(ID, viewer)
    expect(viewer.received).toEqual([])
    const before = Y.encodeStateAsUpdate(room.doc)
    room.receive(viewer, encodeUpdate(editUpdate('x')))
    room.receive(viewer, encodeUpdate(editUpdate('y')))
    expect(Y.encodeStateAsUpdate(room.doc)).toEqual(before)
    expect(logs.filter((l) => l.includes('write refused'))).toHaveLength(1)
    room.receive(viewer, encodeSyncStep1(new Y.Doc()))
    expect(viewer.received).toHaveLength(1)
  })

  it('reports a document that cannot be loaded, and can try again later', async () => {
    const { registry, store } = setup()
    store.docs.set(ID, new Uint8Array([1, 2, 3, 4, 5]))
    await expect(registry.join(ID, conn('edit'))).rejects.toThrow()
    expect(registry.openIds).toEqual([])
    store.docs.delete(ID)
    await expect(registry.join(ID, conn('edit'))).resolves.toBeDefined()
  })
})
