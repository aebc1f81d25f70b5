/**
 * The basisteam in the plan document: its members (persons of the atlas, with a role in the team
 * and how to reach them), its meetings (time in UTC, place, who was there, what goes well and what
 * needs attention per agreement) and the history of each agreement's status. Pure functions on the
 * Y.Doc, like actions.ts. What two devices may fill at once lives in top-level types keyed by
 * meeting (and person or agreement), never in a map made inside another on two devices.
 * Versions of the plan are not here: the server keeps them as records (see versions.ts).
 */
import * as Y from 'yjs'
import { z } from 'zod'
import { rescheduled } from '../calendar/ics'
import { setText } from '../sync/text'
import { AGREEMENTS_KEY, type Agreement, AgreementStatus, BASISTEAM_MEMBERS_KEY } from './layout'

/** Top-level Y.Map of the basisteam's meetings: meeting id → Y.Map of its fields. */
export const BASISTEAM_MEETINGS_KEY = 'basisteam-meetings'
/** Top-level Y.Map: who was at a meeting (`<meeting id> <person id>` → true). */
export const BASISTEAM_PRESENT_KEY = 'basisteam-present'
/** Top-level Y.Map of the review notes (`<meeting id> <agreement id> good|attention` → Y.Text). */
export const BASISTEAM_NOTES_KEY = 'basisteam-notes'
/**
 * Top-level Y.Map: every status change of an agreement (random key → change). A map, not an
 * array, because the server knows every plan root as a map; appends from two devices both stay.
 */
export const STATUS_LOG_KEY = 'agreement-status-log'

/** How a member likes to be reached. */
export const ContactRoute = z.enum(['call', 'app', 'mail', 'visit'])
export type ContactRoute = z.infer<typeof ContactRoute>

/** A member of the basisteam: a person of the atlas. */
export const BasisteamMember = z.object({
  personId: z.string(),
  /** What he does in the team, in words ("voorzitter", "houdt de datum bij"). */
  teamRole: z.string().max(200),
  contact: ContactRoute.nullable(),
  /** How to reach him, in his words ("belt liever na zessen"). */
  contactNote: z.string().max(500),
  /** A professional (job coach, care agency): never part of the network itself. */
  professional: z.boolean(),
})
export type BasisteamMember = z.infer<typeof BasisteamMember>

const MemberDetails = BasisteamMember.omit({ personId: true })
type MemberDetails = z.infer<typeof MemberDetails>

const NO_DETAILS: MemberDetails = {
  teamRole: '',
  contact: null,
  contactNote: '',
  professional: false,
}

/** A basisteam meeting. */
export const BasisteamMeeting = z.object({
  id: z.string(),
  /** Start, UTC ISO 8601 (shown in Dutch local time). */
  startsAt: z.string(),
  minutes: z.number().int().min(15).max(600),
  /** Raised each time the start moves (the calendar event's SEQUENCE). */
  sequence: z.number().int().min(0),
  /** Where, in words; empty when online. */
  place: z.string().max(300),
  online: z.boolean(),
  /** When the team finished the meeting (its version of the plan was kept), or null. */
  finishedAt: z.string().nullable(),
})
export type BasisteamMeeting = z.infer<typeof BasisteamMeeting>

/** One status change of an agreement. */
export const StatusChange = z.object({
  agreementId: z.string(),
  status: AgreementStatus.nullable(),
  at: z.string(),
  /** The meeting it was set at, or null outside a meeting. */
  meetingId: z.string().nullable(),
})
export type StatusChange = z.infer<typeof StatusChange>

/** A note of the review: what goes well, or what needs attention. */
export type NoteKind = 'good' | 'attention'

/** Minutes a new meeting is planned to take. */
export const DEFAULT_MEETING_MINUTES = 90

function randomId(prefix: string): string {
  const bytes = new Uint8Array(9)
  globalThis.crypto.getRandomValues(bytes)
  return `${prefix}:${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')}`
}

function plain(value: unknown): unknown {
  return value instanceof Y.AbstractType ? value.toJSON() : value
}

// --- members ---

/**
 * The members, sorted by person id. A member stored as `true` (before members had details) reads
 * with empty details; malformed details read as empty, so a view never breaks on them.
 */
