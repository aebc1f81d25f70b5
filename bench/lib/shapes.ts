/**
 * tldraw records as the app stores them: the document, one page and geo shapes with their full
 * default props, validated against the atlas schema, written through the app's own records module.
 */
import type { UnknownRecord } from '@tldraw/store'
import { createShapeId, GeoShapeUtil, getIndices, toRichText } from 'tldraw'
import type * as Y from 'yjs'
import { atlasSchema } from '../../shared/schema'
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
  const indices = getIndices(count)
  const shapes = Array.from({ length: count }, (_, i) =>
    atlasSchema.types.shape.create({
      id: shapeId(i),
      type: 'geo',
      parentId: 'page:page',
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
  return [document, page, ...shapes] as UnknownRecord[]
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
