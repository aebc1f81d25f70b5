import type { UnknownRecord } from '@tldraw/store'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { atlasSchema } from '../schema'
import { jsonEqual, type RecordsChange, RecordsMap, readSchema, writeSchema } from './records'

type Rec = UnknownRecord & { x: number; y: number; props: { color: string; label: string } }
const rec = (id: string, x = 0): Rec =>
  ({ id, typeName: 'shape', x, y: 0, props: { color: 'black', label: id } }) as Rec

function linked() {
  const a = new Y.Doc()
  const b = new Y.Doc()
  const sync = () => {
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)))
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)))
  }
  return { a, b, ra: new RecordsMap<Rec>(a), rb: new RecordsMap<Rec>(b), sync }
}

describe('RecordsMap', () => {
  it('reads back what it wrote, as new objects', () => {
    const doc = new Y.Doc()
    const records = new RecordsMap<Rec>(doc)
    records.set(rec('shape:a', 1))
    expect(records.get('shape:a' as Rec['id'])).toEqual(rec('shape:a', 1))
    expect(records.get('shape:a' as Rec['id'])).not.toBe(records.get('shape:a' as Rec['id']))
    expect(records.size).toBe(1)
    expect(records.toObject()).toEqual({ 'shape:a': rec('shape:a', 1) })
    records.delete('shape:a' as Rec['id'])
    expect(records.has('shape:a')).toBe(false)
  })

  it('writes only the fields that changed and drops fields the record lost', () => {
    const doc = new Y.Doc()
    const records = new RecordsMap<Rec>(doc)
    records.set({ ...rec('shape:a'), extra: true } as Rec)
    const updates: Uint8Array[] = []
    doc.on('update', (u: Uint8Array) => updates.push(u))
    records.set({ ...rec('shape:a'), extra: true } as Rec)
    expect(updates).toHaveLength(0)
    records.set(rec('shape:a', 5))
    expect(records.get('shape:a' as Rec['id'])).toEqual(rec('shape:a', 5))
    expect(records.map.get('shape:a')?.has('extra')).toBe(false)
  })

  it('keeps concurrent edits of different fields of one record', () => {
    const { ra, rb, sync } = linked()
    ra.set(rec('shape:a'))
    sync()
    ra.set({ ...rec('shape:a'), x: 10, y: 20 })
    rb.set({ ...rec('shape:a'), props: { color: 'red', label: 'shape:a' } })
    sync()
    expect(ra.get('shape:a' as Rec['id'])).toEqual({
      ...rec('shape:a'),
      x: 10,
      y: 20,
      props: { color: 'red', label: 'shape:a' },
    })
    expect(rb.toObject()).toEqual(ra.toObject())
  })

  it('reports added, updated and removed records once per transaction', () => {
    const { a, b, ra, rb, sync } = linked()
    ra.set(rec('shape:a'))
    ra.set(rec('shape:b'))
    sync()
    const seen: RecordsChange<Rec>[] = []
    const stop = rb.observe((change) => seen.push(change))
    a.transact(() => {
      ra.set(rec('shape:c'))
      ra.set(rec('shape:a', 3))
      ra.delete('shape:b' as Rec['id'])
    })
    sync()
    expect(seen).toEqual([
      { added: [rec('shape:c')], updated: [rec('shape:a', 3)], removed: ['shape:b'] },
    ])
    stop()
    a.transact(() => ra.set(rec('shape:d')))
    sync()
    expect(seen).toHaveLength(1)
    expect(b.getMap('records').size).toBe(3)
  })

  it('reports a record added and removed in one transaction as nothing', () => {
    const doc = new Y.Doc()
    const records = new RecordsMap<Rec>(doc)
    const seen: RecordsChange<Rec>[] = []
    records.observe((change) => seen.push(change))
    doc.transact(() => {
      records.set(rec('shape:a'))
      records.delete('shape:a' as Rec['id'])
    })
    expect(seen).toEqual([])
  })
})

describe('schema in the doc', () => {
  it('is absent in a new doc and read back after writing', () => {
    const doc = new Y.Doc()
    expect(readSchema(doc)).toBeUndefined()
    writeSchema(doc, atlasSchema.serialize())
    expect(readSchema(doc)).toEqual(atlasSchema.serialize())
  })

  it('is not rewritten when unchanged', () => {
    const doc = new Y.Doc()
    writeSchema(doc, atlasSchema.serialize())
    let updates = 0
    doc.on('update', () => updates++)
    writeSchema(doc, JSON.parse(JSON.stringify(atlasSchema.serialize())))
    expect(updates).toBe(0)
  })
})

describe('jsonEqual', () => {
  it('compares structure, not key order or identity', () => {
    expect(jsonEqual({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 })).toBe(true)
    expect(jsonEqual({ a: 1 }, { a: 1, b: undefined })).toBe(false)
    expect(jsonEqual([1, 2], { 0: 1, 1: 2 })).toBe(false)
    expect(jsonEqual(null, {})).toBe(false)
    expect(jsonEqual({ a: [1] }, { a: [2] })).toBe(false)
  })
})
