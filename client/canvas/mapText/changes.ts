import type { RecordsDiff } from '@tldraw/store'
import type { TLRecord } from 'tldraw'
import type { Words } from './describe'

/** A person, relation or event as a change names it. */
export type Thing =
  | { kind: 'person'; name: string }
  | { kind: 'relation'; a: string; b: string; personIds: [string, string] }
  | { kind: 'event'; title: string }

/** One change another device made that is worth saying: an addition, a removal or a new name. */
export type Change =
  | { type: 'added' | 'removed'; id: string; thing: Thing; author: string | null }
  | { type: 'renamed'; id: string; before: Thing; thing: Thing; author: string | null }

/** Reads a person's name, also of a person removed in the same change. */
export type NameOf = (personId: string) => string

/** The person, relation or event a record is, or null for anything else (views, pages, lines' ends). */
function thingOf(record: TLRecord, nameOf: NameOf): Thing | null {
  if (record.typeName === 'person') return { kind: 'person', name: record.name }
  if (record.typeName !== 'shape') return null
  if (record.type === 'relation') {
    const { fromPersonId, toPersonId } = record.props
    return {
      kind: 'relation',
      a: nameOf(fromPersonId),
      b: nameOf(toPersonId),
      personIds: [fromPersonId, toPersonId],
    }
  }
  if (record.type === 'event') return { kind: 'event', title: record.props.title }
  return null
}

const sameName = (a: Thing, b: Thing) =>
  (a.kind === 'person' && b.kind === 'person' && a.name === b.name) ||
  (a.kind === 'event' && b.kind === 'event' && a.title === b.title) ||
  a.kind === 'relation'

/**
 * The changes worth saying in a store diff that came from another device: people, relations and
 * events added or removed, and new names of people and titles of events. Moves, a person's ring or
 * sector, and every other field are left out: a drag must not fill the screen reader.
 */
export function changesIn(
  diff: RecordsDiff<TLRecord>,
  nameOf: NameOf,
  author: string | null,
): Change[] {
  const changes: Change[] = []
  for (const record of Object.values(diff.added)) {
    const thing = thingOf(record, nameOf)
    if (thing) changes.push({ type: 'added', id: record.id, thing, author })
  }
  for (const [before, after] of Object.values(diff.updated)) {
    const was = thingOf(before, nameOf)
    const is = thingOf(after, nameOf)
    if (!was || !is || is.kind === 'relation' || sameName(was, is)) continue
    changes.push({ type: 'renamed', id: after.id, before: was, thing: is, author })
  }
  for (const record of Object.values(diff.removed)) {
    const thing = thingOf(record, nameOf)
    if (thing) changes.push({ type: 'removed', id: record.id, thing, author })
  }
  return changes
}

/**
 * Adds newer changes to those not yet said, one entry per thing: added and then named is added
 * with its name, added and then removed is nothing, named twice is one new name.
 */
export function mergeChanges(pending: readonly Change[], newer: readonly Change[]): Change[] {
  const out = [...pending]
  for (const change of newer) {
    const at = out.findIndex((c) => c.id === change.id)
    const earlier = out[at]
    if (!earlier) {
      out.push(change)
      continue
    }
    if (earlier.type === 'added' && change.type === 'renamed') {
      out[at] = { ...earlier, thing: change.thing }
    } else if (earlier.type === 'added' && change.type === 'removed') {
      out.splice(at, 1)
    } else if (earlier.type === 'renamed' && change.type === 'renamed') {
      if (sameName(earlier.before, change.thing)) out.splice(at, 1)
      else out[at] = { ...earlier, thing: change.thing, author: change.author }
    } else if (earlier.type === 'renamed' && change.type === 'removed') {
      out[at] = { ...change, thing: earlier.before }
    } else {
      out[at] = change
    }
  }
  return out
}

/** At most this many sentences at once; more changes are said as one count per person. */
export const MAX_SENTENCES = 3

function what(thing: Thing, { t }: Words): string {
  const name = (value: string) => value.trim() || t('mapText.unnamed')
  if (thing.kind === 'person') return name(thing.name)
  if (thing.kind === 'relation')
    return t('mapText.relationThe', { a: name(thing.a), b: name(thing.b) })
  return t('mapText.eventThe', { title: thing.title.trim() || t('maps.event.untitled') })
}

/**
 * The changes in sentences ("Ria heeft Ahmed toegevoegd."), each with the name of the person on
 * the other device, or "Iemand" when it is not known. A relation removed with one of its people is
 * not said apart. More than MAX_SENTENCES changes become one sentence per person with a count.
 */
export function changeSentences(changes: readonly Change[], words: Words): string[] {
  const { t } = words
  const removedPeople = new Set(
    changes.filter((c) => c.type === 'removed' && c.thing.kind === 'person').map((c) => c.id),
  )
  const said = changes.filter(
    (c) =>
      !(
        c.type === 'removed' &&
        c.thing.kind === 'relation' &&
        c.thing.personIds.some((id) => removedPeople.has(id))
      ),
  )
  const who = (c: Change) => c.author?.trim() || t('mapText.someone')
  if (said.length > MAX_SENTENCES) {
    const counts = new Map<string, number>()
    for (const c of said) counts.set(who(c), (counts.get(who(c)) ?? 0) + 1)
    return [...counts].map(([name, count]) => t('mapText.manyChanges', { who: name, count }))
  }
  return said.map((c) => {
    if (c.type === 'renamed') {
      const title = (thing: Thing) =>
        thing.kind === 'event' ? thing.title.trim() || t('maps.event.untitled') : what(thing, words)
      if (c.thing.kind === 'event')
        return t('mapText.retitled', {
          who: who(c),
          before: title(c.before),
          after: title(c.thing),
        })
      if (c.before.kind === 'person' && !c.before.name.trim())
        return t('mapText.named', { who: who(c), after: what(c.thing, words) })
      return t('mapText.renamed', {
        who: who(c),
        before: what(c.before, words),
        after: what(c.thing, words),
      })
    }
    return t(`mapText.${c.type}`, { who: who(c), what: what(c.thing, words) })
  })
}
