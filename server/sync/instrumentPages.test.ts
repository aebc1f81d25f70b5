import type { TLRecord } from '@tldraw/tlschema'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { Role } from '../../shared/api/atlases'
import { buildSampleAtlas, seedAtlasDoc } from '../../shared/domain/sampleAtlas'
import { INSTRUMENTS, instrumentPageId } from '../../shared/schema/pages'
import { RecordsMap } from '../../shared/sync/records'
import { createLogger } from '../log'
import { SyncRefusal } from './errors'
import { RESTORE_ORIGIN } from './instrumentPages'
import { decodeClientMessage, encodeSyncStep1, encodeSyncStep2, encodeUpdate } from './protocol'
import { type Connection, Room } from './room'

const ID = 'AAAAAAAAAAAAAAAAAAAAAA'
const PAGE = instrumentPageId('relatiekaart')
/** Origin of what a device received from the room. */
const FROM_ROOM = Symbol('room')

/** Lets the room send what arrived in this event-loop turn. */
const endOfTurn = () => new Promise<void>((resolve) => setImmediate(resolve))

/** A device with its own doc, speaking the real protocol with the room; it can go offline. */
interface Device {
  doc: Y.Doc
  records: RecordsMap<TLRecord>
  online: boolean
  /** Connects (again): both sides send what the other lacks. */
  connect(): void
  disconnect(): void
}

function setup() {
  const logs: string[] = []
  const room = new Room(
    ID,
    null,
    createLogger('debug', (line) => logs.push(line)),
  )
  let restores = 0
  room.doc.on('afterTransaction', (tr: Y.Transaction) => {
    if (tr.origin === RESTORE_ORIGIN) restores++
  })

  const device = (role: Role = 'edit'): Device => {
    const doc = new Y.Doc()
    let conn: Connection | undefined
    const d: Device = {
      doc,
      records: new RecordsMap<TLRecord>(doc),
      online: false,
      connect() {
        const c: Connection = {
          role,
          send: (data) => {
            if (conn !== c) return
            const message = decodeClientMessage(data)
            if (message.kind === 'sync-step1') {
              room.receive(c, encodeSyncStep2(doc, message.stateVector))
            } else if (message.kind === 'sync-step2' || message.kind === 'update') {
              Y.applyUpdate(doc, message.update, FROM_ROOM)
            }
          },
        }
        conn = c
        d.online = true
        room.join(c)
        room.receive(c, encodeSyncStep1(doc))
      },
      disconnect() {
        if (conn) room.leave(conn)
        conn = undefined
        d.online = false
      },
    }
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== FROM_ROOM && conn) room.receive(conn, encodeUpdate(update))
    })
    d.connect()
    return d
  }

  return { room, logs, device, restores: () => restores }
}

/** The sample atlas, written by one device and synced to a second one. */
async function atlas() {
  const s = setup()
  const a = s.device()
  const b = s.device()
  seedAtlasDoc(a.doc, buildSampleAtlas({ thisYear: 2025 }))
  await endOfTurn()
  const original = a.records.toObject()
  expect(b.records.toObject()).toEqual(original)
  return { ...s, a, b, original }
}

/** What tldraw's deletePage takes away: the page, the shapes under it, their bindings. */
function pageWithContents(records: Record<string, TLRecord>, pageId: string): string[] {
  const ids = new Set<string>([pageId])
  for (let grew = true; grew; ) {
    grew = false
    for (const r of Object.values(records)) {
      if (r.typeName === 'shape' && !ids.has(r.id) && ids.has(r.parentId)) {
        ids.add(r.id)
        grew = true
      }
    }
  }
  for (const r of Object.values(records)) {
    if (r.typeName === 'binding' && (ids.has(r.fromId) || ids.has(r.toId))) ids.add(r.id)
  }
  return [...ids]
}

/** Every record, serialised as stored, by id. */
function json(records: RecordsMap<TLRecord>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [id, record] of Object.entries(records.toObject())) out[id] = JSON.stringify(record)
  return out
}

