import * as encoding from 'lib0/encoding'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { MalformedMessageError } from './errors'
import { carriesContent, checkUpdate, type ReadUpdate, readUpdate } from './updateCheck'

const LIMITS = { maxStructs: 100_000, maxDeleteRanges: 100_000 }
const ROOTS = new Set(['records', 'meta'])

function read(update: Uint8Array, limits = LIMITS): ReadUpdate {
  const result = readUpdate(update, limits)
  if ('refused' in result) throw new Error(`refused: ${result.refused}`)
  return result
}

function target(doc: Y.Doc) {
  for (const name of ROOTS) doc.getMap(name)
  return { doc, roots: ROOTS }
}

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

/** A copy of a document's whole state (the server's, to try an update on). */
function copyOf(doc: Y.Doc): Y.Doc {
  const copy = new Y.Doc({ gc: true })
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
  return copy
}

/** True when a top-level type outside the layout holds anything. */
function writesOutsideLayout(doc: Y.Doc): boolean {
  for (const [name, type] of doc.share) {
    if (!ROOTS.has(name) && (type._start !== null || type._map.size > 0)) return true
  }
  return false
}

function leavesPending(doc: Y.Doc): boolean {
  return doc.store.pendingStructs !== null || doc.store.pendingDs !== null
}

