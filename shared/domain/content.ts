import type { SerializedStore } from '@tldraw/store'
import type { TLRecord, TLShape } from '@tldraw/tlschema'
import type * as Y from 'yjs'
import { z } from 'zod'
import { atlasSchema } from '../schema'
import { EVENT_MOODS } from '../schema/event'
import { INSTRUMENTS, type Instrument, instrumentOfPage } from '../schema/pages'
import { type AtlasPerson, CLOSENESS, GENDERS, PICTOGRAMS, SECTORS } from '../schema/person'
import { POSTER_ID } from '../schema/poster'
import {
  CONTACT_FREQUENCIES,
  CONTACT_MEANS,
  isFamilyKind,
  RELATION_KINDS,
  SUPPORT_DIRECTIONS,
} from '../schema/relation'
import { RecordsMap, readSchema } from '../sync/records'

/** A person named in another item: his id and his name as it is now. */
export const PersonRef = z.object({ id: z.string(), name: z.string() })
export type PersonRef = z.infer<typeof PersonRef>

/** One person of the atlas, with the instruments on which he is drawn. */
export const ContentPerson = z.object({
  id: z.string(),
  name: z.string(),
  gender: z.enum(GENDERS),
  birthYear: z.number().int().nullable(),
  deceased: z.boolean(),
  isClient: z.boolean(),
  isSupporter: z.boolean(),
  pictogram: z.enum(PICTOGRAMS).nullable(),
  /** A JPEG or PNG data URL, or null. */
  photo: z.string().nullable(),
  sector: z.enum(SECTORS).nullable(),
  closeness: z.enum(CLOSENESS).nullable(),
  note: z.string(),
  /** Instruments with at least one view of him, in page order. */
  maps: z.array(z.enum(INSTRUMENTS)),
})
export type ContentPerson = z.infer<typeof ContentPerson>

/** How two people have contact (the contact schedule's columns). */
export const ContactFields = z.object({
  means: z.enum(CONTACT_MEANS).nullable(),
  frequency: z.enum(CONTACT_FREQUENCIES).nullable(),
  brings: z.string(),
})
export type ContactFields = z.infer<typeof ContactFields>

/** One relation line between two persons. */
export const ContentRelation = z.object({
  /** The relation shape's id. */
  id: z.string(),
  kind: z.enum(RELATION_KINDS),
  /** A family tie (genogram) rather than a relational tie. */
  family: z.boolean(),
  direction: z.enum(SUPPORT_DIRECTIONS),
  label: z.string(),
  from: PersonRef,
  to: PersonRef,
  /** The instrument page the line is drawn on (null on any other page). */
  map: z.enum(INSTRUMENTS).nullable(),
  contact: ContactFields,
})
export type ContentRelation = z.infer<typeof ContentRelation>

/** One life event. */
export const ContentEvent = z.object({
  id: z.string(),
  date: z.string(),
  year: z.number().int(),
  title: z.string(),
  description: z.string(),
  mood: z.enum(EVENT_MOODS),
  helped: z.string(),
  persons: z.array(PersonRef),
})
export type ContentEvent = z.infer<typeof ContentEvent>

/** One question of the client for the plan. */
export const ContentQuestion = z.object({ id: z.string(), text: z.string(), index: z.string() })
export type ContentQuestion = z.infer<typeof ContentQuestion>

/** One row of the contact schedule: who has contact with whom, how, how often, what it brings. */
export const ContactRow = ContactFields.extend({
  /** The relation shape the row reads from and writes to. */
  relationId: z.string(),
  who: PersonRef,
  withWhom: PersonRef,
})
export type ContactRow = z.infer<typeof ContactRow>

/** The basisposter's texts. */
export const PosterTexts = z.object({ story: z.string(), goesWell: z.string(), wishes: z.string() })
export type PosterTexts = z.infer<typeof PosterTexts>

/** A record left out of the content, and why. */
export const SkippedRecord = z.object({ id: z.string(), reason: z.string() })
export type SkippedRecord = z.infer<typeof SkippedRecord>