export function readMembers(doc: Y.Doc): BasisteamMember[] {
  const out: BasisteamMember[] = []
  for (const [personId, value] of doc.getMap(BASISTEAM_MEMBERS_KEY).entries()) {
    const details = MemberDetails.safeParse(plain(value))
    out.push({ personId, ...(details.success ? details.data : NO_DETAILS) })
  }
  return out.sort((a, b) => (a.personId < b.personId ? -1 : 1))
}

/** Adds a person to the basisteam or changes his details (a member's details are set as a whole). */
export function setMember(doc: Y.Doc, member: BasisteamMember): void {
  const { personId, ...details } = BasisteamMember.parse(member)
  doc.getMap(BASISTEAM_MEMBERS_KEY).set(personId, details)
}

/** Takes a person off the basisteam. */
export function removeMember(doc: Y.Doc, personId: string): void {
  doc.getMap(BASISTEAM_MEMBERS_KEY).delete(personId)
}

// --- meetings ---

function meetingFields(doc: Y.Doc, id: string): Y.Map<unknown> | undefined {
  const fields = doc.getMap(BASISTEAM_MEETINGS_KEY).get(id)
  return fields instanceof Y.Map ? (fields as Y.Map<unknown>) : undefined
}

/** The meetings, earliest first; a malformed one is left out. */
export function readMeetings(doc: Y.Doc): BasisteamMeeting[] {
  const out: BasisteamMeeting[] = []
  for (const [id, fields] of doc.getMap(BASISTEAM_MEETINGS_KEY).entries()) {
    const parsed = BasisteamMeeting.safeParse({ ...(plain(fields) as object), id })
    if (parsed.success && !Number.isNaN(Date.parse(parsed.data.startsAt))) out.push(parsed.data)
  }
  return out.sort(
    (a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt) || (a.id < b.id ? -1 : 1),
  )
}

/** Plans a meeting; returns its id. */
export function addMeeting(
  doc: Y.Doc,
  meeting: { startsAt: string; place?: string; online?: boolean; minutes?: number; id?: string },
): string {
  const id = meeting.id ?? randomId('meeting')
  const value = BasisteamMeeting.parse({
    id,
    startsAt: new Date(meeting.startsAt).toISOString(),
    minutes: meeting.minutes ?? DEFAULT_MEETING_MINUTES,
    sequence: 0,
    place: meeting.place ?? '',
    online: meeting.online ?? false,
    finishedAt: null,
  })
  doc.transact(() => {
    const fields = new Y.Map<unknown>()
    for (const [key, v] of Object.entries(value)) if (key !== 'id') fields.set(key, v)
    doc.getMap(BASISTEAM_MEETINGS_KEY).set(id, fields)
  })
  return id
}

/** Moves a meeting; a real move raises its SEQUENCE, so calendars move the same event. */
export function moveMeeting(doc: Y.Doc, id: string, startsAt: string): void {
  const fields = meetingFields(doc, id)
  const current = readMeetings(doc).find((m) => m.id === id)
  if (!fields || !current) return
  const next = rescheduled(current, new Date(startsAt).toISOString())
  if (next === current) return
  doc.transact(() => {
    fields.set('startsAt', next.startsAt)
    fields.set('sequence', next.sequence)
  })
}

/** Sets where a meeting is: a place in words, or online. */
export function setMeetingPlace(doc: Y.Doc, id: string, place: string, online: boolean): void {
  const fields = meetingFields(doc, id)
  if (!fields) return
  doc.transact(() => {
    if (fields.get('place') !== place) fields.set('place', place)
    if (fields.get('online') !== online) fields.set('online', online)
  })
}

/** Marks a meeting finished (its version of the plan is kept by the server separately). */
export function finishMeeting(doc: Y.Doc, id: string, at: Date = new Date()): void {
  meetingFields(doc, id)?.set('finishedAt', at.toISOString())
}

/** Removes a meeting that has not been held, with who was there and its notes. */
export function removeMeeting(doc: Y.Doc, id: string): void {
  doc.transact(() => {
    doc.getMap(BASISTEAM_MEETINGS_KEY).delete(id)
    for (const key of [BASISTEAM_PRESENT_KEY, BASISTEAM_NOTES_KEY]) {
      const map = doc.getMap(key)
      for (const k of [...map.keys()]) if (k.startsWith(`${id} `)) map.delete(k)
    }
  })
}

