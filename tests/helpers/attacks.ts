/**
 * The attacks of issue 18 as bytes: raw y-protocols messages built byte by byte (an attacker does
 * not use Yjs to make them), shared by the security tests (`tests/security/harness.ts`) and the
 * bench's attacker process (`bench/lib/attacker.ts`).
 */
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'
import { RECORDS_KEY } from '../../shared/sync/layout'

/** `[sync, update, payload]` or `[sync, step 2, payload]`. */
export function syncFrame(step: 1 | 2, payload: Uint8Array): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, 0)
  encoding.writeVarUint(e, step)
  encoding.writeVarUint8Array(e, payload)
  return encoding.toUint8Array(e)
}

/** A sync step 1 with an empty state vector: 4 bytes that ask for the whole document. */
export const WHOLE_STATE_REQUEST = new Uint8Array([0, 0, 1, 0])

/** A presence query: one byte. */
export const PRESENCE_QUERY = new Uint8Array([3])

/** `[awareness, entries]` with the given states (JSON text, `null` to remove). */
export function presenceFrame(
  entries: { client: number; clock: number; state: unknown }[],
): Uint8Array {
  const inner = encoding.createEncoder()
  encoding.writeVarUint(inner, entries.length)
  for (const { client, clock, state } of entries) {
    encoding.writeVarUint(inner, client)
    encoding.writeVarUint(inner, clock)
    encoding.writeVarString(inner, JSON.stringify(state))
  }
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, 1)
  encoding.writeVarUint8Array(e, encoding.toUint8Array(inner))
  return encoding.toUint8Array(e)
}

/**
 * An update of `count` subdocuments, 6 to 8 bytes each on the wire, built byte by byte: the
 * first in the records map's list, each next one after the one before.
 */
export function subdocumentBomb(count: number, client = 77): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, 1) // one client section
  encoding.writeVarUint(e, count)
  encoding.writeVarUint(e, client)
  encoding.writeVarUint(e, 0) // first clock
  for (let i = 0; i < count; i++) {
    if (i === 0) {
      encoding.writeUint8(e, 9) // ContentDoc, parent named
      encoding.writeVarUint(e, 1)
      encoding.writeVarString(e, RECORDS_KEY)
    } else {
      encoding.writeUint8(e, 9 | 128) // ContentDoc after an origin
      encoding.writeVarUint(e, client)
      encoding.writeVarUint(e, i - 1)
    }
    encoding.writeVarString(e, '') // guid
    encoding.writeAny(e, {}) // options
  }
  encoding.writeVarUint(e, 0) // no deletions
  return encoding.toUint8Array(e)
}

/**
 * An update of `count` one-value items of one client, each after the one before, in the records
 * map's list: valid content, 7 bytes each, which Yjs merges into one array a copy at a time.
 */
export function mergeRunBomb(count: number, client = 88): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, 1)
  encoding.writeVarUint(e, count)
  encoding.writeVarUint(e, client)
  encoding.writeVarUint(e, 0)
  for (let i = 0; i < count; i++) {
    if (i === 0) {
      encoding.writeUint8(e, 8) // ContentAny, parent named
      encoding.writeVarUint(e, 1)
      encoding.writeVarString(e, RECORDS_KEY)
    } else {
      encoding.writeUint8(e, 8 | 128) // ContentAny after an origin
      encoding.writeVarUint(e, client)
      encoding.writeVarUint(e, i - 1)
    }
    encoding.writeVarUint(e, 1)
    encoding.writeAny(e, null)
  }
  encoding.writeVarUint(e, 0)
  return encoding.toUint8Array(e)
}

/**
 * A delete set of `ranges` one-clock ranges of a client the server has never seen: nothing to
 * delete, everything left waiting (issue 18: 4 MiB of these slowed every later edit).
 */
export function deleteSetBomb(ranges: number, client = 4242): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, 0) // no structs
  encoding.writeVarUint(e, 1) // one client in the delete set
  encoding.writeVarUint(e, client)
  encoding.writeVarUint(e, ranges)
  for (let i = 0; i < ranges; i++) {
    encoding.writeVarUint(e, i * 2)
    encoding.writeVarUint(e, 1)
  }
  return encoding.toUint8Array(e)
}

/**
 * An update that builds on changes the server never got: a second edit of a device whose first
 * one never arrived (issue 18: such parts were kept as pending state, saved and resent).
 */
export function incompleteUpdate(): Uint8Array {
  const device = new Y.Doc()
  const records = device.getMap(RECORDS_KEY)
  records.set('shape:first', new Y.Map<unknown>([['x', 1]]))
  const state = Y.encodeStateVector(device)
  ;(records.get('shape:first') as Y.Map<unknown>).set('x', 2)
  records.set('shape:second', new Y.Map<unknown>([['x', 3]]))
  return Y.encodeStateAsUpdate(device, state)
}

/** A value that is no record map, written where a record belongs (issue 18: it bricked pages). */
export function numberAsRecord(id = 'shape:x'): Uint8Array {
  const doc = new Y.Doc()
  doc.getMap(RECORDS_KEY).set(id, 42)
  return Y.encodeStateAsUpdate(doc)
}
