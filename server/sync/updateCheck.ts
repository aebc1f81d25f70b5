/**
 * What the server accepts of a client's Yjs update, decided before anything is applied.
 *
 * `readUpdate` walks the bytes of an update (Yjs encoding v1) without building a Yjs object: a
 * subdocument item is 8 bytes on the wire, but decoding it with Yjs (`Y.decodeUpdate`,
 * `Y.applyUpdate`) makes a `Y.Doc` of it, and 4 MiB of them kept the event loop for a minute. It
 * stops at the first struct or delete range past the limits, refuses the kinds of content no
 * document of ours holds, and throws `MalformedMessageError` for bytes that are no update.
 *
 * `checkUpdate` then holds the update against the document it is meant for: every item must land
 * in one of the document's own top-level types, and the update must be complete against the
 * server's state. It replays Yjs's own order of integration (`integrateStructs` in yjs
 * src/utils/encoding.js) with clocks only: an update that would leave structs or deletions
 * waiting for parts the server does not have is refused. Such parts were kept by Yjs, saved and
 * sent to every new client, and a delete set of them was applied again at every later update.
 * A client never needs it: what a device holds beyond the server reaches the server in its
 * answer to the server's sync step 1, before anything built on it (a device that edits in between
 * is refused, reconnects, and sends it all in that answer).
 */
import * as decoding from 'lib0/decoding'
import * as Y from 'yjs'
import { INCOMPLETE_UPDATE_REASON } from '../../shared/sync/layout'
import { MalformedMessageError } from './errors'

/** A Yjs id: a client and a clock. */
export interface Id {
  client: number
  clock: number
}

export const GC = 0
export const SKIP = 1
export const ITEM = 2

/** One struct of an update, as far as the checks need it. */
export interface Struct {
  kind: typeof GC | typeof SKIP | typeof ITEM
  client: number
  clock: number
  length: number
  origin: Id | null
  rightOrigin: Id | null
  /** The parent named on the wire: a top-level type's name or the id of the item holding it. */
  parent: string | Id | null
  /** Whether it lands in one of the document's own top-level types, once `checkUpdate` knows. */
  lands?: boolean
  /** An item's kind of content (Yjs's content ref). */
  content?: number
  /** The key of a map entry, when named on the wire (an item with no neighbours). */
  parentSub?: string
  /** Where the item's content starts in the update's bytes (read again by `recordCheck.ts`). */
  at?: number
  /** For nested-type content: the type (Yjs type ref). */
  typeRef?: number
}

/** One client's structs in an update. */
interface Section {
  client: number
  structs: Struct[]
}

/** What an update carries, read without Yjs objects. */
export interface ReadUpdate {
  /** The update's bytes. */
  bytes: Uint8Array
  /** Structs per client section, in the order of the encoding. */
  sections: Section[]
  /** Delete-set ranges. */
  deletes: { client: number; clock: number; length: number }[]
  /** Structs and client sections read (what counts against the limit). */
  structCount: number
  /** Delete ranges and delete-set client sections read. */
  deleteCount: number
}

/** Why an update is refused; the socket is told in words (`refusalReason`). */
export type UpdateRefusal =
  | 'subdocument'
  | 'foreign-content'
  | 'foreign-root'
  | 'incomplete'
  | 'too-many-structs'
  | 'too-many-deletes'

/** The reason sent with the close code for each refusal (short: a close reason is ≤ 123 bytes). */
export const REFUSAL_REASONS: Record<UpdateRefusal, string> = {
  subdocument: 'Update refused: subdocuments are not accepted',
  'foreign-content': 'Update refused: a kind of content this document does not hold',
  'foreign-root': 'Update refused: writes outside the document layout',
  incomplete: INCOMPLETE_UPDATE_REASON,
  'too-many-structs': 'Update refused: too many changes in one message',
  'too-many-deletes': 'Update refused: too many deletions in one message',
}

/** How much one update may carry. */
export interface UpdateLimits {
  maxStructs: number
  maxDeleteRanges: number
}

/** Clocks above this are refused: no client gets there, and arithmetic on them loses precision. */
const MAX_CLOCK = 2 ** 48