describe('readUpdate', () => {
  it('reads what Yjs reads, building nothing', () => {
    const doc = new Y.Doc()
    const records = doc.getMap('records')
    const record = new Y.Map()
    records.set('shape:a', record)
    record.set('x', 1)
    record.set('props', { geo: 'rectangle', nested: [1, 'two', { three: 3n }, null, true] })
    const text = new Y.Text('hallo 😀 wereld')
    record.set('note', text)
    text.delete(2, 3)
    record.set('bytes', new Uint8Array([1, 2, 3]))
    records.delete('gone')
    const update = Y.encodeStateAsUpdate(doc)
    const ours = read(update)
    const yjs = Y.decodeUpdate(update)
    expect(ours.structCount).toBe(yjs.structs.length + 1)
    const lengths = ours.sections.flatMap((s) => s.structs.map((x) => [x.clock, x.length]))
    expect(lengths).toEqual(yjs.structs.map((s) => [s.id.clock, s.length]))
    let ranges = 0
    for (const r of yjs.ds.clients.values()) ranges += r.length
    expect(ours.deletes).toHaveLength(ranges)
    expect(carriesContent(ours)).toBe(true)
    expect(carriesContent(read(Y.encodeStateAsUpdate(doc, Y.encodeStateVector(doc))))).toBe(
      ranges > 0,
    )
    expect(carriesContent(read(Y.encodeStateAsUpdate(new Y.Doc())))).toBe(false)
  })

  it('refuses subdocuments, XML types and rich-text formatting before Yjs builds them', () => {
    const subdoc = new Y.Doc()
    subdoc.getMap('records').set('doc', new Y.Doc())
    expect(readUpdate(Y.encodeStateAsUpdate(subdoc), LIMITS)).toEqual({ refused: 'subdocument' })
    const xml = new Y.Doc()
    xml.getMap('records').set('xml', new Y.XmlElement('p'))
    expect(readUpdate(Y.encodeStateAsUpdate(xml), LIMITS)).toEqual({ refused: 'foreign-content' })
    const rich = new Y.Doc()
    const text = new Y.Text()
    rich.getMap('records').set('t', text)
    text.insert(0, 'vet', { bold: true })
    expect(readUpdate(Y.encodeStateAsUpdate(rich), LIMITS)).toEqual({ refused: 'foreign-content' })
  })

  it('stops at the limits', () => {
    const doc = new Y.Doc()
    const map = doc.getMap('records')
    for (let i = 0; i < 50; i++) map.set(`k${i}`, i)
    const update = Y.encodeStateAsUpdate(doc)
    expect(readUpdate(update, { maxStructs: 50, maxDeleteRanges: 10 })).toEqual({
      refused: 'too-many-structs',
    })
    expect('refused' in readUpdate(update, { maxStructs: 51, maxDeleteRanges: 10 })).toBe(false)
    // Every other key deleted: 25 ranges of one client.
    for (let i = 0; i < 50; i += 2) map.delete(`k${i}`)
    const deletes = Y.encodeStateAsUpdate(doc, Y.encodeStateVector(doc))
    expect(readUpdate(deletes, { maxStructs: 10, maxDeleteRanges: 25 })).toEqual({
      refused: 'too-many-deletes',
    })
    expect('refused' in readUpdate(deletes, { maxStructs: 10, maxDeleteRanges: 26 })).toBe(false)
  })

  it('refuses a long run of values that Yjs would merge one copy at a time', () => {
    const run = (count: number, alternate: boolean) => {
      const e = encoding.createEncoder()
      encoding.writeVarUint(e, 1)
      encoding.writeVarUint(e, count)
      encoding.writeVarUint(e, 5)
      encoding.writeVarUint(e, 0)
      for (let i = 0; i < count; i++) {
        // Alternating kinds of content do not merge.
        const content = alternate && i % 2 ? 2 : 8
        if (i === 0) {
          encoding.writeUint8(e, content)
          encoding.writeVarUint(e, 1)
          encoding.writeVarString(e, 'records')
        } else {
          encoding.writeUint8(e, content | 128)
          encoding.writeVarUint(e, 5)
          encoding.writeVarUint(e, i - 1)
        }
        encoding.writeVarUint(e, 1)
        if (content === 8) encoding.writeUint8(e, 126)
        else encoding.writeVarString(e, 'null')
      }
      encoding.writeVarUint(e, 0)
      return encoding.toUint8Array(e)
    }
    expect(readUpdate(run(1001, false), LIMITS)).toEqual({ refused: 'too-many-structs' })
    expect('refused' in readUpdate(run(1000, false), LIMITS)).toBe(false)
    expect('refused' in readUpdate(run(5000, true), LIMITS)).toBe(false)
    // What a client sends for a long list is one struct: it merged them itself.
    const doc = new Y.Doc()
    const list = doc.getArray('records')
    doc.transact(() => {
      for (let i = 0; i < 5000; i++) list.push([i])
    })
    expect(read(Y.encodeStateAsUpdate(doc)).structCount).toBe(2)
  })

  it('throws MalformedMessageError for bytes that are no update, never anything else', () => {
    const doc = new Y.Doc()
    doc.getMap('records').set('a', { deep: [[[1]]] })
    doc.getText('meta').insert(0, 'tekst')
    const update = Y.encodeStateAsUpdate(doc)
    const random = mulberry32(7)
    for (let round = 0; round < 2000; round++) {
      const bytes = update.slice()
      const flips = 1 + Math.floor(random() * 3)
      for (let f = 0; f < flips; f++) {
        bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256)
      }
      const cut = random() < 0.2 ? bytes.slice(0, Math.floor(random() * bytes.length)) : bytes
      try {
        readUpdate(cut, LIMITS)
      } catch (error) {
        expect(error).toBeInstanceOf(MalformedMessageError)
      }
    }
    // A value nested deeper than any record: Yjs would read it recursively.
    const deep = encoding.createEncoder()
    encoding.writeVarUint(deep, 1) // one client section
    encoding.writeVarUint(deep, 1) // one struct
    encoding.writeVarUint(deep, 1) // client
    encoding.writeVarUint(deep, 0) // clock
    encoding.writeUint8(deep, 8 | 128) // ContentAny with an origin
    encoding.writeVarUint(deep, 2)
    encoding.writeVarUint(deep, 0)
    encoding.writeVarUint(deep, 1) // one value
    for (let i = 0; i < 10_000; i++) {
      encoding.writeUint8(deep, 117)
      encoding.writeVarUint(deep, 1)
    }
    encoding.writeUint8(deep, 126)
    encoding.writeVarUint(deep, 0) // no deletions
    expect(() => readUpdate(encoding.toUint8Array(deep), LIMITS)).toThrow(MalformedMessageError)
  })
})

