import {
  PageRecordType,
  type TLPage,
  type TLPageId,
  type TLRecord,
  type TLShape,
  type TLShapeId,
} from '@tldraw/tlschema'
import '../schema'
import { INSTRUMENT_NAMES, INSTRUMENTS, type Instrument, instrumentPageId } from '../schema/pages'
import { type AtlasPerson, type AtlasPersonId, defaultPersonProperties } from '../schema/person'
import { POSTER_ID, type PosterArea } from '../schema/poster'
import { yearSpan } from './timeline'

/**
 * Where the fixed parts of each instrument page go. The pages, their background shapes and the
 * client's views have fixed ids, so two devices that lay out one atlas at the same moment write
 * the same records and agree.
 */

/** Size of a person shape the layout places. */
export const PERSON_SIZE = { w: 160, h: 150 } as const

/** Basisposter: four areas around the client. */
export const POSTER_LAYOUT = {
  area: { w: 640, h: 420 },
  /** Horizontal room for the client between the left and the right areas. */
  gap: 400,
  /** Vertical room between the upper and the lower areas. */
  rowGap: 100,
} as const

/** Where each area of the basisposter sits (top-left corner). */
export function posterAreaPosition(area: PosterArea): { x: number; y: number } {
  const { area: size, gap, rowGap } = POSTER_LAYOUT
  const right = size.w + gap
  const lower = size.h + rowGap
  switch (area) {
    case 'story':
      return { x: 0, y: 0 }
    case 'goesWell':
      return { x: right, y: 0 }
    case 'wishes':
      return { x: 0, y: lower }
    case 'questions':
      return { x: right, y: lower }
  }
}

/** The middle of the basisposter, where the client stands. */
export function posterCentre(): { x: number; y: number } {
  const { area, gap, rowGap } = POSTER_LAYOUT
  return { x: area.w + gap / 2, y: area.h + rowGap / 2 }
}

/** Relatiekaart: the rings and sectors, top-left at the origin. */
export const RING_MAP_LAYOUT = { x: 0, y: 0, w: 1800 } as const

/** The centre of the relationship map (the client's place). */
export function ringMapCentre(): { x: number; y: number } {
  return {
    x: RING_MAP_LAYOUT.x + RING_MAP_LAYOUT.w / 2,
    y: RING_MAP_LAYOUT.y + RING_MAP_LAYOUT.w / 2,
  }
}

/** Familiekaart: the client's generation is at y = 0; parents above, children below. */
export const FAMILY_LAYOUT = { generationGap: 280, siblingGap: 220 } as const

/** Gebeurteniskaart: the time axis, its left end at the origin. */
export const TIMELINE_LAYOUT = { x: 0, y: 0, yearWidth: 140, minWidth: 1400 } as const

/** Width of a timeline that spans `fromYear` to `toYear`. */
export function timelineWidth(fromYear: number, toYear: number): number {
  return Math.max(TIMELINE_LAYOUT.minWidth, yearSpan(fromYear, toYear) * TIMELINE_LAYOUT.yearWidth)
}

/** Fixed ids of the background shapes. */
export const BACKGROUND_IDS = {
  ringMap: 'shape:ring-map' as TLShapeId,
  timeline: 'shape:timeline' as TLShapeId,
  posterArea: (area: PosterArea) => `shape:poster-area-${area}` as TLShapeId,
} as const

/** The fixed id of the client's view on an instrument page. */
export function clientViewId(instrument: Instrument): TLShapeId {
  return `shape:client-${instrument}` as TLShapeId
}

/** The id given to the client when an atlas has none yet. */
export const CLIENT_PERSON_ID = 'person:client' as AtlasPersonId

/** Instruments on which the client stands from the start. */
export const CLIENT_VIEW_PAGES = ['basisposter', 'familiekaart', 'relatiekaart'] as const

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

