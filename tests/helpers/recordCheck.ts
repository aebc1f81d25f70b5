/**
 * Running the server's record check (`checkRecords`) as a room does, for the tests that hold it to
 * the schema: the server's own, and those that need tldraw's shape utils (which server code never
 * imports).
 */
import { expect } from 'vitest'
import * as Y from 'yjs'
import { checkRecords } from '../../server/sync/recordCheck'
import { type ReadUpdate, readUpdate } from '../../server/sync/updateCheck'
import { buildSampleAtlas, seedAtlasDoc } from '../../shared/domain/sampleAtlas'
import { recordProblem } from '../../shared/schema/validate'
import { RecordsMap } from '../../shared/sync/records'

const LIMITS = { maxStructs: 200_000, maxDeleteRanges: 200_000 }

export function read(update: Uint8Array): ReadUpdate {
  const result = readUpdate(update, LIMITS)
  if ('refused' in result) throw new Error(`refused: ${result.refused}`)
  return result
}

/** A server doc holding the sample atlas, and a client doc synced with it. */
export function pair() {
  const server = new Y.Doc()
  seedAtlasDoc(server, buildSampleAtlas())
  const client = new Y.Doc()
  Y.applyUpdate(client, Y.encodeStateAsUpdate(server))
  return { server, client }
}

/** A device's change, from the server's copy, checked and (when it fits) applied as a room does. */
export function step(server: Y.Doc, id: string, change: (fields: Y.Map<unknown>) => void) {
  const client = new Y.Doc()
  Y.applyUpdate(client, Y.encodeStateAsUpdate(server))
  const before = Y.encodeStateVector(client)
  client.transact(() => change(new RecordsMap(client).map.get(id) as Y.Map<unknown>))
  const update = Y.encodeStateAsUpdate(client, before)
  const refusal = checkRecords(read(update), server)
  if (!refusal) Y.applyUpdate(server, update)
  return refusal
}

/**
 * After a first move that finds the shape fit, every later change of the seven fields a move
 * or a layer change writes takes the short way. Each good value is taken and each bad one
 * refused, by the short way and by the whole record's check alike (`recordProblem`, the schema's
 * validator of that shape type).
 */
export function holdsShapeFields(server: Y.Doc, type: string, id: string, page: string) {
  const candidates: [key: string, good: unknown[], bad: unknown[]][] = [
    ['x', [12.5, 0, -1e6], ['far', Number.POSITIVE_INFINITY, Number.NaN, null, true]],
    ['y', [-3, 1e300], ['far', Number.NaN]],
    ['rotation', [1.5, 0, -7], ['north', Number.NEGATIVE_INFINITY]],
    ['index', ['a5', 'a1V', 'a0'], ['', 5, 'zzz']],
    ['parentId', [page, 'shape:elsewhere'], ['nowhere', 7, null]],
    ['isLocked', [true, false], ['yes', 0]],
    ['opacity', [0.5, 0, 1], [2, -1, 'half']],
  ]
  expect(
    step(server, id, (f) => f.set('x', 1)),
    type,
  ).toBeNull()
  for (const [key, goods, bads] of candidates) {
    for (const [value, expected] of [
      ...goods.map((v) => [v, null] as const),
      ...bads.map((v) => [v, 'invalid'] as const),
    ]) {
      const what = `${type}.${key} = ${String(value)}`
      const stored = new RecordsMap(server).get(id as never)
      expect(recordProblem(id, { ...stored, [key]: value }), `whole check: ${what}`).toBe(expected)
      expect(step(server, id, (f) => f.set(key, value))?.problem ?? null, what).toBe(expected)
    }
  }
  // Two fields at once, and a field left without a value.
  const both = (f: Y.Map<unknown>) => {
    f.set('x', 2)
    f.set('y', 'up')
  }
  expect(step(server, id, both)?.problem, type).toBe('invalid')
  expect(step(server, id, (f) => f.delete('x'))?.problem, type).toBe('invalid')
}