function expectAllEqual(original: Record<string, TLRecord>, ...docs: Y.Doc[]) {
  const expected: Record<string, string> = {}
  for (const [id, record] of Object.entries(original)) expected[id] = JSON.stringify(record)
  for (const doc of docs) expect(json(new RecordsMap<TLRecord>(doc))).toEqual(expected)
}

describe('the five instrument pages stay', () => {
  it('a deleted page record is written back, for every device and the sender', async () => {
    const { room, a, b, original, logs } = await atlas()
    a.doc.transact(() => a.records.delete(PAGE))
    await endOfTurn()
    expectAllEqual(original, room.doc, a.doc, b.doc)
    expect(logs.filter((l) => l.includes('instrument page restored'))).toEqual([
      expect.stringMatching(
        new RegExp(
          `warn instrument page restored atlas=${ID} role=edit pages=relatiekaart records=1$`,
        ),
      ),
    ])
  })

  it('another device never holds the atlas without the page, even in a calm room that sends a lone edit at once', async () => {
    const { room, a, b, original } = await atlas()
    // A lone edit in its own turn leaves the room calm: the next one goes out at once.
    const shape = Object.values(original).find((r) => r.typeName === 'shape') as TLRecord & {
      x: number
    }
    a.doc.transact(() => a.records.set({ ...shape, x: shape.x + 10 } as TLRecord))
    await endOfTurn()
    const pageAfterEachMessage: boolean[] = []
    b.doc.on('update', (_update: Uint8Array, origin: unknown) => {
      if (origin === FROM_ROOM) pageAfterEachMessage.push(b.records.map.has(PAGE))
    })
    a.doc.transact(() => a.records.delete(PAGE))
    await endOfTurn()
    // The deletion and its repair came as one message: the page was there after each.
    expect(pageAfterEachMessage).toEqual([true])
    expect(room.doc.getMap('records').has(PAGE)).toBe(true)
  })

  it('another device never sees a page renamed, even in a calm room', async () => {
    const { a, b, original } = await atlas()
    const shape = Object.values(original).find((r) => r.typeName === 'shape') as TLRecord & {
      x: number
    }
    a.doc.transact(() => a.records.set({ ...shape, x: shape.x + 10 } as TLRecord))
    await endOfTurn()
    const namesAfterEachMessage: unknown[] = []
    b.doc.on('update', (_update: Uint8Array, origin: unknown) => {
      if (origin === FROM_ROOM) {
        namesAfterEachMessage.push((b.records.map.get(PAGE) as Y.Map<unknown>).get('name'))
      }
    })
    a.doc.transact(() => (a.records.map.get(PAGE) as Y.Map<unknown>).set('name', 'Weg ermee'))
    await endOfTurn()
    expect(namesAfterEachMessage).toEqual([(original[PAGE] as { name: string }).name])
  })

  it('a rename, a changed index or meta are undone in the same map', async () => {
    const { room, a, b, original } = await atlas()
    const pageMap = room.doc.getMap('records').get(PAGE)
    a.doc.transact(() => {
      const fields = a.records.map.get(PAGE) as Y.Map<unknown>
      fields.set('name', 'Weg ermee')
      fields.set('index', 'a0')
      fields.set('meta', { stolen: true })
    })
    await endOfTurn()
    expectAllEqual(original, room.doc, a.doc, b.doc)
    // Only the fields were written back: the page's record map is the same one.
    expect(room.doc.getMap('records').get(PAGE)).toBe(pageMap)
  })

  it('a replaced entry is written back; one that is no record never arrives', async () => {
    const { room, a, b, original } = await atlas()
    a.doc.transact(() => {
      a.records.map.set(
        PAGE,
        new Y.Map<unknown>([
          ['id', PAGE],
          ['typeName', 'page'],
          ['name', 'X'],
          ['index', 'a9'],
          ['meta', {}],
        ]),
      )
    })
    await endOfTurn()
    expectAllEqual(original, room.doc, a.doc, b.doc)
    // The record check refuses it before the guard sees it (recordCheck.ts).
    expect(() =>
      a.doc.transact(() => {
        ;(a.records.map as Y.Map<unknown>).set(PAGE, 'not a record')
      }),
    ).toThrow(SyncRefusal)
    await endOfTurn()
    expectAllEqual(original, room.doc, b.doc)
  })

  it('a page deleted with its shapes and bindings in one transaction, as tldraw does, comes back whole', async () => {
    const { room, a, b, original, logs } = await atlas()
    const taken = pageWithContents(original, PAGE)
    const bindings = taken.filter((id) => id.startsWith('binding:'))
    expect(taken.length).toBeGreaterThan(10)
    expect(bindings.length).toBeGreaterThan(1)
    // Persons are entities: deleting a page leaves them, and so does this.
    const entities = Object.keys(original).filter((id) => id.startsWith('person:'))
    a.doc.transact(() => {
      for (const id of taken) a.records.delete(id as TLRecord['id'])
    })
    await endOfTurn()
    expectAllEqual(original, room.doc, a.doc, b.doc)
    expect(entities.every((id) => room.doc.getMap('records').has(id))).toBe(true)
    expect(logs.join('\n')).toContain(`pages=relatiekaart records=${taken.length}`)
    // No content in the log line: no names of people.
    expect(logs.join('\n')).not.toMatch(/Sanne|Relatiekaart/)
  })

  it('leaves alone what is not a page: moves, shape deletions, other pages', async () => {
    const { room, a, b, original, restores } = await atlas()
    const shapes = Object.values(original).filter(
      (r): r is Extract<TLRecord, { typeName: 'shape' }> =>
        r.typeName === 'shape' && r.parentId === PAGE && !r.isLocked,
    )
    const [moved, removed] = shapes
    if (!moved || !removed) throw new Error('the sample has no shapes to move')
    a.doc.transact(() => {
      const fields = a.records.map.get(moved.id) as Y.Map<unknown>
      fields.set('x', moved.x + 40)
      a.records.delete(removed.id)
      a.records.set({
        id: 'page:extra',
        typeName: 'page',
        name: 'Extra',
        index: 'a9',
        meta: {},
      } as TLRecord)
    })
    await endOfTurn()
    a.doc.transact(() => a.records.delete('page:extra' as TLRecord['id']))
    await endOfTurn()
    expect(restores()).toBe(0)
    const now = new RecordsMap<TLRecord>(room.doc)
    expect((now.get(moved.id) as typeof moved).x).toBe(moved.x + 40)
    expect(now.has(removed.id)).toBe(false)
    expect(now.has('page:extra')).toBe(false)
    expect(json(b.records)).toEqual(json(now))
  })

  it('two devices that create the pages at the same time write nothing back', async () => {
    const { room, device, restores, logs } = setup()
    const a = device()
    const b = device()
    a.disconnect()
    b.disconnect()
    seedAtlasDoc(a.doc, buildSampleAtlas({ thisYear: 2025 }))
    seedAtlasDoc(b.doc, buildSampleAtlas({ thisYear: 2025 }))
    a.connect()
    b.connect()
    await endOfTurn()
    expect(restores()).toBe(0)
    expect(logs.join('\n')).not.toContain('instrument page restored')
    expect(json(a.records)).toEqual(json(new RecordsMap(room.doc)))
    expect(json(b.records)).toEqual(json(a.records))
    for (const instrument of INSTRUMENTS)
      expect(a.records.has(instrumentPageId(instrument))).toBe(true)
  })

  it('a page made on two devices at once takes nothing: shape deletions synced with it stay', async () => {
    const { room, device, restores } = setup()
    const a = device()
    const b = device()
    a.disconnect()
    b.disconnect()
    // B's items win every tie, so B's copy of each record replaces A's on the server.
    a.doc.clientID = 1
    b.doc.clientID = 2
    const records = buildSampleAtlas({ thisYear: 2025 })
    seedAtlasDoc(a.doc, records)
    seedAtlasDoc(b.doc, records)
    const shape = records.find(
      (r) => r.typeName === 'shape' && r.parentId === PAGE && r.type === 'person',
    )
    if (!shape) throw new Error('no person view on the relatiekaart')
    b.doc.transact(() => b.records.delete(shape.id))
    a.connect()
    await endOfTurn()
    b.connect()
    await endOfTurn()
    expect(restores()).toBe(0)
    expect(new RecordsMap(room.doc).has(shape.id)).toBe(false)
    expect(json(a.records)).toEqual(json(b.records))
  })

  it('a page deleted offline comes back when the device syncs; the others keep their edits', async () => {
    const { room, a, b, original } = await atlas()
    a.disconnect()
    const taken = pageWithContents(original, PAGE)
    a.doc.transact(() => {
      for (const id of taken) a.records.delete(id as TLRecord['id'])
    })
    // Meanwhile someone else moves a person on that page.
    const shape = Object.values(original).find(
      (r) => r.typeName === 'shape' && r.parentId === PAGE && r.type === 'person',
    )
    if (!shape) throw new Error('no person view on the relatiekaart')
    b.doc.transact(() => (b.records.map.get(shape.id) as Y.Map<unknown>).set('x', 1234))
    await endOfTurn()
    a.connect()
    await endOfTurn()
    await endOfTurn()
    const expected = { ...original, [shape.id]: { ...original[shape.id], x: 1234 } as TLRecord }
    for (const doc of [room.doc, a.doc, b.doc]) {
      const records = new RecordsMap<TLRecord>(doc).toObject()
      expect(records).toEqual(expected)
    }
  })

  it('a shape whose new field value the server still waits for is not written back incomplete', async () => {
    const { room, a, b, original } = await atlas()
    const shape = Object.values(original).find(
      (r) => r.typeName === 'shape' && r.parentId === PAGE && r.type === 'person',
    )
    if (!shape) throw new Error('no person view on the relatiekaart')
    // A third device makes two edits; the server gets the second first. Its move of the shape
    // deletes the old x at once, while the new x waits for the first edit.
    const c = new Y.Doc()
    Y.applyUpdate(c, Y.encodeStateAsUpdate(a.doc))
    const updates: Uint8Array[] = []
    c.on('update', (update: Uint8Array) => updates.push(update))
    new RecordsMap(c).set({ ...original['document:document'], name: 'Ander' } as TLRecord)
    ;(new RecordsMap(c).map.get(shape.id) as Y.Map<unknown>).set('x', 999)
    const [first, second] = updates as [Uint8Array, Uint8Array]
    const conn: Connection = { role: 'edit', send: () => {} }
    room.join(conn)
    // The room refuses such an update whole; the guard must hold on a document that keeps
    // waiting structs all the same (one stored before that refusal existed).
    expect(() => room.receive(conn, encodeUpdate(second))).toThrow(SyncRefusal)
    Y.applyUpdate(room.doc, second, conn)
    await endOfTurn()
    expect(new RecordsMap<TLRecord>(room.doc).get(shape.id)).not.toHaveProperty('x')

    a.doc.transact(() => {
      for (const id of pageWithContents(original, PAGE)) a.records.delete(id as TLRecord['id'])
    })
    Y.applyUpdate(room.doc, first, conn)
    await endOfTurn()
    // The page and its complete shapes are back; the incomplete one stays deleted, everywhere.
    const now = new RecordsMap<TLRecord>(room.doc).toObject()
    expect(now[PAGE]).toEqual(original[PAGE])
    expect(now[shape.id]).toBeUndefined()
    for (const record of Object.values(now)) {
      if (record.typeName === 'shape') expect(record, record.id).toHaveProperty('x')
    }
    expect(json(a.records)).toEqual(json(new RecordsMap(room.doc)))
    expect(json(b.records)).toEqual(json(a.records))
  })

  it('concurrent renames from two devices end with the page as it was', async () => {
    const { room, a, b, original } = await atlas()
    a.disconnect()
    b.disconnect()
    ;(a.records.map.get(PAGE) as Y.Map<unknown>).set('name', 'Van A')
    ;(b.records.map.get(PAGE) as Y.Map<unknown>).set('name', 'Van B')
    a.connect()
    b.connect()
    await endOfTurn()
    await endOfTurn()
    expectAllEqual(original, room.doc, a.doc, b.doc)
  })
})
