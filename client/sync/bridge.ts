import type {
  SerializedSchema,
  SerializedSchemaV2,
  SerializedStore,
  UnknownRecord,
} from '@tldraw/store'
import type { TLRecord, TLStore } from '@tldraw/tlschema'
import { DocumentRecordType, PageRecordType, TLDOCUMENT_ID } from '@tldraw/tlschema'
import type * as Y from 'yjs'
import { jsonEqual, RecordsMap, readSchema, writeSchema } from '../../shared/sync/records'

/*
 * The server's first answer to a device that holds nothing yet is applied without Yjs encoding it
 * again for the doc's update listeners, and the device copy stores its bytes as received
 * (`syncAnswer.ts`; other answers, other tabs' messages and a failed apply take y-websocket's own
 * way).
 *
 * `bridge.ts`: local store changes (`source: 'user'`, document scope) go into Yjs in one
 * transaction per batch with a local origin; Yjs transactions with any other origin enter the
 * store through `mergeRemoteChanges` (no echo, not in undo), on the page once per animation frame:
 * a peer's drag then costs the store one update per frame, like the local pointer, not one per
 * message. A local edit of a record whose remote change is still waiting writes only the fields it
 * changed (a long text: its change on top of the remote one), and the user's own changes of a
 * frame reach the doc before remote ones enter the store, so none vanishes from his screen. On
 * load the stored schema is read, records are migrated, and only records the migration changed are
 * written back. A stored entry that is no record, or a record that cannot be migrated or
 * validated, is left out of the store (never written over) and counted beside the connection
 * state; the rest loads as usual. When the server closes the socket for what the device sent
 * (4422, but not in the race of an edit built on one the server has not got yet; 4402, 4413) the
 * device stops connecting and keeps its copy; for a busy server (4429, 1013, 4409, 4408) it tries
 * again after 5 s, doubling to a minute (`connectDoc` in `client/sync/useSyncedDoc.ts`); either is
 * said in a calm line (`SyncNotice`).
 *
 * Long free texts (`shared/sync/longTexts.ts`: the poster's texts, a question, a person's note)
 * are a Y.Text in the record's Y.Map, written as one change (`shared/sync/text.ts`): two people
 * typing in one text both keep theirs, readers still get strings, an older atlas's string becomes
 * a Y.Text at its first change, and the text areas (`client/components/SharedTextArea.tsx`) keep
 * the caret in place. What a key and an edit cost:
 * bench/record-structure.md (`bench/text-fields.ts`). Texts inside
 * `props` (an event's description, what a contact brings) stay one value.
 */

/** How a store is tied to a doc. */
export interface BridgeOptions {
  /** Never write to the doc (view links): local edits stay local, the schema is not migrated in the doc. */
  readOnly?: boolean
  /**
   * The origin of the bridge's own Yjs transactions; a transaction with any other origin is
   * remote and enters the store. Defaults to a fresh object per bridge.
   */
  origin?: unknown
  /**
   * When remote changes enter the store: by default at once, one store transaction per Yjs
   * transaction. Given a scheduler (the atlas page passes one per animation frame), the records
   * that remote transactions changed until `flush` runs enter the store together, so a peer's
   * drag costs the store one update per frame, as the local pointer does, however many messages
   * arrive.
   */
  scheduleRemote?: (flush: () => void) => void
  /**
   * Told the ids of the doc's records that the store leaves out (no record, or one that fails
   * validation), each time that set changes; starts from `skippedOnLoad`.
   */
  skipped?: (ids: ReadonlySet<string>) => void
  /** What `loadDocIntoStore` skipped. */
  skippedOnLoad?: readonly string[]
}

/** What loading the doc did (for logs and tests). */
export interface LoadResult {
  /** The doc was empty and the store's document records were written into it. */
  initialized: boolean
  /** Ids the schema migration changed, added or removed, and wrote back to the doc. */
  migrated: string[]
  /**
   * Ids of stored records left out of the store: no record at all, written by an unknown schema,
   * or failing validation. The doc keeps them as they are; nothing is written over them.
   */
  skipped: string[]
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
    if (options.readOnly) return { initialized: false, migrated: [], skipped: records.unreadable() }
    ensureDefaultDocument(store)
    doc.transact(() => {
      for (const record of documentRecords(store)) records.set(record)
      writeSchema(doc, store.schema.serialize())
    }, origin)
    return { initialized: true, migrated: [], skipped: records.unreadable() }
  }

  const stored = records.toObject() as SerializedStore<TLRecord>
  const schema = readSchema(doc) ?? store.schema.serialize()
  // Read record by record, an atlas of a newer app would lose what this one cannot read, and
  // this page would write its older schema over the newer one.
  if (isNewerSchema(schema, store.schema.serialize())) throw new NewerSchemaError('newer schema')
  const skipped = records.unreadable()
  const result = migrateTolerantly(store, stored, schema, skipped)
  const migrated: SerializedStore<TLRecord> = {}
  for (const record of Object.values(result.value)) {
    if (isValid(store, record)) migrated[record.id] = record
    else skipped.push(record.id)
  }
  const changed = Object.values(migrated).filter((r) => !jsonEqual(r, stored[r.id]))
  // Records the migration itself removed (not the ones skipped above or below).
  const dropped = (
    result.whole ? Object.keys(stored).filter((id) => !(id in result.value)) : []
  ) as TLRecord['id'][]

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
    skipped,
  }
}

