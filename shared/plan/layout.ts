/**
 * The plan document: one Y.Doc per atlas beside the atlas document, on its own sync room
 * (`/sync/<id>/plan`), so the server can give or withhold it as a whole. Both ends and the tests
 * name its top-level types through these constants only. Persons are referred to by the ids of
 * the atlas's person records; the plan's headings are the atlas's question records, by id.
 *
 * - `agreements`: Y.Map agreement id → Y.Map of the agreement's fields (`AGREEMENT_TEXT_FIELDS`
 *   are Y.Text, `who` a Y.Array of person ids, the rest plain JSON).
 * - `meeting`: Y.Map with `step` (a `MeetingStep`); `meeting-present` (Y.Map person id → true) and
 *   `meeting-expectations` (Y.Map person id → Y.Text).
 * - `basisteam`: Y.Map with `firstMeeting` (ISO date or null); `basisteam-members` (Y.Map person id
 *   → the member's details, or `true` as first written); the meetings, their notes and the status
 *   history are in basisteam.ts.
 * Sets and maps that two devices may fill at once are top-level types of their own: a map made
 * inside another on two devices at once would keep only one device's entries.
 * - `server`: Y.Map written by the server only: `piketpaaltjes`, `approvals` (JSON arrays, see
 *   shared/api/plan.ts) and `privateTime` (`{ on, since }`). A client's change to it is undone.
 */
import * as Y from 'yjs'
import { z } from 'zod'
import { Approval, Piketpaaltje } from '../api/plan'

/** Top-level Y.Map of the agreements, keyed by agreement id. */
export const AGREEMENTS_KEY = 'agreements'
/** Top-level Y.Map of the meeting's state. */
export const MEETING_KEY = 'meeting'
/** Top-level Y.Map: who is at the meeting (person id → true). */
export const MEETING_PRESENT_KEY = 'meeting-present'
/** Top-level Y.Map: what each person hopes for from the meeting (person id → Y.Text). */
export const MEETING_EXPECTATIONS_KEY = 'meeting-expectations'
/** Top-level Y.Map of the basisteam formed at the end of the meeting. */
export const BASISTEAM_KEY = 'basisteam'
/** Top-level Y.Map: the basisteam's members (person id → details, see basisteam.ts). */
export const BASISTEAM_MEMBERS_KEY = 'basisteam-members'
/** Top-level Y.Map that only the server writes. */
export const SERVER_KEY = 'server'

/** The top-level types a plan document may hold. */
export const PLAN_ROOTS = [
  AGREEMENTS_KEY,
  MEETING_KEY,
  MEETING_PRESENT_KEY,
  MEETING_EXPECTATIONS_KEY,
  BASISTEAM_KEY,
  BASISTEAM_MEMBERS_KEY,
  // The basisteam's meetings, who was there, their notes and the status history (basisteam.ts).
  'basisteam-meetings',
  'basisteam-present',
  'basisteam-notes',
  'agreement-status-log',
  SERVER_KEY,
] as const

/** The steps of the meedenkbijeenkomst, in order. */
export const MEETING_STEPS = [
  'welcome',
  'introductions',
  'questions',
  'information',
  'private-time',
  'presentation',
  'basisteam',
] as const
export const MeetingStep = z.enum(MEETING_STEPS)
export type MeetingStep = z.infer<typeof MeetingStep>

/** How often an agreement happens. */
export const AgreementFrequency = z.enum(['once', 'daily', 'weekly', 'monthly', 'yearly'])
export type AgreementFrequency = z.infer<typeof AgreementFrequency>

/** How an agreement is going (kept by the basisteam). */
export const AgreementStatus = z.enum(['on-track', 'attention', 'done', 'stopped'])
export type AgreementStatus = z.infer<typeof AgreementStatus>

/** The agreement fields that are long texts: Y.Text, merged character by character. */
export const AGREEMENT_TEXT_FIELDS = ['what', 'where', 'when', 'how', 'fallback', 'note'] as const
export type AgreementTextField = (typeof AGREEMENT_TEXT_FIELDS)[number]

/** One agreement (afspraak) under a question of the plan, as plain values. */
export const Agreement = z.object({
  id: z.string(),
  /** The atlas question record it answers (`question:…`). */
  questionId: z.string(),
  /** Order among the agreements of its question (fractional index). */
  index: z.string(),
  what: z.string(),
  /** Person ids of the atlas: who does it. */
  who: z.array(z.string()),
  where: z.string(),
  /** When or how often, in words ("elke zondag na het eten"). */
  when: z.string(),
  /** A date (YYYY-MM-DD) it starts or happens, if any. */
  date: z.string().nullable(),
  frequency: AgreementFrequency.nullable(),
  how: z.string(),
  /** What happens if it does not work out. */
  fallback: z.string(),
  /** Person id of the backup person. */
  backupPersonId: z.string().nullable(),
  status: AgreementStatus.nullable(),
  note: z.string(),
  createdAt: z.string(),
})
export type Agreement = z.infer<typeof Agreement>