/**
 * Structs in a row that Yjs would merge into one after applying them (a value list appended to
 * one value at a time: each next one after the one before, same client, same kind of values).
 * Yjs merges them pairwise from the end, copying the growing array at each step: 100,000 of them
 * (700 kB on the wire) ran a server out of memory. A client merges its own before it sends them.
 */
const MAX_MERGEABLE_RUN = 1000

/** Nesting allowed in a value (`readAny`); Yjs reads deeper ones recursively, until the stack ends. */
const MAX_ANY_DEPTH = 64

// Yjs: struct info byte (binary.BITS5, BIT6, BIT7, BIT8), content refs and type refs.
const BITS5 = 31
const BIT6 = 32
const BIT7 = 64
const BIT8 = 128
export const CONTENT_DELETED = 1
export const CONTENT_JSON = 2
export const CONTENT_BINARY = 3
export const CONTENT_STRING = 4
const CONTENT_EMBED = 5
const CONTENT_FORMAT = 6
export const CONTENT_TYPE = 7
export const CONTENT_ANY = 8
const CONTENT_DOC = 9
const REF_SKIP = 10
/** Y.Array, Y.Map, Y.Text: the nested types our documents hold (the XML types are not among them). */
const OWN_TYPE_REFS = new Set([0, 1, 2])

class Refused extends Error {
  constructor(readonly refusal: UpdateRefusal) {
    super(refusal)
  }
}

/**
 * Reads an update within `limits`. Returns what it carries, or the refusal; throws
 * `MalformedMessageError` for bytes that are not an update.
 */
export function readUpdate(
  update: Uint8Array,
  limits: UpdateLimits,
): ReadUpdate | { refused: UpdateRefusal } {
  try {
    return read(update, limits)
  } catch (error) {
    if (error instanceof Refused) return { refused: error.refusal }
    throw new MalformedMessageError('update could not be decoded')
  }
}

function read(update: Uint8Array, limits: UpdateLimits): ReadUpdate {
  const decoder = decoding.createDecoder(update)
  const sections: ReadUpdate['sections'] = []
  const seen = new Set<number>()
  let structCount = 0
  const count = () => {
    if (++structCount > limits.maxStructs) throw new Refused('too-many-structs')
  }
  const sectionCount = decoding.readVarUint(decoder)
  for (let s = 0; s < sectionCount; s++) {
    count()
    const structsInSection = decoding.readVarUint(decoder)
    const client = decoding.readVarUint(decoder)
    let clock = decoding.readVarUint(decoder)
    // Yjs keeps only the last section of a client; no encoder writes two.
    if (seen.has(client)) throw new Error('two sections of one client')
    seen.add(client)
    const structs: Struct[] = []
    let run = 0
    for (let i = 0; i < structsInSection; i++) {
      count()
      const info = decoding.readUint8(decoder)
      const ref = info & BITS5
      let struct: Struct
      if (ref === 0 || ref === REF_SKIP) {
        const length = decoding.readVarUint(decoder)
        struct = {
          kind: ref === 0 ? GC : SKIP,
          client,
          clock,
          length,
          origin: null,
          rightOrigin: null,
          parent: null,
        }
      } else {
        const origin = (info & BIT8) === BIT8 ? readId(decoder) : null
        const rightOrigin = (info & BIT7) === BIT7 ? readId(decoder) : null
        let parent: string | Id | null = null
        let parentSub: string | undefined
        if ((info & (BIT7 | BIT8)) === 0) {
          parent =
            decoding.readVarUint(decoder) === 1 ? decoding.readVarString(decoder) : readId(decoder)
          if ((info & BIT6) === BIT6) parentSub = decoding.readVarString(decoder)
        }
        const at = decoder.pos
        const length = readContent(decoder, ref)
        struct = { kind: ITEM, client, clock, length, origin, rightOrigin, parent, at }
        if (parentSub !== undefined) struct.parentSub = parentSub
        if (ref === CONTENT_TYPE) struct.typeRef = update[at] as number
        const previous = structs[structs.length - 1]
        const merges =
          (ref === CONTENT_ANY || ref === CONTENT_JSON) &&
          previous?.kind === ITEM &&
          previous.content === ref &&
          origin?.client === client &&
          origin.clock === clock - 1 &&
          sameId(rightOrigin, previous.rightOrigin)
        run = merges ? run + 1 : 1
        if (run > MAX_MERGEABLE_RUN) throw new Refused('too-many-structs')
        struct.content = ref
      }
      // A struct of length 0 has no place in a struct store (Yjs never writes one).
      if (struct.length < 1 || clock + struct.length > MAX_CLOCK) throw new Error('bad length')
      clock += struct.length
      structs.push(struct)
    }
    sections.push({ client, structs })
  }
  const deletes: ReadUpdate['deletes'] = []
  let deleteCount = 0
  const countDelete = () => {
    if (++deleteCount > limits.maxDeleteRanges) throw new Refused('too-many-deletes')
  }
  const deleteClients = decoding.readVarUint(decoder)
  for (let c = 0; c < deleteClients; c++) {
    countDelete()
    const client = decoding.readVarUint(decoder)
    const ranges = decoding.readVarUint(decoder)
    for (let i = 0; i < ranges; i++) {
      countDelete()
      const clock = decoding.readVarUint(decoder)
      const length = decoding.readVarUint(decoder)
      if (clock + length > MAX_CLOCK) throw new Error('bad range')
      deletes.push({ client, clock, length })
    }
  }
  if (decoding.hasContent(decoder)) throw new Error('trailing bytes')
  return { bytes: update, sections, deletes, structCount, deleteCount }
}

