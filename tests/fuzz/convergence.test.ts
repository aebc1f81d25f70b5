/**
 * Randomised convergence: replicas (each a tldraw store + Y.Doc + bridge) edit through their
 * stores while updates travel in random order, and replicas drop off and come back. A server doc
 * that keeps the five instrument pages (as the room does) takes part; replicas delete and rename
 * pages, instrument pages included, and type in the long texts (the poster's, a question's, a
 * person's note) at once. After everything is delivered, all docs and stores must be equal, every
 * record schema-valid, the five instrument pages as they were made, and every long text must hold
 * exactly the words typed into it and not deleted, each whole. The server doc takes an update as
 * the room does: an incomplete one waits (a device sends it again), and the record check
 * (`server/sync/recordCheck.ts`) must take every other one, since replicas write only through
 * their stores.
 * Reproduce a failure with `FUZZ_SEED=<seed> npx vitest run tests/fuzz`.
 */
import {
  createShapeId,
  createTLStore,
  GeoShapeUtil,
  PageRecordType,
  TLDOCUMENT_ID,
  type TLGeoShape,
  type TLPage,
  type TLRecord,
  type TLShape,
  type TLStore,
  toRichText,
} from 'tldraw'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { bindStoreToDoc, docRecords, loadDocIntoStore } from '../../client/sync/bridge'
import { guardInstrumentPages } from '../../server/sync/instrumentPages'
import { checkRecords } from '../../server/sync/recordCheck'
import { checkUpdate, readUpdate } from '../../server/sync/updateCheck'
import { atlasSchema } from '../../shared/schema'
import { INSTRUMENT_NAMES, INSTRUMENTS, instrumentPageId } from '../../shared/schema/pages'
import { type AtlasPerson, defaultPersonProperties, personId } from '../../shared/schema/person'
import { type AtlasPoster, type AtlasQuestion, POSTER_ID } from '../../shared/schema/poster'
import { LONG_TEXT_FIELDS } from '../../shared/sync/longTexts'

const REPLICAS = 4
const STEPS = 300
const SEEDS = process.env.FUZZ_SEED
  ? [Number(process.env.FUZZ_SEED)]
  : [1, 2, 3, 4, 5, 6, 7, 8, 42, 1234]

/** mulberry32: a tiny, good-enough seeded PRNG. */
function mulberry32(seed: number) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const NET = 'network'
const ATLAS_ROOTS: ReadonlySet<string> = new Set(['records', 'meta'])

/** The long texts the replicas type in: record id and field. */
const QUESTION_ID = 'question:fuzz' as AtlasQuestion['id']
const TEXTS: ReadonlyArray<readonly [string, string]> = [
  ...LONG_TEXT_FIELDS.poster.map((field) => [POSTER_ID, field] as const),
  [QUESTION_ID, 'text'],
  [personId('fuzz-a'), 'note'],
  [personId('fuzz-b'), 'note'],
]

/**
 * A word typed into a long text: a character no other word has (from a range where neighbours
 * share the first half of their surrogate pair, so a change that cut a pair would show) and an é.
 */
const word = (n: number) => `${String.fromCodePoint(0x20000 + n)}é`
/** Where each word of a text starts (every word is two code units and an é). */
const WORDS = /[\u{20000}-\u{2ffff}]é/gu
const wordsOf = (text: string) => [...text.matchAll(WORDS)].map((m) => m[0])
const geoDefaults = new GeoShapeUtil({} as never).getDefaultProps()
const colors = ['black', 'blue', 'green', 'red', 'orange'] as const

interface Replica {
  name: string
  doc: Y.Doc
  store: TLStore
  online: boolean
  /** Updates for this replica not yet applied (delivered in random order). */
  inbox: Uint8Array[]
  /** Updates made while offline, sent on reconnect. */
  outbox: Uint8Array[]
  dispose: () => void
}

