import type { SerializedSchema, UnknownRecord } from '@tldraw/store'
import * as Y from 'yjs'
import { META_KEY, META_SCHEMA, RECORDS_KEY } from './layout'
import { isLongTextField } from './longTexts'
import { mergeText, setText } from './text'

/**
 * How tldraw records live in an atlas Y.Doc: the top-level Y.Map `records` maps a record id to a
 * Y.Map with one entry per top-level record field (`x`, `y`, `parentId`, `props`, `meta`, ...).
 * Field values are plain JSON, except the long texts (`LONG_TEXT_FIELDS`), which are Y.Text and
 * merge character by character. Concurrent edits of different fields of one record both survive;
 * other edits of the same field resolve last-writer-wins. Chosen by measurement:
 * bench/record-structure.md. Readers always get plain records (texts as strings).
 */
export type RecordFields = Y.Map<unknown>

/** What one Yjs transaction did to the records, by id; `updated` holds the records as they are now. */
export interface RecordsChange<R extends UnknownRecord = UnknownRecord> {
  added: R[]
  updated: R[]
  removed: R['id'][]
  /** Ids whose entry is now no record map (see `RecordsMap.unreadable`). */
  unreadable?: string[]
}

/** Reads and writes the records of one Y.Doc; every part of the app goes through this class. */
export class RecordsMap<R extends UnknownRecord = UnknownRecord> {
  /** The top-level map (exposed for observers and tests; write through the methods). */
  readonly map: Y.Map<RecordFields>

  constructor(readonly doc: Y.Doc) {
    this.map = doc.getMap<RecordFields>(RECORDS_KEY)
  }

  get size(): number {
    return this.map.size
  }

  has(id: string): boolean {
    return this.map.has(id)
  }

  /**
   * The record with `id` as a new object, or undefined (also for an entry that is no record map,
   * which only a foreign or old writer leaves: see `unreadable`). Nested values are shared with
   * the doc: never mutate them.
   */
  get(id: R['id']): R | undefined {
    const fields = this.map.get(id)
    return fields instanceof Y.Map ? (fields.toJSON() as R) : undefined
  }

  /** Ids whose entry is no record map: readers skip them. */
  unreadable(): string[] {
    const ids: string[] = []
    for (const [id, fields] of this.map.entries()) if (!(fields instanceof Y.Map)) ids.push(id)
    return ids
  }

  ids(): string[] {
    return [...this.map.keys()]
  }

  *values(): IterableIterator<R> {
    for (const fields of this.map.values()) if (fields instanceof Y.Map) yield fields.toJSON() as R
  }

  /** All records keyed by id, the shape of a tldraw `SerializedStore`. */
  toObject(): Record<string, R> {
    const out: Record<string, R> = {}
    for (const [id, fields] of this.map.entries()) {
      if (fields instanceof Y.Map) out[id] = fields.toJSON() as R
    }
    return out
  }

  /**
   * Writes `record`. An existing record is updated field by field, touching only the fields whose
   * value changed, so a move writes `x` and `y` and nothing else; a long text gets only the change
   * of its characters. `base` is the record as the writer saw it before his change: a long text
   * that others changed since gets the writer's change on top of theirs, and one he did not change
   * keeps theirs. Call inside `doc.transact`.
   */
  set(record: R, base?: R): void {
    const stored = this.map.get(record.id)
    const fields = stored instanceof Y.Map ? stored : undefined
    if (!fields) {
      const entries = Object.entries(record).map(([key, value]): [string, unknown] =>
        isLongTextField(record.typeName, key) && typeof value === 'string'
          ? [key, new Y.Text(value)]
          : [key, value],
      )
      this.map.set(record.id, new Y.Map<unknown>(entries))
      return
    }
    const before = base as Record<string, unknown> | undefined
    for (const [key, value] of Object.entries(record)) {
      if (isLongTextField(record.typeName, key) && typeof value === 'string') {
        writeText(fields, key, value, before?.[key])
      } else if (!fields.has(key) || !jsonEqual(fields.get(key), value)) {
        fields.set(key, value)
      }
    }
    for (const key of [...fields.keys()]) {
      if (!Object.hasOwn(record, key)) fields.delete(key)
    }
  }

  delete(id: R['id']): void {
    this.map.delete(id)
  }

  /**
   * Calls `listener` once per transaction that changed records, with the records as they are after
   * it. Returns the function that stops listening.
   */
  observe(listener: (change: RecordsChange<R>, transaction: Y.Transaction) => void): () => void {
    const handler = (events: Y.YEvent<Y.AbstractType<unknown>>[], tr: Y.Transaction) => {
      const added = new Set<string>()
      const updated = new Set<string>()
      const removed = new Set<string>()
      for (const event of events) {
        if (event.target === this.map) {
          for (const [id, { action }] of event.changes.keys) {
            if (action === 'add') added.add(id)
            else if (action === 'update') updated.add(id)
            else removed.add(id)
          }
        } else {
          const id = event.path[0]
          if (typeof id === 'string') updated.add(id)
        }
      }
      const change: RecordsChange<R> = { added: [], updated: [], removed: [] }
      for (const id of added) {
        const record = this.get(id as R['id'])
        if (record) change.added.push(record)
      }
      for (const id of updated) {
        if (added.has(id) || removed.has(id)) continue
        const record = this.get(id as R['id'])
        if (record) change.updated.push(record)
      }
      for (const id of removed) if (!this.map.has(id)) change.removed.push(id as R['id'])
      for (const id of [...added, ...updated]) {
        if (this.map.has(id) && !(this.map.get(id) instanceof Y.Map)) {
          change.unreadable ??= []
          change.unreadable.push(id)
        }
      }
      if (
        change.added.length ||
        change.updated.length ||
        change.removed.length ||
        change.unreadable
      ) {
        listener(change, tr)
      }
    }
    this.map.observeDeep(handler)
    return () => this.map.unobserveDeep(handler)
  }
}

/**
 * Writes a long text field: only the change of its characters. A plain string (an atlas written
 * before texts merged) becomes a Y.Text when the field is first changed; a change on another device
 * at that very moment makes its own Y.Text, and one of the two wins, once, as any field would.
 */
function writeText(fields: RecordFields, key: string, value: string, base: unknown): void {
  const stored = fields.get(key)
  const now = stored instanceof Y.Text ? stored.toString() : stored
  // Unchanged here, or not changed by this writer (who saw `base`): the doc's text stays.
  if (now === value || base === value) return
  const next =
    typeof base === 'string' && typeof now === 'string' && base !== now
      ? mergeText(base, value, now)
      : value
  if (stored instanceof Y.Text) setText(stored, next)
  else fields.set(key, new Y.Text(next))
}

/** The record schema the doc's records were last written with, if any. */
export function readSchema(doc: Y.Doc): SerializedSchema | undefined {
  return doc.getMap<SerializedSchema>(META_KEY).get(META_SCHEMA)
}

/** Stores the record schema beside the records; call inside the transaction that wrote them. */
export function writeSchema(doc: Y.Doc, schema: SerializedSchema): void {
  const meta = doc.getMap<SerializedSchema>(META_KEY)
  if (!jsonEqual(meta.get(META_SCHEMA), schema)) meta.set(META_SCHEMA, schema)
}

/** Structural equality of JSON values (key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]))
  }
  const ka = Object.keys(a)
  const kb = Object.keys(b)
  if (ka.length !== kb.length) return false
  const bo = b as Record<string, unknown>
  return ka.every(
    (k) => Object.hasOwn(bo, k) && jsonEqual((a as Record<string, unknown>)[k], bo[k]),
  )
}
