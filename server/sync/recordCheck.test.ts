import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { buildSampleAtlas, seedAtlasDoc } from '../../shared/domain/sampleAtlas'
import { atlasSchema } from '../../shared/schema'
import { RecordsMap } from '../../shared/sync/records'
import { holdsShapeFields, pair, read, step } from '../../tests/helpers/recordCheck'
import { checkRecords } from './recordCheck'

/** What `change` writes on the client, held against the server's doc. */
function check(change: (client: Y.Doc, records: RecordsMap) => void) {
  const { server, client } = pair()
  const before = Y.encodeStateVector(client)
  client.transact(() => change(client, new RecordsMap(client)))
  return checkRecords(read(Y.encodeStateAsUpdate(client, before)), server)
}

function someShape(records: RecordsMap) {
  const shape = [...records.values()].find(
    (r) => r.typeName === 'shape' && (r as { type?: string }).type === 'person',
  )
  if (!shape) throw new Error('no person shape')
  return shape as unknown as { id: string; x: number; props: Record<string, unknown> }
}

describe('checkRecords', () => {
  it('takes the edits a client makes: a move, a new record, a deletion, a text edit', () => {
    expect(check((_, r) => r.set({ ...someShape(r), x: 123 } as never))).toBeNull()
    expect(
      check((_, r) => {
        const shape = someShape(r)
        r.set({ ...shape, id: 'shape:new-one', x: 5 } as never)
      }),
    ).toBeNull()
    expect(check((_, r) => r.delete(someShape(r).id as never))).toBeNull()
    expect(check((doc) => doc.getMap('meta').set('viewersMayExport', false))).toBeNull()
  })

  it('takes a long text typed into, and refuses a text where a field holds one value', () => {
    const poster = (r: RecordsMap) => [...r.values()].find((x) => x.typeName === 'poster') as never
    expect(
      check((_, r) => {
        const before = poster(r) as { story: string }
        r.set({ ...(before as object), story: `${before.story} en meer` } as never, before as never)
      }),
    ).toBeNull()
    expect(
      check((doc, r) => {
        const shape = someShape(r)
        ;(doc.getMap('records').get(shape.id) as Y.Map<unknown>).set('index', new Y.Text('a1'))
      })?.problem,
    ).toBe('not-a-record')
  })

  it('takes a whole atlas written into an empty document', () => {
    const server = new Y.Doc()
    const client = new Y.Doc()
    seedAtlasDoc(client, buildSampleAtlas())
    expect(checkRecords(read(Y.encodeStateAsUpdate(client)), server)).toBeNull()
  })

  it('takes an update that sends again what the server already has', () => {
    const { server, client } = pair()
    const before = Y.encodeStateVector(client)
    const records = new RecordsMap(client)
    client.transact(() => records.set({ ...someShape(records), id: 'shape:again', x: 1 } as never))
    const update = Y.encodeStateAsUpdate(client, before)
    Y.applyUpdate(server, update)
    expect(checkRecords(read(update), server)).toBeNull()
  })

  it('refuses a value other than a record map in the records', () => {
    expect(check((doc) => doc.getMap('records').set('shape:x', 42))?.problem).toBe('not-a-record')
    expect(check((doc) => doc.getMap('records').set('shape:x', { id: 'shape:x' }))?.problem).toBe(
      'not-a-record',
    )
  })

  it('refuses a record of the wrong shape, an unknown shape type, a removed field', () => {
    expect(check((_, r) => r.set({ ...someShape(r), x: 'far away' } as never))?.problem).toBe(
      'invalid',
    )
    expect(
      check((_, r) => r.set({ ...someShape(r), id: 'shape:z', type: 'rocket' } as never))?.problem,
    ).toBe('invalid')
    expect(
      check((_, r) => {
        const shape = someShape(r) as unknown as Record<string, unknown>
        const { props: _props, ...rest } = shape
        r.set(rest as never)
      })?.problem,
    ).toBe('invalid')
    expect(check((_, r) => r.set({ id: 'thing:1', typeName: 'thing' } as never))?.problem).toBe(
      'unknown-type',
    )
  })

  it('refuses a record schema no device could migrate from, and takes the current one', () => {
    expect(check((doc) => doc.getMap('meta').set('schema', 'kapot'))?.problem).toBe(
      'cannot-migrate',
    )
    expect(
      check((doc) =>
        doc
          .getMap('meta')
          .set('schema', { schemaVersion: 2, sequences: { 'com.tldraw.shape.geo': 999 } }),
      )?.problem,
    ).toBe('cannot-migrate')
    expect(check((doc) => doc.getMap('meta').set('schema', atlasSchema.serialize()))).toBeNull()
  })

  it('refuses a nested map inside a record', () => {
    expect(
      check((doc, r) => {
        const fields = doc.getMap('records').get(someShape(r).id) as Y.Map<unknown>
        fields.set('props', new Y.Map())
      })?.problem,
    ).toBe('not-a-record')
  })
})