function sameId(a: Id | null, b: Id | null): boolean {
  return a === b || (a !== null && b !== null && a.client === b.client && a.clock === b.clock)
}

function readId(decoder: decoding.Decoder): Id {
  return { client: decoding.readVarUint(decoder), clock: decoding.readVarUint(decoder) }
}

/** Reads an item's content and returns its length (in clock ticks), as Yjs counts it. */
function readContent(decoder: decoding.Decoder, ref: number): number {
  switch (ref) {
    case CONTENT_DELETED:
      return decoding.readVarUint(decoder)
    case CONTENT_JSON: {
      const length = decoding.readVarUint(decoder)
      for (let i = 0; i < length; i++) {
        const json = decoding.readVarString(decoder)
        if (json !== 'undefined') JSON.parse(json)
      }
      return length
    }
    case CONTENT_BINARY:
      skipBytes(decoder, decoding.readVarUint(decoder))
      return 1
    case CONTENT_STRING:
      return decoding.readVarString(decoder).length
    case CONTENT_TYPE: {
      const typeRef = decoding.readVarUint(decoder)
      if (!OWN_TYPE_REFS.has(typeRef)) {
        if (typeRef > 6) throw new Error('unknown type')
        throw new Refused('foreign-content')
      }
      return 1
    }
    case CONTENT_ANY: {
      const length = decoding.readVarUint(decoder)
      for (let i = 0; i < length; i++) skipAny(decoder)
      return length
    }
    case CONTENT_DOC:
      throw new Refused('subdocument')
    case CONTENT_EMBED:
    case CONTENT_FORMAT:
      // Rich-text formatting and embeds: our texts are plain.
      throw new Refused('foreign-content')
    default:
      throw new Error('unknown content')
  }
}

/** Moves past `length` bytes without a view of them (a typed array each, in lib0's reader). */
function skipBytes(decoder: decoding.Decoder, length: number): void {
  if (decoder.pos + length > decoder.arr.length) throw new Error('unexpected end')
  decoder.pos += length
}