/**
 * Whether `stored` was written by a newer app than the one with schema `mine`: a newer schema
 * format, or a newer version of a record type this app knows. (A type it does not know may be one
 * an older tldraw had: its records are skipped one by one, as before.)
 */
export function isNewerSchema(stored: SerializedSchema, mine: SerializedSchema): boolean {
  if (stored.schemaVersion > mine.schemaVersion) return true
  if (stored.schemaVersion < 2 || mine.schemaVersion < 2) return false
  const known = (mine as SerializedSchemaV2).sequences
  return Object.entries((stored as SerializedSchemaV2).sequences).some(
    ([id, version]) => known[id] !== undefined && version > known[id],
  )
}

/** The atlas was written by a newer (or unknown) version of the app: this page must load the new one. */
export class NewerSchemaError extends Error {
  constructor(reason: string) {
    super(`The atlas was written by a newer or unknown schema (${reason})`)
  }
}

/**
 * Migrates the stored records to the store's schema: all at once, or, when one record fails the
 * whole (tldraw's snapshot migration stops at the first), one by one, leaving out (`skipped`) the
 * ones that fail. `whole` says the first way worked, so records it removed were removed by a
 * migration.
 */
function migrateTolerantly(
  store: TLStore,
  stored: SerializedStore<TLRecord>,
  schema: SerializedSchema,
  skipped: string[],
): { value: SerializedStore<TLRecord>; whole: boolean } {
  const result = store.schema.migrateStoreSnapshot({ store: stored, schema })
  if (result.type === 'success') return { value: result.value, whole: true }
  if (result.reason === 'target-version-too-new' || result.reason === 'target-version-too-old') {
    throw new NewerSchemaError(result.reason)
  }
  const value: SerializedStore<TLRecord> = {}
  for (const [id, record] of Object.entries(stored)) {
    try {
      const one = store.schema.migratePersistedRecord(record, schema)
      if (one.type === 'success') value[id as TLRecord['id']] = one.value as TLRecord
      else skipped.push(id)
    } catch {
      skipped.push(id)
    }
  }
  return { value, whole: false }
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
  /** Ids that remote transactions changed and the store does not show yet. */
  const pending = new Set<TLRecord['id']>()
  let scheduled = false
  let disposed = false
  const skipped = new Set<string>(options.skippedOnLoad)

  /** Brings the pending records into the store as the doc holds them now. */
  const flush = () => {
    scheduled = false
    if (disposed || pending.size === 0) return
    // The user's own changes of this frame go into the doc first (the store hands them over once a
    // frame too): put in the store before them, the doc's records would hide them on this screen
    // while the doc keeps them.
    if (!options.readOnly) store._flushHistory()
    const ids = [...pending]
    pending.clear()
    let skippedChanged = false
    const skip = (id: string, out: boolean) => {
      if (out === skipped.has(id)) return
      if (out) skipped.add(id)
      else skipped.delete(id)
      skippedChanged = true
    }
    store.mergeRemoteChanges(() => {
      const put: TLRecord[] = []
      const gone: TLRecord['id'][] = []
      for (const id of ids) {
        const record = records.get(id)
        if (record) {
          const valid = isValid(store, record)
          if (valid) put.push(record)
          skip(id, !valid)
        } else {
          // An entry that is no record stays in the doc and out of the store.
          skip(id, records.has(id))
          // A record deleted remotely may never have reached this store (added and removed elsewhere).
          if (store.has(id)) gone.push(id)
        }
      }
      if (put.length) store.put(put)
      if (gone.length) store.remove(gone)
    })
    if (skippedChanged) options.skipped?.(skipped)
  }

  /**
   * A local update of a record whose remote change the store does not show yet: write only the
   * fields this update changed, so the remote change to the other fields survives (and a long
   * text gets the user's change on top of the remote one).
   */
  const writeOwnFields = (from: TLRecord, to: TLRecord) => {
    const current = records.get(to.id)
    if (!current) return records.set(to)
    const next: Record<string, unknown> = { ...current }
    const before = from as unknown as Record<string, unknown>
    const after = to as unknown as Record<string, unknown>
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
      if (!Object.hasOwn(after, key)) delete next[key]
      else if (!jsonEqual(before[key], after[key])) next[key] = after[key]
    }
    records.set(next as unknown as TLRecord, from)
  }

  const stopStore = options.readOnly
    ? () => {}
    : store.listen(
        ({ changes }) => {
          doc.transact(() => {
            for (const record of Object.values(changes.added)) records.set(record)
            for (const [from, to] of Object.values(changes.updated)) {
              if (pending.has(to.id)) writeOwnFields(from, to)
              else records.set(to, from)
            }
            for (const id of Object.keys(changes.removed)) records.delete(id as TLRecord['id'])
          }, origin)
        },
        { source: 'user', scope: 'document' },
      )

  const stopDoc = records.observe(({ added, updated, removed, unreadable }, tr) => {
    if (tr.origin === origin) return
    for (const id of unreadable ?? []) pending.add(id as TLRecord['id'])
    for (const record of added) pending.add(record.id)
    for (const record of updated) pending.add(record.id)
    for (const id of removed) pending.add(id)
    if (!options.scheduleRemote) flush()
    else if (!scheduled) {
      scheduled = true
      options.scheduleRemote(flush)
    }
  })

  return () => {
    disposed = true
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
