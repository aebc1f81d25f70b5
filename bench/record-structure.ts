/**
 * Which Yjs structure should hold the tldraw records of an atlas? Run with
 * `npx tsx bench/record-structure.ts`. Prints, per candidate: the cost of one write (move one
 * shape in a doc of 5,000 geo shapes), the size of the update it produces, the time a peer needs to
 * apply it, the document growth after 10,000 moves of one shape, and the cold-load time; then how
 * each candidate merges concurrent edits of one shape. Results and the choice: record-structure.md.
 */
import type { TLRecord, TLShape } from '@tldraw/tlschema'
import { createShapeId, GeoShapeUtil, getIndices, toRichText } from 'tldraw'
import { YKeyValue } from 'y-utility/y-keyvalue'
import * as Y from 'yjs'
import { atlasSchema } from '../shared/schema'
import { RecordsMap } from '../shared/sync/records'

const SHAPES = 5_000
const WRITES = 1_000
const MOVES = 10_000
const LOADS = 7

/** One way of keeping records in a Y.Doc. Writes are what a bridge would send for a move. */
interface Candidate {
  name: string
  putAll(doc: Y.Doc, records: TLRecord[]): void
  /** Writes `next` over `prev` (same id) the way this structure would. */
  update(doc: Y.Doc, prev: TLRecord, next: TLRecord): void
  readAll(doc: Y.Doc): TLRecord[]
  /** Called once per doc before use (YKeyValue keeps an index beside the doc). */
  open?(doc: Y.Doc): void
}

type Json = Record<string, unknown>

/** (a) one plain JSON value per record in a Y.Map. */
const yMapJson: Candidate = {
  name: '(a) Y.Map<record JSON>',
  putAll(doc, records) {
    const map = doc.getMap<TLRecord>('records')
    doc.transact(() => {
      for (const r of records) map.set(r.id, r)
    })
  },
  update(doc, _prev, next) {
    doc.transact(() => doc.getMap<TLRecord>('records').set(next.id, next))
  },
  readAll(doc) {
    return [...doc.getMap<TLRecord>('records').values()]
  },
}

/** (b) y-utility's YKeyValue: {key, val} entries in a Y.Array, newest wins. */
const keyValues = new WeakMap<Y.Doc, YKeyValue<TLRecord>>()
const kv = (doc: Y.Doc) => {
  let store = keyValues.get(doc)
  if (!store) {
    store = new YKeyValue<TLRecord>(doc.getArray('records'))
    keyValues.set(doc, store)
  }
  return store
}
const yKeyValue: Candidate = {
  name: '(b) YKeyValue (Y.Array)',
  open: (doc) => void kv(doc),
  putAll(doc, records) {
    doc.transact(() => {
      for (const r of records) kv(doc).set(r.id, r)
    })
  },
  update(doc, _prev, next) {
    doc.transact(() => kv(doc).set(next.id, next))
  },
  readAll(doc) {
    return [...kv(doc).map.values()].map((e) => e.val)
  },
}

/** Splits a record into the entries of its Y.Map; `deep` also gives each prop its own entry. */
function toEntries(record: TLRecord, deep: boolean): [string, unknown][] {
  const out: [string, unknown][] = []
  for (const [k, v] of Object.entries(record)) {
    if (deep && k === 'props') {
      for (const [pk, pv] of Object.entries(v as Json)) out.push([`props.${pk}`, pv])
    } else out.push([k, v])
  }
  return out
}
function fromEntries(map: Y.Map<unknown>): TLRecord {
  const record: Json = {}
  for (const [k, v] of map.entries()) {
    if (k.startsWith('props.')) {
      record.props ??= {}
      ;(record.props as Json)[k.slice(6)] = v
    } else record[k] = v
  }
  return record as unknown as TLRecord
}
function nestedCandidate(name: string, deep: boolean): Candidate {
  return {
    name,
    putAll(doc, records) {
      const map = doc.getMap<Y.Map<unknown>>('records')
      doc.transact(() => {
        for (const r of records) map.set(r.id, new Y.Map(toEntries(r, deep)))
      })
    },
    update(doc, prev, next) {
      const inner = doc.getMap<Y.Map<unknown>>('records').get(next.id)
      if (!inner) throw new Error('missing record')
      const before = new Map(toEntries(prev, deep))
      doc.transact(() => {
        for (const [k, v] of toEntries(next, deep)) {
          if (JSON.stringify(before.get(k)) !== JSON.stringify(v)) inner.set(k, v)
        }
      })
    },
    readAll(doc) {
      return [...doc.getMap<Y.Map<unknown>>('records').values()].map(fromEntries)
    },
  }
}