/**
 * Sort keys for the layout's shapes: background `a1`–`a4`, then lines from `a5` up, then person
 * views from `b10` up, so lines run under the persons they join.
 */
export const LAYOUT_INDEX = {
  background: (n: number) => `a${BASE62[1 + n]}` as IndexKey,
  line: (n: number) => `a${BASE62[5 + n]}` as IndexKey,
  view: (n: number) => `b${BASE62[1 + Math.floor(n / 62)]}${BASE62[n % 62]}` as IndexKey,
} as const

/** "Atlas van Sanne" → "Sanne" (also "Voorbeeldatlas van Sanne", "Atlas of Sanne"). */
export function clientNameFromTitle(title: string): string {
  const match = /atlas\s+(?:van|of)\s+(.+)$/i.exec(title.trim())
  return (match?.[1] ?? title).trim()
}

/** What a page layout needs to know beyond the records. */
export interface PageLayoutOptions {
  /** Name for the client when the atlas has none (from the atlas title). */
  clientName: string
  /** The current year: the time axis runs up to it. */
  thisYear: number
}

/** The records to write and the pages to remove so that an atlas has its five laid-out pages. */
export interface PageLayoutPlan {
  put: TLRecord[]
  /** tldraw's empty default page(s), replaced by the instrument pages. */
  removePageIds: TLPageId[]
  /** The client person (existing or in `put`). */
  clientId: AtlasPersonId
}

/** A sort key of a page or shape. */
export type IndexKey = TLPage['index']

type ShapeOf<K extends TLShape['type']> = Extract<TLShape, { type: K }>

/** A shape record with tldraw's defaults. */
export function shapeRecord<K extends TLShape['type']>(
  shape: Pick<ShapeOf<K>, 'id' | 'type' | 'parentId' | 'index' | 'props'> &
    Partial<Pick<ShapeOf<K>, 'x' | 'y' | 'isLocked'>>,
): ShapeOf<K> {
  return {
    x: 0,
    y: 0,
    rotation: 0,
    isLocked: false,
    opacity: 1,
    meta: {},
    typeName: 'shape',
    ...shape,
  } as unknown as ShapeOf<K>
}

/** A person view of `personId` with its centre at `centre`. */
export function personViewRecord(
  id: TLShapeId,
  personId: string,
  page: Instrument,
  centre: { x: number; y: number },
  index: IndexKey,
): ShapeOf<'person'> {
  return shapeRecord<'person'>({
    id,
    type: 'person',
    parentId: instrumentPageId(page),
    index,
    x: centre.x - PERSON_SIZE.w / 2,
    y: centre.y - PERSON_SIZE.h / 2,
    props: { personId, w: PERSON_SIZE.w, h: PERSON_SIZE.h },
  })
}

/** The one client of an atlas: the person marked as client (the first by id if, oddly, several are). */
export function findClient(records: Iterable<TLRecord>): AtlasPerson | undefined {
  let client: AtlasPerson | undefined
  for (const r of records) {
    if (r.typeName === 'person' && r.isClient && (!client || r.id < client.id)) client = r
  }
  return client
}

/**
 * Plans what an atlas lacks of its five instrument pages and their fixed layout: the pages
 * (fixed ids, in order), the client (when none exists), the empty basisposter texts, his views on the basisposter, family map
 * and relationship map, the four poster areas, the locked ring map and the locked time axis.
 * Parts that exist are left alone, so running it again, or on two devices at once, changes nothing.
 * tldraw's default page is removed when it holds no shapes.
 */
