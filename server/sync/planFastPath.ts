/**
 * The plan check's fast path: recognises on the wire the plan writes people make all the time (a
 * value set or taken away under a key of the meeting or of an agreement, characters typed into or
 * deleted from a long text) and finds them fitting without applying them anywhere. The full check (`Room`'s
 * `#checkPlan`) applies an update to a copy of the plan first and holds every entry it touched
 * against the layout; that costs a second Yjs apply per keystroke, about as much garbage again as
 * the apply itself.
 *
 * It only ever accepts. An update it does not recognise as surely fitting goes to the full check,
 * which gives a refusal its reason; and it accepts only what the full check would accept: a value
 * must surely become its key's value (written right after the key's last one) and fit the key's
 * rule; a text must fit its rule as it is now, and stay within the longest length with what the
 * update adds. Anything else (a new entry, a nested type, a value that may lose to another, an
 * item placed next to one in the same update, the server's part) takes the full check.
 */
import * as Y from 'yjs'
import { type MapRoot, PLAN_LAYOUT, type ValueRoot } from '../../shared/plan/check'
import {
  longText,
  MAX_PLAN_KEY,
  MAX_PLAN_TEXT,
  type Rule,
  SERVER_KEY,
} from '../../shared/plan/layout'
import { itemValue } from './recordCheck'
import {
  CONTENT_ANY,
  CONTENT_STRING,
  type Id,
  ITEM,
  type ReadUpdate,
  type Struct,
} from './updateCheck'

// biome-ignore lint/suspicious/noExplicitAny: a type's events are irrelevant here
type AnyType = Y.AbstractType<any>

/** Where a write lands: a key of a map (a root or an entry), or inside a long text. */
type Place =
  | { kind: 'value'; map: AnyType; key: string; rule: Rule }
  | { kind: 'text'; text: Y.Text }

/**
 * True when every struct and deletion of a plan update is one the full check surely accepts
 * (see the module comment); false sends the update to the full check.
 */
export function planWriteSurelyFits(update: ReadUpdate, doc: Y.Doc): boolean {
  const store = doc.store
  const stateOf = (client: number) => Y.getState(store, client)
  const stored = (id: Id): Y.Item | undefined => {
    if (id.clock >= stateOf(id.client)) return undefined
    const struct = Y.getItem(store, Y.createID(id.client, id.clock))
    return struct instanceof Y.Item ? struct : undefined
  }
  /** Current values the update replaces, and characters added per text. */
  const replaced = new Set<Y.Item>()
  const added = new Map<Y.Text, number>()

  for (const { structs } of update.sections) {
    for (const s of structs) {
      if (s.kind !== ITEM) return false
      const known = stateOf(s.client)
      if (s.clock + s.length <= known) continue
      // Partly known: Yjs integrates the rest next to its own first part.
      if (s.clock < known) return false
      const where = parentOf(s, doc, stored)
      if (!where) return false
      const place = placeOf(where.type, where.key, doc)
      if (!place) return false
      if (place.kind === 'text') {
        if (s.content !== CONTENT_STRING) return false
        added.set(place.text, (added.get(place.text) ?? 0) + s.length)
        continue
      }
      if (s.content !== CONTENT_ANY) return false
      const last = (place.map as unknown as { _map: Map<string, Y.Item> })._map.get(place.key)
      if (!writtenAfter(s, last)) return false
      if (place.rule(itemValue(update.bytes, s), 'write') !== null) return false
      if (last && !last.deleted) replaced.add(last)
    }
  }
  for (const [text, more] of added) {
    if (text.length + more > MAX_PLAN_TEXT || longText(text, 'write') !== null) return false
  }
  for (const { client, clock, length } of update.deletes) {
    // A deletion of the update's own structs: the full check.
    if (clock + length > stateOf(client)) return false
    const structs = store.clients.get(client)
    if (!structs) return false
    for (let i = Y.findIndexSS(structs, clock); i < structs.length; i++) {
      const struct = structs[i] as Y.Item | Y.GC
      if (struct.id.clock >= clock + length) break
      if (!(struct instanceof Y.Item) || struct.deleted || replaced.has(struct)) continue
      // A value taken away: a key without a value always fits.
      if (typeof struct.parentSub === 'string' && struct.parent instanceof Y.AbstractType) {
        if (placeOf(struct.parent as AnyType, struct.parentSub, doc)?.kind === 'value') continue
        return false
      }
      // Characters of a long text that fits: what is left fits too.
      if (!(struct.content instanceof Y.ContentString) || !(struct.parent instanceof Y.Text)) {
        return false
      }
      const place = placeOf(struct.parent, null, doc)
      if (place?.kind !== 'text' || (!added.has(place.text) && longText(place.text, 'write'))) {
        return false
      }
    }
  }
  return true
}