/**
 * The next meeting: the earliest one not finished that starts today or later (in UTC days is
 * close enough: a meeting of this evening still counts until it is finished), or null. A plan
 * without one shows a gentle warning wherever it is shown.
 */
export function nextMeeting(meetings: BasisteamMeeting[], now: Date): BasisteamMeeting | null {
  const dayStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - 86_400_000
  return meetings.find((m) => m.finishedAt === null && Date.parse(m.startsAt) >= dayStart) ?? null
}

// --- who was there, notes ---

/** Marks a person present at a meeting, or not. */
export function setMeetingPresent(
  doc: Y.Doc,
  meetingId: string,
  personId: string,
  present: boolean,
): void {
  const map = doc.getMap(BASISTEAM_PRESENT_KEY)
  const key = `${meetingId} ${personId}`
  if (present) map.set(key, true)
  else map.delete(key)
}

/** The person ids present at a meeting, sorted. */
export function readMeetingPresent(doc: Y.Doc, meetingId: string): string[] {
  const prefix = `${meetingId} `
  // Only `true` is written; anything else there does not fit and is left out.
  return [...doc.getMap(BASISTEAM_PRESENT_KEY).entries()]
    .filter(([k, value]) => k.startsWith(prefix) && value === true)
    .map(([k]) => k)
    .map((k) => k.slice(prefix.length))
    .sort()
}

function noteKey(meetingId: string, agreementId: string, kind: NoteKind): string {
  return `${meetingId} ${agreementId} ${kind}`
}

/** Writes a review note of an agreement at a meeting, character by character. */
export function setNote(
  doc: Y.Doc,
  meetingId: string,
  agreementId: string,
  kind: NoteKind,
  next: string,
): void {
  doc.transact(() => {
    const map = doc.getMap(BASISTEAM_NOTES_KEY)
    const key = noteKey(meetingId, agreementId, kind)
    const current = map.get(key)
    if (current instanceof Y.Text) setText(current, next)
    else map.set(key, new Y.Text(next))
  })
}

/** A review note of an agreement at a meeting ('' when none). */
export function readNote(
  doc: Y.Doc,
  meetingId: string,
  agreementId: string,
  kind: NoteKind,
): string {
  const value = plain(doc.getMap(BASISTEAM_NOTES_KEY).get(noteKey(meetingId, agreementId, kind)))
  return typeof value === 'string' ? value : ''
}

// --- status ---

/**
 * Sets an agreement's status and adds the change to its history, with the meeting it was set
 * at. Setting the status it already has changes nothing.
 */
export function setStatus(
  doc: Y.Doc,
  agreementId: string,
  status: AgreementStatus | null,
  meetingId: string | null,
  at: Date = new Date(),
): void {
  const fields = doc.getMap(AGREEMENTS_KEY).get(agreementId)
  if (!(fields instanceof Y.Map) || fields.get('status') === status) return
  const change: StatusChange = { agreementId, status, at: at.toISOString(), meetingId }
  doc.transact(() => {
    fields.set('status', status)
    doc.getMap<StatusChange>(STATUS_LOG_KEY).set(randomId('status'), change)
  })
}

/** The status history of every agreement (or of one), oldest first; malformed entries left out. */
export function readStatusLog(doc: Y.Doc, agreementId?: string): StatusChange[] {
  const out: StatusChange[] = []
  for (const entry of doc.getMap(STATUS_LOG_KEY).values()) {
    const parsed = StatusChange.safeParse(plain(entry))
    if (parsed.success && (!agreementId || parsed.data.agreementId === agreementId)) {
      out.push(parsed.data)
    }
  }
  // A map has no order of its own: the history is told by time.
  return out.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))
}

/**
 * The agreements a meeting reviews: every one that is not done or stopped. Open agreements carry
 * over from meeting to meeting by themselves.
 */
export function openAgreements(agreements: Agreement[]): Agreement[] {
  return agreements.filter((a) => a.status !== 'done' && a.status !== 'stopped')
}