/** The structured content of an atlas: what the plan, the exports and the server read. */
export const AtlasContent = z.object({
  client: ContentPerson.nullable(),
  /** Everyone, the client first, then by name. */
  persons: z.array(ContentPerson),
  /** Every relation between two known persons, family ties first, then by names. */
  relations: z.array(ContentRelation),
  /** Events by date (a bare year sorts before the dates within it). */
  events: z.array(ContentEvent),
  /** Questions in their order. */
  questions: z.array(ContentQuestion),
  poster: PosterTexts,
  /** The contact schedule, in the order of `relations`. */
  contacts: z.array(ContactRow),
  /** Records that failed validation or point at nothing. */
  skipped: z.array(SkippedRecord),
})
export type AtlasContent = z.infer<typeof AtlasContent>

/** Where the content is read from: a doc, a list of records, or records keyed by id. */
export type AtlasSource = Y.Doc | Iterable<unknown> | Record<string, unknown>

function isYDoc(source: AtlasSource): source is Y.Doc {
  return (
    typeof (source as Y.Doc).getMap === 'function' &&
    typeof (source as Y.Doc).transact === 'function'
  )
}

/** The doc's records, migrated from the schema they were written with to the current one. */
export function recordsOfDoc(doc: Y.Doc): unknown[] {
  const stored = new RecordsMap(doc).toObject() as SerializedStore<TLRecord>
  const schema = readSchema(doc) ?? atlasSchema.serialize()
  const migrated = atlasSchema.migrateStoreSnapshot({ store: stored, schema })
  if (migrated.type === 'error') {
    throw new Error(`The atlas was written by a newer or unknown schema (${migrated.reason})`)
  }
  return Object.values(migrated.value)
}

function recordsOf(source: AtlasSource): unknown[] {
  if (isYDoc(source)) return recordsOfDoc(source)
  if (Symbol.iterator in Object(source)) return [...(source as Iterable<unknown>)]
  return Object.values(source as Record<string, unknown>)
}

/** Validates each record against the atlas schema; the bad ones go to `skipped`. */
export function validRecords(raw: unknown[], skipped: SkippedRecord[]): TLRecord[] {
  const out: TLRecord[] = []
  for (const record of raw) {
    const { id, typeName } = (record ?? {}) as { id?: unknown; typeName?: unknown }
    const type =
      typeof typeName === 'string'
        ? (atlasSchema.types as Record<string, { validate(r: unknown): unknown }>)[typeName]
        : undefined
    if (!type) {
      skipped.push({ id: String(id), reason: `unknown record type ${String(typeName)}` })
      continue
    }
    try {
      type.validate(record)
      out.push(record as TLRecord)
    } catch (e) {
      skipped.push({ id: String(id), reason: e instanceof Error ? e.message : String(e) })
    }
  }
  return out
}

const collator = new Intl.Collator('nl', { sensitivity: 'base', numeric: true })
const byName = (a: { name: string }, b: { name: string }) => collator.compare(a.name, b.name)

/**
 * Reads an atlas and returns its structured content, validated: the client, the persons (with
 * the maps each appears on), the relations, the events by date, the questions in order, the
 * basisposter's texts and the contact schedule. Accepts the atlas's Y.Doc (read through
 * RecordsMap and migrated to the current schema) or its records (a store's `allRecords()`, a
 * snapshot). Records that fail the schema or point at a missing person are left out and listed
 * in `skipped`; nothing is thrown for them.
 */