/** Skips one value of lib0's `writeAny` encoding, building nothing; refuses deep nesting. */
function skipAny(decoder: decoding.Decoder, depth = 0): void {
  if (depth > MAX_ANY_DEPTH) throw new Error('too deep')
  switch (decoding.readUint8(decoder)) {
    case 127: // undefined
    case 126: // null
    case 121: // false
    case 120: // true
      return
    case 125: // integer
      decoding.readVarInt(decoder)
      return
    case 124: // float32
      decoding.readUint32(decoder)
      return
    case 123: // float64
    case 122: // bigint
      skipBytes(decoder, 8)
      return
    case 119: // string
      decoding.readVarString(decoder)
      return
    case 116: // Uint8Array
      skipBytes(decoder, decoding.readVarUint(decoder))
      return
    case 118: {
      // object: key, value, key, value…
      const entries = decoding.readVarUint(decoder)
      for (let i = 0; i < entries; i++) {
        decoding.readVarString(decoder)
        skipAny(decoder, depth + 1)
      }
      return
    }
    case 117: {
      const items = decoding.readVarUint(decoder)
      for (let i = 0; i < items; i++) skipAny(decoder, depth + 1)
      return
    }
    default:
      throw new Error('unknown value')
  }
}

/** True when an update would change a document: it carries structs or deletions. */
export function carriesContent(update: ReadUpdate): boolean {
  return update.sections.some((s) => s.structs.length > 0) || update.deletes.length > 0
}

/** The document an update is held against: its store, and its own top-level types. */
export interface UpdateTarget {
  doc: Y.Doc
  /** Names of the top-level types the document layout has. */
  roots: ReadonlySet<string>
  /** Those types themselves (`doc.share.get(name)`), when the caller keeps them at hand. */
  rootTypes?: ReadonlySet<unknown>
}

/**
 * Holds a read update against the document: null when it may be applied, else the refusal.
 * Costs O(structs + deletions) with a binary search for each item placed after one the server
 * holds; a move (one item, one deletion) takes a few microseconds.
 */
export function checkUpdate(update: ReadUpdate, target: UpdateTarget): UpdateRefusal | null {
  const store = target.doc.store
  for (const { structs } of update.sections) {
    for (const s of structs) {
      if (typeof s.parent === 'string' && !target.roots.has(s.parent)) return 'foreign-root'
    }
  }
  const state = integrate(update, store)
  if (!state) return 'incomplete'
  for (const { client, clock, length } of update.deletes) {
    const known = state.get(client) ?? Y.getState(store, client)
    // Yjs keeps the part of a range at or beyond the state as a pending delete set.
    if (clock >= known || clock + length > known) return 'incomplete'
  }
  return landsInRoots(update, target) ? null : 'foreign-root'
}

/**
 * Replays Yjs's integration of the update's structs with clocks only. Returns the state each
 * client reaches, or null if some struct would wait for a part the server lacks (or refers to a
 * later struct of its own client, which no Yjs client writes and Yjs cannot integrate).
 */
function integrate(update: ReadUpdate, store: Y.Doc['store']): Map<number, number> | null {
  if (update.sections.length === 1) return integrateOne(update.sections[0] as Section, store)
  const refs = new Map<number, { i: number; structs: Struct[] }>()
  for (const { client, structs } of update.sections) refs.set(client, { i: 0, structs })
  const state = new Map<number, number>()
  const stateOf = (client: number) => state.get(client) ?? Y.getState(store, client)
  /** The client whose struct `s` waits for, -1 for none, or NaN for a reference that is wrong. */
  const waitsOn = (s: Struct, ref: Id | null | string): number => {
    if (ref === null || typeof ref === 'string') return -1
    if (ref.client === s.client) return ref.clock >= s.clock ? Number.NaN : -1
    return ref.clock >= stateOf(ref.client) ? ref.client : -1
  }
  const missing = (s: Struct): number => {
    if (s.kind !== ITEM) return -1
    const origin = waitsOn(s, s.origin)
    if (origin !== -1) return origin
    const right = waitsOn(s, s.rightOrigin)
    return right !== -1 ? right : waitsOn(s, s.parent)
  }
  // Yjs takes the clients from the highest id down, and follows what a struct waits for first.
  const order = [...refs.keys()].sort((a, b) => a - b)
  const next = (): Struct | null => {
    while (order.length > 0) {
      const target = refs.get(order[order.length - 1] as number) as { i: number; structs: Struct[] }
      if (target.i < target.structs.length) return target.structs[target.i++] as Struct
      order.pop()
    }
    return null
  }
  const stack: Struct[] = []
  let head = next()
  while (head) {
    if (head.kind !== SKIP) {
      const offset = stateOf(head.client) - head.clock
      // A gap before this struct of its own client: Yjs would keep it pending.
      if (offset < 0) return null
      const waitsFor = missing(head)
      if (Number.isNaN(waitsFor)) return null
      if (waitsFor >= 0) {
        stack.push(head)
        const other = refs.get(waitsFor)
        // Nothing of that client left in this update: it waits for another update.
        if (!other || other.i === other.structs.length) return null
        head = other.structs[other.i++] as Struct
        continue
      }
      if (offset < head.length) state.set(head.client, head.clock + head.length)
    }
    head = stack.pop() ?? next()
  }
  return state
}

