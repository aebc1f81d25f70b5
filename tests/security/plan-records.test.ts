/**
 * The plan document is checked like the atlas's records (issue 18, "document integrity"): an
 * edit link writes, over a real socket to a real server process, a value of the wrong kind into
 * the plan (a number where an agreement belongs, a string as `who`, an unknown meeting step, a
 * long string as a status, a map where a long text belongs…). The attacker is closed with 4422
 * and a reason that names the problem; nothing of it reaches another client or the disk, and an
 * honest client of the same plan keeps editing. Every kind of change our clients make passes.
 */
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { LowdbAtlasStore } from '../../server/storage/lowdb'
import { docKey } from '../../server/storage/types'

import { planRefusalReason } from '../../server/sync/room'

import {
  addAgreement,
  addWho,
  removeWho,
  setAgreementText,
  setAgreementValue,
  setBasisteamMember,
  setExpectation,
  setFirstMeeting,
  setMeetingStep,
  setPresent,
} from '../../shared/plan/actions'
import {
  addMeeting,
  BASISTEAM_MEETINGS_KEY,
  BASISTEAM_NOTES_KEY,
  finishMeeting,
  moveMeeting,
  readMembers,
  readStatusLog,
  STATUS_LOG_KEY,
  setMeetingPlace,
  setMeetingPresent,
  setMember,
  setNote,
  setStatus,
} from '../../shared/plan/basisteam'
import type { PlanIssue } from '../../shared/plan/check'
import {
  AGREEMENTS_KEY,
  MEETING_EXPECTATIONS_KEY,
  MEETING_KEY,
  readAgreements,
  readPlan,
} from '../../shared/plan/layout'
import { restoreVersion } from '../../shared/plan/restore'
import { versionContent } from '../../shared/plan/versions'
import { CloseCode } from '../../shared/sync/layout'
import { createAtlas, waitFor } from '../helpers/clients'
import { alive, cleanUp, closedWithin, editLink, provider, raw, server, syncFrame } from './harness'

afterEach(cleanUp)

const planOf = (id: string) => `${id}/plan`
const fieldsOf = (doc: Y.Doc, id: string) => doc.getMap(AGREEMENTS_KEY).get(id) as Y.Map<unknown>
const whatOf = (doc: Y.Doc, id: string) =>
  readAgreements(doc).find((a) => a.id === id)?.what ?? null

/**
 * A plan with one agreement, written and watched by honest clients; then an attacker with another
 * edit link sends what `change` writes on a copy of the plan.
 */
async function attack(change: (doc: Y.Doc, agreement: string) => void) {
  const s = await server()
  const target = await createAtlas(s.url)
  const honest = await provider(s, planOf(target.id), target.editToken)
  const agreement = addAgreement(honest.doc, 'question:buurt', { what: 'Samen eten' })
  addWho(honest.doc, agreement, 'person:ria')
  const watcher = await provider(s, planOf(target.id), await editLink(s, target, 'Sanne'))
  await waitFor(
    () => whatOf(watcher.doc, agreement) === 'Samen eten',
    'the agreement at the watcher',
  )
  const before = Y.encodeStateAsUpdate(watcher.doc)
  let forwarded = 0
  watcher.doc.on('update', () => forwarded++)

  const copy = new Y.Doc()
  Y.applyUpdate(copy, before)
  const vector = Y.encodeStateVector(copy)
  change(copy, agreement)
  const attacker = raw(s, planOf(target.id), await editLink(s, target, 'Onbekend'))
  await attacker.opened
  attacker.send(syncFrame(2, Y.encodeStateAsUpdate(copy, vector)))
  const outcome = await closedWithin(attacker, 5000)

  // The honest client goes on: its words reach the watcher and a new client.
  const edits: Uint8Array[] = []
  honest.doc.on('update', (u: Uint8Array) => edits.push(u))
  setAgreementText(honest.doc, agreement, 'what', 'Elke zondag samen eten')
  await waitFor(
    () => whatOf(watcher.doc, agreement) === 'Elke zondag samen eten',
    'the honest edit at the watcher',
  )
  const fresh = await provider(s, planOf(target.id), target.editToken)
  await waitFor(
    () => whatOf(fresh.doc, agreement) === 'Elke zondag samen eten',
    'the honest edit at a new client',
  )
  return { s, target, outcome, forwarded, before, edits }
}

