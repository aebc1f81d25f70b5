import {
  DocumentRecordType,
  type TLBinding,
  type TLBindingId,
  TLDOCUMENT_ID,
  type TLRecord,
  type TLShape,
  type TLShapeId,
} from '@tldraw/tlschema'
import type * as Y from 'yjs'
import { atlasSchema } from '../schema'
import type { EventMood } from '../schema/event'
import { instrumentPageId } from '../schema/pages'
import { type AtlasPerson, type AtlasPersonId, defaultPersonProperties } from '../schema/person'
import { type AtlasQuestion, POSTER_ID } from '../schema/poster'
import type {
  ContactFrequency,
  ContactMeans,
  RelationKind,
  SupportDirection,
} from '../schema/relation'
import { RecordsMap, writeSchema } from '../sync/records'
import { COLUMN_GAP, GENERATION_GAP } from './family'
import {
  clientViewId,
  type IndexKey,
  LAYOUT_INDEX,
  PERSON_SIZE,
  personViewRecord,
  planAtlasPages,
  RING_MAP_LAYOUT,
  ringMapCentre,
  shapeRecord,
} from './pageLayout'
import { pointFor } from './relationMap'
import { eventTopY, freeLane, TIMELINE_AXIS_Y, type Span as TimeSpan, xForDate } from './timeline'

type Span = TimeSpan & { mood: EventMood }

/** Title of the sample atlas the home page offers. */
export const SAMPLE_ATLAS_TITLE = 'Voorbeeldatlas van Sanne'

/** Size of an event card on the life-events map. */
export const SAMPLE_EVENT_SIZE = { w: 240, h: 150 } as const

type PersonKey =
  | 'sanne'
  | 'henk'
  | 'truus'
  | 'ria'
  | 'kees'
  | 'tim'
  | 'fatima'
  | 'ahmed'
  | 'marleen'

interface SamplePerson extends Partial<Omit<AtlasPerson, 'id' | 'typeName'>> {
  name: string
  /** Where he stands on the family map (centre; column and generation steps from Sanne). */
  family?: { column: number; generation: number }
  /** Where in his cell of the relationship map (see `pointFor`), chosen so no line crosses anyone. */
  slot?: number
}

const PEOPLE: Record<PersonKey, SamplePerson> = {
  sanne: {
    name: 'Sanne',
    gender: 'female',
    birthYear: 1996,
    isClient: true,
    pictogram: 'star',
    note: 'Houdt van tekenen en van haar kat Mimi.',
    family: { column: 0, generation: 0 },
  },
  henk: {
    name: 'Opa Henk',
    gender: 'male',
    birthYear: 1938,
    deceased: true,
    pictogram: 'elder',
    note: 'Overleden in 2018.',
    family: { column: 0.5, generation: -2 },
  },
  truus: {
    name: 'Oma Truus',
    gender: 'female',
    birthYear: 1941,
    pictogram: 'elder',
    sector: 'family',
    closeness: 'friends',
    family: { column: 1.5, generation: -2 },
  },
  ria: {
    name: 'Ria',
    gender: 'female',
    birthYear: 1968,
    isSupporter: true,
    pictogram: 'heart',
    sector: 'family',
    closeness: 'very-close',
    slot: 10,
    note: 'Moeder van Sanne.',
    family: { column: 1, generation: -1 },
  },
  kees: {
    name: 'Kees',
    gender: 'male',
    birthYear: 1965,
    sector: 'family',
    closeness: 'acquaintances',
    slot: 1,
    note: 'Vader van Sanne. Woont in Zwolle.',
    family: { column: 0, generation: -1 },
  },
  tim: {
    name: 'Tim',
    gender: 'male',
    birthYear: 1999,
    pictogram: 'sport',
    sector: 'family',
    closeness: 'friends',
    slot: 2,
    note: 'Broer van Sanne.',
    family: { column: 1, generation: 0 },
  },
  fatima: {
    name: 'Fatima',
    gender: 'female',
    birthYear: 1995,
    isSupporter: true,
    pictogram: 'heart',
    sector: 'friends',
    closeness: 'very-close',
    slot: 10,
    note: 'Vriendin sinds de middelbare school.',
  },
  ahmed: {
    name: 'Ahmed',
    gender: 'male',
    birthYear: 1961,
    pictogram: 'home',
    sector: 'neighbours',
    closeness: 'acquaintances',
    note: 'Buurman op nummer 12.',
  },
  marleen: {
    name: 'Marleen',
    gender: 'female',
    birthYear: 1983,
    pictogram: 'work',
    sector: 'professionals',
    closeness: 'services',
    note: 'Jobcoach.',
  },
}

