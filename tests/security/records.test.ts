/**
 * Records the server refuses (issue 18, "a bad record bricks pages"): an edit link writes, over a
 * real socket to a real server process, a value that is no record map, a record of the wrong
 * shape, or a shape of a type the atlas does not know. The attacker is closed with 4422 and a
 * reason; the room's document stays byte-identical, nothing reaches another client or the disk,
 * and an honest client of the same atlas keeps editing.
 */
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { LowdbAtlasStore } from '../../server/storage/lowdb'
import { RECORD_REFUSAL_REASON } from '../../server/sync/room'
import { CloseCode, RECORDS_KEY } from '../../shared/sync/layout'
import { createAtlas, moveShape, readShape, waitFor, writeShape } from '../helpers/clients'
import { alive, cleanUp, closedWithin, editLink, provider, raw, server, syncFrame } from './harness'

afterEach(cleanUp)

/**
 * An atlas with one shape, written and watched by an honest client; then an attacker with another
 * edit link sends what `change` writes on a copy of the document.
 */
async function attack(change: (doc: Y.Doc) => void) {
  const s = await server()
  const target = await createAtlas(s.url)
  const honest = await provider(s, target.id, target.editToken)
  writeShape(honest.doc, 'kaart', { x: 10, y: 20 })
  const watcher = await provider(s, target.id, await editLink(s, target, 'Sanne'))
  await waitFor(() => readShape(watcher.doc, 'kaart') !== undefined, 'the shape at the watcher')
  const before = Y.encodeStateAsUpdate(watcher.doc)
  let forwarded = 0
  watcher.doc.on('update', () => forwarded++)

  const copy = new Y.Doc()
  Y.applyUpdate(copy, before)
  const vector = Y.encodeStateVector(copy)
  change(copy)
  const attacker = raw(s, target.id, await editLink(s, target, 'Onbekend'))
  await attacker.opened
  attacker.send(syncFrame(2, Y.encodeStateAsUpdate(copy, vector)))
  const outcome = await closedWithin(attacker, 5000)

  // The honest client goes on: its move reaches the watcher.
  const moves: Uint8Array[] = []
  honest.doc.on('update', (u: Uint8Array) => moves.push(u))
  moveShape(honest.doc, 'kaart', 99)
  await waitFor(() => readShape(watcher.doc, 'kaart')?.x === 99, 'the honest move')
  const fresh = await provider(s, target.id, target.editToken)
  await waitFor(() => readShape(fresh.doc, 'kaart')?.x === 99, 'the honest move at a new client')
  return { s, target, outcome, forwarded, before, moves, fresh }
}

/** The document as the server stored it, after a clean shutdown. */
async function stored(s: Awaited<ReturnType<typeof server>>, id: string): Promise<Y.Doc> {
  s.child.kill('SIGTERM')
  await s.exited
  const store = await LowdbAtlasStore.open(s.dir)
  const doc = new Y.Doc()
  Y.applyUpdate(doc, (await store.loadDoc(id)) as Uint8Array)
  return doc
}

const cases: [string, (doc: Y.Doc) => void, string][] = [
  [
    'a number where a record map belongs',
    (doc) => doc.getMap(RECORDS_KEY).set('shape:x', 42),
    'shape:x',
  ],
  [
    'a plain object where a record map belongs',
    (doc) => doc.getMap(RECORDS_KEY).set('shape:y', { id: 'shape:y', typeName: 'shape' }),
    'shape:y',
  ],
  [
    'a position that is no number',
    (doc) => (doc.getMap(RECORDS_KEY).get('shape:kaart') as Y.Map<unknown>).set('x', 'ver weg'),
    'shape:kaart',
  ],
  [
    'a shape without its props',
    (doc) => (doc.getMap(RECORDS_KEY).get('shape:kaart') as Y.Map<unknown>).delete('props'),
    'shape:kaart',
  ],
  [
    'a shape of a type the atlas does not know',
    (doc) => {
      const shape = (doc.getMap(RECORDS_KEY).get('shape:kaart') as Y.Map<unknown>).toJSON()
      doc
        .getMap(RECORDS_KEY)
        .set(
          'shape:raket',
          new Y.Map(Object.entries({ ...shape, id: 'shape:raket', type: 'rocket' })),
        )
    },
    'shape:raket',
  ],
]

describe('a record that does not fit the atlas is refused', () => {
  for (const [name, change, id] of cases) {
    it(name, async () => {
      const { s, target, outcome, forwarded, before, moves } = await attack(change)
      expect(outcome).toEqual({ code: CloseCode.UpdateRefused, reason: RECORD_REFUSAL_REASON })
      expect(forwarded).toBe(1) // the honest move only
      expect(await alive(s)).toBe(true)
      expect(s.output()).toContain('invalid record')
      const doc = await stored(s, target.id)
      const record = doc.getMap(RECORDS_KEY).get(id)
      if (id === 'shape:kaart') {
        expect((record as Y.Map<unknown>).get('x')).toBe(99)
        expect((record as Y.Map<unknown>).has('props')).toBe(true)
      } else expect(record).toBeUndefined()
      // Byte for byte what it was, plus the honest move.
      const expected = new Y.Doc()
      Y.applyUpdate(expected, before)
      for (const move of moves) Y.applyUpdate(expected, move)
      expect(Y.encodeStateAsUpdate(doc)).toEqual(Y.encodeStateAsUpdate(expected))
    })
  }
})