/**
 * The type and key an item lands in, as Yjs finds them: from its left neighbour, else its right
 * one, else the parent named on the wire. Undefined where that is not in the server's store.
 */
function parentOf(
  s: Struct,
  doc: Y.Doc,
  stored: (id: Id) => Y.Item | undefined,
): { type: AnyType; key: string | null } | undefined {
  const neighbourId = s.origin ?? s.rightOrigin
  if (neighbourId) {
    const neighbour = stored(neighbourId)
    if (!neighbour || !(neighbour.parent instanceof Y.AbstractType)) return undefined
    return { type: neighbour.parent as AnyType, key: neighbour.parentSub }
  }
  if (typeof s.parent === 'string') {
    const type = doc.share.get(s.parent)
    return type ? { type, key: s.parentSub ?? null } : undefined
  }
  if (!s.parent) return undefined
  const holder = stored(s.parent)
  if (!holder || holder.deleted || !(holder.content instanceof Y.ContentType)) return undefined
  return { type: holder.content.type as AnyType, key: s.parentSub ?? null }
}

/**
 * What a write under `key` of `type` is, in the plan's layout: a value of a root's key or of an
 * entry's field, or characters of a long text that is the current value of its place. Undefined
 * for anything else.
 */
function placeOf(type: AnyType, key: string | null, doc: Y.Doc): Place | undefined {
  const holder = type._item
  if (!holder) {
    // A key of a top-level map: a value entry.
    const layout = layoutOf(type, doc)
    if (layout?.kind !== 'values' || key === null || key.length > MAX_PLAN_KEY) return undefined
    const rule = layout.keys ? layout.keys[key] : layout.rule
    return rule ? { kind: 'value', map: type, key, rule } : undefined
  }
  if (!isCurrent(holder)) return undefined
  const parent = holder.parent as AnyType
  /** The entry's key, or the field's where `type` is a field's own type. */
  const holderKey = holder.parentSub as string
  if (!parent._item) {
    const layout = layoutOf(parent, doc)
    if (!layout) return undefined
    // A field of an entry (an agreement, a basisteam meeting).
    if (layout.kind === 'fields') {
      if (!(type instanceof Y.Map) || key === null || type._start !== null) return undefined
      const rule = layout.fields[key] as Rule | undefined
      return rule === undefined ? undefined : { kind: 'value', map: type, key, rule }
    }
    // The characters of an entry that is a long text (an expectation, a note).
    const rule = layout.keys ? layout.keys[holderKey] : layout.rule
    return rule === longText && type instanceof Y.Text && key === null
      ? { kind: 'text', text: type }
      : undefined
  }
  // The characters of an entry's long-text field.
  const entry = parent._item
  const root = entry.parent as AnyType
  if (!isCurrent(entry) || root._item || key !== null) return undefined
  const layout = layoutOf(root, doc)
  if (layout?.kind !== 'fields' || !(parent instanceof Y.Map) || parent._start !== null) {
    return undefined
  }
  return layout.fields[holderKey] === longText && type instanceof Y.Text
    ? { kind: 'text', text: type }
    : undefined
}

/** The layout of a top-level map of the plan (not the server's part). */
function layoutOf(type: AnyType, doc: Y.Doc): MapRoot | ValueRoot | undefined {
  for (const [name, shared] of doc.share) {
    if (shared === type) return name === SERVER_KEY ? undefined : PLAN_LAYOUT[name]
  }
  return undefined
}

/** True for an item that is its key's current value in its map. */
function isCurrent(item: Y.Item): boolean {
  const parent = item.parent
  return (
    !item.deleted &&
    typeof item.parentSub === 'string' &&
    parent instanceof Y.AbstractType &&
    (parent as unknown as { _map: Map<string, Y.Item> })._map.get(item.parentSub) === item
  )
}

/** True when `s` surely becomes its key's value: written right after the key's last item. */
function writtenAfter(s: Struct, last: Y.Item | undefined): boolean {
  if (s.rightOrigin !== null) return false
  if (!last) return s.origin === null
  return (
    s.origin !== null &&
    s.origin.client === last.id.client &&
    s.origin.clock === last.id.clock + last.length - 1
  )
}
