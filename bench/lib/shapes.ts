/**
 * tldraw records as the app stores them: the document, a page and geo shapes with their full
 * default props, validated against the atlas schema, written through the app's own records module.
 */
import type { UnknownRecord } from '@tldraw/store'
import {
  createShapeId,
  DocumentRecordType,
  GeoShapeUtil,
  getIndices,
  getIndicesAbove,
  type IndexKey,
  TLDOCUMENT_ID,
  toRichText,
} from 'tldraw'
import type * as Y from 'yjs'
import { planAtlasPages } from '../../shared/domain/pageLayout'
import { atlasSchema } from '../../shared/schema'
import { instrumentPageId } from '../../shared/schema/pages'
import { RecordsMap, writeSchema } from '../../shared/sync/records'

const geoDefaults = new GeoShapeUtil(
  {} as ConstructorParameters<typeof GeoShapeUtil>[0],
).getDefaultProps()
const colors = ['black', 'blue', 'green', 'red', 'orange', 'violet'] as const

/** The id of the n-th shape of a generated atlas. */
export const shapeId = (n: number) => createShapeId(`s${n}`)

/** The document, a page and `count` labelled geo shapes on a grid, each schema-valid. */
export function atlasRecords(count: number): UnknownRecord[] {
  const page = atlasSchema.types.page.create({
    id: 'page:page' as never,
    name: 'Page 1',
    index: 'a1' as never,
  })
  const document = atlasSchema.types.document.create({ id: 'document:document' as never })
  return [document, page, ...geoShapes(count, 'page:page', getIndices(count))]
}

/** The page a device opens first (the lowest index): the basisposter. */
export const FIRST_PAGE_ID = instrumentPageId('basisposter')

/**
 * An atlas as the app lays it out (five instrument pages, the client, the poster, the ring map
 * and the time axis), with `count` geo shapes added on the page a device opens first: what the
 * browser shows on opening it, with nothing left for the app to add.
 */
export function laidOutAtlasRecords(
  count: number,
  clientName: string,
  pageId: string = FIRST_PAGE_ID,
): UnknownRecord[] {
  const document = DocumentRecordType.create({ id: TLDOCUMENT_ID })
  const layout = planAtlasPages([document], { clientName, thisYear: new Date().getFullYear() })
  // Above everything the layout puts on that page.
  const top = layout.put
    .filter((r) => r.typeName === 'shape' && r.parentId === pageId)
    .map((r) => (r as { index: IndexKey }).index)
    .sort()
    .pop()
  const shapes = geoShapes(count, pageId, getIndicesAbove(top, count))
  return [document, ...layout.put, ...shapes] as UnknownRecord[]
}

function geoShapes(count: number, parentId: string, indices: IndexKey[]): UnknownRecord[] {
  const shapes = Array.from({ length: count }, (_, i) =>
    atlasSchema.types.shape.create({
      id: shapeId(i),
      type: 'geo',
      parentId,
      index: indices[i],
      x: (i % 100) * 180,
      y: Math.floor(i / 100) * 140,
      props: {
        ...geoDefaults,
        w: 120 + (i % 7) * 10,
        h: 80 + (i % 5) * 10,
        color: colors[i % colors.length],
        fill: i % 3 ? 'semi' : 'none',
        richText: toRichText(`Persoon ${i}`),
      },
    } as never),
  ) as UnknownRecord[]
  for (const shape of shapes) atlasSchema.types.shape.validate(shape)
  return shapes
}

/** Writes the records and the schema into `doc` in one transaction, as the app's bridge does. */
export function seedDoc(doc: Y.Doc, records: UnknownRecord[]): void {
  const map = new RecordsMap<UnknownRecord>(doc)
  doc.transact(() => {
    for (const record of records) map.set(record)
    writeSchema(doc, atlasSchema.serialize())
  })
}

/** Moves one shape to (x, y) the way a drag does: one transaction writing x and y. */
export function moveShape(doc: Y.Doc, id: string, x: number, y: number): void {
  const fields = new RecordsMap<UnknownRecord>(doc).map.get(id)
  if (!fields) throw new Error(`no record ${id}`)
  doc.transact(() => {
    fields.set('x', x)
    fields.set('y', y)
  })
}

/** The x of a shape as stored in the doc (cheap: no record copy). */
export function shapeX(doc: Y.Doc, id: string): number | undefined {
  return new RecordsMap<UnknownRecord>(doc).map.get(id)?.get('x') as number | undefined
}

/** A canonical text of every record in the doc, equal for equal record sets. */
export function recordsDigest(doc: Y.Doc): string {
  const all = new RecordsMap<UnknownRecord>(doc).toObject()
  return JSON.stringify(
    Object.keys(all)
      .sort()
      .map((id) => all[id]),
  )
}