interface SampleRelation {
  from: PersonKey
  to: PersonKey
  kind: RelationKind
  direction?: SupportDirection
  label?: string
  means?: ContactMeans
  frequency?: ContactFrequency
  brings?: string
}

/** Family ties, on the family map (parent first in parent–child ties). */
const FAMILY_TIES: SampleRelation[] = [
  { from: 'henk', to: 'truus', kind: 'married' },
  { from: 'henk', to: 'ria', kind: 'parent-child' },
  { from: 'truus', to: 'ria', kind: 'parent-child' },
  { from: 'kees', to: 'ria', kind: 'divorced' },
  { from: 'kees', to: 'sanne', kind: 'parent-child' },
  { from: 'ria', to: 'sanne', kind: 'parent-child' },
  { from: 'kees', to: 'tim', kind: 'parent-child' },
  { from: 'ria', to: 'tim', kind: 'parent-child' },
]

/** Relational ties, on the relationship map: the contact schedule's rows. */
const TIES: SampleRelation[] = [
  {
    from: 'sanne',
    to: 'ria',
    kind: 'strong',
    direction: 'backward',
    label: 'mam',
    means: 'visit',
    frequency: 'weekly',
    brings: 'Samen eten op zondag. Ria helpt met post en geld.',
  },
  {
    from: 'sanne',
    to: 'fatima',
    kind: 'strong',
    direction: 'both',
    label: 'beste vriendin',
    means: 'message',
    frequency: 'daily',
    brings: 'Kletsen, samen wandelen, iemand om op terug te vallen.',
  },
  {
    from: 'sanne',
    to: 'tim',
    kind: 'normal',
    means: 'video',
    frequency: 'monthly',
    brings: 'Gezelligheid. Tim helpt met de computer.',
  },
  {
    from: 'sanne',
    to: 'marleen',
    kind: 'normal',
    direction: 'backward',
    label: 'jobcoach',
    means: 'visit',
    frequency: 'weekly',
    brings: 'Hulp bij werk en planning.',
  },
  {
    from: 'sanne',
    to: 'ahmed',
    kind: 'weak',
    means: 'visit',
    frequency: 'weekly',
    brings: 'Een praatje op de trap. Hij heeft een sleutel.',
  },
  {
    from: 'sanne',
    to: 'kees',
    kind: 'stressful',
    means: 'phone',
    frequency: 'rarely',
    brings: 'Soms ruzie. Sanne wil het contact beter maken.',
  },
]

interface SampleEvent {
  key: string
  date: string
  title: string
  description: string
  mood: EventMood
  helped: string
  persons: PersonKey[]
}

const EVENTS: SampleEvent[] = [
  {
    key: 'diploma',
    date: '2019-07',
    title: 'Diploma mbo',
    description: 'Ik haalde mijn diploma Logistiek op niveau 2.',
    mood: 'high',
    helped: 'Mam en Fatima hielpen met leren.',
    persons: ['ria', 'fatima'],
  },
  {
    key: 'verhuizing',
    date: '2021-03',
    title: 'Eigen appartement',
    description: 'Ik ging alleen wonen, in een flat in de wijk Overvecht.',
    mood: 'high',
    helped: 'Ria hielp met verhuizen en met de inrichting.',
    persons: ['ria', 'tim'],
  },
  {
    key: 'dieptepunt',
    date: '2022',
    title: 'Een moeilijke tijd',
    description: 'Ik voelde me eenzaam en ging bijna niet meer naar buiten.',
    mood: 'low',
    helped: 'Elke week wandelen met Fatima. Praten met Marleen.',
    persons: ['fatima', 'marleen'],
  },
  {
    key: 'baan',
    date: '2023-09',
    title: 'Nieuwe baan',
    description: 'Ik werk nu drie dagen per week in de kringloopwinkel.',
    mood: 'high',
    helped: 'Marleen zocht samen met mij naar werk.',
    persons: ['marleen'],
  },
]

