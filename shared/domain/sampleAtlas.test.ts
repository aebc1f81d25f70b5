import { Store } from '@tldraw/store'
import type { TLRecord } from '@tldraw/tlschema'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { atlasSchema } from '../schema'
import { INSTRUMENTS, instrumentPageId } from '../schema/pages'
import { isLongTextField } from '../sync/longTexts'
import { RecordsMap, readSchema } from '../sync/records'
import { readAtlasContent } from './content'
import { planAtlasPages } from './pageLayout'
import { buildSampleAtlas, seedAtlasDoc } from './sampleAtlas'

const records = buildSampleAtlas({ thisYear: 2026 })

describe('the sample atlas', () => {
  it('holds only records the atlas schema accepts, each id once', () => {
    expect(records.length).toBeGreaterThan(40)
    for (const record of records) {
      const type = atlasSchema.types[record.typeName] as { validate(r: unknown): unknown }
      expect(() => type.validate(record), record.id).not.toThrow()
    }
    expect(new Set(records.map((r) => r.id)).size).toBe(records.length)
  })

  it('loads into a tldraw store as one snapshot', () => {
    // A bare store with the atlas schema validates every record it is given.
    const store = new Store({ schema: atlasSchema, props: {} as never })
    store.put(records)
    expect(store.query.ids('shape').get().size).toBe(
      records.filter((r) => r.typeName === 'shape').length,
    )
  })

  it('is already laid out: the page layout finds nothing to add', () => {
    const plan = planAtlasPages(records, { clientName: 'Sanne', thisYear: 2026 })
    expect(plan.put).toEqual([])
    expect(plan.removePageIds).toEqual([])
  })

  it('has a client, eight persons over three generations, six ties, four events, three questions', () => {
    const content = readAtlasContent(records)
    expect(content.skipped).toEqual([])
    expect(content.client?.name).toBe('Sanne')
    expect(content.persons).toHaveLength(9)
    const years = content.persons.map((p) => p.birthYear ?? 0)
    expect(Math.min(...years)).toBeLessThan(1950)
    expect(content.relations.filter((r) => !r.family)).toHaveLength(6)
    expect(content.relations.filter((r) => r.family).length).toBeGreaterThanOrEqual(6)
    expect(content.events.map((e) => e.year)).toEqual([2019, 2021, 2022, 2023])
    expect(content.questions).toHaveLength(3)
    expect(content.contacts).toHaveLength(6)
  })

  it('binds both ends of every relation to person views of the right persons', () => {
    const byId = new Map(records.map((r) => [r.id as string, r]))
    const relations = records.filter(
      (r): r is TLRecord & { typeName: 'shape'; type: 'relation' } =>
        r.typeName === 'shape' && r.type === 'relation',
    )
    for (const relation of relations) {
      const ends = records.filter((r) => r.typeName === 'binding' && r.fromId === relation.id)
      expect(ends).toHaveLength(2)
      for (const end of ends) {
        if (end.typeName !== 'binding' || end.type !== 'relation-end') throw new Error('bad end')
        const view = byId.get(end.toId)
        if (view?.typeName !== 'shape' || view.type !== 'person') throw new Error('bad view')
        expect(view.parentId).toBe(relation.parentId)
        const personId =
          end.props.terminal === 'start' ? relation.props.fromPersonId : relation.props.toPersonId
        expect(view.props.personId).toBe(personId)
      }
    }
  })

  it('is written into an empty doc once, with its schema, and never over an atlas', () => {
    const doc = new Y.Doc()
    expect(seedAtlasDoc(doc, records)).toBe(true)
    expect(new RecordsMap(doc).size).toBe(records.length)
    expect(readSchema(doc)).toEqual(atlasSchema.serialize())
    expect(seedAtlasDoc(doc, buildSampleAtlas({ thisYear: 2030 }))).toBe(false)
    expect(readAtlasContent(doc)).toEqual(readAtlasContent(records))
    for (const instrument of INSTRUMENTS) {
      expect(new RecordsMap(doc).has(instrumentPageId(instrument))).toBe(true)
    }
  })

  it('is written with its long texts as Y.Text (a sample, or an imported atlas, merges them too)', () => {
    const doc = new Y.Doc()
    seedAtlasDoc(doc, records)
    let texts = 0
    for (const [id, fields] of new RecordsMap(doc).map) {
      for (const [key, value] of fields) {
        const typeName = fields.get('typeName')
        expect(value instanceof Y.Text, `${id} ${key}`).toBe(isLongTextField(typeName, key))
        if (value instanceof Y.Text) texts++
      }
    }
    // The poster's three texts, the three questions and a note for each person.
    expect(texts).toBeGreaterThan(3 + 3 + 5)
  })
})
