/**
 * Whether an atlas update would store a record that does not fit the atlas schema, decided before
 * anything is applied (`updateCheck.ts` has already found the update complete and inside the
 * document layout).
 *
 * Only what the update touches is looked at: each of its items is placed (a record entry, a field
 * of a record, a character of a long text, or something outside the records) from what it names on
 * the wire or from its neighbour, in the server's store or in the update itself. Every record that
 * gets a new entry, a new field value or loses a field is then put together as it would be after
 * the update, from the stored record and the update's values, and validated (`recordProblem`). A
 * value that might lose to a concurrent one is checked as if it won: a client never writes an
 * invalid value, so this refuses only what no client of ours sends. A move of a shape that fitted
 * before costs two field lookups and its new values' own validators (`shapeFieldsFit`).
 *
 * Nested Yjs types inside a record other than the long texts are refused: the bridge reads a
 * record as plain JSON, and a nested map would let later items change a field without touching it.
 */
import type { SerializedSchema } from '@tldraw/store'
import { createShapeValidator } from '@tldraw/tlschema'
import * as decoding from 'lib0/decoding'
import * as Y from 'yjs'
import {
  isStorableSchema,
  type RecordProblem,
  recordProblem,
  sameAsCurrent,
} from '../../shared/schema/validate'
import { META_KEY, META_SCHEMA, RECORDS_KEY } from '../../shared/sync/layout'
import { isLongTextField } from '../../shared/sync/longTexts'
import {
  CONTENT_ANY,
  CONTENT_BINARY,
  CONTENT_DELETED,
  CONTENT_JSON,
  CONTENT_STRING,
  CONTENT_TYPE,
  type Id,
  ITEM,
  type ReadUpdate,
  type Struct,
} from './updateCheck'

const TYPE_MAP = 1
const TYPE_TEXT = 2

/** Where an item lands, as far as the records are concerned. */
type Place =
  | { kind: 'entry'; id: string }
  | { kind: 'field'; id: string; key: string; map: Y.Item | Struct }
  | { kind: 'text' | 'other' | 'gone' | 'nested' | 'schema' }

const OTHER: Place = { kind: 'other' }
const GONE: Place = { kind: 'gone' }
const NESTED: Place = { kind: 'nested' }
const TEXT: Place = { kind: 'text' }
/** The doc's record schema (`meta.schema`). */
const SCHEMA: Place = { kind: 'schema' }

/** Ways of writing one record that a single update may carry before it is refused. */
const MAX_VARIANTS = 64

/** A value marking a field that the update leaves without a value. */
const MISSING = Symbol('missing')

/**
 * Records (their maps) that fitted as the checks last saw them. Only the server's own writes (the
 * instrument pages put back as they were) change a record without this check; a record stored
 * before the check existed is checked whole at its first change.
 */
const fittingRecords = new WeakSet<Y.Map<unknown>>()

/**
 * The fields every shape has, with the validators tldraw gives them in every shape type
 * (`createShapeValidator`): a move, a resize's position or a change of layer writes only these.
 */
const SHAPE_FIELDS: ReadonlyMap<string, { validate(value: unknown): unknown }> = (() => {
  const { config } = createShapeValidator('any')
  const keys = ['x', 'y', 'rotation', 'index', 'parentId', 'isLocked', 'opacity'] as const
  return new Map(keys.map((key) => [key, config[key]]))
})()

/** What refusing an update for its records says: the problem, never the content. */
export interface RecordRefusal {
  problem: RecordProblem
  typeName: string | undefined
}

/**
 * Holds an atlas update's records against the schema: null when every record it writes fits,
 * else the first problem found. Adds to `touched` the id of every record whose entry or fields
 * the update writes or deletes. Must be the last check before the update is applied.
 */
