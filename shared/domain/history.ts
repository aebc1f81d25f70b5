/**
 * The atlas's history, read and put back: a snapshot held against the atlas as it is now, and a
 * person (with his relations) or the whole atlas written back as a new change on top of the
 * document, never a rewrite of its history. Pure: a Y.Doc in, a transaction out.
 */
import type { TLRecord } from '@tldraw/tlschema'
import type * as Y from 'yjs'
import type { ChangedPerson, ChangedRelation, HistoryComparison } from '../api/history'
import { atlasSchema } from '../schema'
import { jsonEqual, RecordsMap, readSchema, writeSchema } from '../sync/records'
import {
  type AtlasContent,
  readAtlasContent,
  recordsOfDoc,
  type SkippedRecord,
  validRecords,
} from './content'

/** An atlas as the history reads it: its structured content and its valid records. */
export interface AtlasState {
  content: AtlasContent
  records: TLRecord[]
}

/** Reads a document (a snapshot's or the live one) for comparing and restoring. */
export function readAtlasState(doc: Y.Doc): AtlasState {
  const skipped: SkippedRecord[] = []
  return { content: readAtlasContent(doc), records: validRecords(recordsOfDoc(doc), skipped) }
}

/** Plain view of a record's fields, for the few this module reads. */
type Fields = { id: string; typeName: string; type?: string; parentId?: string } & Record<
  string,
  unknown
>
const fields = (r: TLRecord) => r as unknown as Fields
const props = (r: TLRecord) => (fields(r).props ?? {}) as Record<string, unknown>

/** Per person, where his views stand (shape id → rounded x,y). */
function placesOf(records: TLRecord[]): Map<string, Map<string, string>> {
  const places = new Map<string, Map<string, string>>()
  for (const r of records) {
    const f = fields(r)
    if (f.typeName !== 'shape' || f.type !== 'person') continue
    const personId = String(props(r).personId)
    const views = places.get(personId) ?? new Map<string, string>()
    views.set(f.id, `${Math.round(Number(f.x))},${Math.round(Number(f.y))}`)
    places.set(personId, views)
  }
  return places
}

/**
 * What changed from a snapshot (`then`) to now: persons and relations added and removed, and
 * persons moved (another ring or sector, or a view of him in another place on a map).
 */
export function compareStates(then: AtlasState, now: AtlasState): HistoryComparison {
  const person = (p: { id: string; name: string }): ChangedPerson => ({ id: p.id, name: p.name })
  const relation = (r: AtlasContent['relations'][number]): ChangedRelation => ({
    id: r.id,
    kind: r.kind,
    from: person(r.from),
    to: person(r.to),
  })
  const thenPersons = new Map(then.content.persons.map((p) => [p.id, p]))
  const nowPersons = new Map(now.content.persons.map((p) => [p.id, p]))
  const thenPlaces = placesOf(then.records)
  const nowPlaces = placesOf(now.records)
  const moved: ChangedPerson[] = []
  for (const [id, p] of nowPersons) {
    const before = thenPersons.get(id)
    if (!before) continue
    let changed = before.sector !== p.sector || before.closeness !== p.closeness
    const wasAt = thenPlaces.get(id)
    for (const [view, at] of nowPlaces.get(id) ?? []) {
      const was = wasAt?.get(view)
      if (was !== undefined && was !== at) changed = true
    }
    if (changed) moved.push(person(p))
  }
  const thenRelations = new Map(then.content.relations.map((r) => [r.id, r]))
  const nowRelations = new Map(now.content.relations.map((r) => [r.id, r]))
  return {
    persons: {
      added: now.content.persons.filter((p) => !thenPersons.has(p.id)).map(person),
      removed: then.content.persons.filter((p) => !nowPersons.has(p.id)).map(person),
      moved,
    },
    relations: {
      added: now.content.relations.filter((r) => !thenRelations.has(r.id)).map(relation),
      removed: then.content.relations.filter((r) => !nowRelations.has(r.id)).map(relation),
    },
  }
}

/** How much a restore wrote back. */
export interface Restored {
  persons: number
  relations: number
}

/**
 * Writes one person of a snapshot back into `doc`, as a new change: his record, his views on the
 * maps, every relation of his whose other person is in the atlas now (with its two ends), and
 * his place in the life events that are still there. Returns null when the snapshot has no such
 * person.
 */
export function restorePerson(
  doc: Y.Doc,
  then: readonly TLRecord[],
  personId: string,
  origin?: unknown,
): Restored | null {
  const person = then.find((r) => r.id === personId && r.typeName === 'person')
  if (!person) return null
  const map = new RecordsMap<TLRecord>(doc)
  const put: TLRecord[] = [person]
  const coming = new Set<string>([person.id])
  const there = (id: unknown) => typeof id === 'string' && (coming.has(id) || map.has(id))
  const parentThere = (r: TLRecord) => {
    const parent = fields(r).parentId
    return typeof parent === 'string' && (parent.startsWith('page:') || there(parent))
  }
  for (const r of then) {
    const f = fields(r)
    if (f.typeName === 'shape' && f.type === 'person' && props(r).personId === personId) {
      if (!parentThere(r)) continue
      put.push(r)
      coming.add(r.id)
    }
  }
  let relations = 0
  for (const r of then) {
    const f = fields(r)
    if (f.typeName !== 'shape' || f.type !== 'relation') continue
    const { fromPersonId, toPersonId } = props(r)
    if (fromPersonId !== personId && toPersonId !== personId) continue
    if (!there(fromPersonId) || !there(toPersonId) || !parentThere(r)) continue
    const ends = then.filter((b) => b.typeName === 'binding' && fields(b).fromId === r.id)
    if (ends.length === 0 || !ends.every((b) => there(fields(b).toId))) continue
    put.push(r, ...ends)
    relations++
  }
  for (const r of then) {
    const f = fields(r)
    if (f.typeName !== 'shape' || f.type !== 'event') continue
    if (!(props(r).personIds as unknown[]).includes(personId)) continue
    const current = map.get(r.id as TLRecord['id'])
    if (!current) continue
    const ids = (props(current).personIds ?? []) as string[]
    if (ids.includes(personId)) continue
    put.push({
      ...current,
      props: { ...props(current), personIds: [...ids, personId] },
    } as TLRecord)
  }
  doc.transact(() => {
    for (const r of put) {
      const current = map.get(r.id)
      if (!current || !jsonEqual(current, r)) map.set(r, current)
    }
    if (!readSchema(doc)) writeSchema(doc, atlasSchema.serialize())
  }, origin)
  return { persons: 1, relations }
}

/**
 * Makes `doc` hold what the snapshot holds, as a new change: records made since are removed,
 * changed ones get the snapshot's fields, removed ones come back.
 */
export function restoreAll(doc: Y.Doc, then: readonly TLRecord[], origin?: unknown): Restored {
  const map = new RecordsMap<TLRecord>(doc)
  const wanted = new Set<string>(then.map((r) => r.id))
  const counted = { persons: 0, relations: 0 }
  const count = (r: TLRecord) => {
    if (r.typeName === 'person') counted.persons++
    else if (fields(r).type === 'relation') counted.relations++
  }
  doc.transact(() => {
    for (const id of map.ids()) {
      if (wanted.has(id)) continue
      const current = map.get(id as TLRecord['id'])
      if (current) count(current)
      map.delete(id as TLRecord['id'])
    }
    for (const r of then) {
      const current = map.get(r.id)
      if (current && jsonEqual(current, r)) continue
      count(r)
      map.set(r, current)
    }
    if (!readSchema(doc)) writeSchema(doc, atlasSchema.serialize())
  }, origin)
  return counted
}
