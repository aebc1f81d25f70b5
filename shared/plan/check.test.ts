import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  addAgreement,
  addWho,
  removeAgreement,
  removeWho,
  setAgreementText,
  setAgreementValue,
  setBasisteamMember,
  setExpectation,
  setFirstMeeting,
  setMeetingStep,
  setPresent,
} from './actions'
import {
  addMeeting,
  finishMeeting,
  moveMeeting,
  removeMeeting,
  setMeetingPlace,
  setMeetingPresent,
  setMember,
  setNote,
  setStatus,
} from './basisteam'
import { type PlanIssue, planIssues, transactionPlanIssue, watchPlanIssues } from './check'
import { AGREEMENTS_KEY, MEETING_KEY, readAgreements } from './layout'
import { readPlanPart, writePlanPart } from './planFile'
import { restoreVersion } from './restore'
import { versionContent } from './versions'

/** A plan document that records the first issue of every transaction, as the server checks. */
function checked(): { doc: Y.Doc; issues: PlanIssue[] } {
  const doc = new Y.Doc()
  const issues: PlanIssue[] = []
  doc.on('afterTransaction', (tr: Y.Transaction) => {
    const issue = transactionPlanIssue(doc, tr)
    if (issue) issues.push(issue)
  })
  return { doc, issues }
}

function everyWrite(doc: Y.Doc): void {
  const a = addAgreement(doc, 'question:q1', { what: 'Elke zondag samen eten' })
  addWho(doc, a, 'person:ria')
  addWho(doc, a, 'person:client')
  removeWho(doc, a, 'person:client')
  for (const field of ['what', 'where', 'when', 'how', 'fallback', 'note'] as const) {
    setAgreementText(doc, a, field, `tekst ${field}`)
  }
  setAgreementValue(doc, a, 'date', '2027-04-01')
  setAgreementValue(doc, a, 'date', null)
  setAgreementValue(doc, a, 'frequency', 'weekly')
  setAgreementValue(doc, a, 'backupPersonId', 'person:ahmed')
  setAgreementValue(doc, a, 'questionId', 'question:q2')
  const b = addAgreement(doc, 'question:q2', { afterId: a })
  setMeetingStep(doc, 'private-time')
  setPresent(doc, 'person:ria', true)
  setPresent(doc, 'person:ria', false)
  setPresent(doc, 'person:client', true)
  setExpectation(doc, 'person:client', 'Dat iedereen luistert')
  setExpectation(doc, 'person:client', 'Dat iedereen goed luistert')
  setFirstMeeting(doc, '2027-03-12')
  setBasisteamMember(doc, 'person:ria', true)
  setMember(doc, {
    personId: 'person:ria',
    teamRole: 'voorzitter',
    contact: 'call',
    contactNote: 'na zessen',
    professional: false,
  })
  const m = addMeeting(doc, { startsAt: '2027-03-12T18:30:00Z', place: 'Bij Sanne' })
  moveMeeting(doc, m, '2027-03-13T18:30:00Z')
  setMeetingPlace(doc, m, '', true)
  setMeetingPresent(doc, m, 'person:ria', true)
  setNote(doc, m, a, 'good', 'Gaat goed')
  setNote(doc, m, a, 'attention', 'Regen')
  setStatus(doc, a, 'on-track', m)
  setStatus(doc, a, null, null)
  finishMeeting(doc, m)
  const later = addMeeting(doc, { startsAt: '2027-09-10T17:30:00Z' })
  removeMeeting(doc, later)
  removeAgreement(doc, b)
}