const QUESTIONS = [
  'Hoe leer ik meer mensen kennen in mijn buurt?',
  'Wie helpt mij met mijn post en mijn geld, als mam dat niet meer kan?',
  'Hoe houd ik mijn werk vol als het druk is?',
]

const POSTER = {
  story:
    'Ik ben Sanne. Sinds 2021 woon ik alleen in een flat in Utrecht. Ik werk in de kringloopwinkel. Ik teken graag en ik heb een kat, Mimi.',
  goesWell:
    'Ik ga elke dag zelf naar mijn werk. Ik kook zelf. Ik zie mam elke week. Met Fatima kan ik alles delen.',
  wishes: 'Ik wil meer vrienden in de buurt. Ik wil zelf mijn geld regelen. Ik wil op tekenles.',
}

const pid = (key: PersonKey): AtlasPersonId =>
  (key === 'sanne' ? 'person:client' : `person:${key}`) as AtlasPersonId

/** Options of the sample atlas. */
export interface SampleAtlasOptions {
  /** The year the time axis runs up to (default: this year). */
  thisYear?: number
}

/**
 * A small, realistic atlas for the demo and the tests: client Sanne (1996) and eight persons
 * over three generations, eight family ties and six relational ties (the contact schedule),
 * four life events, three questions and the basisposter's texts, on the five laid-out pages.
 * Every record is valid against `atlasSchema`.
 */
