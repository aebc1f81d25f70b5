import * as encoding from 'lib0/encoding'
import { describe, expect, it, vi } from 'vitest'

const realSetTimeout = globalThis.setTimeout

import { Awareness, applyAwarenessUpdate } from 'y-protocols/awareness'
import * as Y from 'yjs'
import type { Role } from '../../shared/api/atlases'
import { CloseCode } from '../../shared/sync/layout'
import { moveShape, writeShape } from '../../tests/helpers/clients'
import { createLogger } from '../log'
import { MemoryAtlasStore } from '../storage/memory'
import { SyncRefusal } from './errors'
import { DEFAULT_SYNC_LIMITS, type SyncLimits } from './limits'
import { encodePresence } from './presence'
import { decodeClientMessage, encodeAwareness, encodeSyncStep1, encodeUpdate } from './protocol'
import { RoomLimitError, RoomRegistry, type SaveTiming } from './registry'
import type { Connection } from './room'

const ID = 'AAAAAAAAAAAAAAAAAAAAAA'

function conn(role: Role, link?: string): Connection & { received: Uint8Array[] } {
  const received: Uint8Array[] = []
  return { role, link, received, send: (data) => received.push(data) }
}

function setup(
  timing: SaveTiming = { debounceMs: 20, maxWaitMs: 50 },
  limits: Partial<SyncLimits> = {},
) {
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
    undefined,
    { ...DEFAULT_SYNC_LIMITS, ...limits },
  )
  return { store, registry, logs, loads: () => loads }
}

/** `[awareness, update]` with these states, as any client could send it. */
function presenceMessage(entries: { client: number; clock: number; state: unknown }[]) {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, 1)
  encoding.writeVarUint8Array(
    encoder,
    encodePresence(
      entries.map(({ client, clock, state }) => ({
        client,
        clock,
        json: new TextEncoder().encode(JSON.stringify(state)),
      })),
    ),
  )
  return encoding.toUint8Array(encoder)
}

async function waitUntil(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 5))
  }
}

/** Lets the room send what arrived in this event-loop turn. */
const endOfTurn = () => new Promise<void>((resolve) => setImmediate(resolve))

/** The record keys in the update messages a connection received, applied to a fresh doc. */
function recordKeys(received: Uint8Array[]): string[] {
  const doc = new Y.Doc()
  for (const data of received) {
    const message = decodeClientMessage(data)
    if (message.kind === 'update') Y.applyUpdate(doc, message.update)
  }
  return [...doc.getMap('records').keys()].map((key) => key.replace(/^shape:/, '')).sort()
}