describe('the plan check', () => {
  it('passes every change our clients make, a restore and an imported plan', () => {
    const { doc, issues } = checked()
    everyWrite(doc)
    const version = versionContent('Sanne', [], readAgreements(doc), () => null)
    const extra = addAgreement(doc, 'question:q1', { what: 'Later' })
    setAgreementText(doc, readAgreements(doc)[0]?.id as string, 'what', 'Anders')
    restoreVersion(doc, version, null)
    expect(readAgreements(doc).some((x) => x.id === extra)).toBe(false)
    expect(issues).toEqual([])
    expect(planIssues(doc)).toEqual([])

    const imported = checked()
    writePlanPart(imported.doc, readPlanPart(doc))
    expect(imported.issues).toEqual([])
    expect(planIssues(imported.doc)).toEqual([])
  })

  it('checks an update applied to a document that has not named its top-level maps yet', () => {
    const source = new Y.Doc()
    everyWrite(source)
    const fresh = new Y.Doc()
    const issues: (PlanIssue | null)[] = []
    fresh.on('afterTransaction', (tr: Y.Transaction) =>
      issues.push(transactionPlanIssue(fresh, tr)),
    )
    Y.applyUpdate(fresh, Y.encodeStateAsUpdate(source))
    expect(issues).toEqual([null])
  })

  const bad: [string, (doc: Y.Doc, id: string) => void, Partial<PlanIssue>][] = [
    [
      'a number where an agreement map belongs',
      (doc) => doc.getMap(AGREEMENTS_KEY).set('agreement:x', 42),
      { root: 'agreements', problem: 'wrong-kind' },
    ],
    [
      'a string where who is a list of persons',
      (doc, id) => (doc.getMap(AGREEMENTS_KEY).get(id) as Y.Map<unknown>).set('who', 'Ria'),
      { field: 'who', problem: 'wrong-kind' },
    ],
    [
      'a number in who',
      (doc, id) =>
        (
          (doc.getMap(AGREEMENTS_KEY).get(id) as Y.Map<unknown>).get('who') as Y.Array<unknown>
        ).push([7]),
      { field: 'who', problem: 'wrong-kind' },
    ],
    [
      'an unknown meeting step',
      (doc) => doc.getMap(MEETING_KEY).set('step', 'dancing'),
      { root: 'meeting', problem: 'invalid-value' },
    ],
    [
      'a long string as a status',
      (doc, id) =>
        (doc.getMap(AGREEMENTS_KEY).get(id) as Y.Map<unknown>).set('status', 'x'.repeat(100_000)),
      { field: 'status', problem: 'invalid-value' },
    ],
    [
      'a map where a long text belongs',
      (doc, id) => (doc.getMap(AGREEMENTS_KEY).get(id) as Y.Map<unknown>).set('what', new Y.Map()),
      { field: 'what', problem: 'wrong-kind' },
    ],
    [
      'an embed inside a long text',
      (doc, id) =>
        ((doc.getMap(AGREEMENTS_KEY).get(id) as Y.Map<unknown>).get('what') as Y.Text).insertEmbed(
          0,
          { a: 1 },
        ),
      { field: 'what', problem: 'wrong-kind' },
    ],
    [
      'a field no agreement has',
      (doc, id) => (doc.getMap(AGREEMENTS_KEY).get(id) as Y.Map<unknown>).set('colour', 'red'),
      { field: 'colour', problem: 'unknown-field' },
    ],
  ]
  for (const [name, write, expected] of bad) {
    it(`finds ${name}`, () => {
      const { doc, issues } = checked()
      const id = addAgreement(doc, 'question:q1', { what: 'Samen eten' })
      write(doc, id)
      expect(issues).toHaveLength(1)
      expect(issues[0]).toMatchObject(expected)
    })
  }

  it('counts the entries a device leaves out, and follows them as they change', () => {
    const doc = new Y.Doc()
    const good = addAgreement(doc, 'question:q1', { what: 'Samen eten' })
    doc.getMap(AGREEMENTS_KEY).set('agreement:bad', 42)
    const seen: string[][] = []
    const stop = watchPlanIssues(doc, (entries) => seen.push(entries))
    expect(seen).toEqual([['agreements agreement:bad']])
    ;(doc.getMap(AGREEMENTS_KEY).get(good) as Y.Map<unknown>).set('status', 'later')
    expect(seen.at(-1)?.sort()).toEqual(['agreements agreement:bad', `agreements ${good}`].sort())
    expect(readAgreements(doc)).toEqual([])
    setAgreementValue(doc, good, 'status', 'done')
    doc.getMap(AGREEMENTS_KEY).delete('agreement:bad')
    expect(seen.at(-1)).toEqual([])
    expect(readAgreements(doc).map((a) => a.id)).toEqual([good])
    stop()
  })
})