export function buildSampleAtlas(options: SampleAtlasOptions = {}): TLRecord[] {
  const thisYear = options.thisYear ?? new Date().getFullYear()
  const persons: AtlasPerson[] = (Object.keys(PEOPLE) as PersonKey[]).map((key) => {
    const { family: _, slot: __, ...fields } = PEOPLE[key]
    return { ...defaultPersonProperties(), ...fields, id: pid(key), typeName: 'person' }
  })
  const client = persons[0] as AtlasPerson

  const document = DocumentRecordType.create({ id: TLDOCUMENT_ID })
  const poster: TLRecord = { id: POSTER_ID, typeName: 'poster', ...POSTER }
  const layout = planAtlasPages([document, client, poster], { clientName: client.name, thisYear })
  const records: TLRecord[] = [document, ...persons, poster, ...layout.put]
  const shapes = new Map<string, TLShape>()
  for (const r of layout.put) if (r.typeName === 'shape') shapes.set(r.id, r)

  // Person views: the client's come from the layout; the others are placed per map.
  const views: Record<'familiekaart' | 'relatiekaart', Partial<Record<PersonKey, TLShapeId>>> = {
    familiekaart: { sanne: clientViewId('familiekaart') },
    relatiekaart: { sanne: clientViewId('relatiekaart') },
  }
  const addView = (page: keyof typeof views, key: PersonKey, centre: { x: number; y: number }) => {
    const id = `shape:${page}-${key}` as TLShapeId
    const n = Object.keys(views[page]).length
    const view = personViewRecord(id, pid(key), page, centre, LAYOUT_INDEX.view(n))
    records.push(view)
    shapes.set(id, view)
    views[page][key] = id
  }

  const columnStep = PERSON_SIZE.w + COLUMN_GAP
  const generationStep = PERSON_SIZE.h + GENERATION_GAP
  for (const key of Object.keys(PEOPLE) as PersonKey[]) {
    const place = PEOPLE[key].family
    if (!place || key === 'sanne') continue
    addView('familiekaart', key, {
      x: place.column * columnStep,
      y: place.generation * generationStep,
    })
  }

  const centre = ringMapCentre()
  for (const key of Object.keys(PEOPLE) as PersonKey[]) {
    const { sector, closeness, slot = 0 } = PEOPLE[key]
    if (!sector || !closeness || key === 'sanne') continue
    addView('relatiekaart', key, pointFor(closeness, sector, centre, RING_MAP_LAYOUT.w, slot))
  }

  const relations = [
    ...FAMILY_TIES.map((r) => ({ ...r, page: 'familiekaart' as const })),
    ...TIES.map((r) => ({ ...r, page: 'relatiekaart' as const })),
  ]
  relations.forEach((rel, n) => {
    const fromView = shapes.get(views[rel.page][rel.from] as string)
    const toView = shapes.get(views[rel.page][rel.to] as string)
    if (fromView?.type !== 'person' || toView?.type !== 'person') {
      throw new Error(`sample relation ${rel.from}–${rel.to} lacks a view on ${rel.page}`)
    }
    const a = centreOf(fromView)
    const b = centreOf(toView)
    const id = `shape:relation-${rel.from}-${rel.to}-${rel.kind}` as TLShapeId
    records.push(
      shapeRecord<'relation'>({
        id,
        type: 'relation',
        parentId: instrumentPageId(rel.page),
        index: LAYOUT_INDEX.line(n),
        x: a.x,
        y: a.y,
        props: {
          kind: rel.kind,
          direction: rel.direction ?? 'none',
          label: rel.label ?? '',
          fromPersonId: pid(rel.from),
          toPersonId: pid(rel.to),
          start: { x: 0, y: 0 },
          end: { x: b.x - a.x, y: b.y - a.y },
          contactMeans: rel.means ?? null,
          contactFrequency: rel.frequency ?? null,
          contactBrings: rel.brings ?? '',
        },
      }),
      endBinding(id, fromView.id, 'start'),
      endBinding(id, toView.id, 'end'),
    )
  })

  const timeline = shapes.get('shape:timeline')
  if (timeline?.type !== 'timeline') throw new Error('the layout made no time axis')
  const { fromYear, toYear, w } = timeline.props
  const taken: Span[] = []
  EVENTS.forEach((event, n) => {
    const left = xForDate(event.date, fromYear, toYear, w) - SAMPLE_EVENT_SIZE.w / 2
    const right = left + SAMPLE_EVENT_SIZE.w
    const lane = freeLane(
      left,
      right,
      taken.filter((s) => s.mood === event.mood),
    )
    taken.push({ left, right, lane, mood: event.mood })
    records.push(
      shapeRecord<'event'>({
        id: `shape:event-${event.key}` as TLShapeId,
        type: 'event',
        parentId: instrumentPageId('gebeurteniskaart'),
        index: LAYOUT_INDEX.view(n + 1),
        x: timeline.x + left,
        y: timeline.y + eventTopY(event.mood, TIMELINE_AXIS_Y, SAMPLE_EVENT_SIZE.h, lane),
        props: {
          date: event.date,
          title: event.title,
          description: event.description,
          mood: event.mood,
          helped: event.helped,
          personIds: event.persons.map(pid),
          ...SAMPLE_EVENT_SIZE,
        },
      }),
    )
  })

  QUESTIONS.forEach((text, n) => {
    const question: AtlasQuestion = {
      id: `question:q${n + 1}` as AtlasQuestion['id'],
      typeName: 'question',
      text,
      index: `a${n + 1}` as IndexKey,
    }
    records.push(question)
  })

  return records
}

function centreOf(shape: TLShape & { type: 'person' }): { x: number; y: number } {
  return { x: shape.x + shape.props.w / 2, y: shape.y + shape.props.h / 2 }
}

function endBinding(relationId: TLShapeId, personShapeId: TLShapeId, terminal: 'start' | 'end') {
  const binding = {
    id: `binding:${relationId.slice('shape:'.length)}-${terminal}` as TLBindingId,
    typeName: 'binding',
    type: 'relation-end',
    fromId: relationId,
    toId: personShapeId,
    props: { terminal },
    meta: {},
  }
  return binding as TLBinding
}

/**
 * Writes records into an empty atlas doc in one transaction, with the schema beside them, the
 * way the client's bridge stores them. Returns false (and writes nothing) when the doc already
 * holds records, so a sample never lands on top of someone's atlas.
 */
export function seedAtlasDoc(doc: Y.Doc, records: readonly TLRecord[], origin?: unknown): boolean {
  const map = new RecordsMap<TLRecord>(doc)
  if (map.size > 0) return false
  doc.transact(() => {
    for (const record of records) map.set(record)
    writeSchema(doc, atlasSchema.serialize())
  }, origin)
  return true
}
