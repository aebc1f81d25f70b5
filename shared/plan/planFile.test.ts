import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { ATLAS_FILE_VERSION, type AtlasFile, buildAtlasFile, readAtlasFile } from '../api/atlasFile'
import type { PlanVersion } from '../api/versions'
import { buildSampleAtlas, seedAtlasDoc } from '../domain/sampleAtlas'
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
  finishMeeting,
  moveMeeting,
  readMeetingPresent,
  readMeetings,
  readMembers,
  readNote,
  readStatusLog,
  setMeetingPresent,
  setMember,
  setNote,
  setStatus,
} from './basisteam'
import { readPlan, SERVER_KEY } from './layout'
import { PlanPart, readPlanPart, writePlanPart } from './planFile'

/** A plan as the sample's basisteam keeps it: agreements, members, two meetings, statuses. */
function samplePlan(): { doc: Y.Doc; meetings: string[]; agreements: string[] } {
  const doc = new Y.Doc()
  const first = addAgreement(doc, 'question:q1', { what: 'Elke zondag samen eten bij mam' })
  addWho(doc, first, 'person:ria')
  addWho(doc, first, 'person:client')
  setAgreementText(doc, first, 'where', 'Bij Ria thuis')
  setAgreementText(doc, first, 'fallback', 'Dan belt Sanne op maandag')
  setAgreementValue(doc, first, 'frequency', 'weekly')
  setAgreementValue(doc, first, 'backupPersonId', 'person:ahmed')
  const second = addAgreement(doc, 'question:q1', { what: 'Fietsen naar het werk' })
  addWho(doc, second, 'person:ahmed')
  setAgreementValue(doc, second, 'date', '2027-04-01')
  const third = addAgreement(doc, 'question:q2', { what: 'Budget samen bekijken' })
  addWho(doc, third, 'person:marleen')
  // Added between the first two: its index sorts between theirs.
  const between = addAgreement(doc, 'question:q1', { what: 'Tussendoor', afterId: first })
  setMeetingStep(doc, 'basisteam')
  setPresent(doc, 'person:client', true)
  setPresent(doc, 'person:ria', true)
  setExpectation(doc, 'person:client', 'Dat iedereen luistert')
  setFirstMeeting(doc, '2027-03-12')
  setMember(doc, {
    personId: 'person:client',
    teamRole: 'voorzitter',
    contact: 'app',
    contactNote: '',
    professional: false,
  })
  setMember(doc, {
    personId: 'person:ria',
    teamRole: 'houdt de datum bij',
    contact: 'call',
    contactNote: 'belt liever na zessen',
    professional: false,
  })
  setMember(doc, {
    personId: 'person:marleen',
    teamRole: 'jobcoach',
    contact: 'mail',
    contactNote: '',
    professional: true,
  })
  const m1 = addMeeting(doc, { startsAt: '2027-03-12T18:30:00Z', place: 'Bij Sanne' })
  moveMeeting(doc, m1, '2027-03-13T18:30:00Z')
  setMeetingPresent(doc, m1, 'person:client', true)
  setMeetingPresent(doc, m1, 'person:ria', true)
  setNote(doc, m1, first, 'good', 'Gaat elke week goed')
  setNote(doc, m1, second, 'attention', 'Regen is lastig')
  setStatus(doc, first, 'on-track', m1, new Date('2027-03-13T19:00:00Z'))
  setStatus(doc, second, 'attention', m1, new Date('2027-03-13T19:05:00Z'))
  finishMeeting(doc, m1, new Date('2027-03-13T20:00:00Z'))
  const m2 = addMeeting(doc, { startsAt: '2027-09-10T17:30:00Z', online: true })
  setMeetingPresent(doc, m2, 'person:marleen', true)
  setStatus(doc, second, 'stopped', m2, new Date('2027-09-10T18:00:00Z'))
  setStatus(doc, third, 'done', m2, new Date('2027-09-10T18:01:00Z'))
  return { doc, meetings: [m1, m2], agreements: [first, second, third, between] }
}

/** What a plan document says, through the readers the screens use. */
function everything(doc: Y.Doc, meetings: string[], agreements: string[]) {
  const { server: _server, ...plan } = readPlan(doc)
  return {
    ...plan,
    // The index is rewritten on import; the order it gives is what counts.
    agreements: plan.agreements.map(({ index: _index, ...a }) => a),
    members: readMembers(doc),
    meetings: readMeetings(doc),
    present: meetings.map((m) => readMeetingPresent(doc, m)),
    notes: meetings.flatMap((m) =>
      agreements.flatMap((a) => [readNote(doc, m, a, 'good'), readNote(doc, m, a, 'attention')]),
    ),
    statusLog: readStatusLog(doc),
  }
}

