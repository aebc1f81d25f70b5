/**
 * Every change a client makes to a plan document, as pure functions on the Y.Doc (no React, no
 * network): the plan and meeting screens call these, and the tests drive them directly. Long
 * texts change character by character (`setText`), so two people typing in one field keep both.
 */
import { getIndexAbove, getIndexBetween, type IndexKey } from '@tldraw/utils'
import * as Y from 'yjs'
import { setText } from '../sync/text'
import {
  AGREEMENT_TEXT_FIELDS,
  AGREEMENTS_KEY,
  type AgreementFrequency,
  type AgreementStatus,
  type AgreementTextField,
  BASISTEAM_KEY,
  BASISTEAM_MEMBERS_KEY,
  MEETING_EXPECTATIONS_KEY,
  MEETING_KEY,
  MEETING_PRESENT_KEY,
  type MeetingStep,
  readAgreements,
} from './layout'

type Fields = Y.Map<unknown>

function agreementFields(doc: Y.Doc, id: string): Fields | undefined {
  const fields = doc.getMap(AGREEMENTS_KEY).get(id)
  return fields instanceof Y.Map ? (fields as Fields) : undefined
}

/** A new agreement id: random, so two devices never make the same one. */
export function newAgreementId(): string {
  const bytes = new Uint8Array(9)
  globalThis.crypto.getRandomValues(bytes)
  return `agreement:${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')}`
}

/**
 * Adds an empty agreement under a question, after the question's last one (or after `afterId`).
 * Returns its id.
 */
export function addAgreement(
  doc: Y.Doc,
  questionId: string,
  options: { afterId?: string; id?: string; what?: string; now?: Date } = {},
): string {
  const id = options.id ?? newAgreementId()
  const siblings = readAgreements(doc).filter((a) => a.questionId === questionId)
  const at = options.afterId ? siblings.findIndex((a) => a.id === options.afterId) : -1
  const before = (at >= 0 ? siblings[at] : siblings.at(-1))?.index as IndexKey | undefined
  const after = at >= 0 ? (siblings[at + 1]?.index as IndexKey | undefined) : undefined
  const index = after ? getIndexBetween(before ?? null, after) : getIndexAbove(before ?? null)
  doc.transact(() => {
    const fields = new Y.Map<unknown>()
    fields.set('questionId', questionId)
    fields.set('index', index)
    for (const field of AGREEMENT_TEXT_FIELDS) {
      fields.set(field, new Y.Text(field === 'what' ? (options.what ?? '') : ''))
    }
    fields.set('who', new Y.Array<string>())
    fields.set('date', null)
    fields.set('frequency', null)
    fields.set('backupPersonId', null)
    fields.set('status', null)
    fields.set('createdAt', (options.now ?? new Date()).toISOString())
    doc.getMap(AGREEMENTS_KEY).set(id, fields)
  })
  return id
}

/** Removes an agreement. */
export function removeAgreement(doc: Y.Doc, id: string): void {
  doc.getMap(AGREEMENTS_KEY).delete(id)
}

/** Changes a long text of an agreement to `next`, character by character. */
export function setAgreementText(
  doc: Y.Doc,
  id: string,
  field: AgreementTextField,
  next: string,
): void {
  const fields = agreementFields(doc, id)
  if (!fields) return
  doc.transact(() => {
    const current = fields.get(field)
    if (current instanceof Y.Text) setText(current, next)
    else fields.set(field, new Y.Text(next))
  })
}

/** Adds a person (by atlas person id) to who does an agreement; nothing if he is there. */
export function addWho(doc: Y.Doc, id: string, personId: string): void {
  const fields = agreementFields(doc, id)
  if (!fields) return
  doc.transact(() => {
    let who = fields.get('who')
    if (!(who instanceof Y.Array)) {
      who = new Y.Array<string>()
      fields.set('who', who)
    }
    const list = who as Y.Array<string>
    if (!list.toArray().includes(personId)) list.push([personId])
  })
}

/** Takes a person off who does an agreement (every time he is listed). */
export function removeWho(doc: Y.Doc, id: string, personId: string): void {
  const who = agreementFields(doc, id)?.get('who')
  if (!(who instanceof Y.Array)) return
  doc.transact(() => {
    const list = who as Y.Array<string>
    for (let i = list.length - 1; i >= 0; i--) if (list.get(i) === personId) list.delete(i, 1)
  })
}

/** The plain fields of an agreement that a client sets as a whole. */
export interface AgreementValues {
  date: string | null
  frequency: AgreementFrequency | null
  backupPersonId: string | null
  status: AgreementStatus | null
  questionId: string
}

/** Sets one plain field of an agreement. */
export function setAgreementValue<K extends keyof AgreementValues>(
  doc: Y.Doc,
  id: string,
  key: K,
  value: AgreementValues[K],
): void {
  const fields = agreementFields(doc, id)
  if (fields && fields.get(key) !== value) fields.set(key, value)
}

/** Moves the meeting to a step; every device follows. */
export function setMeetingStep(doc: Y.Doc, step: MeetingStep): void {
  const meeting = doc.getMap(MEETING_KEY)
  if (meeting.get('step') !== step) meeting.set('step', step)
}

/** Marks a person (by atlas person id) as present at the meeting, or not. */
export function setPresent(doc: Y.Doc, personId: string, present: boolean): void {
  const map = doc.getMap(MEETING_PRESENT_KEY)
  if (present) map.set(personId, true)
  else map.delete(personId)
}

/** What a person hopes for from the meeting, character by character. */
export function setExpectation(doc: Y.Doc, personId: string, next: string): void {
  doc.transact(() => {
    const map = doc.getMap(MEETING_EXPECTATIONS_KEY)
    const current = map.get(personId)
    if (current instanceof Y.Text) setText(current, next)
    else map.set(personId, new Y.Text(next))
  })
}

/** Adds a person to the basisteam, or takes him off. */
export function setBasisteamMember(doc: Y.Doc, personId: string, member: boolean): void {
  const map = doc.getMap(BASISTEAM_MEMBERS_KEY)
  if (member) map.set(personId, true)
  else map.delete(personId)
}

/** The date (YYYY-MM-DD) of the basisteam's first meeting, or null. */
export function setFirstMeeting(doc: Y.Doc, date: string | null): void {
  const map = doc.getMap(BASISTEAM_KEY)
  if (map.get('firstMeeting') !== date) map.set('firstMeeting', date)
}
