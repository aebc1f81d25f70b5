import type { TFunction } from 'i18next'
import type {
  AtlasContent,
  ContentEvent,
  ContentPerson,
  ContentRelation,
} from '../../../shared/domain/content'
import { kinOf, type PARTNER_KINDS } from '../../../shared/domain/family'
import type { Instrument } from '../../../shared/schema/pages'
import { CLOSENESS, type Closeness, SECTORS } from '../../../shared/schema/person'

/** One part of a map in words: a heading and its lines (each one or a few short sentences). */
export interface MapTextSection {
  heading: string
  lines: string[]
}

/** A map in words: a title, a short overview, and its parts. */
export interface MapText {
  title: string
  intro: string[]
  sections: MapTextSection[]
}

/** A person's place in the client's family, as a word of the catalogue (`mapText.roles`). */
export type FamilyRole =
  | 'mother'
  | 'father'
  | 'parent'
  | 'daughter'
  | 'son'
  | 'child'
  | 'sister'
  | 'brother'
  | 'sibling'
  | 'partner'
  | 'grandmother'
  | 'grandfather'
  | 'grandparent'
  | 'granddaughter'
  | 'grandson'
  | 'grandchild'
  | 'client'

const byGender = (
  person: ContentPerson,
  female: FamilyRole,
  male: FamilyRole,
  other: FamilyRole,
): FamilyRole => (person.gender === 'female' ? female : person.gender === 'male' ? male : other)

const familyTies = (content: AtlasContent) =>
  content.relations
    .filter((r) => r.family)
    .map((r) => ({ from: r.from.id, to: r.to.id, kind: r.kind }))

/**
 * The family role of each person towards the client (mother, brother, grandfather…), read from
 * the family ties; people whose tie is further away (or unknown) have none.
 */
export function familyRoles(content: AtlasContent): Map<string, FamilyRole> {
  const roles = new Map<string, FamilyRole>()
  const client = content.client
  if (!client) return roles
  const ties = familyTies(content)
  const person = new Map(content.persons.map((p) => [p.id, p]))
  const set = (ids: readonly string[], female: FamilyRole, male: FamilyRole, other: FamilyRole) => {
    for (const id of ids) {
      const p = person.get(id)
      if (p && !roles.has(id)) roles.set(id, byGender(p, female, male, other))
    }
  }
  roles.set(client.id, 'client')
  const kin = kinOf(client.id, ties)
  set(kin.parents, 'mother', 'father', 'parent')
  set(kin.children, 'daughter', 'son', 'child')
  set(kin.partners, 'partner', 'partner', 'partner')
  set(kin.siblings, 'sister', 'brother', 'sibling')
  set(
    kin.parents.flatMap((p) => kinOf(p, ties).parents),
    'grandmother',
    'grandfather',
    'grandparent',
  )
  set(
    kin.children.flatMap((c) => kinOf(c, ties).children),
    'granddaughter',
    'grandson',
    'grandchild',
  )
  return roles
}

/**
 * The generation of each person on the family map, counted from the client (parents −1,
 * children +1; partners and siblings share one), following the family ties; people the ties do
 * not reach from the client are left out.
 */
export function generations(content: AtlasContent): Map<string, number> {
  const found = new Map<string, number>()
  const client = content.client
  if (!client) return found
  const ties = familyTies(content)
  found.set(client.id, 0)
  const queue = [client.id]
  while (queue.length > 0) {
    const id = queue.shift() as string
    const here = found.get(id) as number
    for (const tie of ties) {
      let next: [string, number] | null = null
      if (tie.kind === 'parent-child') {
        if (tie.from === id) next = [tie.to, here + 1]
        else if (tie.to === id) next = [tie.from, here - 1]
      } else if (tie.from === id) next = [tie.to, here]
      else if (tie.to === id) next = [tie.from, here]
      if (next && !found.has(next[0])) {
        found.set(next[0], next[1])
        queue.push(next[0])
      }
    }
  }
  return found
}

/** A date of an event (`2021`, `2021-06`, `2021-06-14`) as people say it, in `language`. */
export function spokenDate(date: string, language: string): string {
  const [year, month, day] = date.split('-').map(Number)
  if (!month) return String(year)
  const at = new Date(Date.UTC(year as number, month - 1, day ?? 1))
  return new Intl.DateTimeFormat(language, {
    timeZone: 'UTC',
    year: 'numeric',
    month: 'long',
    ...(day ? { day: 'numeric' } : {}),
  }).format(at)
}