/** The plan as the server stored it, after a clean shutdown. */
async function stored(s: Awaited<ReturnType<typeof server>>, atlasId: string): Promise<Y.Doc> {
  s.child.kill('SIGTERM')
  await s.exited
  const store = await LowdbAtlasStore.open(s.dir)
  const doc = new Y.Doc()
  Y.applyUpdate(doc, (await store.loadDoc(docKey(atlasId, 'plan'))) as Uint8Array)
  return doc
}

const cases: [string, (doc: Y.Doc, agreement: string) => void, PlanIssue][] = [
  [
    'a number where an agreement map belongs',
    (doc) => doc.getMap(AGREEMENTS_KEY).set('agreement:x', 42),
    { root: AGREEMENTS_KEY, problem: 'wrong-kind' },
  ],
  [
    'a string where who is a list of persons',
    (doc, a) => fieldsOf(doc, a).set('who', 'Ria en Ahmed'),
    { root: AGREEMENTS_KEY, field: 'who', problem: 'wrong-kind' },
  ],
  [
    'a number among who',
    (doc, a) => (fieldsOf(doc, a).get('who') as Y.Array<unknown>).push([12]),
    { root: AGREEMENTS_KEY, field: 'who', problem: 'wrong-kind' },
  ],
  [
    'an unknown meeting step',
    (doc) => doc.getMap(MEETING_KEY).set('step', 'dansen'),
    { root: MEETING_KEY, problem: 'invalid-value' },
  ],
  [
    'a 2 MB string as an agreement status',
    (doc, a) => fieldsOf(doc, a).set('status', 'x'.repeat(2_000_000)),
    { root: AGREEMENTS_KEY, field: 'status', problem: 'invalid-value' },
  ],
  [
    'a map where a long text belongs',
    (doc, a) => fieldsOf(doc, a).set('what', new Y.Map()),
    { root: AGREEMENTS_KEY, field: 'what', problem: 'wrong-kind' },
  ],
  [
    'a map inside a long text',
    (doc, a) => (fieldsOf(doc, a).get('what') as Y.Text).insertEmbed(0, new Y.Map()),
    { root: AGREEMENTS_KEY, field: 'what', problem: 'wrong-kind' },
  ],
  [
    'a number as an expectation',
    (doc) => doc.getMap(MEETING_EXPECTATIONS_KEY).set('person:ria', 5),
    { root: MEETING_EXPECTATIONS_KEY, problem: 'wrong-kind' },
  ],
  [
    'a basisteam meeting of five minutes',
    (doc) => {
      const fields = new Y.Map<unknown>()
      fields.set('startsAt', '2027-03-12T18:30:00.000Z')
      fields.set('minutes', 5)
      doc.getMap(BASISTEAM_MEETINGS_KEY).set('meeting:kort', fields)
    },
    { root: BASISTEAM_MEETINGS_KEY, field: 'minutes', problem: 'invalid-value' },
  ],
  [
    'a status change without its agreement',
    (doc) => doc.getMap(STATUS_LOG_KEY).set('status:x', { status: 'done' }),
    { root: STATUS_LOG_KEY, problem: 'invalid-value' },
  ],
  [
    'a list as a review note',
    (doc) => doc.getMap(BASISTEAM_NOTES_KEY).set('meeting:1 agreement:1 good', new Y.Array()),
    { root: BASISTEAM_NOTES_KEY, problem: 'wrong-kind' },
  ],
]