describe('checkUpdate', () => {
  it('refuses writes to a top-level type outside the layout, also through a neighbour', () => {
    const server = new Y.Doc()
    const client = new Y.Doc()
    client.getArray('elsewhere').insert(0, [1])
    const update = Y.encodeStateAsUpdate(client)
    expect(checkUpdate(read(update), target(server))).toBe('foreign-root')
    // A stored document that already has such a type (written before this check): an item
    // placed after one of its items carries no parent on the wire, and is refused too.
    Y.applyUpdate(server, update)
    const before = Y.encodeStateVector(client)
    client.getArray('elsewhere').insert(1, [2])
    const next = Y.encodeStateAsUpdate(client, before)
    expect(Y.decodeUpdate(next).structs[0]).toMatchObject({ parent: null })
    expect(checkUpdate(read(next), target(server))).toBe('foreign-root')
    const ok = new Y.Doc()
    ok.getMap('records').set('a', 1)
    expect(checkUpdate(read(Y.encodeStateAsUpdate(ok)), target(server))).toBeNull()
  })

  it('refuses an update that builds on what the server lacks, and a delete of it', () => {
    const server = new Y.Doc()
    const device = new Y.Doc()
    const records = device.getMap('records')
    records.set('first', 1)
    const first = Y.encodeStateAsUpdate(device)
    const sv = Y.encodeStateVector(device)
    records.set('second', 2)
    const second = Y.encodeStateAsUpdate(device, sv)
    expect(checkUpdate(read(second), target(server))).toBe('incomplete')
    const other = new Y.Doc()
    Y.applyUpdate(other, first)
    const updates: Uint8Array[] = []
    other.on('update', (u: Uint8Array) => updates.push(u))
    other.getMap('records').delete('first')
    expect(checkUpdate(read(updates[0] as Uint8Array), target(server))).toBe('incomplete')
    expect(checkUpdate(read(first), target(server))).toBeNull()
    Y.applyUpdate(server, first)
    expect(checkUpdate(read(second), target(server))).toBeNull()
    expect(checkUpdate(read(updates[0] as Uint8Array), target(server))).toBeNull()
  })

  it('refuses an edit of a record the server has not received yet', () => {
    const server = new Y.Doc()
    const b = new Y.Doc()
    const record = new Y.Map<unknown>()
    b.getMap('records').set('shape:b', record)
    record.set('x', 1)
    const a = new Y.Doc()
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b))
    const updates: Uint8Array[] = []
    a.on('update', (u: Uint8Array) => updates.push(u))
    const shape = a.getMap('records').get('shape:b') as Y.Map<unknown>
    // A new field (its parent is b's record) and a changed one (it deletes b's value).
    shape.set('y', 2)
    shape.set('x', 2)
    for (const edit of updates) {
      expect(checkUpdate(read(edit), target(server))).toBe('incomplete')
      const trial = copyOf(server)
      Y.applyUpdate(trial, edit)
      expect(leavesPending(trial)).toBe(true)
    }
    Y.applyUpdate(server, Y.encodeStateAsUpdate(b))
    for (const edit of updates) {
      expect(checkUpdate(read(edit), target(server))).toBeNull()
      Y.applyUpdate(server, edit)
    }
  })

  it.each([1, 2, 3, 4, 5, 6, 7, 8])(
    'says "incomplete" exactly when Yjs would leave something pending (seed %i)',
    (seed) => {
      const random = mulberry32(seed)
      const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)] as T
      // Three replicas edit the layout's types; a stranger writes to one outside it.
      const replicas = [0, 1, 2].map(() => new Y.Doc())
      const stranger = new Y.Doc()
      const produced: Uint8Array[] = []
      const foreign: Uint8Array[] = []
      const history: Uint8Array[][] = replicas.map(() => [])
      replicas.forEach((doc, i) => {
        doc.on('update', (u: Uint8Array) => {
          produced.push(u)
          history[i]?.push(Y.encodeStateVector(doc))
        })
      })
      stranger.on('update', (u: Uint8Array) => foreign.push(u))
      const oldState = (doc: Y.Doc) => pick(history[replicas.indexOf(doc)] ?? []) ?? undefined
      const server = new Y.Doc({ gc: true })
      const t = target(server)
      let refused = 0
      let accepted = 0
      for (let step = 0; step < 400; step++) {
        const doc = pick(replicas)
        const records = doc.getMap<unknown>('records')
        const keys = [...records.keys()]
        const roll = random()
        if (roll < 0.25 || keys.length === 0) {
          const record = new Y.Map<unknown>()
          records.set(`r${Math.floor(random() * 20)}`, record)
          record.set('x', step)
          record.set('text', new Y.Text('abc'))
        } else if (roll < 0.45) {
          const record = records.get(pick(keys))
          if (record instanceof Y.Map) record.set(pick(['x', 'y']), step)
        } else if (roll < 0.6) {
          const record = records.get(pick(keys))
          const text = record instanceof Y.Map ? record.get('text') : undefined
          if (text instanceof Y.Text) {
            if (random() < 0.7) text.insert(Math.floor(random() * (text.length + 1)), 'é😀x')
            else if (text.length > 0) text.delete(Math.floor(random() * text.length), 1)
          }
        } else if (roll < 0.7) {
          records.delete(pick(keys))
        } else if (roll < 0.75) {
          // The stranger learns the atlas and writes next to it, in a type of its own.
          Y.applyUpdate(stranger, Y.encodeStateAsUpdate(doc))
          stranger.getArray('elsewhere').insert(0, [step])
        } else {
          // Replicas exchange, mostly all they hold (as through the server), at times a
          // random update of someone's (as through a second tab).
          const from = pick(replicas)
          const update =
            random() < 0.8
              ? Y.encodeStateAsUpdate(from, Y.encodeStateVector(doc))
              : pick(produced.length ? produced : [Y.encodeStateAsUpdate(from)])
          Y.applyUpdate(doc, update)
        }
        // The server is offered a random update: a replica's answer to its sync step 1, one a
        // replica made, a diff, a merge, or the stranger's.
        if (random() < 0.7 && produced.length > 0) {
          const kind = random()
          const from = pick(replicas)
          const update =
            kind < 0.2
              ? Y.encodeStateAsUpdate(from, Y.encodeStateVector(server))
              : kind < 0.45
                ? pick(produced)
                : kind < 0.7
                  ? Y.encodeStateAsUpdate(from, oldState(from))
                  : kind < 0.9 || foreign.length === 0
                    ? Y.mergeUpdates(produced.filter(() => random() < 0.2))
                    : random() < 0.5
                      ? pick(foreign)
                      : Y.encodeStateAsUpdate(stranger, Y.encodeStateVector(server))
          const result = readUpdate(update, LIMITS)
          if ('refused' in result) throw new Error(result.refused)
          const verdict = checkUpdate(result, t)
          const trial = copyOf(server)
          Y.applyUpdate(trial, update)
          const pending = leavesPending(trial)
          const outside = writesOutsideLayout(trial)
          if (verdict === 'incomplete') expect(pending).toBe(true)
          else if (verdict === 'foreign-root') expect(outside || pending).toBe(true)
          else
            expect({ verdict, pending, outside }).toEqual({
              verdict: null,
              pending: false,
              outside: false,
            })
          if (verdict === null) {
            Y.applyUpdate(server, update)
            expect(leavesPending(server)).toBe(false)
            accepted++
          } else refused++
        }
      }
      // The run exercised both sides.
      expect(accepted).toBeGreaterThan(10)
      expect(refused).toBeGreaterThan(10)
    },
  )
})