export function checkRecords(
  update: ReadUpdate,
  doc: Y.Doc,
  touched?: Set<string>,
): RecordRefusal | null {
  const store = doc.store
  const records = doc.getMap(RECORDS_KEY) as Y.Map<unknown>
  const meta = doc.getMap(META_KEY) as Y.Map<unknown>
  const recordsType = records as unknown as Y.AbstractType<unknown>
  const metaType = meta as unknown as Y.AbstractType<unknown>
  const storeHas = (id: Id) => id.clock < Y.getState(store, id.client)
  const places = new Map<Struct, Place>()
  const byClient = new Map(update.sections.map((s) => [s.client, s.structs]))

  const structAt = (id: Id): Struct | undefined => {
    const structs = byClient.get(id.client)
    if (!structs) return undefined
    let lo = 0
    let hi = structs.length - 1
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      const s = structs[mid] as Struct
      if (id.clock < s.clock) hi = mid - 1
      else if (id.clock >= s.clock + s.length) lo = mid + 1
      else return s
    }
    return undefined
  }

  /** Where a stored item sits. */
  const storedPlace = (item: Y.Item | Y.GC): Place => {
    if (!(item instanceof Y.Item) || !(item.parent instanceof Y.AbstractType)) return GONE
    const type = item.parent
    if (type === metaType && item.parentSub === META_SCHEMA) return SCHEMA
    if (type === recordsType)
      return typeof item.parentSub === 'string' ? entry(item.parentSub) : NESTED
    const holder = type._item
    if (!holder) return OTHER
    if (holder.parent === recordsType) {
      if (typeof holder.parentSub !== 'string' || typeof item.parentSub !== 'string') return NESTED
      return { kind: 'field', id: holder.parentSub, key: item.parentSub, map: holder }
    }
    // Inside a field's own type: a long text's characters, or something no record holds.
    const field = holder.parent instanceof Y.AbstractType ? holder.parent._item : null
    if (field?.parent === recordsType) return type instanceof Y.Text ? TEXT : NESTED
    return underRecords(holder) ? NESTED : OTHER
  }

  const underRecords = (item: Y.Item): boolean => {
    let type = item.parent
    while (type instanceof Y.AbstractType && type._item) type = type._item.parent
    return type === recordsType
  }

  /** Where an item lands when its parent (the item holding the type) is `parent`. */
  const inside = (parentPlace: Place, holder: Y.Item | Struct, key: string | undefined): Place => {
    switch (parentPlace.kind) {
      case 'entry': {
        const isMap =
          holder instanceof Y.Item
            ? holder.content instanceof Y.ContentType && holder.content.type instanceof Y.Map
            : holder.content === CONTENT_TYPE && holder.typeRef === TYPE_MAP
        if (!isMap || key === undefined) return NESTED
        return { kind: 'field', id: parentPlace.id, key, map: holder }
      }
      case 'field': {
        const isText =
          holder instanceof Y.Item
            ? holder.content instanceof Y.ContentType && holder.content.type instanceof Y.Text
            : holder.content === CONTENT_TYPE && holder.typeRef === TYPE_TEXT
        return isText && key === undefined ? TEXT : NESTED
      }
      case 'text':
        return NESTED
      default:
        return parentPlace
    }
  }

  /** Where a struct of the update lands; follows neighbours inside the update without recursion. */
  const placeOf = (first: Struct): Place => {
    const path: Struct[] = []
    let s: Struct | undefined = first
    let place: Place = GONE
    while (s) {
      const known = places.get(s)
      if (known) {
        place = known
        break
      }
      path.push(s)
      if (s.kind !== ITEM) break
      if (typeof s.parent === 'string') {
        place =
          s.parent === RECORDS_KEY
            ? s.parentSub === undefined
              ? NESTED
              : entry(s.parentSub)
            : s.parent === META_KEY && s.parentSub === META_SCHEMA
              ? SCHEMA
              : OTHER
        break
      }
      if (s.parent) {
        const parentId: Id = s.parent
        if (storeHas(parentId)) {
          const holder = Y.getItem(store, Y.createID(parentId.client, parentId.clock))
          place = holder instanceof Y.Item ? inside(storedPlace(holder), holder, s.parentSub) : GONE
          // A record entry that is no longer the record's own (replaced or deleted) shows nothing.
          if (place.kind === 'field' && !isCurrentEntry(holder as Y.Item)) {
            touched?.add(place.id)
            place = OTHER
          }
        } else {
          const holder = structAt(parentId)
          place = holder ? inside(placeOf(holder), holder, s.parentSub) : GONE
        }
        break
      }
      // Placed next to a neighbour: same parent, same key.
      const next = (s.origin ?? s.rightOrigin) as Id
      if (storeHas(next)) {
        const neighbour = Y.getItem(store, Y.createID(next.client, next.clock))
        place = storedPlace(neighbour)
        if (place.kind === 'field' && !isCurrentEntry(place.map as Y.Item)) {
          touched?.add(place.id)
          place = OTHER
        }
        break
      }
      s = structAt(next)
    }
    for (const p of path) places.set(p, place)
    return place
  }

  const isCurrentEntry = (item: Y.Item): boolean =>
    !item.deleted && typeof item.parentSub === 'string' && records._map.get(item.parentSub) === item

  // The update's own deletions, per client (sorted by Yjs; an unsorted set only makes more checks).
  const deletes = new Map<number, { clock: number; length: number }[]>()
  for (const d of update.deletes) {
    push(deletes, d.client, d)
  }
  const deletedByUpdate = (s: Struct): boolean => {
    const list = deletes.get(s.client)
    if (!list) return false
    let lo = 0
    let hi = list.length - 1
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      const d = list[mid] as { clock: number; length: number }
      if (s.clock + s.length <= d.clock) hi = mid - 1
      else if (s.clock >= d.clock + d.length) lo = mid + 1
      else return d.clock <= s.clock && s.clock + s.length <= d.clock + d.length
    }
    return false
  }

  /** Per record id: new entries, and new values of stored records' fields (by key). */
  const newEntries = new Map<string, Struct[]>()
  const newValues = new Map<Y.Item | Struct, Map<string, Struct[]>>()
  const touchedStored = new Set<string>()
  let schemaValue: Struct | undefined

  for (const { structs } of update.sections) {
    for (const s of structs) {
      if (s.kind !== ITEM) continue
      // Already in the store (a device sending again what the server has): Yjs skips it.
      if (s.clock + s.length <= Y.getState(store, s.client)) continue
      const place = placeOf(s)
      if (place.kind === 'entry' || place.kind === 'field') touched?.add(place.id)
      if (place.kind === 'schema') schemaValue = s
      if (place.kind === 'nested') return { problem: 'not-a-record', typeName: undefined }
      if (place.kind !== 'entry' && place.kind !== 'field') continue
      if (s.content === CONTENT_DELETED || deletedByUpdate(s)) continue
      if (place.kind === 'entry') {
        if (s.content !== CONTENT_TYPE || s.typeRef !== TYPE_MAP) {
          return { problem: 'not-a-record', typeName: undefined }
        }
        push(newEntries, place.id, s)
        continue
      }
      // A field holds plain JSON, or a long text: a nested map or list is no record's.
      if (s.content === CONTENT_TYPE && s.typeRef !== TYPE_TEXT) {
        return { problem: 'not-a-record', typeName: undefined }
      }
      const byKey = newValues.get(place.map) ?? new Map<string, Struct[]>()
      newValues.set(place.map, byKey)
      push(byKey, place.key, s)
      if (place.map instanceof Y.Item) touchedStored.add(place.id)
    }
  }

  // Stored field values and records the update deletes.
  const removedKeys = new Map<Y.Item, Map<string, Y.Item>>()
  const removedRecords = new Set<string>()
  for (const { client, clock, length } of update.deletes) {
    const structs = store.clients.get(client)
    const end = Math.min(clock + length, Y.getState(store, client))
    if (!structs || clock >= end) continue
    for (let i = Y.findIndexSS(structs, clock); i < structs.length; i++) {
      const item = structs[i] as Y.Item | Y.GC
      if (item.id.clock >= end) break
      if (!(item instanceof Y.Item) || item.deleted) continue
      const place = storedPlace(item)
      if (place.kind === 'entry' || place.kind === 'field') touched?.add(place.id)
      if (place.kind === 'entry' && isCurrentEntry(item)) removedRecords.add(place.id)
      if (place.kind !== 'field') continue
      const map = place.map as Y.Item
      const mapType = (map.content as Y.ContentType).type as Y.Map<unknown>
      if (!isCurrentEntry(map) || mapType._map.get(place.key) !== item) continue
      const keys = removedKeys.get(map) ?? new Map<string, Y.Item>()
      removedKeys.set(map, keys)
      keys.set(place.key, item)
      touchedStored.add(place.id)
    }
  }

  const written =
    schemaValue && schemaValue.content !== CONTENT_DELETED && !deletedByUpdate(schemaValue)
      ? itemValue(update.bytes, schemaValue)
      : undefined
  if (written !== undefined && !isStorableSchema(written)) {
    return { problem: 'cannot-migrate', typeName: undefined }
  }
  if (newEntries.size === 0 && touchedStored.size === 0) return null
  const schema = (written ?? meta.get(META_SCHEMA)) as SerializedSchema | undefined

  const check = (
    id: string,
    variants: Record<string, unknown>[],
    values: Map<string, Struct[]> | undefined,
    before?: Record<string, unknown>,
  ): RecordRefusal | null => {
    for (const record of variants) {
      // A Y.Text only where the record type has a long text; elsewhere a field is one value.
      for (const [key, structs] of values ?? []) {
        if (structs.some((s) => s.typeRef === TYPE_TEXT && s.content === CONTENT_TYPE)) {
          if (!isLongTextField(record.typeName, key)) {
            return { problem: 'not-a-record', typeName: undefined }
          }
        }
      }
      const problem = recordProblem(id, record, schema, before)
      if (problem) {
        const typeName = typeof record.typeName === 'string' ? record.typeName : undefined
        return { problem, typeName }
      }
    }
    return null
  }

  const currentSchema = schema === undefined || sameAsCurrent(schema)
  const checkedMaps: Y.Map<unknown>[] = []
  for (const [id, entries] of newEntries) {
    for (const map of entries) {
      const values = newValues.get(map)
      const variants = variantsOf({}, values, undefined, update.bytes, structAt)
      if (!variants) return { problem: 'invalid', typeName: undefined }
      const refusal = check(id, variants, values)
      if (refusal) return refusal
    }
  }
  for (const id of touchedStored) {
    // Deleting a record deletes its fields with it: nothing of it is left to check.
    if (removedRecords.has(id)) continue
    const map = records._map.get(id) as Y.Item
    const mapType = (map.content as Y.ContentType).type as Y.Map<unknown>
    const values = newValues.get(map)
    if (
      currentSchema &&
      fittingRecords.has(mapType) &&
      shapeFieldsFit(mapType, values, removedKeys.get(map), update.bytes, structAt)
    ) {
      continue
    }
    const stored = mapType.toJSON() as Record<string, unknown>
    // A record that fitted as the checks last saw it: only the fields that change are checked.
    const before = fittingRecords.has(mapType) ? { ...stored } : undefined
    const variants = variantsOf(stored, values, removedKeys.get(map), update.bytes, structAt)
    if (!variants) return { problem: 'invalid', typeName: undefined }
    const refusal = check(id, variants, values, before)
    if (refusal) return refusal
    checkedMaps.push(mapType)
  }
  // Applied next (the room checks nothing after this): each record holds one of its variants.
  for (const map of checkedMaps) fittingRecords.add(map)
  return null
}

