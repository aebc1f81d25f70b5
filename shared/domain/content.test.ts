import type { TLRecord, TLShape } from '@tldraw/tlschema'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { atlasSchema } from '../schema'
import type { AtlasPerson } from '../schema/person'
import { RecordsMap, writeSchema } from '../sync/records'
import { AtlasContent, readAtlasContent } from './content'
import { buildSampleAtlas, seedAtlasDoc } from './sampleAtlas'

const sample = () => buildSampleAtlas({ thisYear: 2026 })

/** The sample atlas in a doc, written the way the client's bridge writes it. */
function sampleDoc(): Y.Doc {
  const doc = new Y.Doc()
  seedAtlasDoc(doc, sample())
  return doc
}

/** Applies `edit` to one record of the doc, as a remote device would. */
function editRecord<R extends TLRecord>(doc: Y.Doc, id: string, edit: (r: R) => R): void {
  const map = new RecordsMap<TLRecord>(doc)
  const record = map.get(id as TLRecord['id']) as R
  doc.transact(() => map.set(edit(structuredClone(record))))
}

describe('readAtlasContent', () => {
  it('reads the same content from a doc and from its records, and the result passes its schema', () => {
    const fromDoc = readAtlasContent(sampleDoc())
    expect(fromDoc).toEqual(readAtlasContent(sample()))
    expect(AtlasContent.parse(fromDoc)).toEqual(fromDoc)
    expect(fromDoc.skipped).toEqual([])
  })

  it('names the client and lists everyone with the maps he is drawn on', () => {
    const content = readAtlasContent(sampleDoc())
    expect(content.client).toMatchObject({ id: 'person:client', name: 'Sanne', birthYear: 1996 })
    expect(content.persons[0]?.id).toBe('person:client')
    const maps = Object.fromEntries(content.persons.map((p) => [p.name, p.maps]))
    expect(maps.Sanne).toEqual(['basisposter', 'familiekaart', 'relatiekaart'])
    expect(maps.Ria).toEqual(['familiekaart', 'relatiekaart'])
    expect(maps['Opa Henk']).toEqual(['familiekaart'])
    expect(maps.Fatima).toEqual(['relatiekaart'])
  })

  it('shows a renamed person under his new name in every relation, event and contact row', () => {
    const doc = sampleDoc()
    editRecord<AtlasPerson>(doc, 'person:ria', (p) => ({ ...p, name: 'Mam' }))
    const content = readAtlasContent(doc)
    const names = (refs: { id: string; name: string }[]) =>
      refs.filter((r) => r.id === 'person:ria').map((r) => r.name)
    expect(names(content.relations.flatMap((r) => [r.from, r.to]))).toEqual(Array(6).fill('Mam'))
    expect(names(content.events.flatMap((e) => e.persons))).toEqual(['Mam', 'Mam'])
    expect(names(content.contacts.map((c) => c.withWhom))).toEqual(['Mam'])
  })

  it('lists relations with both persons, kind, direction, label and map', () => {
    const { relations } = readAtlasContent(sample())
    expect(relations).toHaveLength(14)
    expect(relations.findIndex((r) => !r.family)).toBe(8)
    const mam = relations.find((r) => r.label === 'mam')
    expect(mam).toMatchObject({
      kind: 'strong',
      family: false,
      direction: 'backward',
      from: { id: 'person:client', name: 'Sanne' },
      to: { id: 'person:ria', name: 'Ria' },
      map: 'relatiekaart',
    })
    const divorce = relations.find((r) => r.kind === 'divorced')
    expect(divorce).toMatchObject({ family: true, map: 'familiekaart' })
  })

  it('orders events by date, whatever order they were drawn in, with their persons linked', () => {
    const doc = sampleDoc()
    editRecord<TLShape>(doc, 'shape:event-diploma', (s) =>
      s.type === 'event' ? { ...s, props: { ...s.props, date: '2024-02' } } : s,
    )
    const { events } = readAtlasContent(doc)
    expect(events.map((e) => [e.date, e.title])).toEqual([
      ['2021-03', 'Eigen appartement'],
      ['2022', 'Een moeilijke tijd'],
      ['2023-09', 'Nieuwe baan'],
      ['2024-02', 'Diploma mbo'],
    ])
    expect(events[0]?.persons).toEqual([
      { id: 'person:ria', name: 'Ria' },
      { id: 'person:tim', name: 'Tim' },
    ])
    expect(events[1]).toMatchObject({ year: 2022, mood: 'low' })
  })

  it('orders questions by their fractional index, not by when they were added', () => {
    const doc = sampleDoc()
    const map = new RecordsMap<TLRecord>(doc)
    doc.transact(() =>
      map.set({
        id: 'question:between',
        typeName: 'question',
        text: 'Tussenvraag',
        index: 'a1V',
      } as TLRecord),
    )
    const { questions } = readAtlasContent(doc)
    expect(questions.map((q) => q.index)).toEqual(['a1', 'a1V', 'a2', 'a3'])
    expect(questions[1]?.text).toBe('Tussenvraag')
  })

  it('derives the contact schedule from relational ties and from family ties with contact data', () => {
    const doc = sampleDoc()
    const before = readAtlasContent(doc)
    expect(before.contacts.map((c) => [c.who.name, c.withWhom.name, c.means, c.frequency])).toEqual(
      [
        ['Sanne', 'Ahmed', 'visit', 'weekly'],
        ['Sanne', 'Fatima', 'message', 'daily'],
        ['Sanne', 'Kees', 'phone', 'rarely'],
        ['Sanne', 'Marleen', 'visit', 'weekly'],
        ['Sanne', 'Ria', 'visit', 'weekly'],
        ['Sanne', 'Tim', 'video', 'monthly'],
      ],
    )
    const grandma = before.relations.find((r) => r.from.name === 'Oma Truus')
    if (!grandma) throw new Error('no tie from Oma Truus')
    editRecord<TLShape>(doc, grandma.id, (s) =>
      s.type === 'relation' ? { ...s, props: { ...s.props, contactFrequency: 'daily' } } : s,
    )
    const after = readAtlasContent(doc)
    expect(after.contacts).toHaveLength(7)
    expect(after.contacts[0]).toMatchObject({
      relationId: grandma.id,
      who: { name: 'Oma Truus' },
      withWhom: { name: 'Ria' },
      frequency: 'daily',
      means: null,
    })
  })

  it('reads the basisposter texts, and empty texts when an atlas has no poster yet', () => {
    expect(readAtlasContent(sample()).poster.goesWell).toMatch(/^Ik ga elke dag zelf/)
    const empty = readAtlasContent(sample().filter((r) => r.typeName !== 'poster'))
    expect(empty.poster).toEqual({ story: '', goesWell: '', wishes: '' })
  })

  it('leaves out invalid records and relations to a deleted person, and says why', () => {
    const records = sample().filter((r) => r.id !== 'person:ahmed')
    const broken = { ...records.find((r) => r.id === 'person:tim'), birthYear: 'negentig' }
    const content = readAtlasContent([
      ...records.filter((r) => r.id !== 'person:tim'),
      broken,
      { id: 'thing:1', typeName: 'thing' },
    ])
    expect(content.persons.map((p) => p.name)).not.toContain('Tim')
    expect(content.contacts.map((c) => c.withWhom.name)).toEqual([
      'Fatima',
      'Kees',
      'Marleen',
      'Ria',
    ])
    expect(content.skipped.map((s) => s.id)).toEqual(
      expect.arrayContaining([
        'person:tim',
        'thing:1',
        'shape:relation-sanne-ahmed-weak',
        'shape:relatiekaart-ahmed',
      ]),
    )
  })

  it('migrates a doc written by an older schema before reading it', () => {
    const doc = new Y.Doc()
    const old = atlasSchema.serialize()
    old.sequences['com.tldraw.person'] = 0
    const map = new RecordsMap<TLRecord>(doc)
    doc.transact(() => {
      for (const r of sample()) {
        if (r.typeName !== 'person') map.set(r)
        else {
          const { pictogram: _, ...before } = r
          map.set(before as TLRecord)
        }
      }
      writeSchema(doc, old)
    })
    const content = readAtlasContent(doc)
    expect(content.skipped).toEqual([])
    expect(content.persons).toHaveLength(9)
    expect(content.persons.every((p) => p.pictogram === null)).toBe(true)
  })
})
