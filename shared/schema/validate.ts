import type { SerializedSchema } from '@tldraw/store'
import type { TLRecord } from '@tldraw/tlschema'
import { jsonEqual } from '../sync/records'
import { atlasSchema } from './index'

/** Why a record does not fit the atlas schema (never its content: this goes to logs). */
export type RecordProblem =
  | 'not-a-record'
  | 'unknown-type'
  | 'not-document'
  | 'cannot-migrate'
  | 'invalid'

const current = atlasSchema.serialize()
/** Persisted schemas already compared with the current one (the doc's meta keeps one object). */
const isCurrent = new WeakMap<object, boolean>()

/**
 * Checks one document record as it would be stored under `id`, written with `schema` (the doc's
 * `meta.schema`; the current schema when absent): migrated to the current schema when it was
 * written with an older one, then validated. Null when it fits; else why not.
 */
export function recordProblem(
  id: string,
  record: unknown,
  schema?: SerializedSchema,
  /** The same record before a change, known to fit: only the fields that differ are checked. */
  before?: unknown,
): RecordProblem | null {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return 'not-a-record'
  const { typeName, id: ownId } = record as { typeName?: unknown; id?: unknown }
  if (typeof typeName !== 'string' || ownId !== id) return 'not-a-record'
  if (!Object.hasOwn(atlasSchema.types, typeName)) return 'unknown-type'
  const type = atlasSchema.types[typeName as TLRecord['typeName']]
  if (type.scope !== 'document') return 'not-document'
  let value = record as TLRecord
  let knownGood = before as TLRecord | undefined
  if (schema && !sameAsCurrent(schema)) {
    knownGood = undefined
    try {
      const migrated = atlasSchema.migratePersistedRecord(value, schema)
      if (migrated.type !== 'success') return 'cannot-migrate'
      value = migrated.value as TLRecord
    } catch {
      return 'cannot-migrate'
    }
  }
  try {
    type.validate(value, knownGood)
    return null
  } catch {
    return 'invalid'
  }
}

/**
 * Whether `value` may be stored as the doc's record schema: one the atlas schema can migrate up
 * from (the current one, or an older one). Any other would stop every later record check and
 * every device's load.
 */
export function isStorableSchema(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const schema = value as SerializedSchema
  if (sameAsCurrent(schema)) return true
  try {
    return atlasSchema.getMigrationsSince(schema).ok
  } catch {
    return false
  }
}

/** Whether `schema` is the current record schema: records written with it need no migration. */
export function sameAsCurrent(schema: SerializedSchema): boolean {
  if (typeof schema !== 'object' || schema === null) return false
  let same = isCurrent.get(schema)
  if (same === undefined) {
    same = jsonEqual(schema, current)
    isCurrent.set(schema, same)
  }
  return same
}