const capitalised = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)

/** The words a map is told in: the catalogue's function and its language. */
export interface Words {
  t: TFunction
  language: string
}

function nameOf(person: { name: string }, { t }: Words): string {
  return person.name.trim() || t('mapText.unnamed')
}

function names(list: Array<{ name: string }>, words: Words): string {
  const format = new Intl.ListFormat(words.language, { type: 'conjunction' })
  return format.format(list.map((p) => nameOf(p, words)))
}

/** Who helps whom on a relation, as one sentence, or null when no direction is drawn. */
function helpSentence(relation: ContentRelation, words: Words): string | null {
  const from = nameOf(relation.from, words)
  const to = nameOf(relation.to, words)
  switch (relation.direction) {
    case 'forward':
      return words.t('mapText.helps', { from, to })
    case 'backward':
      return words.t('mapText.helps', { from: to, to: from })
    case 'both':
      return words.t('mapText.helpEachOther', { a: from, b: to })
    default:
      return null
  }
}

function tieWord(relation: ContentRelation, { t }: Words): string {
  return relation.family
    ? t(`people.relation.kinds.${relation.kind}`).toLowerCase()
    : t(`mapText.ties.${relation.kind as 'strong'}`)
}

function clientName(content: AtlasContent, words: Words): string {
  return content.client ? nameOf(content.client, words) : words.t('mapText.theClient')
}

function title(content: AtlasContent, instrument: Instrument, words: Words): string {
  return words.t('mapText.title', {
    map: words.t(`maps.instruments.${instrument}`),
    name: clientName(content, words),
  })
}

const sectorOrder = (p: ContentPerson) => (p.sector ? SECTORS.indexOf(p.sector) : SECTORS.length)

/**
 * One person on the relationship map in words: name, family role, what the line says, sector,
 * how strong the tie with the client is, and who helps whom.
 */
export function relationMapLine(
  person: ContentPerson,
  content: AtlasContent,
  roles: Map<string, FamilyRole>,
  words: Words,
): string {
  const { t } = words
  const client = content.client
  const tie = content.relations.find(
    (r) =>
      r.map === 'relatiekaart' &&
      client !== null &&
      ((r.from.id === client.id && r.to.id === person.id) ||
        (r.to.id === client.id && r.from.id === person.id)),
  )
  const role = roles.get(person.id)
  const parts = [nameOf(person, words)]
  if (role) parts.push(t(`mapText.roles.${role}`))
  const label = tie?.label.trim()
  if (label && (!role || label.toLowerCase() !== t(`mapText.roles.${role}`))) parts.push(label)
  if (person.isSupporter) parts.push(t('mapText.supporter'))
  if (person.sector) parts.push(t(`people.person.sectors.${person.sector}`).toLowerCase())
  parts.push(tie ? tieWord(tie, words) : t('mapText.noTie', { name: clientName(content, words) }))
  const help = tie ? helpSentence(tie, words) : null
  return [`${parts.join(', ')}.`, help].filter(Boolean).join(' ')
}

function relationMap(content: AtlasContent, words: Words): MapText {
  const { t } = words
  const roles = familyRoles(content)
  const clientId = content.client?.id
  const onMap = content.persons.filter((p) => p.maps.includes('relatiekaart') && p.id !== clientId)
  const rings: Array<Closeness | null> = [...CLOSENESS, null]
  const sections: MapTextSection[] = []
  for (const ring of rings) {
    const inRing = onMap
      .filter((p) => p.closeness === ring)
      .sort((a, b) => sectorOrder(a) - sectorOrder(b))
    if (inRing.length === 0) continue
    sections.push({
      heading: t(`mapText.rings.${ring ?? 'none'}`),
      lines: inRing.map((p) => relationMapLine(p, content, roles, words)),
    })
  }
  const others = content.relations.filter(
    (r) => r.map === 'relatiekaart' && r.from.id !== clientId && r.to.id !== clientId,
  )
  if (others.length > 0) {
    sections.push({
      heading: t('mapText.otherLines'),
      lines: others.map((r) =>
        [
          t('mapText.line', {
            a: nameOf(r.from, words),
            b: nameOf(r.to, words),
            kind: tieWord(r, words),
          }),
          helpSentence(r, words),
        ]
          .filter(Boolean)
          .join(' '),
      ),
    })
  }
  const centre = content.client?.maps.includes('relatiekaart')
    ? [t('mapText.centre', { name: clientName(content, words) })]
    : []
  return {
    title: title(content, 'relatiekaart', words),
    intro: [
      ...centre,
      onMap.length > 0 ? t('mapText.people', { count: onMap.length }) : t('mapText.nobody'),
    ],
    sections,
  }
}

