/**
 * Putting an earlier version of the plan back: a new change on top of the plan document, never a
 * rewrite of its history. Every version stays as the server kept it; the plan afterwards says
 * what the version said, and its status changes enter the status history like any other.
 */
import type * as Y from 'yjs'
import {
  addAgreement,
  addWho,
  removeAgreement,
  removeWho,
  setAgreementText,
  setAgreementValue,
} from './actions'
import { setStatus } from './basisteam'
import { AGREEMENT_TEXT_FIELDS, readAgreements } from './layout'
import type { PlanVersionContent } from './versions'

/**
 * Writes a version's agreements back into the plan: changed ones get the version's words, people
 * and status; removed ones come back (with their own id); ones made after the version go.
 */
export function restoreVersion(
  doc: Y.Doc,
  content: PlanVersionContent,
  meetingId: string | null = null,
  at: Date = new Date(),
): void {
  doc.transact(() => {
    const wanted = new Set(content.agreements.map((a) => a.id))
    for (const current of readAgreements(doc)) {
      if (!wanted.has(current.id)) removeAgreement(doc, current.id)
    }
    const present = new Map(readAgreements(doc).map((a) => [a.id, a]))
    for (const a of content.agreements) {
      const current = present.get(a.id)
      if (!current) addAgreement(doc, a.questionId, { id: a.id, now: at })
      else setAgreementValue(doc, a.id, 'questionId', a.questionId)
      for (const field of AGREEMENT_TEXT_FIELDS) setAgreementText(doc, a.id, field, a[field])
      const who = a.who.map((p) => p.id)
      for (const personId of current?.who ?? []) {
        if (!who.includes(personId)) removeWho(doc, a.id, personId)
      }
      for (const personId of who) addWho(doc, a.id, personId)
      setAgreementValue(doc, a.id, 'date', a.date)
      setAgreementValue(doc, a.id, 'frequency', a.frequency)
      setAgreementValue(doc, a.id, 'backupPersonId', a.backup?.id ?? null)
      setStatus(doc, a.id, a.status, meetingId, at)
    }
  })
}