export function readAtlasContent(source: AtlasSource): AtlasContent {
  const skipped: SkippedRecord[] = []
  const records = validRecords(recordsOf(source), skipped)
  const byId = new Map<string, TLRecord>(records.map((r) => [r.id, r]))

  /** The instrument page a shape sits on, following frames and groups up to the page. */
  const instrumentOf = (shape: TLShape): Instrument | null => {
    let parentId: string = shape.parentId
    for (let depth = 0; depth < 100 && parentId.startsWith('shape:'); depth++) {
      const parent = byId.get(parentId) as TLShape | undefined
      if (!parent) return null
      parentId = parent.parentId
    }
    return instrumentOfPage(parentId)
  }

  const people = records.filter((r): r is AtlasPerson => r.typeName === 'person')
  const shapes = records.filter((r): r is TLShape => r.typeName === 'shape')
  const personById = new Map(people.map((p) => [p.id as string, p]))
  const ref = (id: string): PersonRef | null => {
    const person = personById.get(id)
    return person ? { id: person.id, name: person.name } : null
  }

  const mapsOf = new Map<string, Set<Instrument>>()
  for (const shape of shapes) {
    if (shape.type !== 'person') continue
    const map = instrumentOf(shape)
    if (!personById.has(shape.props.personId)) {
      skipped.push({ id: shape.id, reason: `view of missing person ${shape.props.personId}` })
      continue
    }
    if (!map) continue
    const set = mapsOf.get(shape.props.personId) ?? new Set<Instrument>()
    set.add(map)
    mapsOf.set(shape.props.personId, set)
  }

  const persons: ContentPerson[] = people
    .map(({ id, typeName: _, ...fields }) => ({
      id: id as string,
      ...fields,
      maps: INSTRUMENTS.filter((i) => mapsOf.get(id)?.has(i)),
    }))
    .sort((a, b) => Number(b.isClient) - Number(a.isClient) || byName(a, b) || cmp(a.id, b.id))
  const client = persons.find((p) => p.isClient) ?? null

  const relations: ContentRelation[] = []
  for (const shape of shapes) {
    if (shape.type !== 'relation') continue
    const { props } = shape
    const from = ref(props.fromPersonId)
    const to = ref(props.toPersonId)
    if (!from || !to) {
      skipped.push({ id: shape.id, reason: 'relation to a missing person' })
      continue
    }
    relations.push({
      id: shape.id,
      kind: props.kind,
      family: isFamilyKind(props.kind),
      direction: props.direction,
      label: props.label,
      from,
      to,
      map: instrumentOf(shape),
      contact: {
        means: props.contactMeans,
        frequency: props.contactFrequency,
        brings: props.contactBrings,
      },
    })
  }
  relations.sort(
    (a, b) =>
      Number(a.family === false) - Number(b.family === false) ||
      byName(a.from, b.from) ||
      byName(a.to, b.to) ||
      cmp(a.id, b.id),
  )

  const events: ContentEvent[] = []
  for (const shape of shapes) {
    if (shape.type !== 'event') continue
    const { props } = shape
    events.push({
      id: shape.id,
      date: props.date,
      year: Number(props.date.slice(0, 4)),
      title: props.title,
      description: props.description,
      mood: props.mood,
      helped: props.helped,
      persons: props.personIds.map(ref).filter((p): p is PersonRef => p !== null),
    })
  }
  events.sort(
    (a, b) => cmp(a.date, b.date) || collator.compare(a.title, b.title) || cmp(a.id, b.id),
  )

  const questions: ContentQuestion[] = records
    .filter((r) => r.typeName === 'question')
    .map(({ id, text, index }) => ({ id, text, index }))
    .sort((a, b) => cmp(a.index, b.index) || cmp(a.id, b.id))

  const posterRecord = byId.get(POSTER_ID)
  const poster: PosterTexts =
    posterRecord?.typeName === 'poster'
      ? { story: posterRecord.story, goesWell: posterRecord.goesWell, wishes: posterRecord.wishes }
      : { story: '', goesWell: '', wishes: '' }

  const contacts: ContactRow[] = relations.filter(isContact).map((r) => ({
    relationId: r.id,
    who: r.from,
    withWhom: r.to,
    ...r.contact,
  }))

  return AtlasContent.parse({
    client,
    persons,
    relations,
    events,
    questions,
    poster,
    contacts,
    skipped,
  })
}

/**
 * A relation is a row of the contact schedule when it is a relational tie (relationship map),
 * or a family tie for which someone filled in how they have contact.
 */
export function isContact(relation: Pick<ContentRelation, 'family' | 'contact'>): boolean {
  const { means, frequency, brings } = relation.contact
  return !relation.family || means !== null || frequency !== null || brings.trim() !== ''
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
