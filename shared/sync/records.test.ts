import type { UnknownRecord } from '@tldraw/store'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { atlasSchema } from '../schema'
import { defaultPersonProperties } from '../schema/person'
import { type AtlasPoster, POSTER_FIELDS, POSTER_ID } from '../schema/poster'
import { LONG_TEXT_FIELDS } from './longTexts'
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

describe('long texts', () => {
  const poster = (texts: Partial<AtlasPoster> = {}): AtlasPoster => ({
    id: POSTER_ID,
    typeName: 'poster',
    story: '',
    goesWell: '',
    wishes: '',
    ...texts,
  })
  const posterLink = () => {
    const a = new Y.Doc()
    const b = new Y.Doc()
    const sync = () => {
      Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)))
      Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)))
    }
    return { a, b, ra: new RecordsMap<AtlasPoster>(a), rb: new RecordsMap<AtlasPoster>(b), sync }
  }

  it('lists the poster texts, the question and the person note', () => {
    expect(LONG_TEXT_FIELDS.poster).toEqual(POSTER_FIELDS)
    expect(Object.keys(defaultPersonProperties())).toContain(LONG_TEXT_FIELDS.person[0])
  })

  it('stores them as Y.Text and reads them back as strings', () => {
    const doc = new Y.Doc()
    const records = new RecordsMap<AtlasPoster>(doc)
    records.set(poster({ story: 'Ik ben Sanne.' }))
    const fields = records.map.get(POSTER_ID)
    expect(fields?.get('story')).toBeInstanceOf(Y.Text)
    expect(fields?.get('wishes')).toBeInstanceOf(Y.Text)
    expect(fields?.get('typeName')).toBe('poster')
    expect(records.get(POSTER_ID)).toEqual(poster({ story: 'Ik ben Sanne.' }))
    expect(records.toObject()).toEqual({ [POSTER_ID]: poster({ story: 'Ik ben Sanne.' }) })
    expect([...records.values()]).toEqual([poster({ story: 'Ik ben Sanne.' })])
  })

  it('keeps both texts when two people type in one field at once', () => {
    const { ra, rb, sync } = posterLink()
    ra.set(poster({ story: 'Ik heet Sanne.' }))
    sync()
    ra.set(poster({ story: 'Hallo! Ik heet Sanne.' }))
    rb.set(poster({ story: 'Ik heet Sanne. Ik woon in Zwolle 🏠.', wishes: 'Zwemmen' }))
    sync()
    const both = poster({ story: 'Hallo! Ik heet Sanne. Ik woon in Zwolle 🏠.', wishes: 'Zwemmen' })
    expect(ra.get(POSTER_ID)).toEqual(both)
    expect(rb.get(POSTER_ID)).toEqual(both)
  })

  it('writes only the change of a text, not the text again', () => {
    const doc = new Y.Doc()
    const records = new RecordsMap<AtlasPoster>(doc)
    const story = 'Ik heet Sanne. '.repeat(40)
    records.set(poster({ story }))
    const updates: Uint8Array[] = []
    doc.on('update', (u: Uint8Array) => updates.push(u))
    records.set(poster({ story: `${story}!` }))
    expect(updates).toHaveLength(1)
    expect(updates[0]?.length).toBeLessThan(40)
    records.set(poster({ story: `${story}!` }))
    expect(updates).toHaveLength(1)
  })

  it('applies a change made on an older text on top of what others typed since', () => {
    const { ra, rb, sync } = posterLink()
    ra.set(poster({ story: 'Ik fiets.' }))
    sync()
    rb.set(poster({ story: 'Hoi! Ik fiets.' }))
    sync()
    // A's screen still showed 'Ik fiets.' when he typed; the doc already holds B's words.
    ra.set(poster({ story: 'Ik fiets graag.' }), poster({ story: 'Ik fiets.' }))
    expect(ra.get(POSTER_ID)?.story).toBe('Hoi! Ik fiets graag.')
    // A field the writer did not change keeps what the doc holds.
    sync()
    rb.set(poster({ story: 'Hoi! Ik fiets graag.', wishes: 'Nieuw' }))
    sync()
    ra.set(poster({ story: 'Hoi! Ik fiets graag.' }), poster({ story: 'Hoi! Ik fiets graag.' }))
    expect(ra.get(POSTER_ID)?.wishes).toBe('Nieuw')
    ra.set(
      poster({ story: 'Hoi! Ik fiets graag.', goesWell: 'Koken' }),
      poster({ story: 'Hoi! Ik fiets graag.' }),
    )
    expect(ra.get(POSTER_ID)).toEqual(
      poster({ story: 'Hoi! Ik fiets graag.', goesWell: 'Koken', wishes: 'Nieuw' }),
    )
  })

  it('turns a plain string of an older atlas into a Y.Text on its first write, and keeps merging after', () => {
    const { a, ra, rb, sync } = posterLink()
    // As atlases were written before: every field one plain value.
    a.getMap('records').set(POSTER_ID, new Y.Map(Object.entries(poster({ story: 'Oud.' }))))
    sync()
    expect(ra.get(POSTER_ID)).toEqual(poster({ story: 'Oud.' }))
    // A write of another field leaves the plain story alone.
    ra.set(poster({ story: 'Oud.', wishes: 'Meer' }))
    expect(ra.map.get(POSTER_ID)?.get('story')).toBe('Oud.')
    ra.set(poster({ story: 'Oud. Nieuw.', wishes: 'Meer' }))
    expect(ra.map.get(POSTER_ID)?.get('story')).toBeInstanceOf(Y.Text)
    sync()
    ra.set(poster({ story: 'Heel oud. Nieuw.', wishes: 'Meer' }))
    rb.set(poster({ story: 'Oud. Nieuw. Nog meer.', wishes: 'Meer' }))
    sync()
    expect(ra.get(POSTER_ID)?.story).toBe('Heel oud. Nieuw. Nog meer.')
    expect(rb.toObject()).toEqual(ra.toObject())
  })

  it('reports a change inside a text as an update of its record', () => {
    const { ra, rb, sync } = posterLink()
    ra.set(poster({ story: 'a' }))
    sync()
    const seen: RecordsChange<AtlasPoster>[] = []
    rb.observe((change) => seen.push(change))
    ra.set(poster({ story: 'ab' }))
    sync()
    expect(seen).toEqual([{ added: [], updated: [poster({ story: 'ab' })], removed: [] }])
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