/** What is wrong with a plan entry; a name for the log and the close reason, never the content. */
export type PlanProblem =
  | 'unknown-root'
  | 'no-key'
  | 'key-too-long'
  | 'unknown-field'
  | 'wrong-kind'
  | 'invalid-value'
  | 'too-long'

/** How strict a check is: `write` for what a client sends, `read` for what a device shows. */
export type PlanStrictness = 'write' | 'read'

/** The longest id or key a plan holds (ids of the atlas are far shorter). */
export const MAX_PLAN_KEY = 300
/** The longest long text (an agreement's words, a note, an expectation), in characters. */
export const MAX_PLAN_TEXT = 50_000
/** The most persons one agreement lists as `who`. */
const MAX_WHO = 500

/** An id or key of the plan. */
export const PlanId = z.string().min(1).max(MAX_PLAN_KEY)
/** A date (YYYY-MM-DD). */
export const DateOnly = z.string().regex(/^\d{4,6}-\d{2}-\d{2}$/)
/** A moment as an ISO 8601 string. */
export const Timestamp = z.string().max(64)

/** How one field (or one entry) of a plan must look; returns the problem or null. */
export type Rule = (value: unknown, strictness: PlanStrictness) => PlanProblem | null

/** A plain JSON value (no Yjs type) that fits `schema`. */
export const plainValue =
  (schema: z.ZodType<unknown>): Rule =>
  (value) => {
    if (value instanceof Y.AbstractType || value instanceof Uint8Array) return 'wrong-kind'
    return schema.safeParse(value).success ? null : 'invalid-value'
  }

/** A long text: a Y.Text of characters only (an older version stored a plain string). */
export const longText: Rule = (value, strictness) => {
  if (typeof value === 'string' && strictness === 'read') {
    return value.length > MAX_PLAN_TEXT ? 'too-long' : null
  }
  if (!(value instanceof Y.Text)) return 'wrong-kind'
  if (value.length > MAX_PLAN_TEXT) return 'too-long'
  for (let item = value._start; item !== null; item = item.right) {
    // Formatting marks are harmless; embeds and nested types are no text of ours.
    if (!item.deleted && !(item.content instanceof Y.ContentString)) {
      if (!(item.content instanceof Y.ContentFormat)) return 'wrong-kind'
    }
  }
  return null
}

const personList: Rule = (value) => {
  if (!(value instanceof Y.Array)) return 'wrong-kind'
  if (value.length > MAX_WHO) return 'too-long'
  for (const id of value.toArray()) {
    if (typeof id !== 'string') return 'wrong-kind'
    if (!PlanId.safeParse(id).success) return 'invalid-value'
  }
  return null
}

/** How each field of an agreement's map must look. */
export const AGREEMENT_FIELDS: Record<string, Rule> = {
  questionId: plainValue(PlanId),
  index: plainValue(PlanId),
  who: personList,
  date: plainValue(DateOnly.nullable()),
  frequency: plainValue(AgreementFrequency.nullable()),
  backupPersonId: plainValue(PlanId.nullable()),
  status: plainValue(AgreementStatus.nullable()),
  createdAt: plainValue(Timestamp),
  ...Object.fromEntries(AGREEMENT_TEXT_FIELDS.map((field) => [field, longText])),
}

/**
 * The first field of a map entry (an agreement, a basisteam meeting) that does not fit `rules`:
 * every field, or only `fields` (the ones a change touched). Unknown fields are refused for a
 * write and passed over for reading (a newer version's).
 */
export function fieldsIssue(
  map: Y.Map<unknown>,
  rules: Record<string, Rule>,
  strictness: PlanStrictness,
  fields?: Iterable<string | null>,
): { field?: string; problem: PlanProblem } | null {
  // A map's list items (no key) are invisible to every reader and no client of ours writes one.
  if (map._start !== null) return { problem: 'no-key' }
  for (const field of fields ?? map.keys()) {
    if (field === null) return { problem: 'no-key' }
    const rule = rules[field]
    if (!rule) {
      if (strictness === 'read' || !map.has(field)) continue
      return { field, problem: 'unknown-field' }
    }
    const current = map.get(field)
    if (current === undefined) continue
    const problem = rule(current, strictness)
    if (problem) return { field, problem }
  }
  return null
}

/** Privétijd as the server mirrors it into the plan. */
export const PrivateTimeState = z.object({ on: z.boolean(), since: z.string().nullable() })
export type PrivateTimeState = z.infer<typeof PrivateTimeState>

/** What the server writes into the plan. */
export interface ServerPart {
  piketpaaltjes: Piketpaaltje[]
  approvals: Approval[]
  privateTime: PrivateTimeState
}

/** The whole plan document as plain values. */
export interface PlanContent {
  agreements: Agreement[]
  meeting: { step: MeetingStep; present: string[]; expectations: Record<string, string> }
  basisteam: { members: string[]; firstMeeting: string | null }
  server: ServerPart
}

function plain(value: unknown): unknown {
  return value instanceof Y.AbstractType ? value.toJSON() : value
}