export function planAtlasPages(
  records: Iterable<TLRecord>,
  options: PageLayoutOptions,
): PageLayoutPlan {
  const all = [...records]
  const byId = new Map(all.map((r) => [r.id as string, r]))
  const put: TLRecord[] = []

  INSTRUMENTS.forEach((instrument, i) => {
    const id = instrumentPageId(instrument)
    if (!byId.has(id)) {
      put.push(
        PageRecordType.create({
          id,
          name: INSTRUMENT_NAMES[instrument],
          index: `a${i + 1}` as IndexKey,
        }),
      )
    }
  })

  const shapes = all.filter((r): r is TLShape => r.typeName === 'shape')
  const pageIds = new Set<string>(INSTRUMENTS.map(instrumentPageId))
  const otherPages = all.filter((r): r is TLPage => r.typeName === 'page' && !pageIds.has(r.id))
  const removePageIds: TLPageId[] = []
  let extraIndex = INSTRUMENTS.length + 1
  for (const page of otherPages.sort((a, b) => (a.index < b.index ? -1 : 1))) {
    if (!shapes.some((s) => s.parentId === page.id)) {
      removePageIds.push(page.id)
    } else if (page.index <= `a${INSTRUMENTS.length}`) {
      // A page someone drew on stays, after the five instruments.
      put.push({ ...page, index: `a${BASE62[extraIndex++]}` as IndexKey })
    }
  }

  let client = findClient(all)
  if (!client) {
    client = {
      ...defaultPersonProperties(),
      id: CLIENT_PERSON_ID,
      typeName: 'person',
      name: options.clientName,
      isClient: true,
    }
    put.push(client)
  }
  const clientId = client.id

  const missing = (id: TLShapeId) => !byId.has(id)

  if (!byId.has(POSTER_ID)) {
    put.push({ id: POSTER_ID, typeName: 'poster', story: '', goesWell: '', wishes: '' })
  }

  for (const [n, area] of (['story', 'goesWell', 'wishes', 'questions'] as const).entries()) {
    const id = BACKGROUND_IDS.posterArea(area)
    if (!missing(id)) continue
    put.push(
      shapeRecord<'poster-area'>({
        id,
        type: 'poster-area',
        parentId: instrumentPageId('basisposter'),
        index: LAYOUT_INDEX.background(n),
        ...posterAreaPosition(area),
        isLocked: true,
        props: { area, w: POSTER_LAYOUT.area.w, h: POSTER_LAYOUT.area.h },
      }),
    )
  }

  if (missing(BACKGROUND_IDS.ringMap)) {
    put.push(
      shapeRecord<'ring-map'>({
        id: BACKGROUND_IDS.ringMap,
        type: 'ring-map',
        parentId: instrumentPageId('relatiekaart'),
        index: LAYOUT_INDEX.background(0),
        x: RING_MAP_LAYOUT.x,
        y: RING_MAP_LAYOUT.y,
        isLocked: true,
        props: { w: RING_MAP_LAYOUT.w },
      }),
    )
  }

  if (missing(BACKGROUND_IDS.timeline)) {
    const toYear = options.thisYear
    const fromYear = Math.min(client.birthYear ?? toYear - 20, toYear - 1)
    put.push(
      shapeRecord<'timeline'>({
        id: BACKGROUND_IDS.timeline,
        type: 'timeline',
        parentId: instrumentPageId('gebeurteniskaart'),
        index: LAYOUT_INDEX.background(0),
        x: TIMELINE_LAYOUT.x,
        y: TIMELINE_LAYOUT.y,
        isLocked: true,
        props: { w: timelineWidth(fromYear, toYear), fromYear, toYear },
      }),
    )
  }

  const centres: Record<(typeof CLIENT_VIEW_PAGES)[number], { x: number; y: number }> = {
    basisposter: posterCentre(),
    familiekaart: { x: 0, y: 0 },
    relatiekaart: ringMapCentre(),
  }
  for (const page of CLIENT_VIEW_PAGES) {
    const pageId = instrumentPageId(page)
    const shown = shapes.some(
      (s) => s.type === 'person' && s.parentId === pageId && s.props.personId === clientId,
    )
    const id = clientViewId(page)
    if (shown || !missing(id)) continue
    put.push(personViewRecord(id, clientId, page, centres[page], LAYOUT_INDEX.view(0)))
  }

  return { put, removePageIds, clientId }
}