/** The module the app uses (shared/sync/records.ts), measured the same way. */
const chosen: Candidate = {
  name: 'RecordsMap (shared/sync/records.ts)',
  putAll(doc, records) {
    const map = new RecordsMap<TLRecord>(doc)
    doc.transact(() => {
      for (const r of records) map.set(r)
    })
  },
  update(doc, _prev, next) {
    doc.transact(() => new RecordsMap<TLRecord>(doc).set(next))
  },
  readAll(doc) {
    return [...new RecordsMap<TLRecord>(doc).values()]
  },
}

const candidates: Candidate[] = [
  yMapJson,
  yKeyValue,
  nestedCandidate('(c) Y.Map<Y.Map> per field', false),
  nestedCandidate('(d) (c) + one entry per prop', true),
  chosen,
]

// Realistic records: a page and 5,000 geo shapes with full default props, a label, varied styles.
const geoDefaults = new GeoShapeUtil(
  {} as ConstructorParameters<typeof GeoShapeUtil>[0],
).getDefaultProps()
const colors = ['black', 'blue', 'green', 'red', 'orange', 'violet'] as const
function makeRecords(): TLRecord[] {
  const page = atlasSchema.types.page.create({
    id: 'page:page' as TLRecord['id'] as never,
    name: 'Page 1',
    index: 'a1' as never,
  })
  const doc = atlasSchema.types.document.create({ id: 'document:document' as never })
  const indices = getIndices(SHAPES)
  const shapes = Array.from({ length: SHAPES }, (_, i) =>
    atlasSchema.types.shape.create({
      id: createShapeId(`s${i}`),
      type: 'geo',
      parentId: page.id,
      index: indices[i],
      x: (i % 100) * 180 + 0.5,
      y: Math.floor(i / 100) * 140 + 0.25,
      props: {
        ...geoDefaults,
        w: 120 + (i % 7) * 10,
        h: 80 + (i % 5) * 10,
        color: colors[i % colors.length],
        fill: i % 3 ? 'semi' : 'none',
        richText: toRichText(`Persoon ${i}`),
      },
    } as never),
  ) as TLShape[]
  for (const s of shapes) atlasSchema.types.shape.validate(s)
  return [doc, page, ...shapes] as TLRecord[]
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)] ?? Number.NaN
}
const fmt = (n: number, digits = 3) => n.toFixed(digits)

function measure(c: Candidate, records: TLRecord[]) {
  // Seed doc A, then a peer B that receives every update.
  const a = new Y.Doc()
  c.open?.(a)
  c.putAll(a, records)
  const initialState = Y.encodeStateAsUpdate(a)
  const b = new Y.Doc()
  c.open?.(b)
  Y.applyUpdate(b, initialState)

  const shapes = records.filter((r): r is TLShape => r.typeName === 'shape')
  let current = new Map(shapes.map((s) => [s.id, s]))
  const writeMs: number[] = []
  const updateBytes: number[] = []
  const applyMs: number[] = []
  let last: Uint8Array = new Uint8Array()
  a.on('update', (u: Uint8Array) => {
    last = u
  })
  for (let i = 0; i < WRITES; i++) {
    // Spread writes over many shapes: a map's cost can depend on which key moves.
    const prev = shapes[(i * 7919) % shapes.length]
    const before = current.get(prev.id) ?? prev
    const next = { ...before, x: before.x + 1.5, y: before.y - 0.75 }
    const t0 = performance.now()
    c.update(a, before, next)
    writeMs.push(performance.now() - t0)
    updateBytes.push(last.byteLength)
    const t1 = performance.now()
    Y.applyUpdate(b, last)
    applyMs.push(performance.now() - t1)
    current.set(next.id, next)
  }

  // Growth: a fresh doc of 5,000 shapes, then 10,000 moves of ONE shape, one transaction each.
  const g = new Y.Doc()
  c.open?.(g)
  c.putAll(g, records)
  const sizeBefore = Y.encodeStateAsUpdate(g).byteLength
  current = new Map(shapes.map((s) => [s.id, s]))
  let mover = shapes[0]
  for (let i = 0; i < MOVES; i++) {
    const next = {
      ...mover,
      x: mover.x + ((i % 13) - 6) * 0.37,
      y: mover.y + ((i % 11) - 5) * 0.41,
    }
    c.update(g, mover, next)
    mover = next
  }
  const sizeAfter = Y.encodeStateAsUpdate(g).byteLength
  // The same 10,000 moves spread over 10 shapes in turn, as when a selection of 10 is dragged.
  const h = new Y.Doc()
  c.open?.(h)
  c.putAll(h, records)
  const dragged = shapes.slice(0, 10)
  for (let i = 0; i < MOVES; i++) {
    const k = i % dragged.length
    const prev = dragged[k]
    dragged[k] = { ...prev, x: prev.x + 0.37, y: prev.y - 0.41 }
    c.update(h, prev, dragged[k])
  }
  const dragGrowth = Y.encodeStateAsUpdate(h).byteLength - sizeBefore
  const readBack = c.readAll(g).find((r) => r.id === mover.id) as TLShape
  if (readBack.x !== mover.x || readBack.y !== mover.y) throw new Error(`${c.name}: lost a move`)

  // Cold load: apply the 5,000-record state into a fresh doc and read every record.
  const loadMs: number[] = []
  const readMs: number[] = []
  for (let i = 0; i < LOADS; i++) {
    const t0 = performance.now()
    const fresh = new Y.Doc()
    c.open?.(fresh)
    Y.applyUpdate(fresh, initialState)
    const t1 = performance.now()
    const all = c.readAll(fresh)
    loadMs.push(performance.now() - t0)
    readMs.push(performance.now() - t1)
    if (all.length !== records.length) throw new Error(`${c.name}: cold load lost records`)
  }

  return {
    name: c.name,
    writeMs: median(writeMs),
    updateBytes: median(updateBytes),
    applyMs: median(applyMs),
    stateBytes: initialState.byteLength,
    growthBytes: sizeAfter - sizeBefore,
    dragGrowth,
    loadMs: median(loadMs),
    readMs: median(readMs),
  }
}

