import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  addAgreement,
  addWho,
  removeWho,
  setAgreementText,
  setAgreementValue,
  setBasisteamMember,
  setExpectation,
  setMeetingStep,
  setPresent,
} from './actions'
import {
  AGREEMENTS_KEY,
  MEETING_PRESENT_KEY,
  planHashInput,
  readAgreements,
  readPlan,
  SERVER_KEY,
} from './layout'

/** Two documents that exchange every update, like two devices on one server. */
function pair(): [Y.Doc, Y.Doc] {
  const a = new Y.Doc()
  const b = new Y.Doc()
  a.on('update', (u: Uint8Array, origin: unknown) => origin !== 'b' && Y.applyUpdate(b, u, 'a'))
  b.on('update', (u: Uint8Array, origin: unknown) => origin !== 'a' && Y.applyUpdate(a, u, 'b'))
  return [a, b]
}

/** Two documents apart (offline), joined later. */
function apart(): { a: Y.Doc; b: Y.Doc; join(): void } {
  const a = new Y.Doc()
  const b = new Y.Doc()
  return {
    a,
    b,
    join() {
      Y.applyUpdate(a, Y.encodeStateAsUpdate(b))
      Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
    },
  }
}

describe('the plan document', () => {
  it('keeps both texts when two people type in one agreement at the same time', () => {
    const [a, b] = pair()
    const id = addAgreement(a, 'question:q1', { what: 'Tim helpt met de computer' })
    const { a: x, b: y, join } = apart()
    Y.applyUpdate(x, Y.encodeStateAsUpdate(a))
    Y.applyUpdate(y, Y.encodeStateAsUpdate(b))
    setAgreementText(x, id, 'what', 'Elke zaterdag: Tim helpt met de computer')
    setAgreementText(y, id, 'what', 'Tim helpt met de computer en de telefoon')
    join()
    const expected = 'Elke zaterdag: Tim helpt met de computer en de telefoon'
    expect(readAgreements(x)[0]?.what).toBe(expected)
    expect(readAgreements(y)[0]?.what).toBe(expected)
  })

  it('orders agreements under their question and keeps who does them as person ids', () => {
    const doc = new Y.Doc()
    const first = addAgreement(doc, 'question:q1', { what: 'eerste' })
    const last = addAgreement(doc, 'question:q1', { what: 'laatste' })
    const middle = addAgreement(doc, 'question:q1', { what: 'midden', afterId: first })
    addAgreement(doc, 'question:q2', { what: 'andere vraag' })
    expect(
      readAgreements(doc)
        .filter((a) => a.questionId === 'question:q1')
        .map((a) => a.id),
    ).toEqual([first, middle, last])
    addWho(doc, first, 'person:ria')
    addWho(doc, first, 'person:tim')
    addWho(doc, first, 'person:ria')
    removeWho(doc, first, 'person:tim')
    setAgreementValue(doc, first, 'frequency', 'weekly')
    setAgreementValue(doc, first, 'backupPersonId', 'person:fatima')
    expect(readAgreements(doc).find((a) => a.id === first)).toMatchObject({
      who: ['person:ria'],
      frequency: 'weekly',
      backupPersonId: 'person:fatima',
      date: null,
    })
  })

  it('reads a damaged document without the damaged parts instead of breaking', () => {
    const doc = new Y.Doc()
    const good = addAgreement(doc, 'question:q1', { what: 'Samen eten' })
    doc.getMap(AGREEMENTS_KEY).set('x', 'not a map' as never)
    const bad = new Y.Map<unknown>()
    bad.set('who', 'ria')
    bad.set('frequency', 'sometimes')
    bad.set('date', '5 december')
    doc.getMap(AGREEMENTS_KEY).set('y', bad)
    doc.getMap(SERVER_KEY).set('piketpaaltjes', [{ text: 1 }])
    doc.getMap(SERVER_KEY).set('privateTime', 'on')
    doc.getMap(MEETING_PRESENT_KEY).set('person:ria', true)
    doc.getMap(MEETING_PRESENT_KEY).set('person:tim', 5)
    const plan = readPlan(doc)
    expect(plan.meeting.present).toEqual(['person:ria'])
    // An agreement with a field of the wrong kind or value is left out whole; the rest shows.
    expect(plan.agreements.map((a) => a.id)).toEqual([good])
    expect(plan.agreements[0]).toMatchObject({ who: [], frequency: null, date: null })
    expect(plan.server).toEqual({
      piketpaaltjes: [],
      approvals: [],
      privateTime: { on: false, since: null },
    })
  })

  it('holds the meeting: its step, who is here and what each hopes for', () => {
    const [a, b] = pair()
    setMeetingStep(a, 'introductions')
    setPresent(a, 'person:ria', true)
    setPresent(b, 'person:tim', true)
    setPresent(b, 'person:ria', false)
    setExpectation(a, 'person:tim', 'Dat Sanne een plan heeft')
    expect(readPlan(b).meeting).toEqual({
      step: 'introductions',
      present: ['person:tim'],
      expectations: { 'person:tim': 'Dat Sanne een plan heeft' },
    })
  })

  it('keeps who is here and the basisteam made on two devices apart, when they meet again', () => {
    const { a, b, join } = apart()
    setPresent(a, 'person:ria', true)
    setExpectation(a, 'person:ria', 'Een plan')
    setBasisteamMember(a, 'person:ria', true)
    setPresent(b, 'person:kees', true)
    setExpectation(b, 'person:kees', 'Rust')
    setBasisteamMember(b, 'person:kees', true)
    join()
    for (const doc of [a, b]) {
      expect(readPlan(doc).meeting.present).toEqual(['person:kees', 'person:ria'])
      expect(readPlan(doc).meeting.expectations).toEqual({
        'person:kees': 'Rust',
        'person:ria': 'Een plan',
      })
      expect(readPlan(doc).basisteam.members).toEqual(['person:kees', 'person:ria'])
    }
  })

  it('hashes what the plan says, not how it is going', () => {
    const doc = new Y.Doc()
    const id = addAgreement(doc, 'question:q1', { what: 'Ria helpt met de post' })
    const questions = [{ id: 'question:q1', text: 'Wie helpt mij met mijn post?' }]
    const before = planHashInput(questions, readAgreements(doc))
    setAgreementValue(doc, id, 'status', 'on-track')
    setAgreementText(doc, id, 'note', 'Gaat goed')
    expect(planHashInput(questions, readAgreements(doc))).toBe(before)
    setAgreementText(doc, id, 'what', 'Ria helpt elke maand met de post')
    expect(planHashInput(questions, readAgreements(doc))).not.toBe(before)
    // An agreement whose question left the basisposter still counts.
    expect(planHashInput([], readAgreements(doc))).toContain('Ria helpt elke maand')
  })
})