/** The keys of a map whose values pass `fits` (what does not fit is left out), sorted. */
function keysOf(map: Y.Map<unknown>, fits: (value: unknown) => boolean): string[] {
  return [...map.entries()]
    .filter(([, value]) => fits(value))
    .map(([key]) => key)
    .sort()
}

function arrayOf<T>(schema: z.ZodType<T>, value: unknown): T[] {
  const parsed = z.array(schema).safeParse(plain(value))
  return parsed.success ? parsed.data : []
}

/**
 * Reads the server's part of a plan; anything missing or malformed reads as empty, so a view
 * never breaks on what a document holds.
 */
export function readServerPart(doc: Y.Doc): ServerPart {
  const server = doc.getMap(SERVER_KEY)
  const privateTime = PrivateTimeState.safeParse(plain(server.get('privateTime')))
  return {
    piketpaaltjes: arrayOf(Piketpaaltje, server.get('piketpaaltjes')),
    approvals: arrayOf(Approval, server.get('approvals')),
    privateTime: privateTime.success ? privateTime.data : { on: false, since: null },
  }
}

/** Reads one agreement map; fields that are missing or malformed read as empty. */
export function readAgreement(id: string, fields: Y.Map<unknown>): Agreement {
  const json = fields.toJSON() as Record<string, unknown>
  const text = (key: string) => (typeof json[key] === 'string' ? (json[key] as string) : '')
  const orNull = <T>(schema: z.ZodType<T>, value: unknown): T | null => {
    const parsed = schema.safeParse(value)
    return parsed.success ? parsed.data : null
  }
  return {
    id,
    questionId: text('questionId'),
    index: text('index') || 'a0',
    what: text('what'),
    who: arrayOf(z.string(), json.who),
    where: text('where'),
    when: text('when'),
    date: orNull(z.string().regex(/^\d{4}-\d{2}-\d{2}$/), json.date),
    frequency: orNull(AgreementFrequency, json.frequency),
    how: text('how'),
    fallback: text('fallback'),
    backupPersonId: orNull(z.string(), json.backupPersonId),
    status: orNull(AgreementStatus, json.status),
    note: text('note'),
    createdAt: text('createdAt'),
  }
}

/** The agreements of a plan that fit its layout, in order of their index (then id). */
export function readAgreements(doc: Y.Doc): Agreement[] {
  const out: Agreement[] = []
  for (const [id, fields] of doc.getMap(AGREEMENTS_KEY).entries()) {
    // One stored before the server checked the plan, of a kind no version writes: left out
    // (`planIssues` counts it), so every reader on both ends shows and hashes the same plan.
    if (fields instanceof Y.Map && !fieldsIssue(fields, AGREEMENT_FIELDS, 'read')) {
      out.push(readAgreement(id, fields))
    }
  }
  return out.sort((a, b) =>
    a.index === b.index ? (a.id < b.id ? -1 : 1) : a.index < b.index ? -1 : 1,
  )
}

/** The whole plan as plain values. */
export function readPlan(doc: Y.Doc): PlanContent {
  const meeting = doc.getMap(MEETING_KEY)
  const step = MeetingStep.safeParse(meeting.get('step'))
  const expectations: Record<string, string> = {}
  for (const [id, value] of doc.getMap(MEETING_EXPECTATIONS_KEY).entries()) {
    const text = plain(value)
    if (typeof text === 'string') expectations[id] = text
  }
  const basisteam = doc.getMap(BASISTEAM_KEY)
  const firstMeeting = basisteam.get('firstMeeting')
  return {
    agreements: readAgreements(doc),
    meeting: {
      step: step.success ? step.data : 'welcome',
      present: keysOf(doc.getMap(MEETING_PRESENT_KEY), (value) => value === true),
      expectations,
    },
    basisteam: {
      // A member with details that do not fit still is one (basisteam.ts reads them as empty).
      members: keysOf(doc.getMap(BASISTEAM_MEMBERS_KEY), () => true),
      firstMeeting: typeof firstMeeting === 'string' ? firstMeeting : null,
    },
    server: readServerPart(doc),
  }
}

/** A question of the plan: the atlas's question record, by id, with its text. */
export interface PlanQuestion {
  id: string
  text: string
}

/**
 * The plan's content as one canonical string: the questions in order with their agreements in
 * order, then agreements whose question is gone; only what the plan says (not status or notes). Its SHA-256 (hex) is the `planHash`
 * that ties an approval to the plan that was presented; both ends hash this same string.
 */
export function planHashInput(questions: PlanQuestion[], agreements: Agreement[]): string {
  const content = (list: Agreement[]) =>
    list.map((a) => [
      a.id,
      a.what,
      a.who,
      a.where,
      a.when,
      a.date,
      a.frequency,
      a.how,
      a.fallback,
      a.backupPersonId,
    ])
  const known = new Set(questions.map((q) => q.id))
  return JSON.stringify({
    questions: questions.map((q) => ({
      question: q.id,
      text: q.text,
      agreements: content(agreements.filter((a) => a.questionId === q.id)),
    })),
    // Agreements whose question is gone from the basisposter are still part of the plan.
    other: content(agreements.filter((a) => !known.has(a.questionId))),
  })
}
