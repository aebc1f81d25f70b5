/**
 * The five instrument pages stay, whatever a client sends: an old build that still deletes pages,
 * a device that deleted one offline and syncs later, or a hostile one. A transaction that
 * deletes, replaces or changes an instrument page record is followed by a server transaction that
 * writes the page back as it was, and, when the page itself was taken away, the shapes on it and
 * the bindings between them that the same transaction deleted. Every device, the sender included,
 * converges on the restored atlas; the rest of the sender's change stays.
 *
 * Why after the fact: a decoded update does not name the parent of an item that has an origin
 * (Yjs infers it on integration), so only the applied transaction knows what an update touched.
 * Yjs keeps deleted content until the end of the transaction's cleanup, after `afterTransaction`,
 * so the old records are read from the deleted items there.
 */
import type { UnknownRecord } from '@tldraw/store'
import * as Y from 'yjs'
import { INSTRUMENTS, instrumentPageId } from '../../shared/schema/pages'
import { jsonEqual, type RecordFields, RecordsMap } from '../../shared/sync/records'

const PAGE_IDS: ReadonlySet<string> = new Set(INSTRUMENTS.map(instrumentPageId))

type Fields = Record<string, unknown>
type Records = Y.Map<RecordFields>
/** What Yjs keeps of any map-like type: the current item of each key. */
type Keyed = { _map: Map<string, Y.Item> }

/** True for the id of one of the five instrument pages. */
export function isInstrumentPageId(id: string): boolean {
  return PAGE_IDS.has(id)
}

/** Origin of the transactions that put instrument pages back. */
export const RESTORE_ORIGIN = Symbol('instrument pages restored')

/** What one restore wrote, for the log. */
export interface Restore {
  /** Origin of the transaction that took the page (a connection, usually). */
  origin: unknown
  /** Ids of the instrument pages written back, or whose shapes were. */
  pages: string[]
  /** Records written back, the pages included. */
  records: number
}

/** Who hears about restores and about a failure of the guard itself. */
export interface GuardEvents {
  restored(restore: Restore): void
  failed(error: unknown): void
}

/** Keeps the instrument pages of `doc` (see the module comment). Returns the function that stops it. */
export function guardInstrumentPages(doc: Y.Doc, events: GuardEvents): () => void {
  const records = new RecordsMap(doc)
  const handler = (tr: Y.Transaction) => {
    if (tr.origin === RESTORE_ORIGIN) return
    try {
      const pages = touchedPages(tr, records.map)
      if (pages.size === 0) return
      const restore = plan(tr, records.map, pages)
      if (restore.records.size === 0) return
      // Written from inside the cleanup: Yjs runs this transaction right after the current one,
      // so both reach the other devices in the same turn (`Room.flush`).
      doc.transact(() => {
        for (const [id, record] of restore.records) write(records, record, restore.taken.has(id))
      }, RESTORE_ORIGIN)
      events.restored({ origin: tr.origin, pages: restore.pages, records: restore.records.size })
    } catch (error) {
      events.failed(error)
    }
  }
  doc.on('afterTransaction', handler)
  return () => doc.off('afterTransaction', handler)
}

/** Instrument pages whose entry or fields the transaction changed; O(changed types). */
function touchedPages(tr: Y.Transaction, map: Records): Set<string> {
  const pages = new Set<string>()
  for (const [type, keys] of tr.changed) {
    if ((type as unknown) === map) {
      for (const key of keys) if (key !== null && PAGE_IDS.has(key)) pages.add(key)
      continue
    }
    const item = type._item
    if (item && item.parent === map && item.parentSub !== null && PAGE_IDS.has(item.parentSub)) {
      pages.add(item.parentSub)
    }
  }
  return pages
}

