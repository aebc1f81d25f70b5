/**
 * Whether an entry of a plan document fits the plan's layout (layout.ts, basisteam.ts): the kind
 * of Yjs value (Y.Map, Y.Text, Y.Array, plain JSON) and the value itself. The server holds every
 * entry a client's update touches against it before the update is applied; a device skips an entry
 * that does not fit (stored before the server checked) instead of showing it or breaking on it.
 *
 * Two strictnesses: `write` is what our clients write (the server refuses anything else); `read`
 * also takes what older versions stored (a long text as a plain string) and fields it does not
 * know (a newer version's), so a device skips only what no version of the app writes.
 */
import * as Y from 'yjs'
import { z } from 'zod'
import {
  BASISTEAM_MEETINGS_KEY,
  BASISTEAM_NOTES_KEY,
  BASISTEAM_PRESENT_KEY,
  BasisteamMember,
  STATUS_LOG_KEY,
  StatusChange,
} from './basisteam'
import {
  AGREEMENT_FIELDS,
  AGREEMENTS_KEY,
  BASISTEAM_KEY,
  BASISTEAM_MEMBERS_KEY,
  DateOnly,
  fieldsIssue,
  longText,
  MAX_PLAN_KEY,
  MEETING_EXPECTATIONS_KEY,
  MEETING_KEY,
  MEETING_PRESENT_KEY,
  MeetingStep,
  type PlanProblem,
  type PlanStrictness,
  plainValue,
  type Rule,
  SERVER_KEY,
  Timestamp,
} from './layout'

export type { PlanProblem, PlanStrictness }

/** A plan entry that does not fit: where (root and field, names of the layout) and why. */
export interface PlanIssue {
  root: string
  field?: string
  problem: PlanProblem
}

const MEETING_FIELDS: Record<string, Rule> = {
  startsAt: plainValue(Timestamp.refine((s) => !Number.isNaN(Date.parse(s)))),
  minutes: plainValue(z.number().int().min(15).max(600)),
  sequence: plainValue(z.number().int().min(0).max(1_000_000)),
  place: plainValue(z.string().max(300)),
  online: plainValue(z.boolean()),
  finishedAt: plainValue(Timestamp.nullable()),
}

/** A root whose entries are Y.Maps of fields (an agreement, a basisteam meeting). */
export interface MapRoot {
  kind: 'fields'
  fields: Record<string, Rule>
}
/** A root whose entries are one value each, under keys of any name (or only the named ones). */
export interface ValueRoot {
  kind: 'values'
  rule?: Rule
  keys?: Record<string, Rule>
}

const PRESENT = plainValue(z.literal(true))

/** How the entries of each top-level map of a plan must look (the `server` root aside). */
export const PLAN_LAYOUT: Readonly<Record<string, MapRoot | ValueRoot>> = {
  [AGREEMENTS_KEY]: { kind: 'fields', fields: AGREEMENT_FIELDS },
  [MEETING_KEY]: { kind: 'values', keys: { step: plainValue(MeetingStep) } },
  [MEETING_PRESENT_KEY]: { kind: 'values', rule: PRESENT },
  [MEETING_EXPECTATIONS_KEY]: { kind: 'values', rule: longText },
  [BASISTEAM_KEY]: { kind: 'values', keys: { firstMeeting: plainValue(DateOnly.nullable()) } },
  [BASISTEAM_MEMBERS_KEY]: {
    kind: 'values',
    // `true` as first written; the member's details since.
    rule: plainValue(z.union([z.literal(true), BasisteamMember.omit({ personId: true })])),
  },
  [BASISTEAM_MEETINGS_KEY]: { kind: 'fields', fields: MEETING_FIELDS },
  [BASISTEAM_PRESENT_KEY]: { kind: 'values', rule: PRESENT },
  [BASISTEAM_NOTES_KEY]: { kind: 'values', rule: longText },
  [STATUS_LOG_KEY]: { kind: 'values', rule: plainValue(StatusChange) },
}

/**
 * Whether the entry `key` of the top-level map `root` fits the layout, as `value` holds it now
 * (undefined: the entry is gone, which always fits). `fields` limits the check of a map entry to
 * those fields (the ones a change touched); without it every field is checked. The `server` root
 * is not checked here: the server writes it and undoes any other change (server/sync/serverPart.ts).
 */
export function planEntryIssue(
  root: string,
  key: string | null,
  value: unknown,
  strictness: PlanStrictness,
  fields?: Iterable<string | null>,
): PlanIssue | null {
  if (root === SERVER_KEY) return null
  const layout = PLAN_LAYOUT[root]
  if (!layout) return { root, problem: 'unknown-root' }
  // A list item in a map (no key) is invisible to every reader and no client of ours writes one.
  if (key === null) return { root, problem: 'no-key' }
  if (value === undefined) return null
  if (key.length > MAX_PLAN_KEY) return { root, problem: 'key-too-long' }
  if (layout.kind === 'values') {
    const rule = layout.keys ? layout.keys[key] : layout.rule
    if (!rule) return strictness === 'read' ? null : { root, problem: 'unknown-field' }
    const problem = rule(value, strictness)
    return problem ? { root, problem } : null
  }
  if (!(value instanceof Y.Map)) return { root, problem: 'wrong-kind' }
  const issue = fieldsIssue(value as Y.Map<unknown>, layout.fields, strictness, fields)
  return issue ? { root, ...issue } : null
}