function familyLine(
  person: ContentPerson,
  content: AtlasContent,
  roles: Map<string, FamilyRole>,
  words: Words,
): string {
  const { t } = words
  const role = roles.get(person.id)
  const parts = [nameOf(person, words)]
  if (role) parts.push(t(`mapText.roles.${role}`))
  if (person.birthYear !== null) parts.push(t('mapText.born', { year: person.birthYear }))
  if (person.deceased) parts.push(t('mapText.deceased'))
  const sentences = [`${parts.join(', ')}.`]
  const ties = content.relations.filter((r) => r.family && r.map === 'familiekaart')
  const parents = ties
    .filter((r) => r.kind === 'parent-child' && r.to.id === person.id)
    .map((r) => r.from)
  if (parents.length > 0) sentences.push(t('mapText.childOf', { names: names(parents, words) }))
  for (const r of ties) {
    if (r.kind === 'parent-child') continue
    const other = r.from.id === person.id ? r.to : r.to.id === person.id ? r.from : null
    if (!other) continue
    sentences.push(
      t(`mapText.familyTies.${r.kind as (typeof PARTNER_KINDS)[number] & 'married'}`, {
        name: nameOf(other, words),
      }),
    )
  }
  return sentences.join(' ')
}

function generationHeading(generation: number, content: AtlasContent, { t }: Words): string {
  switch (generation) {
    case -2:
      return t('mapText.generations.grandparents')
    case -1:
      return t('mapText.generations.parents')
    case 0:
      return t('mapText.generations.client', {
        name: content.client?.name.trim() || t('mapText.theClient'),
      })
    case 1:
      return t('mapText.generations.children')
    case 2:
      return t('mapText.generations.grandchildren')
    default:
      return generation < 0
        ? t('mapText.generations.higher', { count: -generation })
        : t('mapText.generations.lower', { count: generation })
  }
}

function familyMap(content: AtlasContent, words: Words): MapText {
  const { t } = words
  const roles = familyRoles(content)
  const generation = generations(content)
  const onMap = content.persons.filter((p) => p.maps.includes('familiekaart'))
  const levels = [
    ...new Set(onMap.map((p) => generation.get(p.id)).filter((g) => g !== undefined)),
  ].sort((a, b) => a - b)
  const byBirth = (a: ContentPerson, b: ContentPerson) =>
    (a.birthYear ?? Number.POSITIVE_INFINITY) - (b.birthYear ?? Number.POSITIVE_INFINITY)
  const sections: MapTextSection[] = levels.map((level) => ({
    heading: generationHeading(level, content, words),
    lines: onMap
      .filter((p) => generation.get(p.id) === level)
      .sort(byBirth)
      .map((p) => familyLine(p, content, roles, words)),
  }))
  const apart = onMap.filter((p) => !generation.has(p.id))
  if (apart.length > 0) {
    sections.push({
      heading: t('mapText.generations.apart', { name: clientName(content, words) }),
      lines: apart.map((p) => familyLine(p, content, roles, words)),
    })
  }
  return {
    title: title(content, 'familiekaart', words),
    intro: [onMap.length > 0 ? t('mapText.people', { count: onMap.length }) : t('mapText.nobody')],
    sections,
  }
}

/** One event in words: when, what, high or low point, what happened, with whom, what helped. */
export function eventLine(event: ContentEvent, words: Words): string {
  const { t } = words
  const sentences = [
    `${capitalised(spokenDate(event.date, words.language))}: ${event.title.trim() || t('maps.event.untitled')}.`,
    `${t(`maps.event.${event.mood}`)}.`,
  ]
  if (event.description.trim()) sentences.push(event.description.trim())
  if (event.persons.length > 0)
    sentences.push(t('mapText.eventWith', { names: names(event.persons, words) }))
  if (event.helped.trim()) sentences.push(t('mapText.eventHelped', { text: event.helped.trim() }))
  return sentences.join(' ')
}