/**
 * The records an update may leave: `base` (a fresh object, changed in place) with each key that
 * has new values set to each of them in turn (and without the key, where its stored value is
 * deleted and no new value surely replaces it). Undefined past MAX_VARIANTS.
 */
function variantsOf(
  base: Record<string, unknown>,
  values: Map<string, Struct[]> | undefined,
  removed: Map<string, Y.Item> | undefined,
  bytes: Uint8Array,
  structAt: (id: Id) => Struct | undefined,
): Record<string, unknown>[] | undefined {
  const choices: [string, unknown[]][] = []
  const keys = new Set([...(values?.keys() ?? []), ...(removed?.keys() ?? [])])
  let count = 1
  for (const key of keys) {
    const candidates = values?.get(key) ?? []
    const options: unknown[] = candidates.map((s) => itemValue(bytes, s))
    const old = removed?.get(key)
    if (old && !candidates.some((s) => replaces(s, old, structAt))) options.push(MISSING)
    count *= options.length
    if (count > MAX_VARIANTS) return undefined
    choices.push([key, options])
  }
  // `base` is the caller's own fresh copy; a key with one possible value is set in place.
  let out: Record<string, unknown>[] = [base]
  for (const [key, options] of choices) {
    if (options.length === 1) {
      const [option] = options
      for (const record of out) {
        if (option === MISSING) delete record[key]
        else record[key] = option
      }
      continue
    }
    const next: Record<string, unknown>[] = []
    for (const record of out) {
      for (const option of options) {
        const copy = { ...record }
        if (option === MISSING) delete copy[key]
        else copy[key] = option
        next.push(copy)
      }
    }
    out = next
  }
  return out
}