function simulate(seed: number) {
  const rand = mulberry32(seed)
  const int = (n: number) => Math.floor(rand() * n)
  const pick = <T>(xs: readonly T[]): T | undefined => (xs.length ? xs[int(xs.length)] : undefined)
  const shuffle = <T>(xs: T[]) => {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = int(i + 1)
      ;[xs[i], xs[j]] = [xs[j] as T, xs[i] as T]
    }
    return xs
  }

  // The first replica starts the atlas with its five pages; the others and the server join from
  // its state, as after a first sync.
  const replicas: Replica[] = []
  const server = { doc: new Y.Doc(), inbox: [] as Uint8Array[], restores: 0 }
  for (let i = 0; i < REPLICAS; i++) {
    const doc = new Y.Doc()
    if (i > 0) Y.applyUpdate(doc, Y.encodeStateAsUpdate(replicas[0]?.doc as Y.Doc), NET)
    const store = createTLStore({ schema: atlasSchema })
    const origin = { replica: i }
    loadDocIntoStore(store, doc, { origin })
    const replica: Replica = {
      name: `r${i}`,
      doc,
      store,
      online: true,
      inbox: [],
      outbox: [],
      dispose: bindStoreToDoc(store, doc, { origin }),
    }
    if (i === 0) {
      store.put(
        INSTRUMENTS.map((instrument, n) =>
          PageRecordType.create({
            id: instrumentPageId(instrument),
            name: INSTRUMENT_NAMES[instrument],
            index: `a${n + 1}` as never,
          }),
        ),
      )
      const poster: AtlasPoster = {
        id: POSTER_ID,
        typeName: 'poster',
        story: '',
        goesWell: word(0),
        wishes: '',
      }
      const question: AtlasQuestion = {
        id: QUESTION_ID,
        typeName: 'question',
        text: '',
        index: 'a1',
      }
      const person = (suffix: string): AtlasPerson => ({
        ...defaultPersonProperties(),
        id: personId(suffix),
        typeName: 'person',
      })
      store.put([poster, question, person('fuzz-a'), person('fuzz-b')] as unknown as TLRecord[])
      Y.applyUpdate(server.doc, Y.encodeStateAsUpdate(doc), NET)
    }
    doc.on('update', (update: Uint8Array, from: unknown) => {
      if (from === NET) return
      if (!replica.online) replica.outbox.push(update)
      else broadcast(replica, [update])
    })
    replicas.push(replica)
  }
  const instrumentPages = INSTRUMENTS.map(
    (i) => (replicas[0] as Replica).store.get(instrumentPageId(i)) as TLPage,
  )
  guardInstrumentPages(server.doc, {
    restored: () => server.restores++,
    failed: (error) => {
      throw error
    },
  })
  server.doc.on('update', (update: Uint8Array, from: unknown) => {
    if (from !== NET) for (const r of replicas) r.inbox.push(update)
  })

  function broadcast(from: Replica, updates: Uint8Array[]) {
    for (const other of replicas) if (other !== from) other.inbox.push(...updates)
    server.inbox.push(...updates)
  }
  /** Updates the server's record check refused, of those it would have taken otherwise. */
  const recordRefusals: string[] = []
  let recordChecks = 0
  const deliverOne = (to: { doc: Y.Doc; inbox: Uint8Array[] }) => {
    const update = to.inbox.splice(int(to.inbox.length), 1)[0]
    if (!update) return
    if (to === server) {
      // The room would check it so: what a replica writes through its store must always pass.
      const read = readUpdate(update, { maxStructs: 1e6, maxDeleteRanges: 1e6 })
      if ('refused' in read) throw new Error(`update refused: ${read.refused}`)
      if (checkUpdate(read, { doc: server.doc, roots: ATLAS_ROOTS }) !== null) {
        // Refused as incomplete: the device sends it again with what it builds on.
        to.inbox.push(update)
        return
      }
      recordChecks++
      const bad = checkRecords(read, server.doc)
      if (bad) recordRefusals.push(`${bad.problem} ${bad.typeName}`)
    }
    Y.applyUpdate(to.doc, update, NET)
  }

  let counter = 0
  /** The words typed into each text, and those deleted again, by `id field`. */
  const typed = new Map<string, Set<string>>(
    TEXTS.map(([id, field]) => [`${id} ${field}`, new Set()]),
  )
  typed.get(`${POSTER_ID} goesWell`)?.add(word(0))
  const deleted = new Set<string>()
  let words = 1

  /** Types a new word at a word boundary of a long text, or deletes one whole word of it. */
  const editText = (r: Replica) => {
    const [id, field] = pick(TEXTS) as readonly [string, string]
    const record = r.store.get(id as TLRecord['id']) as unknown as Record<string, string>
    const text = record[field] as string
    const starts = [...text.matchAll(WORDS)].map((m) => m.index)
    let next: string
    if (starts.length > 0 && rand() < 0.3) {
      const at = pick(starts) as number
      deleted.add(text.slice(at, at + 3))
      next = text.slice(0, at) + text.slice(at + 3)
    } else {
      const at = pick([...starts, text.length]) as number
      const added = word(words++)
      typed.get(`${id} ${field}`)?.add(added)
      next = text.slice(0, at) + added + text.slice(at)
    }
    r.store.update(id as TLRecord['id'], (x) => ({ ...x, [field]: next }))
  }

  const pagesOf = (s: TLStore) => s.query.records('page').get() as TLPage[]
  const shapesOf = (s: TLStore) => s.query.records('shape').get() as TLShape[]

  const edit = (r: Replica) => {
    const s = r.store
    const pages = pagesOf(s)
    const shapes = shapesOf(s)
    const page = pick(pages)
    const shape = pick(shapes) as TLGeoShape | undefined
    const roll = rand()
    if (roll < 0.3 && page) {
      s.put([
        atlasSchema.types.shape.create({
          id: createShapeId(`${r.name}-${counter++}`),
          type: 'geo',
          parentId: page.id,
          index: 'a1',
          x: int(1000),
          y: int(1000),
          props: { ...geoDefaults, color: pick(colors), richText: toRichText(`p${counter}`) },
        } as never),
      ])
    } else if (roll < 0.5 && shape) {
      s.update(shape.id, (x) => ({ ...x, x: int(1000), y: int(1000) }))
    } else if (roll < 0.6 && shape) {
      s.update(shape.id, (x) => ({ ...x, props: { ...x.props, color: pick(colors) } }) as typeof x)
    } else if (roll < 0.67 && shape) {
      s.update(
        shape.id,
        (x) => ({ ...x, props: { ...x.props, richText: toRichText(`n${counter++}`) } }) as typeof x,
      )
    } else if (roll < 0.77 && shape) {
      s.remove([shape.id])
    } else if (roll < 0.82) {
      s.put([
        PageRecordType.create({
          id: PageRecordType.createId(`${r.name}-${counter++}`),
          name: `Pagina ${counter}`,
          index: `a${2 + int(8)}` as never,
        }),
      ])
    } else if (roll < 0.86 && page) {
      s.update(page.id, (p) => ({ ...p, name: `Hernoemd ${counter++}` }))
    } else if (roll < 0.9 && page && pages.length > 1) {
      // As the editor does: a page goes together with its shapes, in one batch.
      s.remove([...shapes.filter((x) => x.parentId === page.id).map((x) => x.id), page.id])
    } else if (roll < 0.95 && shape && page) {
      s.update(shape.id, (x) => ({ ...x, parentId: page.id }))
    } else {
      s.update(TLDOCUMENT_ID, (d) => ({ ...d, name: `Atlas ${counter++}` }))
    }
  }

  for (let step = 0; step < STEPS; step++) {
    const roll = rand()
    const r = pick(replicas) as Replica
    if (roll < 0.45) edit(r)
    else if (roll < 0.6) editText(r)
    else if (roll < 0.85) {
      const receivers = [...replicas.filter((x) => x.online && x.inbox.length), server]
      const to = pick(receivers)
      if (to) for (let n = 1 + int(3); n > 0; n--) deliverOne(to)
    } else if (roll < 0.93 && r.online) {
      r.online = false
    } else if (!r.online) {
      // Reconnect: what was made offline goes out shuffled; what waited comes in shuffled.
      r.online = true
      broadcast(r, shuffle(r.outbox.splice(0)))
      shuffle(r.inbox)
    }
  }

  // Everyone back online; deliver until nothing moves (a store may repair itself and write).
  for (const r of replicas) {
    if (!r.online) {
      r.online = true
      broadcast(r, shuffle(r.outbox.splice(0)))
    }
  }
  const waiting = () => [...replicas, server].filter((r) => r.inbox.length)
  for (let round = 0; waiting().length; round++) {
    if (round > 100_000) throw new Error('delivery did not settle')
    deliverOne(pick(waiting()) as { doc: Y.Doc; inbox: Uint8Array[] })
  }
  const expectedTexts = new Map(
    [...typed].map(([key, all]) => [key, [...all].filter((w) => !deleted.has(w)).sort()]),
  )
  return { replicas, server, instrumentPages, expectedTexts, recordRefusals, recordChecks }
}

