import type { RecordsDiff } from '@tldraw/store'
import type { TLRecord } from 'tldraw'
import { beforeAll, describe, expect, it } from 'vitest'
import { buildSampleAtlas } from '../../../shared/domain/sampleAtlas'
import { type Change, changeSentences, changesIn, mergeChanges } from './changes'
import type { Words } from './describe'
import { testWords } from './testWords'

let dutch: Words
let english: Words
const records = buildSampleAtlas({ thisYear: 2026 })
const byId = new Map(records.map((r) => [r.id as string, r]))
const nameOf = (id: string) => {
  const r = byId.get(id)
  return r?.typeName === 'person' ? r.name : ''
}
const record = (id: string) => byId.get(id) as TLRecord

beforeAll(async () => {
  dutch = await testWords('nl')
  english = await testWords('en')
})

const diff = (parts: Partial<RecordsDiff<TLRecord>>): RecordsDiff<TLRecord> => ({
  added: {},
  updated: {},
  removed: {},
  ...parts,
})

describe('changes made by others, in sentences', () => {
  it('says who added, renamed and removed a person, a relation and an event', () => {
    const ahmed = record('person:ahmed')
    const relation = record('shape:relation-sanne-ahmed-weak')
    const event = record('shape:event-baan') as TLRecord & { props: { title: string } }
    const found = [
      ...changesIn(
        diff({ added: { [ahmed.id]: ahmed, [relation.id]: relation } as never }),
        nameOf,
        'Ria',
      ),
      ...changesIn(
        diff({
          updated: {
            [event.id]: [event, { ...event, props: { ...event.props, title: 'Werk' } }],
          } as never,
        }),
        nameOf,
        null,
      ),
    ]
    expect(changeSentences(found, dutch)).toEqual([
      'Ria heeft Ahmed toegevoegd.',
      'Ria heeft de relatie tussen Sanne en Ahmed toegevoegd.',
      'Iemand heeft de titel van de gebeurtenis Nieuwe baan veranderd in Werk.',
    ])
    expect(changeSentences(found, english)).toEqual([
      'Ria added Ahmed.',
      'Ria added the relation between Sanne and Ahmed.',
      'Someone changed the title of the event Nieuwe baan to Werk.',
    ])
    const removed = changesIn(diff({ removed: { [ahmed.id]: ahmed } as never }), nameOf, 'Tim')
    expect(changeSentences(removed, dutch)).toEqual(['Tim heeft Ahmed verwijderd.'])
  })

  it('says nothing of moves, rings, sectors or views of a person on a map', () => {
    const ria = record('person:ria')
    const view = record('shape:relatiekaart-ria')
    const moved = diff({
      updated: {
        [ria.id]: [ria, { ...ria, closeness: 'friends', sector: 'friends' }],
        [view.id]: [view, { ...view, x: 10, y: 20 }],
      } as never,
      added: { 'shape:new-view': { ...view, id: 'shape:new-view' } } as never,
    })
    expect(changesIn(moved, nameOf, 'Ria')).toEqual([])
  })

  it('says a new person once, with the name typed after adding him', () => {
    const ahmed = record('person:ahmed') as TLRecord & { name: string }
    const blank = { ...ahmed, name: '' }
    let pending: Change[] = []
    pending = mergeChanges(
      pending,
      changesIn(diff({ added: { [ahmed.id]: blank } as never }), nameOf, 'Ria'),
    )
    for (const name of ['A', 'Ah', 'Ahmed']) {
      const before = { ...blank, name: name.slice(0, -1) }
      pending = mergeChanges(
        pending,
        changesIn(
          diff({ updated: { [ahmed.id]: [before, { ...blank, name }] } as never }),
          nameOf,
          'Ria',
        ),
      )
    }
    expect(changeSentences(pending, dutch)).toEqual(['Ria heeft Ahmed toegevoegd.'])
    // Added and removed again before anything was said: nothing to say.
    pending = mergeChanges(
      pending,
      changesIn(diff({ removed: { [ahmed.id]: ahmed } as never }), nameOf, 'Ria'),
    )
    expect(changeSentences(pending, dutch)).toEqual([])
  })

  it('names a person who had no name, and renames in one sentence', () => {
    const tim = record('person:tim') as TLRecord & { name: string }
    const named = changesIn(
      diff({ updated: { [tim.id]: [{ ...tim, name: '' }, tim] } as never }),
      nameOf,
      'Ria',
    )
    expect(changeSentences(named, dutch)).toEqual(['Ria heeft iemand een naam gegeven: Tim.'])
    const renamed = changesIn(
      diff({ updated: { [tim.id]: [tim, { ...tim, name: 'Timo' }] } as never }),
      nameOf,
      null,
    )
    expect(changeSentences(renamed, english)).toEqual(['Someone changed the name Tim to Timo.'])
  })

  it('leaves out the relations that went with a removed person, and counts many changes', () => {
    const kees = record('person:kees')
    const line = record('shape:relation-sanne-kees-stressful')
    const gone = changesIn(
      diff({ removed: { [kees.id]: kees, [line.id]: line } as never }),
      nameOf,
      'Ria',
    )
    expect(changeSentences(gone, dutch)).toEqual(['Ria heeft Kees verwijderd.'])
    const people = ['person:ahmed', 'person:tim', 'person:ria', 'person:kees'].map(record)
    const many = changesIn(
      diff({ added: Object.fromEntries(people.map((p) => [p.id, p])) as never }),
      nameOf,
      'Fatima',
    )
    expect(changeSentences(many, dutch)).toEqual(['Fatima heeft 4 dingen veranderd.'])
    expect(changeSentences(many, english)).toEqual(['Fatima changed 4 things.'])
  })
})