/** Two replicas edit one shape concurrently (A moves it, B recolours it; then both move it). */
function concurrency(c: Candidate, records: TLRecord[]) {
  const a = new Y.Doc()
  const b = new Y.Doc()
  c.open?.(a)
  c.open?.(b)
  c.putAll(a, records.slice(0, 3))
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
  const shape = records[2] as TLShape
  const sync = () => {
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)))
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)))
  }
  c.update(a, shape, { ...shape, x: 999, y: 999 })
  c.update(b, shape, { ...shape, props: { ...shape.props, color: 'red' } } as TLShape)
  sync()
  const merged = c.readAll(a).find((r) => r.id === shape.id) as TLShape & { props: Json }
  const bothKept = merged.x === 999 && merged.props.color === 'red'
  const m2 = { ...merged }
  c.update(a, m2, { ...m2, x: 1, y: 1 })
  c.update(b, m2, { ...m2, x: 2, y: 2 })
  sync()
  const again = c.readAll(a).find((r) => r.id === shape.id) as TLShape
  const consistent = (again.x === 1 && again.y === 1) || (again.x === 2 && again.y === 2)
  const equal =
    JSON.stringify(c.readAll(a).find((r) => r.id === shape.id)) ===
    JSON.stringify(c.readAll(b).find((r) => r.id === shape.id))
  return { bothKept, consistent, equal }
}

const records = makeRecords()
console.log(`${records.length} records (${SHAPES} geo shapes), ${WRITES} writes, ${MOVES} moves\n`)
const rows = candidates.map((c) => ({ ...measure(c, records), ...concurrency(c, records) }))
console.log(
  '| structure | write (ms, median) | update (bytes) | peer apply (ms) | state (KB) | growth, 10k moves of 1 shape (bytes) | growth, 10k moves over 10 shapes (bytes) | cold load (ms) (of which reading) | move ∥ recolour keeps both | move ∥ move one winner |',
)
console.log('|---|---:|---:|---:|---:|---:|---:|---:|:-:|:-:|')
for (const r of rows) {
  console.log(
    `| ${r.name} | ${fmt(r.writeMs)} | ${r.updateBytes} | ${fmt(r.applyMs)} | ${fmt(r.stateBytes / 1024, 0)} | ${r.growthBytes} | ${r.dragGrowth} | ${fmt(r.loadMs, 0)} (${fmt(r.readMs, 0)}) | ${r.bothKept ? 'yes' : 'no'} | ${r.consistent && r.equal ? 'yes' : 'no'} |`,
  )
}
// tldraw's module state keeps timers alive; the figures are printed, so end here.
process.exit(0)
