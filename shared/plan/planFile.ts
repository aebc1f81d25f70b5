/**
 * The plan as the atlas file carries it: plain, validated values (never Yjs bytes), so the file
 * stays readable and an import checks every field. `readPlanPart` takes it from a plan document;
 * `writePlanPart` builds a new plan document from it with the same actions the clients use, so
 * the layout is exactly what clients write. The server's part (piketpaaltjes, approvals,
 * privétijd) is not carried: those are statements given on one atlas (docs/atlas-file-format.md).
 */
import * as Y from 'yjs'
import { z } from 'zod'
import {
  addAgreement,
  addWho,
  setAgreementText,
  setAgreementValue,
  setExpectation,
  setFirstMeeting,
  setMeetingStep,
  setPresent,
} from './actions'
import {
  addMeeting,
  BASISTEAM_MEETINGS_KEY,
  BASISTEAM_NOTES_KEY,
  BASISTEAM_PRESENT_KEY,
  BasisteamMeeting,
  BasisteamMember,
  finishMeeting,
  readMeetings,
  readMembers,
  readStatusLog,
  STATUS_LOG_KEY,
  StatusChange,
  setMeetingPresent,
  setMember,
  setNote,
} from './basisteam'
import {
  AGREEMENT_TEXT_FIELDS,
  AGREEMENTS_KEY,
  Agreement,
  AgreementFrequency,
  AgreementStatus,
  MeetingStep,
  readPlan,
} from './layout'

/** Most agreements a plan in an atlas file may hold. */
export const MAX_FILE_AGREEMENTS = 2000
/** Most basisteam meetings a plan in an atlas file may hold. */
export const MAX_FILE_MEETINGS = 1000
/** Most entries of a list in the plan part (present, notes, status changes, members). */
export const MAX_FILE_ENTRIES = 50_000
/** Longest text of one field of the plan (an agreement's text, a note, an expectation). */
export const MAX_PLAN_TEXT_LENGTH = 10_000

// Ids are keys of the plan's maps and parts of composite keys (`<meeting> <person>`): no spaces.
const Id = z
  .string({ error: 'an id must be a string' })
  .regex(/^[^\s]{1,100}$/, 'an id must be 1 to 100 characters without spaces')
const Text = z
  .string({ error: 'a text must be a string' })
  .max(MAX_PLAN_TEXT_LENGTH, `a text must be at most ${MAX_PLAN_TEXT_LENGTH} characters`)
const Time = z
  .string({ error: 'a time must be a string' })
  .max(40)
  .refine((s) => !Number.isNaN(Date.parse(s)), 'a time must be an ISO 8601 date and time')
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date must be YYYY-MM-DD')

/** An agreement as the file carries it (the fields of `Agreement`, bounded). */
export const FileAgreement = Agreement.extend({
  id: Id,
  questionId: z.string().max(200),
  index: z.string().max(200),
  what: Text,
  who: z.array(Id).max(200),
  where: Text,
  when: Text,
  date: Day.nullable(),
  frequency: AgreementFrequency.nullable(),
  how: Text,
  fallback: Text,
  backupPersonId: Id.nullable(),
  status: AgreementStatus.nullable(),
  note: Text,
  createdAt: z.string().max(40),
})

/** The plan part of an atlas file (version 2). */
export const PlanPart = z
  .object({
    agreements: z
      .array(FileAgreement)
      .max(MAX_FILE_AGREEMENTS, `a plan may hold at most ${MAX_FILE_AGREEMENTS} agreements`),
    meeting: z.object({
      step: MeetingStep,
      present: z.array(Id).max(MAX_FILE_ENTRIES),
      expectations: z.array(z.object({ personId: Id, text: Text })).max(MAX_FILE_ENTRIES),
    }),
    basisteam: z.object({
      firstMeeting: Day.nullable(),
      members: z.array(BasisteamMember.extend({ personId: Id })).max(MAX_FILE_ENTRIES),
      meetings: z
        .array(BasisteamMeeting.extend({ id: Id, startsAt: Time, finishedAt: Time.nullable() }))
        .max(MAX_FILE_MEETINGS, `a plan may hold at most ${MAX_FILE_MEETINGS} meetings`),
      present: z.array(z.object({ meetingId: Id, personId: Id })).max(MAX_FILE_ENTRIES),
      notes: z
        .array(
          z.object({
            meetingId: Id,
            agreementId: Id,
            kind: z.enum(['good', 'attention']),
            text: Text,
          }),
        )
        .max(MAX_FILE_ENTRIES),
    }),
    statusLog: z
      .array(StatusChange.extend({ agreementId: Id, at: Time, meetingId: Id.nullable() }))
      .max(MAX_FILE_ENTRIES),
  })
  // Ids are map keys: a second agreement or meeting with one id would replace the first.
  .refine(
    (part) => new Set(part.agreements.map((a) => a.id)).size === part.agreements.length,
    'two agreements share an id',
  )
  .refine(
    (part) =>
      new Set(part.basisteam.meetings.map((m) => m.id)).size === part.basisteam.meetings.length,
    'two meetings share an id',
  )
