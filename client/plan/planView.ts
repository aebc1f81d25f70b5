/**
 * The plan as its screens show it, from the atlas (questions, persons) and the plan document
 * (agreements, piketpaaltjes, approvals): pure functions, shared by the plan screen, the
 * presentation and the printed plan.
 */
import type {
  Agreement,
  AgreementFrequency,
  PlanQuestion,
  ServerPart,
} from '../../shared/plan/layout'
import type { Pictogram } from '../../shared/schema/person'

/** A person of the atlas as the plan shows him. */
export interface PlanPerson {
  id: string
  name: string
  pictogram: Pictogram | null
  photo: string | null
  isClient: boolean
}

/** A question of the plan with its sort key (the basisposter's order). */
export interface PlanHeading extends PlanQuestion {
  index: string
}

/** Everything the plan's screens show. */
export interface PlanView {
  /** Whose plan it is: the client's name, else the atlas's title. */
  name: string
  /** The basisposter's questions, in their order. */
  questions: PlanHeading[]
  agreements: Agreement[]
  /** The persons of the atlas, the client first, then by name. */
  persons: PlanPerson[]
  server: ServerPart
}

/** The server's part of a plan before the plan document is read. */
export const EMPTY_SERVER_PART: ServerPart = {
  piketpaaltjes: [],
  approvals: [],
  privateTime: { on: false, since: null },
}

/** A heading of the plan with its agreements; `question` null for agreements whose question is gone. */
export interface PlanSection {
  question: PlanHeading | null
  /** Its place among the questions (1, 2, …); 0 for the other agreements. */
  n: number
  agreements: Agreement[]
}

/**
 * The plan grouped by question, in the basisposter's order; agreements whose question is no longer
 * on the basisposter come last, in one section of their own (only when there are any).
 */
export function planSections(questions: PlanHeading[], agreements: Agreement[]): PlanSection[] {
  const known = new Set(questions.map((q) => q.id))
  const sections: PlanSection[] = questions.map((question, i) => ({
    question,
    n: i + 1,
    agreements: agreements.filter((a) => a.questionId === question.id),
  }))
  const other = agreements.filter((a) => !known.has(a.questionId))
  if (other.length > 0) sections.push({ question: null, n: 0, agreements: other })
  return sections
}

/** Whether a person does an agreement or is its backup: "my agreements". */
export function concerns(agreement: Agreement, personId: string): boolean {
  return agreement.who.includes(personId) || agreement.backupPersonId === personId
}

/**
 * Only the agreements that concern `personId`. Every question stays (an agreement for him can
 * still be added under it); "other agreements" only when any concern him.
 */
export function sectionsFor(sections: PlanSection[], personId: string): PlanSection[] {
  return sections
    .map((s) => ({ ...s, agreements: s.agreements.filter((a) => concerns(a, personId)) }))
    .filter((s) => s.question !== null || s.agreements.length > 0)
}

/**
 * The person of the atlas a device's user is, by the name he gave on this device ("Jouw naam"):
 * the one person with that name (case and accents aside), or null when none or several have it.
 */
export function personForName(persons: PlanPerson[], name: string): PlanPerson | null {
  const wanted = name.trim()
  if (!wanted) return null
  const same = new Intl.Collator('nl', { sensitivity: 'base' })
  const found = persons.filter((p) => same.compare(p.name.trim(), wanted) === 0)
  return found.length === 1 ? (found[0] ?? null) : null
}

/** An agreement says nobody who does it. */
export function needsWho(agreement: Agreement): boolean {
  return agreement.who.length === 0
}

/** An agreement says neither when (in words or as a date) nor how often. */
export function needsWhen(agreement: Agreement): boolean {
  return agreement.when.trim() === '' && agreement.date === null && agreement.frequency === null
}

/** A person named by id in the plan: the atlas's person, or null when the atlas has none with that id. */
export function personById(persons: PlanPerson[], id: string): PlanPerson | null {
  return persons.find((p) => p.id === id) ?? null
}

/** Words the plan needs to say who and when in plain language. */
export interface PlanWords {
  unknown: string
  unnamed: string
  and: (names: string[]) => string
  frequency: Record<AgreementFrequency, string>
  onDate: (date: string) => string
}

/** How a person is called in the plan: his name, "zonder naam", or "onbekend" for an id the atlas lacks. */
export function personName(persons: PlanPerson[], id: string, words: PlanWords): string {
  const person = personById(persons, id)
  if (!person) return words.unknown
  return person.name.trim() || words.unnamed
}

/** Who does an agreement, as one phrase ("Ria en Kees"); empty when nobody. */
export function whoWords(agreement: Agreement, persons: PlanPerson[], words: PlanWords): string {
  return words.and(agreement.who.map((id) => personName(persons, id, words)))
}

/** When an agreement happens, as one phrase: its words, how often, and its date. */
export function whenWords(agreement: Agreement, words: PlanWords): string {
  const parts = [agreement.when.trim()]
  if (agreement.frequency) parts.push(words.frequency[agreement.frequency])
  if (agreement.date) parts.push(words.onDate(agreement.date))
  return parts.filter((p) => p !== '').join(' · ')
}

/** Whether an approval was given on another plan than the one shown now. */
export function changedSince(approvalHash: string, currentHash: string | null): boolean {
  return currentHash !== null && approvalHash !== currentHash
}

/** A date (YYYY-MM-DD) or a moment (ISO) in the reader's words: "5 december 2025". */
export function formatDate(value: string, language: string, withYear = true): string {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T12:00:00`) : new Date(value)
  if (Number.isNaN(date.getTime())) return value
  return new Intl.DateTimeFormat(language, {
    day: 'numeric',
    month: 'long',
    ...(withYear ? { year: 'numeric' } : {}),
  }).format(date)
}

/** A moment as the plan screen says it: without the year when it is this year's. */
export function shortDate(value: string, language: string, now = new Date()): string {
  const sameYear = value.slice(0, 4) === String(now.getFullYear())
  return formatDate(value, language, !sameYear)
}