function eventsMap(content: AtlasContent, words: Words): MapText {
  const { t } = words
  const { events } = content
  return {
    title: title(content, 'gebeurteniskaart', words),
    intro: [
      events.length > 0 ? t('mapText.events', { count: events.length }) : t('mapText.noEvents'),
    ],
    sections:
      events.length > 0
        ? [{ heading: t('mapText.eventsHeading'), lines: events.map((e) => eventLine(e, words)) }]
        : [],
  }
}

function poster(content: AtlasContent, words: Words): MapText {
  const { t } = words
  const text = (value: string) => value.trim() || t('maps.poster.empty')
  return {
    title: title(content, 'basisposter', words),
    intro: [],
    sections: [
      { heading: t('maps.poster.story'), lines: [text(content.poster.story)] },
      { heading: t('maps.poster.goesWell'), lines: [text(content.poster.goesWell)] },
      { heading: t('maps.poster.wishes'), lines: [text(content.poster.wishes)] },
      {
        heading: t('maps.poster.questions'),
        lines:
          content.questions.length > 0
            ? content.questions.map((q) => q.text.trim() || t('maps.poster.empty'))
            : [t('maps.poster.noQuestions')],
      },
    ],
  }
}

function contactSchedule(content: AtlasContent, words: Words): MapText {
  const { t } = words
  const count = content.contacts.length
  return {
    title: title(content, 'contactschema', words),
    intro: [count > 0 ? t('mapText.contacts', { count }) : t('mapText.noContacts')],
    sections: [],
  }
}

/**
 * An instrument of the atlas in words, from its structured content (never from the drawing):
 * the relationship map by ring, with each person's family role, sector, tie with the client and
 * who helps whom; the family map by generation, with its ties; the events by date; the poster's
 * texts and questions. The contact schedule is a table already: its text says so.
 */
export function describeMap(content: AtlasContent, instrument: Instrument, words: Words): MapText {
  switch (instrument) {
    case 'relatiekaart':
      return relationMap(content, words)
    case 'familiekaart':
      return familyMap(content, words)
    case 'gebeurteniskaart':
      return eventsMap(content, words)
    case 'basisposter':
      return poster(content, words)
    case 'contactschema':
      return contactSchedule(content, words)
  }
}

/** A map in words as one text to read aloud: its title, overview, and each part with its heading. */
export function mapTextToSpeech(text: MapText): string {
  const end = (s: string) => (/[.!?:]$/.test(s) ? s : `${s}.`)
  return [
    end(text.title),
    ...text.intro.map(end),
    ...text.sections.flatMap((s) => [end(s.heading), ...s.lines.map(end)]),
  ].join(' ')
}

/** What is chosen on the canvas, as the content knows it. */
export type Chosen =
  | { type: 'person'; personId: string }
  | { type: 'relation'; id: string }
  | { type: 'event'; id: string }

/**
 * A chosen person, relation or event in a few words ("Ria, moeder, binnenste ring"), or null when
 * the content does not (yet) hold it. On the relationship map a person's ring is said too.
 */
export function describeChosen(
  chosen: Chosen,
  content: AtlasContent,
  instrument: Instrument | null,
  words: Words,
): string | null {
  const { t } = words
  if (chosen.type === 'person') {
    const person = content.persons.find((p) => p.id === chosen.personId)
    if (!person) return null
    const role = familyRoles(content).get(person.id)
    const parts = [nameOf(person, words)]
    if (role) parts.push(t(`mapText.roles.${role}`))
    if (instrument === 'relatiekaart' && person.closeness)
      parts.push(t(`mapText.ringShort.${person.closeness}`))
    if (instrument === 'relatiekaart' && person.sector)
      parts.push(t(`people.person.sectors.${person.sector}`).toLowerCase())
    return parts.join(', ')
  }
  if (chosen.type === 'relation') {
    const relation = content.relations.find((r) => r.id === chosen.id)
    if (!relation) return null
    const what = t('mapText.relation', {
      a: nameOf(relation.from, words),
      b: nameOf(relation.to, words),
    })
    return `${what}, ${tieWord(relation, words)}`
  }
  const event = content.events.find((e) => e.id === chosen.id)
  if (!event) return null
  const what = t('mapText.event', { title: event.title.trim() || t('maps.event.untitled') })
  return `${what}, ${spokenDate(event.date, words.language)}`
}