/**
 * The short way for the most frequent change, a move: true when a shape's record that fitted
 * before gets exactly one new value for each field it changes, each surely in place of the
 * value before, each one of the fields all shapes share (`SHAPE_FIELDS`) and each taken by that
 * field's validator. The record then fits as it did, with those values: what the whole check
 * would find, without putting the record together. False leaves the decision to the whole check
 * (which also gives the problem), so this never refuses anything.
 */
function shapeFieldsFit(
  map: Y.Map<unknown>,
  values: Map<string, Struct[]> | undefined,
  removed: Map<string, Y.Item> | undefined,
  bytes: Uint8Array,
  structAt: (id: Id) => Struct | undefined,
): boolean {
  if (!values || map.get('typeName') !== 'shape') return false
  if (removed) {
    for (const key of removed.keys()) if (!values.has(key)) return false
  }
  for (const [key, structs] of values) {
    const validator = SHAPE_FIELDS.get(key)
    const [s] = structs
    if (!validator || !s || structs.length !== 1 || s.content !== CONTENT_ANY) return false
    const old = removed?.get(key)
    if (old && !replaces(s, old, structAt)) return false
    try {
      validator.validate(itemValue(bytes, s))
    } catch {
      return false
    }
  }
  return true
}

/**
 * True when `s` surely becomes the key's value in place of `old`: written right after it, or
 * after values of this same update that were each written right after the one before, back to
 * `old` (a device that set a field several times while offline sends them all at once, all
 * but the last deleted again).
 */