function editUpdate(key: string): Uint8Array {
  const doc = new Y.Doc()
  writeShape(doc, key, { x: 0, y: 0 })
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

  it('saves a room edited faster than its debounce with two timers, at the max wait', async () => {
    const { registry, store } = setup({ debounceMs: 30, maxWaitMs: 300 })
    const a = conn('edit')
    const room = await registry.join(ID, a)
    // The timers longer than the edits' own 5 ms pauses: each one set is a wake of the process.
    const delays: number[] = []
    const spy = vi.spyOn(globalThis, 'setTimeout').mockImplementation(((
      fn: () => void,
      ms?: number,
    ) => {
      if ((ms ?? 0) > 5) delays.push(ms ?? 0)
      return realSetTimeout(fn, ms)
    }) as typeof setTimeout)
    const started = Date.now()
    try {
      let i = 0
      while (!store.docs.has(ID)) {
        room.receive(a, encodeUpdate(editUpdate(`k${i++}`)))
        await new Promise((r) => realSetTimeout(r, 5))
        if (Date.now() - started > 2000) throw new Error('never saved')
      }
    } finally {
      spy.mockRestore()
    }
    // One for the debounce, one for the rest of the max wait (not one after each pause).
    expect(delays).toHaveLength(2)
    expect(delays[0]).toBe(30)
    expect((delays[0] as number) + (delays[1] as number)).toBeLessThanOrEqual(300)
  })

  it('saves and unloads a room when the last connection leaves; flushAll saves pending edits', async () => {
    const { registry, store } = setup({ debounceMs: 1000, maxWaitMs: 1000 })
    const a = conn('edit')
    const b = conn('edit')
    const room = await registry.join(ID, a)
    await registry.join(ID, b)
    room.receive(a, encodeUpdate(editUpdate('one')))
    await registry.flushAll()
    expect(stored(store).getMap('records').has('shape:one')).toBe(true)
    room.receive(b, encodeUpdate(editUpdate('two')))
    await registry.leave(ID, a)
    expect(registry.openIds).toEqual([ID])
    await registry.leave(ID, b)
    expect(registry.openIds).toEqual([])
    expect(stored(store).getMap('records').has('shape:two')).toBe(true)
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
    await endOfTurn()
    expect(a.received).toEqual([])
    expect(b.received.map((m) => decodeClientMessage(m).kind)).toEqual(['update'])
  })

  it('sends edits and presence that arrive in one turn as one message each', async () => {
    const { registry } = setup()
    const [a, b, c] = [conn('edit'), conn('edit'), conn('view')]
    const room = await registry.join(ID, a)
    await registry.join(ID, b)
    await registry.join(ID, c)
    await endOfTurn()
    // A turn of two edits makes the room busy (see the next test): what follows all waits.
    room.receive(a, encodeUpdate(editUpdate('k0')))
    room.receive(b, encodeUpdate(editUpdate('k00')))
    await endOfTurn()
    for (const x of [a, b, c]) x.received.length = 0

    // Three edits from a: one message to b and c, none back to a.
    for (const key of ['k1', 'k2', 'k3']) room.receive(a, encodeUpdate(editUpdate(key)))
    expect(c.received).toEqual([])
    await endOfTurn()
    expect(a.received).toEqual([])
    expect(b.received).toHaveLength(1)
    expect(c.received).toHaveLength(1)
    expect(recordKeys(c.received)).toEqual(['k1', 'k2', 'k3'])

    // Edits of two people in one turn: one merge for everyone (the senders ignore their own part).
    for (const x of [a, b, c]) x.received.length = 0
    room.receive(a, encodeUpdate(editUpdate('k4')))
    room.receive(b, encodeUpdate(editUpdate('k5')))
    await endOfTurn()
    for (const x of [a, b, c]) {
      expect(x.received).toHaveLength(1)
      expect(recordKeys(x.received)).toEqual(['k4', 'k5'])
    }

    // Three presence changes of two clients: one message with the latest state of each.
    for (const x of [a, b, c]) x.received.length = 0
    const peerA = new Awareness(new Y.Doc())
    const peerB = new Awareness(new Y.Doc())
    peerA.setLocalState({ cursor: 1 })
    room.receive(a, encodeAwareness(peerA))
    peerA.setLocalState({ cursor: 2 })
    room.receive(a, encodeAwareness(peerA))
    peerB.setLocalState({ cursor: 9 })
    room.receive(b, encodeAwareness(peerB))
    await endOfTurn()
    for (const x of [a, b, c]) expect(x.received).toHaveLength(1)
    const seen = new Awareness(new Y.Doc())
    const message = decodeClientMessage(c.received[0] as Uint8Array)
    if (message.kind !== 'awareness') throw new Error(`expected presence, got ${message.kind}`)
    applyAwarenessUpdate(seen, encodePresence(message.entries), null)
    expect(seen.getStates().get(peerA.clientID)).toEqual({ cursor: 2 })
    expect(seen.getStates().get(peerB.clientID)).toEqual({ cursor: 9 })
  })

  it('sends a lone edit at once; after a turn of several, the next turn goes out as one', async () => {
    const { registry } = setup()
    const [a, b, c] = [conn('edit'), conn('edit'), conn('view')]
    const room = await registry.join(ID, a)
    await registry.join(ID, b)
    await registry.join(ID, c)
    await endOfTurn()
    for (const x of [a, b, c]) x.received.length = 0
    const updates = (x: { received: Uint8Array[] }) =>
      x.received.filter((m) => decodeClientMessage(m).kind === 'update')

    // A calm room: the edit is sent before receive returns, not at the end of the turn.
    room.receive(a, encodeUpdate(editUpdate('k1')))
    expect(updates(b)).toHaveLength(1)
    expect(updates(c)).toHaveLength(1)
    expect(updates(a)).toEqual([])
    await endOfTurn()
    expect(updates(c)).toHaveLength(1)

    // Three in one turn: the first at once, the other two merged at the end of the turn.
    for (const x of [a, b, c]) x.received.length = 0
    for (const key of ['k2', 'k3', 'k4']) room.receive(a, encodeUpdate(editUpdate(key)))
    expect(updates(c)).toHaveLength(1)
    await endOfTurn()
    expect(updates(c)).toHaveLength(2)
    expect(recordKeys(c.received)).toEqual(['k2', 'k3', 'k4'])

    // Busy: the next turn's edits all wait and go out as one message.
    for (const x of [a, b, c]) x.received.length = 0
    room.receive(a, encodeUpdate(editUpdate('k5')))
    room.receive(b, encodeUpdate(editUpdate('k6')))
    expect(c.received).toEqual([])
    await endOfTurn()
    expect(updates(c)).toHaveLength(1)
    expect(recordKeys(c.received)).toEqual(['k5', 'k6'])

    // One edit in a busy turn waits too, and makes the room calm again.
    for (const x of [a, b, c]) x.received.length = 0
    room.receive(a, encodeUpdate(editUpdate('k7')))
    expect(c.received).toEqual([])
    await endOfTurn()
    expect(recordKeys(c.received)).toEqual(['k7'])
    room.receive(a, encodeUpdate(editUpdate('k8')))
    expect(recordKeys(c.received)).toEqual(['k7', 'k8'])
  })

  it('refuses an edit that builds on what it lacks: nothing applied, sent on or saved', async () => {
    const { registry, store } = setup()
    const [a, b] = [conn('edit'), conn('edit')]
    const room = await registry.join(ID, a)
    await registry.join(ID, b)
    // Two edits of one device; b passes on only the second, which waits for the first.
    const device = new Y.Doc()
    writeShape(device, 'first', { x: 1, y: 0 })
    const first = Y.encodeStateAsUpdate(device)
    const before = Y.encodeStateVector(device)
    writeShape(device, 'second', { x: 2, y: 0 })
    const second = Y.encodeStateAsUpdate(device, before)
    const state = Y.encodeStateAsUpdate(room.doc)
    expect(() => room.receive(b, encodeUpdate(second))).toThrow(
      expect.objectContaining({ code: CloseCode.UpdateRefused, why: 'incomplete' }),
    )
    await endOfTurn()
    expect(Y.encodeStateAsUpdate(room.doc)).toEqual(state)
    expect(room.doc.store.pendingStructs).toBeNull()
    expect(a.received.filter((m) => decodeClientMessage(m).kind === 'update')).toEqual([])
    // Complete, in order, both are taken.
    room.receive(a, encodeUpdate(first))
    room.receive(a, encodeUpdate(second))
    await endOfTurn()
    expect(recordKeys(b.received)).toEqual(['first', 'second'])
    await registry.flushAll()
    expect([...stored(store).getMap('records').keys()].sort()).toEqual([
      'shape:first',
      'shape:second',
    ])
  })

  it('drops what a stored state left waiting, and never sends it', async () => {
    const { registry, store, logs } = setup()
    const device = new Y.Doc()
    writeShape(device, 'first', { x: 1, y: 0 })
    const before = Y.encodeStateVector(device)
    writeShape(device, 'second', { x: 2, y: 0 })
    store.docs.set(ID, Y.encodeStateAsUpdate(device, before))
    const room = await registry.join(ID, conn('edit'))
    expect(room.doc.store.pendingStructs).toBeNull()
    expect(Y.decodeUpdate(Y.encodeStateAsUpdate(room.doc)).structs).toEqual([])
    expect(logs.some((l) => l.includes('waiting changes dropped'))).toBe(true)
  })

  it('answers full states and presence queries at a rate per connection', async () => {
    const { registry } = setup(undefined, { syncAnswersPerMinute: 3, presenceQueriesPerMinute: 2 })
    const a = conn('view')
    const room = await registry.join(ID, a)
    for (let i = 0; i < 3; i++) room.receive(a, encodeSyncStep1(new Y.Doc()))
    expect(a.received).toHaveLength(3)
    // The same whole state, encoded once while the document is unchanged.
    expect(a.received[1]).toBe(a.received[0])
    expect(() => room.receive(a, encodeSyncStep1(new Y.Doc()))).toThrow(
      new SyncRefusal(
        CloseCode.TooManyRequests,
        'Too many full-state requests',
        'sync step 1 rate',
      ),
    )
    const query = new Uint8Array([3])
    room.receive(a, query)
    room.receive(a, query)
    expect(() => room.receive(a, query)).toThrow(
      expect.objectContaining({ code: CloseCode.TooManyRequests }),
    )
    // Another connection has its own allowance.
    const b = conn('view')
    await registry.join(ID, b)
    room.receive(b, encodeSyncStep1(new Y.Doc()))
    expect(b.received).toHaveLength(1)
  })

  it('lets a connection set and remove only the presence it introduced', async () => {
    const { registry } = setup()
    const [owner, other, watcher] = [
      conn('edit', 'edit link'),
      conn('view', 'view link'),
      conn('view'),
    ]
    const room = await registry.join(ID, owner)
    await registry.join(ID, other)
    await registry.join(ID, watcher)
    const mine = new Awareness(new Y.Doc())
    mine.setLocalState({ name: 'Sanne' })
    room.receive(owner, encodeAwareness(mine))
    const id = mine.clientID
    // Another connection cannot take the id over, pin it with a high clock, or remove it.
    const fake = (clock: number, state: unknown) => presenceMessage([{ client: id, clock, state }])
    room.receive(other, fake(1_000_000, { name: 'Nep' }))
    room.receive(other, fake(2_000_000, null))
    expect(room.awareness.getStates().get(id)).toEqual({ name: 'Sanne' })
    // Its own first id is its own; a second id is not.
    const own = new Awareness(new Y.Doc())
    own.setLocalState({ name: 'Buurman' })
    room.receive(other, encodeAwareness(own))
    const third = new Awareness(new Y.Doc())
    third.setLocalState({ name: 'Nog een' })
    room.receive(other, encodeAwareness(third))
    expect(room.awareness.getStates().get(own.clientID)).toEqual({ name: 'Buurman' })
    expect(room.awareness.getStates().has(third.clientID)).toBe(false)
    // The owner's next state applies; when it leaves, its presence goes, and no other link
    // takes the id up afterwards.
    mine.setLocalState({ name: 'Sanne 2' })
    room.receive(owner, encodeAwareness(mine))
    expect(room.awareness.getStates().get(id)).toEqual({ name: 'Sanne 2' })
    await registry.leave(ID, owner)
    expect(room.awareness.getStates().has(id)).toBe(false)
    const later = conn('view', 'view link')
    await registry.join(ID, later)
    room.receive(later, fake(3_000_000, { name: 'Nep' }))
    expect(room.awareness.getStates().has(id)).toBe(false)
    // The same link coming back (the owner's device reconnecting) takes it up again.
    const back = conn('edit', 'edit link')
    await registry.join(ID, back)
    mine.setLocalState({ name: 'Sanne 3' })
    room.receive(back, encodeAwareness(mine))
    expect(room.awareness.getStates().get(id)).toEqual({ name: 'Sanne 3' })
  })

  it('applies presence at most at its rate, and the latest state in the end', async () => {
    const { registry } = setup(undefined, { presenceUpdatesPerSecond: 5 })
    const [a, b] = [conn('edit'), conn('view')]
    const room = await registry.join(ID, a)
    await registry.join(ID, b)
    const peer = new Awareness(new Y.Doc())
    let applied = 0
    room.awareness.on('update', () => applied++)
    for (let i = 0; i < 50; i++) {
      peer.setLocalState({ cursor: i })
      room.receive(a, encodeAwareness(peer))
    }
    expect(applied).toBe(5)
    await waitUntil(() => room.awareness.getStates().get(peer.clientID)?.cursor === 49)
    expect(applied).toBe(6)
    // Too large a state is dropped whole.
    const big = setup(undefined, { maxPresenceBytes: 100 })
    const bigRoom = await big.registry.join(ID, a)
    peer.setLocalState({ blob: 'x'.repeat(200) })
    bigRoom.receive(a, encodeAwareness(peer))
    expect(bigRoom.awareness.getStates().size).toBe(0)
  })

  it('refuses writes once a document reaches its size limit', async () => {
    const { registry } = setup(undefined, { maxDocumentBytes: 2000 })
    const a = conn('edit')
    const room = await registry.join(ID, a)
    room.receive(a, encodeUpdate(editUpdate('x'.repeat(400))))
    expect(() => room.receive(a, encodeUpdate(editUpdate('y'.repeat(600))))).toThrow(
      expect.objectContaining({ code: CloseCode.DocumentTooLarge }),
    )
    expect(room.doc.getMap('records').size).toBe(1)
  })

  it('keeps a large empty room for a while, so that coming back does not load it again', async () => {
    const { registry, loads, store } = setup({ debounceMs: 5, maxWaitMs: 10, idleMs: 100 })
    const a = conn('edit')
    // A small room is unloaded at once: loading it again costs little.
    await registry.join('SSSSSSSSSSSSSSSSSSSSSS', a)
    await registry.leave('SSSSSSSSSSSSSSSSSSSSSS', a)
    expect(registry.openIds).toEqual([])
    store.docs.set(ID, editUpdate('x'.repeat(1024 * 1024)))
    await registry.join(ID, a)
    await registry.leave(ID, a)
    expect(registry.openIds).toEqual([ID])
    const b = conn('edit')
    await registry.join(ID, b)
    expect(loads()).toBe(2)
    await registry.leave(ID, b)
    await waitUntil(() => registry.openIds.length === 0)
    // An idle room gives way at once to one that must be loaded.
    const capped = setup({ debounceMs: 5, maxWaitMs: 10, idleMs: 60_000 }, { maxOpenRooms: 1 })
    capped.store.docs.set('AAAAAAAAAAAAAAAAAAAAAA', editUpdate('x'.repeat(1024 * 1024)))
    await capped.registry.join('AAAAAAAAAAAAAAAAAAAAAA', a)
    await capped.registry.leave('AAAAAAAAAAAAAAAAAAAAAA', a)
    await capped.registry.join('BBBBBBBBBBBBBBBBBBBBBB', b)
    expect(capped.registry.openIds).toEqual(['BBBBBBBBBBBBBBBBBBBBBB'])
    await capped.registry.leave('BBBBBBBBBBBBBBBBBBBBBB', b)
    await capped.registry.flushAll()
  })

  it('takes a full update at once, then structs at their rate per connection', async () => {
    const { registry } = setup(undefined, { maxUpdateStructs: 100, updateStructsPerMinute: 60 })
    const a = conn('edit')
    const room = await registry.join(ID, a)
    const device = new Y.Doc()
    const updates: Uint8Array[] = []
    device.on('update', (u: Uint8Array) => updates.push(u))
    // A record is 13 structs: its entry and 12 fields.
    device.transact(() => {
      for (let i = 0; i < 7; i++) writeShape(device, `k${i}`, { x: i, y: 0 })
    })
    device.transact(() => {
      for (let i = 0; i < 6; i++) moveShape(device, `k${i}`, 100 + i)
    })
    writeShape(device, 'one-more', { x: 1, y: 0 })
    // 91 structs (and their section) of 100, then 7: 1 left, too few for the next 14.
    room.receive(a, encodeUpdate(updates[0] as Uint8Array))
    room.receive(a, encodeUpdate(updates[1] as Uint8Array))
    expect(() => room.receive(a, encodeUpdate(updates[2] as Uint8Array))).toThrow(
      expect.objectContaining({ code: CloseCode.TooManyRequests, why: 'struct rate' }),
    )
    expect(room.doc.getMap('records').size).toBe(7)
  })

  it('holds at most maxOpenRooms: idle ones are unloaded first, busy ones refuse more', async () => {
    const { registry } = setup(undefined, { maxOpenRooms: 2 })
    const [a, b] = [conn('edit'), conn('edit')]
    await registry.join('AAAAAAAAAAAAAAAAAAAAAA', a)
    await registry.join('BBBBBBBBBBBBBBBBBBBBBB', b)
    await expect(registry.join('CCCCCCCCCCCCCCCCCCCCCC', conn('edit'))).rejects.toThrow(
      RoomLimitError,
    )
    await registry.leave('AAAAAAAAAAAAAAAAAAAAAA', a)
    await expect(registry.join('CCCCCCCCCCCCCCCCCCCCCC', conn('edit'))).resolves.toBeDefined()
    expect(registry.openIds.sort()).toEqual(['BBBBBBBBBBBBBBBBBBBBBB', 'CCCCCCCCCCCCCCCCCCCCCC'])
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

/** A store that can append, and notes every write: 'append' or 'snapshot'. */
function loggingStore() {
  const memory = new MemoryAtlasStore()
  const writes: Array<'append' | 'snapshot'> = []
  const store = {
    checksLoadedState: true,
    loadDoc: (id: string) => memory.loadDoc(id),
    storeDoc: async (id: string, state: Uint8Array) => {
      writes.push('snapshot')
      await memory.storeDoc(id, state)
    },
    appendUpdates: async (id: string, updates: readonly Uint8Array[]) => {
      writes.push('append')
      await memory.appendUpdates(id, updates)
    },
  }
  return { memory, store, writes }
}

/** An update of about `bytes` bytes (one record with a long text). */
function bigUpdate(key: string, bytes: number): Uint8Array {
  const doc = new Y.Doc()
  writeShape(doc, key, { x: 0, y: 0, text: 'x'.repeat(bytes) })
  return Y.encodeStateAsUpdate(doc)
}

const until = async (condition: () => boolean, what: string) => {
  const started = Date.now()
  while (!condition()) {
    if (Date.now() - started > 3000) throw new Error(`timed out: ${what}`)
    await new Promise((r) => setTimeout(r, 5))
  }
}

describe('RoomRegistry saves while people edit', () => {
  it('appends the first save of a new atlas, and writes the snapshot only once the room is quiet', async () => {
    const { store, writes, memory } = loggingStore()
    const registry = new RoomRegistry(
      store,
      { debounceMs: 10, maxWaitMs: 20, compactIdleMs: 150 },
      createLogger('silent'),
    )
    const a = conn('edit')
    const room = await registry.join(ID, a)
    // A seed bigger than the smallest log worth folding, then edits that keep coming.
    room.receive(a, encodeUpdate(bigUpdate('seed', 100_000)))
    const editing = setInterval(
      () => room.receive(a, encodeUpdate(editUpdate(`k${Date.now()}`))),
      20,
    )
    await new Promise((r) => setTimeout(r, 400))
    clearInterval(editing)
    expect(writes.length).toBeGreaterThan(3)
    expect(new Set(writes)).toEqual(new Set(['append']))
    await until(() => writes.includes('snapshot'), 'the snapshot once quiet')
    expect(writes.filter((w) => w === 'snapshot')).toHaveLength(1)
    expect(stored(memory).getMap('records').has('shape:seed')).toBe(true)
  })

  it('folds a log that keeps growing without a pause into a snapshot while people edit', async () => {
    const { store, writes } = loggingStore()
    const registry = new RoomRegistry(
      store,
      { debounceMs: 5, maxWaitMs: 10, compactIdleMs: 60_000 },
      createLogger('silent'),
    )
    const a = conn('edit')
    const room = await registry.join(ID, a)
    // 64 KB is the smallest log allowance; a log of more than four times that is folded.
    for (let i = 0; i < 5; i++) {
      room.receive(a, encodeUpdate(bigUpdate(`big${i}`, 60_000)))
      await until(() => writes.length === i + 1, `save ${i + 1}`)
    }
    expect(writes).toEqual(['append', 'append', 'append', 'append', 'snapshot'])
    await registry.flushAll()
  })
})

describe('RoomRegistry first sync of a cold atlas', () => {
  it('lets a waiting join answer from the stored state before the room is built', async () => {
    const { store, memory } = loggingStore()
    const state = editUpdate('stored')
    await memory.storeDoc(ID, state)
    const registry = new RoomRegistry(
      store,
      { debounceMs: 20, maxWaitMs: 50 },
      createLogger('silent'),
    )
    const answered: Uint8Array[] = []
    const room = await registry.join(ID, conn('edit'), async (bytes) => {
      answered.push(bytes)
      return { flushed: Promise.resolve() }
    })
    expect(answered).toEqual([state])
    expect(room.doc.getMap('records').has('shape:stored')).toBe(true)
    // An open room answers from its document, never from storage.
    const late: Uint8Array[] = []
    await registry.join(ID, conn('edit'), async (bytes) => {
      late.push(bytes)
      return undefined
    })
    expect(late).toEqual([])
  })

  it('does not answer from storage when the store does not check what it loads', async () => {
    const memory = new MemoryAtlasStore()
    await memory.storeDoc(ID, editUpdate('stored'))
    const registry = new RoomRegistry(
      memory,
      { debounceMs: 20, maxWaitMs: 50 },
      createLogger('silent'),
    )
    const answered: Uint8Array[] = []
    await registry.join(ID, conn('edit'), async (bytes) => {
      answered.push(bytes)
      return undefined
    })
    expect(answered).toEqual([])
  })
})
