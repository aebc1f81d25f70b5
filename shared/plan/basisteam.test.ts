import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { addAgreement } from './actions'
import {
  addMeeting,
  BASISTEAM_MEETINGS_KEY,
  BASISTEAM_NOTES_KEY,
  BASISTEAM_PRESENT_KEY,
  finishMeeting,
  moveMeeting,
  nextMeeting,
  openAgreements,
  readMeetingPresent,
  readMeetings,
  readMembers,
  readNote,
  readStatusLog,
  removeMeeting,
  STATUS_LOG_KEY,
  setMeetingPlace,
  setMeetingPresent,
  setMember,
  setNote,
  setStatus,
} from './basisteam'
import { BASISTEAM_MEMBERS_KEY, PLAN_ROOTS, readAgreements } from './layout'

/** Two devices that have seen each other's changes. */
function sync(a: Y.Doc, b: Y.Doc) {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)))
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)))
}

describe('the basisteam in the plan document', () => {
  it('keeps its data in top-level types the server knows', () => {
    for (const key of [
      BASISTEAM_MEETINGS_KEY,
      BASISTEAM_PRESENT_KEY,
      BASISTEAM_NOTES_KEY,
      STATUS_LOG_KEY,
    ]) {
      expect(PLAN_ROOTS).toContain(key)
    }
  })

  it('reads members with their details, and a member first stored as true with none', () => {
    const doc = new Y.Doc()
    doc.getMap(BASISTEAM_MEMBERS_KEY).set('person:ria', true)
    setMember(doc, {
      personId: 'person:marleen',
      teamRole: 'jobcoach',
      contact: 'app',
      contactNote: 'app liever',
      professional: true,
    })
    doc.getMap(BASISTEAM_MEMBERS_KEY).set('person:odd', { contact: 'pigeon' })
    expect(readMembers(doc)).toEqual([
      {
        personId: 'person:marleen',
        teamRole: 'jobcoach',
        contact: 'app',
        contactNote: 'app liever',
        professional: true,
      },
      { personId: 'person:odd', teamRole: '', contact: null, contactNote: '', professional: false },
      { personId: 'person:ria', teamRole: '', contact: null, contactNote: '', professional: false },
    ])
    expect(() =>
      setMember(doc, {
        personId: 'p',
        teamRole: 'x'.repeat(201),
        contact: null,
        contactNote: '',
        professional: false,
      }),
    ).toThrow()
  })

  it('plans, moves, places and finishes meetings; the next one is the first not finished', () => {
    const doc = new Y.Doc()
    const march = addMeeting(doc, { startsAt: '2027-03-12T18:30:00Z', place: 'Buurthuis' })
    const april = addMeeting(doc, { startsAt: '2027-04-16T17:30:00Z', online: true })
    expect(readMeetings(doc).map((m) => m.id)).toEqual([march, april])
    expect(nextMeeting(readMeetings(doc), new Date('2027-03-01T12:00:00Z'))?.id).toBe(march)
    // On the evening itself the meeting is still the next one until it is finished.
    expect(nextMeeting(readMeetings(doc), new Date('2027-03-12T21:00:00Z'))?.id).toBe(march)
    finishMeeting(doc, march, new Date('2027-03-12T20:00:00Z'))
    expect(nextMeeting(readMeetings(doc), new Date('2027-03-12T21:00:00Z'))?.id).toBe(april)
    expect(nextMeeting(readMeetings(doc), new Date('2027-05-01T12:00:00Z'))).toBeNull()

    moveMeeting(doc, april, '2027-04-23T17:30:00Z')
    moveMeeting(doc, april, '2027-04-23T17:30:00.000Z')
    const moved = readMeetings(doc).find((m) => m.id === april)
    expect(moved).toMatchObject({ startsAt: '2027-04-23T17:30:00.000Z', sequence: 1, online: true })
    setMeetingPlace(doc, april, 'Bij Ria thuis', false)
    expect(readMeetings(doc).find((m) => m.id === april)).toMatchObject({
      place: 'Bij Ria thuis',
      online: false,
    })

    setMeetingPresent(doc, april, 'person:ria', true)
    setNote(doc, april, 'agreement:1', 'good', 'Gaat goed')
    removeMeeting(doc, april)
    expect(readMeetings(doc).map((m) => m.id)).toEqual([march])
    expect(readMeetingPresent(doc, april)).toEqual([])
    expect(readNote(doc, april, 'agreement:1', 'good')).toBe('')
  })

  it('leaves out a malformed meeting instead of breaking', () => {
    const doc = new Y.Doc()
    const bad = new Y.Map<unknown>()
    bad.set('startsAt', 'morgen')
    doc.getMap(BASISTEAM_MEETINGS_KEY).set('meeting:bad', bad)
    addMeeting(doc, { startsAt: '2027-03-12T18:30:00Z' })
    expect(readMeetings(doc)).toHaveLength(1)
  })

  it('keeps both devices’ presence, notes and status changes made at the same time', () => {
    const a = new Y.Doc()
    const b = new Y.Doc()
    const meeting = addMeeting(a, { startsAt: '2027-03-12T18:30:00Z' })
    const first = addAgreement(a, 'question:buurt', { what: 'Samen naar de markt' })
    const second = addAgreement(a, 'question:buurt', { what: 'Post openen' })
    setNote(a, meeting, first, 'good', 'Loopt')
    sync(a, b)

    setMeetingPresent(a, meeting, 'person:ria', true)
    setMeetingPresent(b, meeting, 'person:ahmed', true)
    setNote(a, meeting, first, 'good', 'Loopt goed')
    setNote(b, meeting, first, 'good', 'Het loopt')
    setStatus(a, first, 'on-track', meeting, new Date('2027-03-12T19:00:00Z'))
    setStatus(b, second, 'attention', meeting, new Date('2027-03-12T19:01:00Z'))
    sync(a, b)

    for (const doc of [a, b]) {
      expect(readMeetingPresent(doc, meeting)).toEqual(['person:ahmed', 'person:ria'])
      expect(readNote(doc, meeting, first, 'good')).toBe('Het loopt goed')
      expect(readStatusLog(doc).map((c) => [c.agreementId, c.status, c.meetingId])).toEqual([
        [first, 'on-track', meeting],
        [second, 'attention', meeting],
      ])
      expect(readAgreements(doc).map((x) => x.status)).toEqual(['on-track', 'attention'])
    }
    expect(readStatusLog(a, second)).toHaveLength(1)
  })

  it('writes no history for a status that does not change, and carries open agreements over', () => {
    const doc = new Y.Doc()
    const ids = ['a', 'b', 'c', 'd'].map((what) => addAgreement(doc, 'question:buurt', { what }))
    setStatus(doc, ids[0], 'on-track', null)
    setStatus(doc, ids[0], 'on-track', null)
    setStatus(doc, ids[1], 'done', null)
    setStatus(doc, ids[2], 'stopped', null)
    setStatus(doc, 'agreement:gone', 'done', null)
    expect(readStatusLog(doc)).toHaveLength(3)
    expect(openAgreements(readAgreements(doc)).map((x) => x.what)).toEqual(['a', 'd'])
  })
})