describe('a plan entry that does not fit the plan is refused', () => {
  for (const [name, change, issue] of cases) {
    it(name, async () => {
      const { s, target, outcome, forwarded, before, edits } = await attack(change)
      expect(outcome).toEqual({ code: CloseCode.UpdateRefused, reason: planRefusalReason(issue) })
      expect(forwarded).toBe(1) // the honest edit only
      expect(await alive(s)).toBe(true)
      expect(s.output()).toContain('invalid plan entry')
      // Byte for byte what it was, plus the honest edit.
      const doc = await stored(s, target.id)
      const expected = new Y.Doc()
      Y.applyUpdate(expected, before)
      for (const edit of edits) Y.applyUpdate(expected, edit)
      expect(Y.encodeStateAsUpdate(doc)).toEqual(Y.encodeStateAsUpdate(expected))
    })
  }
})

describe('every change our clients make to a plan passes', () => {
  it('agreements, who, status with its history, the meeting, the basisteam and a restore', async () => {
    const s = await server()
    const target = await createAtlas(s.url)
    const writer = await provider(s, planOf(target.id), target.editToken)
    const reader = await provider(s, planOf(target.id), await editLink(s, target, 'Sanne'))
    let closed: number | undefined
    writer.on('connection-close', (event) => {
      closed = event?.code
    })
    const doc = writer.doc

    const a = addAgreement(doc, 'question:buurt', { what: 'Elke zondag samen eten' })
    addWho(doc, a, 'person:ria')
    addWho(doc, a, 'person:client')
    removeWho(doc, a, 'person:client')
    for (const field of ['what', 'where', 'when', 'how', 'fallback', 'note'] as const) {
      setAgreementText(doc, a, field, `${field} van de afspraak`)
    }
    setAgreementValue(doc, a, 'date', '2027-04-01')
    setAgreementValue(doc, a, 'frequency', 'weekly')
    setAgreementValue(doc, a, 'backupPersonId', 'person:ahmed')
    setMeetingStep(doc, 'private-time')
    setPresent(doc, 'person:ria', true)
    setExpectation(doc, 'person:ria', 'Dat we samen iets vinden')
    setFirstMeeting(doc, '2027-03-12')
    setBasisteamMember(doc, 'person:ahmed', true)
    setMember(doc, {
      personId: 'person:ria',
      teamRole: 'voorzitter',
      contact: 'call',
      contactNote: 'belt liever na zessen',
      professional: false,
    })
    const m = addMeeting(doc, { startsAt: '2027-03-12T18:30:00Z', place: 'Bij Sanne' })
    moveMeeting(doc, m, '2027-03-13T18:30:00Z')
    setMeetingPlace(doc, m, '', true)
    setMeetingPresent(doc, m, 'person:ria', true)
    setNote(doc, m, a, 'good', 'Gaat elke week goed')
    setStatus(doc, a, 'on-track', m)
    const version = versionContent('Sanne', [], readAgreements(doc), () => null)
    setStatus(doc, a, 'stopped', m)
    setAgreementText(doc, a, 'what', 'Niet meer samen eten')
    const later = addAgreement(doc, 'question:buurt', { what: 'Naar het voetbal' })
    finishMeeting(doc, m)
    restoreVersion(doc, version, m)

    // Everything the writer holds, not a state on the way that reads the same.
    const vector = Y.encodeStateVector(doc).join()
    await waitFor(
      () => Y.encodeStateVector(reader.doc).join() === vector,
      'every change at the reader',
    )
    expect(readPlan(reader.doc)).toEqual(readPlan(doc))
    expect(readAgreements(reader.doc).map((x) => x.id)).toEqual([a])
    expect(readAgreements(reader.doc).some((x) => x.id === later)).toBe(false)
    expect(readStatusLog(reader.doc, a).map((c) => c.status)).toEqual([
      'on-track',
      'stopped',
      'on-track',
    ])
    expect(readMembers(reader.doc).map((x) => x.personId)).toEqual(['person:ahmed', 'person:ria'])
    expect(closed).toBeUndefined()
    expect(writer.wsconnected).toBe(true)
    expect(s.output()).not.toContain('invalid plan entry')
  })
})