function replaces(s: Struct, old: Y.Item, structAt: (id: Id) => Struct | undefined): boolean {
  const oldEnd = old.id.clock + old.length - 1
  // An update made to deceive may chain its structs in a circle: each is visited once.
  const seen = new Set<Struct>()
  let at: Struct | undefined = s
  while (at && at.kind === ITEM && at.rightOrigin === null && at.origin !== null) {
    const { client, clock } = at.origin
    if (client === old.id.client && clock === oldEnd) return true
    seen.add(at)
    const before = structAt(at.origin)
    // Only the last value of a struct is what the next one was written after.
    if (!before || seen.has(before) || clock !== before.clock + before.length - 1) return false
    at = before
  }
  return false
}

/** The value a map item holds (the last of its content, as `Y.Map#get` reads it). */
export function itemValue(bytes: Uint8Array, s: Struct): unknown {
  const decoder = decoding.createDecoder(bytes)
  decoder.pos = s.at as number
  switch (s.content) {
    case CONTENT_ANY: {
      const length = decoding.readVarUint(decoder)
      let value: unknown
      for (let i = 0; i < length; i++) value = decoding.readAny(decoder)
      return value
    }
    case CONTENT_JSON: {
      const length = decoding.readVarUint(decoder)
      let value: unknown
      for (let i = 0; i < length; i++) {
        const json = decoding.readVarString(decoder)
        value = json === 'undefined' ? undefined : JSON.parse(json)
      }
      return value
    }
    case CONTENT_STRING:
      return decoding.readVarString(decoder).slice(-1)
    case CONTENT_BINARY:
      return decoding.readVarUint8Array(decoder)
    case CONTENT_TYPE:
      // A long text is read as its characters; its new characters come as items of their own.
      return s.typeRef === TYPE_TEXT ? '' : {}
    default:
      return undefined
  }
}

function entry(id: string): Place {
  return { kind: 'entry', id }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key)
  if (list) list.push(value)
  else map.set(key, [value])
}
