import type { SerializedStore, UnknownRecord } from '@tldraw/store'
import type { TLRecord, TLStore } from '@tldraw/tlschema'
import { DocumentRecordType, PageRecordType, TLDOCUMENT_ID } from '@tldraw/tlschema'
import type * as Y from 'yjs'
import { jsonEqual, RecordsMap, readSchema, writeSchema } from '../../shared/sync/records'

/** How a store is tied to a doc. */
export interface BridgeOptions {
  /** Never write to the doc (view links): local edits stay local, the schema is not migrated in the doc. */
  readOnly?: boolean
  /**
   * The origin of the bridge's own Yjs transactions; a transaction with any other origin is
   * remote and enters the store. Defaults to a fresh object per bridge.
   */
  origin?: unknown
}

/** What loading the doc did (for logs and tests). */
export interface LoadResult {
  /** The doc was empty and the store's document records were written into it. */
  initialized: boolean
  /** Ids the schema migration changed, added or removed, and wrote back to the doc. */
  migrated: string[]
}

/** Document-scope records of the store, the part that lives in the doc. */
function documentRecords(store: TLStore): TLRecord[] {
  return store.allRecords().filter((r) => store.scopedTypes.document.has(r.typeName))
}

/**
 * True when `record` passes the store's schema. A doc can hold an incomplete record for a while:
 * Yjs applies the deletion of a field's old value as soon as it arrives, but holds the new value
 * back until every earlier update of its author is known. Such a record stays out of the store
 * until its missing part arrives (which raises a new change for it).
 */
function isValid(store: TLStore, record: TLRecord): boolean {
  const type = store.schema.types[record.typeName] as { validate(r: unknown): unknown } | undefined
  if (!type) return false
  try {
    type.validate(record)
    return true
  } catch {
    return false
  }
}

/** The default document and page a new atlas starts with; fixed ids, so concurrent starts agree. */
function ensureDefaultDocument(store: TLStore): void {
  const missing: TLRecord[] = []
  if (!store.has(TLDOCUMENT_ID)) {
    missing.push(DocumentRecordType.create({ id: TLDOCUMENT_ID, name: store.props.defaultName }))
  }
  if (store.query.ids('page').get().size === 0) {
    missing.push(
      PageRecordType.create({
        id: PageRecordType.createId('page'),
        name: 'Page 1',
        index: 'a1' as never,
      }),
    )
  }
  if (missing.length) store.put(missing)
}

/**
 * Makes the store hold exactly the doc's records. An empty, writable doc is first given the store's
 * document records and the schema, in one transaction. A filled doc is migrated to the store's
 * schema; only records the migration changed (and the new schema) are written back, never when
 * read-only. The store receives the records as remote changes (outside undo history).
 */
export function loadDocIntoStore(
  store: TLStore,
  doc: Y.Doc,
  options: BridgeOptions = {},
): LoadResult {
  const records = new RecordsMap<TLRecord>(doc)
  const origin = options.origin ?? null

  if (records.size === 0) {
    if (options.readOnly) return { initialized: false, migrated: [] }
    ensureDefaultDocument(store)
    doc.transact(() => {
      for (const record of documentRecords(store)) records.set(record)
      writeSchema(doc, store.schema.serialize())
    }, origin)
    return { initialized: true, migrated: [] }
  }

  const stored = records.toObject() as SerializedStore<TLRecord>
  const schema = readSchema(doc) ?? store.schema.serialize()
  const result = store.schema.migrateStoreSnapshot({ store: stored, schema })
  if (result.type === 'error') {
    throw new Error(`The atlas was written by a newer or unknown schema (${result.reason})`)
  }
  const migrated: SerializedStore<TLRecord> = {}
  for (const record of Object.values(result.value)) {
    if (isValid(store, record)) migrated[record.id] = record
  }
  const changed = Object.values(migrated).filter((r) => !jsonEqual(r, stored[r.id]))
  // Records the migration itself removed (not the incomplete ones skipped above).
  const dropped = Object.keys(stored).filter((id) => !(id in result.value)) as TLRecord['id'][]

  store.mergeRemoteChanges(() => {
    const stale = documentRecords(store)
      .filter((r) => !(r.id in migrated))
      .map((r) => r.id)
    if (stale.length) store.remove(stale)
    store.put(Object.values(migrated))
  })
  // The store insists on a document record and a page; if the doc lacked them they now exist.
  const repaired = documentRecords(store).filter((r) => !(r.id in result.value))

  if (!options.readOnly) {
    doc.transact(() => {
      for (const record of [...changed, ...repaired]) records.set(record)
      for (const id of dropped) records.delete(id)
      writeSchema(doc, store.schema.serialize())
    }, origin)
  }
  return {
    initialized: false,
    migrated: [...changed.map((r) => r.id), ...dropped, ...repaired.map((r) => r.id)],
  }
}

/**
 * Keeps `store` and `doc` in step until the returned function is called: local document changes
 * go into the doc in one transaction per store batch (with the bridge's origin); doc changes with
 * any other origin enter the store through `mergeRemoteChanges`, so they are neither echoed back
 * nor undoable. Call `loadDocIntoStore` first (or use `connectStoreToDoc`).
 */
export function bindStoreToDoc(
  store: TLStore,
  doc: Y.Doc,
  options: BridgeOptions = {},
): () => void {
  const records = new RecordsMap<TLRecord>(doc)
  const origin = options.origin ?? {}

  const stopStore = options.readOnly
    ? () => {}
    : store.listen(
        ({ changes }) => {
          doc.transact(() => {
            for (const record of Object.values(changes.added)) records.set(record)
            for (const [, to] of Object.values(changes.updated)) records.set(to)
            for (const id of Object.keys(changes.removed)) records.delete(id as TLRecord['id'])
          }, origin)
        },
        { source: 'user', scope: 'document' },
      )

  const stopDoc = records.observe(({ added, updated, removed }, tr) => {
    if (tr.origin === origin) return
    store.mergeRemoteChanges(() => {
      const put = [...added, ...updated].filter((r) => isValid(store, r))
      if (put.length) store.put(put)
      // A record deleted remotely may never have reached this store (added and removed elsewhere).
      const gone = removed.filter((id) => store.has(id))
      if (gone.length) store.remove(gone)
    })
  })

  return () => {
    stopStore()
    stopDoc()
  }
}

/** Loads the doc into the store, then binds them; returns the load result and the unbind function. */
export function connectStoreToDoc(
  store: TLStore,
  doc: Y.Doc,
  options: BridgeOptions = {},
): LoadResult & { dispose: () => void } {
  const resolved = { ...options, origin: options.origin ?? {} }
  const loaded = loadDocIntoStore(store, doc, resolved)
  return { ...loaded, dispose: bindStoreToDoc(store, doc, resolved) }
}

/** The doc's records as a plain object keyed by id (for tests and diagnostics). */
export function docRecords(doc: Y.Doc): Record<string, UnknownRecord> {
  return new RecordsMap(doc).toObject()
}
