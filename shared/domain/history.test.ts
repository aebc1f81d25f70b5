import type { TLRecord } from '@tldraw/tlschema'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { defaultPersonProperties } from '../schema/person'
import { RecordsMap } from '../sync/records'
import { compareStates, readAtlasState, restoreAll, restorePerson } from './history'
import { buildSampleAtlas, seedAtlasDoc } from './sampleAtlas'

type Fields = { id: string; typeName: string; type?: string; fromId?: string; toId?: string } & {
  props?: Record<string, unknown>
}

function sampleDoc(): Y.Doc {
  const doc = new Y.Doc()
  seedAtlasDoc(doc, buildSampleAtlas({ thisYear: 2026 }))
  return doc
}

/** A copy of a document made from its state, as a snapshot is. */
function copyOf(doc: Y.Doc): Y.Doc {
  const copy = new Y.Doc()
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
  return copy
}

/** Removes a person as the canvas does: his record, his views, his relations and their ends. */
function removePerson(doc: Y.Doc, personId: string): void {
  const map = new RecordsMap<TLRecord>(doc)
  const all = [...map.values()] as unknown as Fields[]
  const views = new Set(
    all.filter((r) => r.type === 'person' && r.props?.personId === personId).map((r) => r.id),
  )
  const lines = new Set(
    all
      .filter(
        (r) =>
          r.type === 'relation' &&
          (r.props?.fromPersonId === personId || r.props?.toPersonId === personId),
      )
      .map((r) => r.id),
  )
  doc.transact(() => {
    for (const r of all) {
      const end = r.typeName === 'binding' && (lines.has(r.fromId ?? '') || views.has(r.toId ?? ''))
      if (r.id === personId || views.has(r.id) || lines.has(r.id) || end) {
        map.delete(r.id as TLRecord['id'])
      }
    }
  })
}

const ids = (xs: { id: string }[]) => xs.map((x) => x.id).sort()

describe('compareStates', () => {
  it('names the persons added, removed and moved, and the relations added and removed', () => {
    const doc = sampleDoc()
    const then = readAtlasState(copyOf(doc))
    removePerson(doc, 'person:kees')
    const map = new RecordsMap<TLRecord>(doc)
    doc.transact(() => {
      map.set({
        ...defaultPersonProperties(),
        id: 'person:new',
        typeName: 'person',
        name: 'Buurvrouw Els',
      } as unknown as TLRecord)
      const view = [...map.values()].find(
        (r) => (r as unknown as Fields).props?.personId === 'person:ria',
      ) as unknown as { id: TLRecord['id']; x: number }
      map.set({ ...view, x: view.x + 40 } as unknown as TLRecord)
    })
    const diff = compareStates(then, readAtlasState(doc))
    expect(diff.persons.added).toEqual([{ id: 'person:new', name: 'Buurvrouw Els' }])
    expect(diff.persons.removed).toEqual([{ id: 'person:kees', name: 'Kees' }])
    expect(diff.persons.moved.map((p) => p.name)).toEqual(['Ria'])
    expect(diff.relations.added).toEqual([])
    expect(diff.relations.removed.length).toBeGreaterThanOrEqual(2)
    for (const r of diff.relations.removed) {
      expect([r.from.name, r.to.name]).toContain('Kees')
    }
    expect(compareStates(then, then)).toEqual({
      persons: { added: [], removed: [], moved: [] },
      relations: { added: [], removed: [] },
    })
  })
})

describe('restorePerson', () => {
  it('writes back the person, his views and his relations with their ends', () => {
    const doc = sampleDoc()
    const snapshot = readAtlasState(copyOf(doc))
    const before = readAtlasState(doc)
    removePerson(doc, 'person:kees')
    expect(restorePerson(doc, snapshot.records, 'person:kees')).toMatchObject({ persons: 1 })
    const after = readAtlasState(doc)
    expect(after.content.skipped).toEqual([])
    expect(ids(after.content.persons)).toEqual(ids(before.content.persons))
    expect(ids(after.content.relations)).toEqual(ids(before.content.relations))
    expect(after.records.length).toBe(before.records.length)
  })

  it('leaves out a relation whose other person is gone now, and answers null for a stranger', () => {
    const doc = sampleDoc()
    const snapshot = readAtlasState(copyOf(doc))
    removePerson(doc, 'person:kees')
    removePerson(doc, 'person:ria')
    const restored = restorePerson(doc, snapshot.records, 'person:kees')
    const after = readAtlasState(doc)
    expect(after.content.skipped).toEqual([])
    expect(after.content.persons.some((p) => p.id === 'person:ria')).toBe(false)
    const kees = after.content.relations.filter((r) => [r.from.id, r.to.id].includes('person:kees'))
    expect(kees.length).toBe(restored?.relations)
    expect(kees.every((r) => r.from.id !== 'person:ria' && r.to.id !== 'person:ria')).toBe(true)
    expect(restorePerson(doc, snapshot.records, 'person:nobody')).toBeNull()
  })
})

describe('restoreAll', () => {
  it('makes the document hold what the snapshot holds, as a change on top that merges', () => {
    const doc = sampleDoc()
    const snapshotDoc = copyOf(doc)
    const snapshot = readAtlasState(snapshotDoc)
    removePerson(doc, 'person:kees')
    doc.transact(() =>
      new RecordsMap<TLRecord>(doc).set({
        ...defaultPersonProperties(),
        id: 'person:later',
        typeName: 'person',
        name: 'Later',
      } as unknown as TLRecord),
    )
    const other = copyOf(doc)
    const beforeRestore = Y.encodeStateVector(doc)
    restoreAll(doc, snapshot.records)
    expect(compareStates(snapshot, readAtlasState(doc))).toEqual({
      persons: { added: [], removed: [], moved: [] },
      relations: { added: [], removed: [] },
    })
    // Another device that gets only the restore's update ends up the same.
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc, beforeRestore))
    expect(new RecordsMap(other).toObject()).toEqual(new RecordsMap(doc).toObject())
  })
})