describe('the plan in an atlas file', () => {
  it('round-trips through plain JSON into a new plan document', () => {
    const { doc, meetings, agreements } = samplePlan()
    const part = JSON.parse(JSON.stringify(readPlanPart(doc)))
    const copy = new Y.Doc()
    writePlanPart(copy, PlanPart.parse(part))
    expect(everything(copy, meetings, agreements)).toEqual(everything(doc, meetings, agreements))
    expect(readMeetings(copy)[0]?.sequence).toBe(1)
    expect(readStatusLog(copy)).toHaveLength(4)
    const q1 = readPlan(copy).agreements.filter((a) => a.questionId === 'question:q1')
    expect(q1.map((a) => a.what)).toEqual([
      'Elke zondag samen eten bij mam',
      'Tussendoor',
      'Fietsen naar het werk',
    ])
  })

  it('leaves the server part (piketpaaltjes, approvals, privétijd) out', () => {
    const { doc } = samplePlan()
    doc.getMap(SERVER_KEY).set('approvals', [{ id: 'x' }])
    doc.getMap(SERVER_KEY).set('privateTime', { on: true, since: '2027-01-01T00:00:00Z' })
    const text = JSON.stringify(readPlanPart(doc))
    expect(text).not.toContain('approvals')
    expect(text).not.toContain('privateTime')
    expect(text).not.toContain('piketpaaltjes')
  })

  it('refuses a plan part with a text too long, two agreements with one id, or a bad time', () => {
    const part = readPlanPart(samplePlan().doc)
    const first = part.agreements[0]
    if (!first) throw new Error('the sample plan has agreements')
    expect(PlanPart.safeParse(part).success).toBe(true)
    const long = { ...part, agreements: [{ ...first, what: 'x'.repeat(10_001) }] }
    expect(PlanPart.safeParse(long).success).toBe(false)
    const twice = { ...part, agreements: [first, first] }
    expect(PlanPart.safeParse(twice).success).toBe(false)
    const meeting = part.basisteam.meetings[0]
    const badTime = {
      ...part,
      basisteam: { ...part.basisteam, meetings: [{ ...meeting, startsAt: 'morgen' }] },
    }
    expect(PlanPart.safeParse(badTime).success).toBe(false)
  })
})

describe('readAtlasFile with a plan', () => {
  function atlasDoc(): Y.Doc {
    const doc = new Y.Doc()
    seedAtlasDoc(doc, buildSampleAtlas())
    return doc
  }
  const version: PlanVersion = {
    id: 'v1',
    number: 1,
    at: '2027-03-13T20:00:00.000Z',
    meetingId: null,
    planHash: 'a'.repeat(64),
    content: { client: 'Sanne', questions: [], agreements: [] },
  }

  it('writes version 2 with the plan and the versions, and reads them back', () => {
    const { doc } = samplePlan()
    const file = buildAtlasFile(atlasDoc(), 'Atlas', new Date(), { doc, versions: [version] })
    expect(file.version).toBe(ATLAS_FILE_VERSION)
    expect(ATLAS_FILE_VERSION).toBe(2)
    const read = readAtlasFile(JSON.parse(JSON.stringify(file)))
    if (!read.ok) throw new Error(read.error)
    expect(read.plan).toEqual(readPlanPart(doc))
    expect(read.versions).toEqual([version])
  })

  it('still reads a version 1 file, which has no plan', () => {
    const file: Partial<AtlasFile> = buildAtlasFile(atlasDoc(), 'Atlas')
    delete file.plan
    delete file.versions
    const read = readAtlasFile({ ...file, version: 1 })
    if (!read.ok) throw new Error(read.error)
    expect(read.plan).toBeNull()
    expect(read.versions).toEqual([])
    expect(read.records.length).toBeGreaterThan(0)
  })

  it('keeps a person the atlas no longer holds, refuses an id that is not a person, and a newer version', () => {
    const { doc } = samplePlan()
    const first = readPlan(doc).agreements[0]?.id ?? ''
    // Taken off the atlas while the plan still named him: the plan reads him as unknown.
    addWho(doc, first, 'person:nobody')
    const file = buildAtlasFile(atlasDoc(), 'Atlas', new Date(), { doc, versions: [] })
    const read = readAtlasFile(JSON.parse(JSON.stringify(file)))
    if (!read.ok) throw new Error(read.error)
    expect(read.plan?.agreements[0]?.who).toContain('person:nobody')

    addWho(doc, first, 'shape:box')
    const odd = buildAtlasFile(atlasDoc(), 'Atlas', new Date(), { doc, versions: [] })
    const refused = readAtlasFile(JSON.parse(JSON.stringify(odd)))
    expect(refused.ok).toBe(false)
    if (!refused.ok) expect(refused.error).toContain('shape:box')
    const newer = readAtlasFile({ ...buildAtlasFile(atlasDoc(), 'Atlas'), version: 3 })
    expect(newer).toMatchObject({ ok: false })
  })

  it('refuses a damaged plan part or too many versions with a message naming the place', () => {
    const file = buildAtlasFile(atlasDoc(), 'Atlas', new Date(), {
      doc: samplePlan().doc,
      versions: [],
    })
    const damaged = JSON.parse(JSON.stringify(file))
    damaged.plan.agreements[0].who = 'Ria'
    const read = readAtlasFile(damaged)
    expect(read.ok).toBe(false)
    if (!read.ok) expect(read.error).toContain('plan.agreements.0.who')
    const many = {
      ...file,
      versions: Array.from({ length: 501 }, (_, i) => ({ ...version, id: `v${i}` })),
    }
    expect(readAtlasFile(many)).toMatchObject({ ok: false })
  })
})