describe('checkRecords on a record it has seen fit', () => {
  it('checks the changed fields of a record it saw fit, and a stored record that never fitted whole', () => {
    const { server } = pair()
    const [id, other] = [...new RecordsMap(server).values()]
      .filter((r) => r.typeName === 'shape')
      .map((r) => r.id as string)
    // A move: the whole record is checked and found fitting.
    expect(step(server, id as string, (f) => f.set('x', 10))).toBeNull()
    // Next time only the changed field is checked: a bad one is refused all the same.
    expect(step(server, id as string, (f) => f.set('y', 'far away'))?.problem).toBe('invalid')
    expect(step(server, id as string, (f) => f.set('y', 20))).toBeNull()
    // A record stored before the check existed (written on the server's copy directly): its
    // first change is checked whole, so the change is refused.
    ;(new RecordsMap(server).map.get(other as string) as Y.Map<unknown>).set('rotation', 'upside')
    expect(step(server, other as string, (f) => f.set('x', 1))?.problem).toBe('invalid')
  })

  it('holds every shape type to its validators for the fields a move or a layer change writes', () => {
    const { server } = pair()
    const shapes = new Map<string, string>()
    for (const r of new RecordsMap(server).values()) {
      const type = (r as { type?: string }).type
      if (r.typeName === 'shape' && type && !shapes.has(type)) shapes.set(type, r.id as string)
    }
    expect([...shapes.keys()].sort()).toEqual(
      ['event', 'person', 'poster-area', 'relation', 'ring-map', 'timeline'].sort(),
    )
    const page = (
      new RecordsMap(server).map.get([...shapes.values()][0] as string) as Y.Map<unknown>
    ).get('parentId') as string
    for (const [type, id] of shapes) holdsShapeFields(server, type, id, page)
    // Two values of one field in one update (two devices' moves, merged): either may win, so a
    // bad one is refused though the other is good.
    const id = [...shapes.values()][0] as string
    const moves = ['far', 3].map((x) => {
      const device = new Y.Doc()
      Y.applyUpdate(device, Y.encodeStateAsUpdate(server))
      const before = Y.encodeStateVector(device)
      ;(new RecordsMap(device).map.get(id) as Y.Map<unknown>).set('x', x)
      return Y.encodeStateAsUpdate(device, before)
    })
    expect(checkRecords(read(Y.mergeUpdates(moves)), server)?.problem).toBe('invalid')
    expect(checkRecords(read(Y.mergeUpdates(moves.reverse())), server)?.problem).toBe('invalid')
  })

  it('takes moves made one after another and sent together, as a device that was offline does', () => {
    const { server, client } = pair()
    const before = Y.encodeStateVector(client)
    const id = someShape(new RecordsMap(client)).id
    const fields = new RecordsMap(client).map.get(id) as Y.Map<unknown>
    // Each move its own change: the values between the first and the last are deleted again.
    for (let x = 1; x <= 5; x++) client.transact(() => fields.set('x', x))
    const update = Y.encodeStateAsUpdate(client, before)
    expect(checkRecords(read(update), server)).toBeNull()
    Y.applyUpdate(server, update)
    expect((new RecordsMap(server).map.get(id) as Y.Map<unknown>).get('x')).toBe(5)
  })
})