describe('convergence', () => {
  it.each(SEEDS)('replicas converge with seed %i', (seed) => {
    let replicas: Replica[] = []
    try {
      const run = simulate(seed)
      replicas = run.replicas
      const [first, ...rest] = replicas as [Replica, ...Replica[]]
      const reference = docRecords(first.doc)
      for (const r of rest) {
        expect(Y.encodeStateVector(r.doc), `${r.name} state vector`).toEqual(
          Y.encodeStateVector(first.doc),
        )
        expect(docRecords(r.doc), `${r.name} doc`).toEqual(reference)
      }
      expect(docRecords(run.server.doc), 'server doc').toEqual(reference)
      expect(run.recordRefusals, 'records refused by the server').toEqual([])
      expect(run.recordChecks, 'updates the record check saw').toBeGreaterThan(100)
      // The five instrument pages are as they were made, however often they were deleted or renamed.
      for (const page of run.instrumentPages) expect(reference[page.id], page.id).toEqual(page)
      expect(run.server.restores, 'instrument pages restored').toBeGreaterThan(0)
      // Every long text holds the words typed into it and not deleted, each whole, none twice.
      for (const [key, expected] of run.expectedTexts) {
        const [id, field] = key.split(' ') as [string, string]
        const text = (reference[id] as unknown as Record<string, string>)[field] as string
        expect(text.replace(WORDS, ''), `${key}: only whole words`).toBe('')
        expect(wordsOf(text).sort(), key).toEqual(expected)
      }
      const typedWords = [...run.expectedTexts.values()].flat().length
      expect(typedWords, 'words kept').toBeGreaterThan(10)
      for (const r of replicas) {
        expect(r.store.serialize('document'), `${r.name} store`).toEqual(reference)
        for (const record of r.store.allRecords()) {
          const type = r.store.schema.types[record.typeName] as { validate(x: unknown): TLRecord }
          expect(() => type.validate(record), `${r.name} ${record.id} valid`).not.toThrow()
        }
      }
      // The run must have done something worth checking.
      expect(Object.keys(reference).length).toBeGreaterThan(2)
    } catch (error) {
      console.error(
        `convergence failed for seed ${seed}: FUZZ_SEED=${seed} npx vitest run tests/fuzz`,
      )
      throw error
    } finally {
      for (const r of replicas) r.dispose()
    }
  })
})