export type PlanPart = z.infer<typeof PlanPart>

function randomKey(): string {
  const bytes = new Uint8Array(9)
  globalThis.crypto.getRandomValues(bytes)
  return `status:${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')}`
}

function plain(value: unknown): unknown {
  return value instanceof Y.AbstractType ? value.toJSON() : value
}

/** `<a> <b>` keys of a top-level map, split; a key of another shape is left out. */
function pairs(doc: Y.Doc, key: string): [string, string, string | undefined, unknown][] {
  const out: [string, string, string | undefined, unknown][] = []
  for (const [k, value] of doc.getMap(key).entries()) {
    const [a, b, c, ...rest] = k.split(' ')
    if (a && b && rest.length === 0) out.push([a, b, c, plain(value)])
  }
  return out.sort(([a1, b1, c1], [a2, b2, c2]) =>
    `${a1} ${b1} ${c1}` < `${a2} ${b2} ${c2}` ? -1 : 1,
  )
}

/** The plan part of an atlas file, from a plan document (the server's part left out). */
export function readPlanPart(doc: Y.Doc): PlanPart {
  const plan = readPlan(doc)
  return {
    agreements: plan.agreements,
    meeting: {
      step: plan.meeting.step,
      present: plan.meeting.present,
      expectations: Object.entries(plan.meeting.expectations)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([personId, text]) => ({ personId, text })),
    },
    basisteam: {
      firstMeeting: plan.basisteam.firstMeeting,
      members: readMembers(doc),
      meetings: readMeetings(doc),
      present: pairs(doc, BASISTEAM_PRESENT_KEY)
        .filter(([, , third, value]) => third === undefined && value === true)
        .map(([meetingId, personId]) => ({ meetingId, personId })),
      notes: pairs(doc, BASISTEAM_NOTES_KEY).flatMap(([meetingId, agreementId, kind, text]) =>
        (kind === 'good' || kind === 'attention') && typeof text === 'string'
          ? [{ meetingId, agreementId, kind, text }]
          : [],
      ),
    },
    statusLog: readStatusLog(doc),
  }
}

/** Every person id the plan part refers to, each once. */
export function planPartPersonIds(part: PlanPart): Set<string> {
  const ids = new Set<string>()
  for (const a of part.agreements) {
    for (const id of a.who) ids.add(id)
    if (a.backupPersonId) ids.add(a.backupPersonId)
  }
  for (const id of part.meeting.present) ids.add(id)
  for (const e of part.meeting.expectations) ids.add(e.personId)
  for (const m of part.basisteam.members) ids.add(m.personId)
  for (const p of part.basisteam.present) ids.add(p.personId)
  return ids
}

/**
 * Writes a plan part into an empty plan document with the clients' actions. Agreements keep
 * their ids, order (within their question) and creation time; a status change keeps its time
 * and meeting.
 */
export function writePlanPart(doc: Y.Doc, part: PlanPart): void {
  doc.transact(() => {
    for (const a of part.agreements) {
      addAgreement(doc, a.questionId, { id: a.id, what: a.what })
      // Added in the file's order, each after the last of its question: the order is kept
      // without trusting an index string from the file.
      const fields = doc.getMap(AGREEMENTS_KEY).get(a.id) as Y.Map<unknown>
      fields.set('createdAt', a.createdAt)
      for (const field of AGREEMENT_TEXT_FIELDS) {
        if (field !== 'what') setAgreementText(doc, a.id, field, a[field])
      }
      for (const personId of a.who) addWho(doc, a.id, personId)
      setAgreementValue(doc, a.id, 'date', a.date)
      setAgreementValue(doc, a.id, 'frequency', a.frequency)
      setAgreementValue(doc, a.id, 'backupPersonId', a.backupPersonId)
      setAgreementValue(doc, a.id, 'status', a.status)
    }
    setMeetingStep(doc, part.meeting.step)
    for (const personId of part.meeting.present) setPresent(doc, personId, true)
    for (const { personId, text } of part.meeting.expectations) setExpectation(doc, personId, text)
    if (part.basisteam.firstMeeting !== null) setFirstMeeting(doc, part.basisteam.firstMeeting)
    for (const member of part.basisteam.members) setMember(doc, member)
    for (const m of part.basisteam.meetings) {
      addMeeting(doc, m)
      // A meeting that moved keeps its SEQUENCE, so a calendar still moves the same event.
      const fields = doc.getMap(BASISTEAM_MEETINGS_KEY).get(m.id) as Y.Map<unknown>
      if (m.sequence > 0) fields.set('sequence', m.sequence)
      if (m.finishedAt !== null) finishMeeting(doc, m.id, new Date(m.finishedAt))
    }
    for (const { meetingId, personId } of part.basisteam.present) {
      setMeetingPresent(doc, meetingId, personId, true)
    }
    for (const n of part.basisteam.notes) setNote(doc, n.meetingId, n.agreementId, n.kind, n.text)
    // The history as it was: replaying it through setStatus would drop a repeated status.
    const log = doc.getMap<StatusChange>(STATUS_LOG_KEY)
    for (const change of part.statusLog) log.set(randomKey(), change)
  })
}
