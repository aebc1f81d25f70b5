/**
 * What merging long texts character by character costs in the document. Run with
 * `npx tsx bench/text-fields.ts`. The sample atlas is stored twice: with its long texts as plain
 * strings (atlases before) and as Y.Text (`RecordsMap` now). In each, someone types 200 characters
 * into the basisposter's story, one transaction per key as the bridge writes them (all in the
 * middle, or each at another place), then deletes them again one by one. Prints the state size
 * before and after, the bytes a key sends, and the cold load (apply the state, read every record).
 * Results: bench/record-structure.md.
 */
import type { TLRecord } from '@tldraw/tlschema'
import * as Y from 'yjs'
import { buildSampleAtlas } from '../shared/domain/sampleAtlas'
import { type AtlasPoster, POSTER_ID } from '../shared/schema/poster'
import { RecordsMap } from '../shared/sync/records'

const KEYS = 200
const LOADS = 15
const TYPED = 'Op zaterdag ga ik naar de markt met mam. '.repeat(5).slice(0, KEYS)

interface Layout {
  name: string
  seed(doc: Y.Doc, records: readonly TLRecord[]): void
  /** Writes `next` over `prev` (the poster record) as this layout does. */
  write(doc: Y.Doc, prev: AtlasPoster, next: AtlasPoster): void
}

/** Before: one Y.Map per record, every field one plain value (a text is replaced whole). */
const plain: Layout = {
  name: 'plain strings (before)',
  seed(doc, records) {
    const map = doc.getMap<Y.Map<unknown>>('records')
    doc.transact(() => {
      for (const r of records) map.set(r.id, new Y.Map<unknown>(Object.entries(r)))
    })
  },
  write(doc, prev, next) {
    const fields = doc.getMap<Y.Map<unknown>>('records').get(next.id)
    doc.transact(() => {
      for (const [key, value] of Object.entries(next)) {
        if (prev[key as keyof AtlasPoster] !== value) fields?.set(key, value)
      }
    })
  },
}

/** Now: `RecordsMap`, long texts as Y.Text. */
const text: Layout = {
  name: 'Y.Text (RecordsMap)',
  seed(doc, records) {
    const map = new RecordsMap<TLRecord>(doc)
    doc.transact(() => {
      for (const r of records) map.set(r)
    })
  },
  write(doc, prev, next) {
    doc.transact(() => new RecordsMap<AtlasPoster>(doc).set(next, prev as unknown as AtlasPoster))
  },
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] as number
}

/** mulberry32: a tiny seeded PRNG, so both layouts get the same places. */
function random(seed: number) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Where key `i` goes in a text of `length` characters. */
type Places = (i: number, length: number) => number

function measure(layout: Layout, workload: string, place: Places) {
  const records = buildSampleAtlas({ thisYear: 2026 })
  const doc = new Y.Doc()
  // A fixed client id of a typical size (Yjs draws a random 32-bit one): sizes compare exactly.
  doc.clientID = 2_000_000_000
  layout.seed(doc, records)
  const before = Y.encodeStateAsUpdate(doc).byteLength
  let poster = new RecordsMap<AtlasPoster>(doc).get(POSTER_ID) as AtlasPoster
  const write = (story: string) => {
    const next = { ...poster, story }
    layout.write(doc, poster, next)
    poster = next
  }
  const sent: number[] = []
  doc.on('update', (u: Uint8Array) => sent.push(u.byteLength))
  const places: number[] = []
  for (let i = 0; i < KEYS; i++) {
    const at = place(i, poster.story.length)
    places.push(at)
    write(poster.story.slice(0, at) + TYPED.charAt(i) + poster.story.slice(at))
  }
  const typed = Y.encodeStateAsUpdate(doc).byteLength
  // The same characters deleted again, last typed first.
  for (const at of places.reverse()) write(poster.story.slice(0, at) + poster.story.slice(at + 1))
  const state = Y.encodeStateAsUpdate(doc)
  const loads: number[] = []
  for (let n = 0; n < LOADS; n++) {
    const t0 = performance.now()
    const fresh = new Y.Doc()
    Y.applyUpdate(fresh, state)
    new RecordsMap(fresh).toObject()
    loads.push(performance.now() - t0)
  }
  return {
    layout: layout.name,
    keys: workload,
    'state (B)': before,
    'after 200 keys (B)': typed,
    'after deleting them (B)': state.byteLength,
    'per key (B, median)': median(sent.slice(0, KEYS)),
    'sent, 400 keys (B)': sent.reduce((a, b) => a + b, 0),
    'cold load (ms, median)': Number(median(loads).toFixed(2)),
  }
}

const workloads: Array<[string, () => Places]> = [
  [
    '200 in one place',
    () => {
      // Typing on from the middle of the story: each key after the one before.
      let start = -1
      return (i, length) => {
        if (start < 0) start = Math.floor(length / 2)
        return start + i
      }
    },
  ],
  [
    '200 at random places',
    () => {
      const next = random(17)
      return (_, length) => Math.floor(next() * (length + 1))
    },
  ],
]
const rows = []
for (const [name, places] of workloads) {
  // One warm-up run each, so that both layouts measure with the same warm JIT.
  measure(plain, name, places())
  measure(text, name, places())
  rows.push(measure(plain, name, places()), measure(text, name, places()))
}
console.table(rows)