/**
 * The plan entries a transaction touched: per top-level map, per key, the fields of a map entry
 * that changed (`null` in the set: the entry itself was set or removed). The entries are read from
 * the document as the transaction left them.
 */
export function touchedPlanEntries(
  tr: Y.Transaction,
): Map<Y.AbstractType<unknown>, Map<string | null, Set<string | null>>> {
  const out = new Map<Y.AbstractType<unknown>, Map<string | null, Set<string | null>>>()
  const note = (root: Y.AbstractType<unknown>, key: string | null, field: string | null) => {
    const keys = out.get(root) ?? new Map<string | null, Set<string | null>>()
    out.set(root, keys)
    const fields = keys.get(key) ?? new Set<string | null>()
    keys.set(key, fields)
    fields.add(field)
  }
  for (const [type, keys] of tr.changed) {
    // The path from the changed type up to its top-level map: [root, entry, field, …].
    const path: Y.AbstractType<unknown>[] = [type as Y.AbstractType<unknown>]
    let top = type as Y.AbstractType<unknown>
    while (top._item !== null && top._item.parent instanceof Y.AbstractType) {
      top = top._item.parent as Y.AbstractType<unknown>
      path.unshift(top)
    }
    const root = path[0] as Y.AbstractType<unknown>
    if (path.length === 1) {
      for (const key of keys) note(root, key, null)
      continue
    }
    const entry = (path[1] as Y.AbstractType<unknown>)._item as Y.Item
    const entryKey = entry.parentSub
    if (path.length === 2) {
      for (const key of keys) note(root, entryKey, key)
      continue
    }
    note(root, entryKey, ((path[2] as Y.AbstractType<unknown>)._item as Y.Item).parentSub)
  }
  return out
}

/** The name under which a document holds a top-level type. */
export function rootName(doc: Y.Doc, type: Y.AbstractType<unknown>): string | undefined {
  for (const [name, shared] of doc.share) if (shared === type) return name
  return undefined
}

/**
 * The first entry a transaction touched that does not fit the plan (`write` strictness), or null.
 * A change inside an entry that a reader never reaches (a detached map) is checked where it is
 * read: under its key, as the document holds it now.
 */
export function transactionPlanIssue(doc: Y.Doc, tr: Y.Transaction): PlanIssue | null {
  for (const [root, keys] of touchedPlanEntries(tr)) {
    const name = rootName(doc, root)
    if (name === undefined) return { root: '?', problem: 'unknown-root' }
    // A root the document has not named yet is a bare type until it is asked for as a map.
    const map = doc.getMap(name)
    for (const [key, fields] of keys) {
      const value = key === null ? undefined : map.get(key)
      // A new or replaced entry is checked whole; a changed one, in the fields that changed.
      const whole = fields.has(null)
      const issue = planEntryIssue(name, key, value, 'write', whole ? undefined : fields)
      if (issue) return issue
    }
  }
  return null
}

/** Every entry of a plan document that does not fit (`read` strictness), by root and key. */
export function planIssues(doc: Y.Doc): { root: string; key: string; issue: PlanIssue }[] {
  const out: { root: string; key: string; issue: PlanIssue }[] = []
  for (const root of Object.keys(PLAN_LAYOUT)) {
    for (const [key, value] of doc.getMap(root).entries()) {
      const issue = planEntryIssue(root, key, value, 'read')
      if (issue) out.push({ root, key, issue })
    }
  }
  return out
}

/**
 * Keeps count of a plan's entries that do not fit (`read`): the whole document once, then after
 * each transaction only the entries it touched, so a keystroke costs one entry's check. Calls
 * `onChange` with the entries (`<root> <key>`: layout names and ids, no content) whenever the
 * set changes. Returns the function that stops it.
 */
export function watchPlanIssues(doc: Y.Doc, onChange: (entries: string[]) => void): () => void {
  const bad = new Set(planIssues(doc).map(({ root, key }) => `${root} ${key}`))
  if (bad.size > 0) onChange([...bad])
  const handler = (tr: Y.Transaction) => {
    let changed = false
    for (const [root, keys] of touchedPlanEntries(tr)) {
      const name = rootName(doc, root)
      if (name === undefined || name === SERVER_KEY || !(name in PLAN_LAYOUT)) continue
      const map = doc.getMap(name)
      for (const key of keys.keys()) {
        if (key === null) continue
        const entry = `${name} ${key}`
        const isBad = planEntryIssue(name, key, map.get(key), 'read') !== null
        if (isBad === bad.has(entry)) continue
        if (isBad) bad.add(entry)
        else bad.delete(entry)
        changed = true
      }
    }
    if (changed) onChange([...bad])
  }
  doc.on('afterTransaction', handler)
  return () => doc.off('afterTransaction', handler)
}
