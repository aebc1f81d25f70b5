/**
 * Versions of the plan: what the plan said at the end of a meeting, kept as an explicit record
 * (plain, validated values with the names of the people copied in as they were then), so looking
 * back never depends on the plan document's history or on today's atlas. Comparing two versions
 * says which agreements were added, removed, changed or stopped, and whose status moved.
 */
import { z } from 'zod'
import {
  type Agreement,
  AgreementFrequency,
  AgreementStatus,
  type PlanQuestion,
  planHashInput,
} from './layout'

/** A person as a version names him: the atlas id and the name he had then. */
export const VersionPerson = z.object({ id: z.string(), name: z.string() })
export type VersionPerson = z.infer<typeof VersionPerson>

/** An agreement as a version keeps it. */
export const VersionAgreement = z.object({
  id: z.string(),
  questionId: z.string(),
  what: z.string(),
  who: z.array(VersionPerson),
  where: z.string(),
  when: z.string(),
  date: z.string().nullable(),
  frequency: AgreementFrequency.nullable(),
  how: z.string(),
  fallback: z.string(),
  backup: VersionPerson.nullable(),
  status: AgreementStatus.nullable(),
  note: z.string(),
})
export type VersionAgreement = z.infer<typeof VersionAgreement>

/** What a version holds: the plan's words, in order, with names as they were. */
export const PlanVersionContent = z.object({
  /** The client's name then. */
  client: z.string(),
  questions: z.array(z.object({ id: z.string(), text: z.string() })),
  agreements: z.array(VersionAgreement),
})
export type PlanVersionContent = z.infer<typeof PlanVersionContent>

/**
 * The content of a version from the plan as it is now. `nameOf` gives a person's current name,
 * or null for an id the atlas does not hold (kept as an empty name: the view says "onbekend").
 */
export function versionContent(
  client: string,
  questions: PlanQuestion[],
  agreements: Agreement[],
  nameOf: (personId: string) => string | null,
): PlanVersionContent {
  const person = (id: string): VersionPerson => ({ id, name: nameOf(id) ?? '' })
  return {
    client,
    questions: questions.map(({ id, text }) => ({ id, text })),
    agreements: agreements.map((a) => ({
      id: a.id,
      questionId: a.questionId,
      what: a.what,
      who: a.who.map(person),
      where: a.where,
      when: a.when,
      date: a.date,
      frequency: a.frequency,
      how: a.how,
      fallback: a.fallback,
      backup: a.backupPersonId ? person(a.backupPersonId) : null,
      status: a.status,
      note: a.note,
    })),
  }
}

/**
 * The `planHashInput` of a version's content: the same canonical string the plan's approvals
 * are tied to, so an approval can name the version it was given on.
 */
export function versionHashInput(content: PlanVersionContent): string {
  return planHashInput(
    content.questions,
    content.agreements.map((a, i) => ({
      ...a,
      index: String(i).padStart(6, '0'),
      who: a.who.map((p) => p.id),
      backupPersonId: a.backup?.id ?? null,
      createdAt: '',
    })),
  )
}

/** The fields of an agreement that say what was agreed (status and note are not among them). */
export const AGREEMENT_CONTENT_FIELDS = [
  'questionId',
  'what',
  'who',
  'where',
  'when',
  'date',
  'frequency',
  'how',
  'fallback',
  'backup',
] as const
export type AgreementContentField = (typeof AGREEMENT_CONTENT_FIELDS)[number]

/** What differs between two versions of the plan. */
export interface VersionDiff {
  /** In the later version only. */
  added: VersionAgreement[]
  /** In the earlier version only (deleted from the plan). */
  removed: VersionAgreement[]
  /** Stopped between the two: the status became "gestopt". */
  stopped: VersionAgreement[]
  /** What was agreed changed: the fields that differ, with both sides. */
  changed: { before: VersionAgreement; after: VersionAgreement; fields: AgreementContentField[] }[]
  /** The status moved (also for stopped ones). */
  statusChanged: {
    agreement: VersionAgreement
    from: AgreementStatus | null
    to: AgreementStatus | null
  }[]
}

// People are compared by id: a person renamed between two meetings is the same person, and the
// names each version shows are the names it kept.
function sameField(a: VersionAgreement, b: VersionAgreement, field: AgreementContentField) {
  if (field === 'who')
    return a.who.map((p) => p.id).join('\n') === b.who.map((p) => p.id).join('\n')
  if (field === 'backup') return (a.backup?.id ?? null) === (b.backup?.id ?? null)
  return a[field] === b[field]
}

/** What changed from `before` to `after`, in the order of the later version. */
export function compareVersions(
  before: PlanVersionContent,
  after: PlanVersionContent,
): VersionDiff {
  const earlier = new Map(before.agreements.map((a) => [a.id, a]))
  const later = new Set(after.agreements.map((a) => a.id))
  const diff: VersionDiff = { added: [], removed: [], stopped: [], changed: [], statusChanged: [] }
  for (const b of after.agreements) {
    const a = earlier.get(b.id)
    if (!a) {
      diff.added.push(b)
      continue
    }
    const fields = AGREEMENT_CONTENT_FIELDS.filter((f) => !sameField(a, b, f))
    if (fields.length > 0) diff.changed.push({ before: a, after: b, fields })
    if (a.status !== b.status) {
      diff.statusChanged.push({ agreement: b, from: a.status, to: b.status })
      if (b.status === 'stopped') diff.stopped.push(b)
    }
  }
  diff.removed = before.agreements.filter((a) => !later.has(a.id))
  return diff
}