/**
 * `integrate` for an update of one client (every edit a device makes): no other client's structs
 * can arrive with it, so each reference must already be in the store.
 */
function integrateOne(section: Section, store: Y.Doc['store']): Map<number, number> | null {
  const { client, structs } = section
  let clock = Y.getState(store, client)
  const known = (s: Struct, ref: Id | string | null) =>
    ref === null ||
    typeof ref === 'string' ||
    (ref.client === s.client ? ref.clock < s.clock : ref.clock < Y.getState(store, ref.client))
  for (const s of structs) {
    if (s.kind === SKIP) continue
    if (s.clock > clock) return null
    if (s.kind === ITEM && !(known(s, s.origin) && known(s, s.rightOrigin) && known(s, s.parent))) {
      return null
    }
    clock = Math.max(clock, s.clock + s.length)
  }
  return new Map([[client, clock]])
}

/**
 * True when every item lands in one of the document's own top-level types. An item placed next
 * to another (it has an origin) carries no parent on the wire: it takes its neighbour's, found in
 * the server's store or in the update itself.
 */
function landsInRoots(update: ReadUpdate, target: UpdateTarget): boolean {
  const { doc, roots } = target
  const store = doc.store
  const ownRoots =
    target.rootTypes ?? new Set<unknown>([...roots].map((name) => doc.share.get(name)))
  // What the store held before the update: its clocks are not moved until the update is applied.
  const storeHas = (id: Id) => id.clock < Y.getState(store, id.client)
  let byClient: Map<number, Struct[]> | undefined

  /** Whether the item at `id` (in the store) sits in an own root; GC'd content lands nowhere. */
  const storedLands = (id: Id): boolean => {
    const struct = Y.getItem(store, Y.createID(id.client, id.clock))
    if (!(struct instanceof Y.Item)) return true
    let type = struct.parent
    while (type instanceof Y.AbstractType && type._item) type = type._item.parent
    return !(type instanceof Y.AbstractType) || ownRoots.has(type)
  }
  /** The struct of the update that holds `id`. */
  const structAt = (id: Id): Struct | undefined => {
    byClient ??= new Map(update.sections.map((section) => [section.client, section.structs]))
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

  for (const { structs } of update.sections) {
    for (const first of structs) {
      if (first.kind !== ITEM || first.lands !== undefined) continue
      // The common case: a named top-level type, or a neighbour or parent the server holds.
      if (typeof first.parent === 'string') {
        if (!roots.has(first.parent)) return false
        continue
      }
      const ref = (first.parent ?? first.origin ?? first.rightOrigin) as Id
      if (storeHas(ref)) {
        if (!storedLands(ref)) return false
        continue
      }
      // Else follow the chain of neighbours and parents inside the update until it reaches the
      // store, a named top-level type or a decided struct; every struct on the way gets the answer.
      const path: Struct[] = []
      let s: Struct | undefined = first
      let lands = true
      while (s) {
        if (s.lands !== undefined) {
          lands = s.lands
          break
        }
        path.push(s)
        if (s.kind !== ITEM) break
        if (typeof s.parent === 'string') {
          lands = roots.has(s.parent)
          break
        }
        const next = (s.parent ?? s.origin ?? s.rightOrigin) as Id
        if (storeHas(next)) {
          lands = storedLands(next)
          break
        }
        s = structAt(next)
      }
      for (const p of path) p.lands = lands
      if (!lands) return false
    }
  }
  return true
}