/** The records to write back, by id: changed pages, and what was taken away with a page. */
function plan(
  tr: Y.Transaction,
  map: Records,
  pages: Set<string>,
): { records: Map<string, Fields>; pages: string[]; taken: Set<string> } {
  const restore = new Map<string, Fields>()
  const taken = new Set<string>()
  for (const id of pages) {
    const entry = itemBefore(map, id, tr)
    const before = entry && recordOf(entry, tr)?.record
    // A page that did not exist before the transaction is being created: nothing to keep.
    if (!entry || !before) continue
    const now = map.get(id)
    // Replaced by the very same record: two devices made the page at once. Nothing was taken.
    if (now instanceof Y.Map && jsonEqual(now.toJSON(), before)) continue
    restore.set(id, before)
    if (entry.deleted) taken.add(id)
  }
  const restoredPages = () => [...pages].filter((id) => restore.has(id))
  if (taken.size === 0) return { records: restore, pages: restoredPages(), taken }

  // Records this transaction deleted outright (not replaced), as they were before it.
  const deleted = new Map<string, Fields>()
  for (const id of tr.changed.get(map as unknown as Y.AbstractType<Y.YEvent<Records>>) ?? []) {
    if (id === null || PAGE_IDS.has(id) || map.has(id)) continue
    const entry = itemBefore(map, id, tr)
    const before = entry && recordOf(entry, tr)
    // An incomplete record (a field's new value still waits for its author's earlier updates)
    // would stay incomplete in a new entry: the value will arrive for the deleted one.
    if (before?.complete) deleted.set(id, before.record)
  }
  // Shapes whose parent chain leads to a taken page, then the bindings between kept shapes.
  const kept = new Set(taken)
  for (let grew = true; grew; ) {
    grew = false
    for (const [id, record] of deleted) {
      if (kept.has(id) || record.typeName !== 'shape') continue
      if (typeof record.parentId === 'string' && kept.has(record.parentId)) {
        kept.add(id)
        restore.set(id, record)
        grew = true
      }
    }
  }
  const present = (id: unknown) => typeof id === 'string' && (kept.has(id) || map.has(id))
  for (const [id, record] of deleted) {
    if (record.typeName !== 'binding') continue
    const touchesKept = kept.has(record.fromId as string) || kept.has(record.toId as string)
    if (touchesKept && present(record.fromId) && present(record.toId)) restore.set(id, record)
  }
  return { records: restore, pages: restoredPages(), taken: kept }
}

/** True when `item` existed and was not deleted when the transaction began. */
function aliveBefore(item: Y.Item, tr: Y.Transaction): boolean {
  if (item.id.clock >= (tr.beforeState.get(item.id.client) ?? 0)) return false
  return !item.deleted || Y.isDeleted(tr.deleteSet, item.id)
}

/** The item that held `key` of a map when the transaction began, if any. */
function itemBefore(type: Keyed, key: string, tr: Y.Transaction): Y.Item | null {
  // The items of one key form a list, the current one rightmost.
  for (let item = type._map.get(key) ?? null; item; item = item.left) {
    if (aliveBefore(item, tr)) return item
  }
  return null
}

/**
 * A record entry as it was when the transaction began (fields deleted by it included); not
 * complete when a field had been deleted and its new value not yet integrated.
 */
function recordOf(
  entry: Y.Item,
  tr: Y.Transaction,
): { record: Fields; complete: boolean } | undefined {
  const type = entry.content instanceof Y.ContentType ? entry.content.type : undefined
  if (!(type instanceof Y.Map)) return undefined
  const record: Fields = {}
  let complete = true
  for (const key of type._map.keys()) {
    const item = itemBefore(type, key, tr)
    if (!item) {
      complete = false
      continue
    }
    const content = item.content.getContent()
    const value = content[content.length - 1]
    record[key] = value instanceof Y.AbstractType ? value.toJSON() : value
  }
  return { record, complete }
}

/**
 * Writes a record back. A changed record is mended field by field; a taken one gets a new entry
 * with its fields in their old order, so that every device holds the very same record again.
 */
function write(records: RecordsMap, record: Fields, taken: boolean): void {
  const id = record.id as string
  if (taken || !(records.map.get(id) instanceof Y.Map)) {
    records.map.set(id, new Y.Map<unknown>(Object.entries(record)))
  } else {
    records.set(record as unknown as UnknownRecord)
  }
}
