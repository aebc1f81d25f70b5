import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { buildSampleAtlas, seedAtlasDoc } from '../../shared/domain/sampleAtlas'
import { atlasSchema } from '../../shared/schema'
import { RecordsMap } from '../../shared/sync/records'
import { checkRecords } from './recordCheck'
import { type ReadUpdate, readUpdate } from './updateCheck'

const LIMITS = { maxStructs: 200_000, maxDeleteRanges: 200_000 }

function read(update: Uint8Array): ReadUpdate {
  const result = readUpdate(update, LIMITS)
  if ('refused' in result) throw new Error(`refused: ${result.refused}`)
  return result
}

/** A server doc holding the sample atlas, and a client doc synced with it. */
function pair() {
  const server = new Y.Doc()
  seedAtlasDoc(server, buildSampleAtlas())
  const client = new Y.Doc()
  Y.applyUpdate(client, Y.encodeStateAsUpdate(server))
  return { server, client }
}

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
