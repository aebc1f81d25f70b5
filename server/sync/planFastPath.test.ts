import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  addAgreement,
  setAgreementText,
  setAgreementValue,
  setBasisteamMember,
  setExpectation,
  setFirstMeeting,
  setMeetingStep,
  setPresent,
} from '../../shared/plan/actions'
import { addMeeting, moveMeeting, setMember, setNote, setStatus } from '../../shared/plan/basisteam'
import { type PlanIssue, transactionPlanIssue } from '../../shared/plan/check'
import {
  AGREEMENTS_KEY,
  MAX_PLAN_KEY,
  MAX_PLAN_TEXT,
  MEETING_KEY,
  PLAN_ROOTS,
} from '../../shared/plan/layout'
import { createLogger } from '../log'
import { planWriteSurelyFits } from './planFastPath'
import { encodeUpdate } from './protocol'
import { type Connection, Room } from './room'
import { type ReadUpdate, readUpdate } from './updateCheck'

const LIMITS = { maxStructs: 150_000, maxDeleteRanges: 100_000 }

/** The full check's verdict: the update applied to a copy of the server's plan. */
function fullCheck(server: Y.Doc, update: Uint8Array): PlanIssue | null {
  const copy = new Y.Doc()
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(server))
  let issue: PlanIssue | null = null
  copy.on('afterTransaction', (tr: Y.Transaction) => {
    issue ??= transactionPlanIssue(copy, tr)
  })
  Y.applyUpdate(copy, update)
  return issue
}

/** A server's plan and a device in step with it; each change is judged by both checks. */
function plan() {
  const server = new Y.Doc()
  // As a plan room holds them (`Room`): every top-level map named.
  for (const name of PLAN_ROOTS) server.getMap(name)
  const state = { device: new Y.Doc() }
  const judge = (change: (doc: Y.Doc) => void, doc = state.device) => {
    const updates: Uint8Array[] = []
    const note = (u: Uint8Array) => updates.push(u)
    doc.on('update', note)
    change(doc)
    doc.off('update', note)
    expect(updates.length).toBeGreaterThan(0)
    const update = Y.mergeUpdates(updates)
    const read = readUpdate(update, LIMITS)
    if ('refused' in read) throw new Error(read.refused)
    const fast = planWriteSurelyFits(read as ReadUpdate, server)
    const full = fullCheck(server, update)
    // What the fast path accepts, the full check accepts.
    if (fast) expect(full).toBeNull()
    if (full === null) Y.applyUpdate(server, update)
    else {
      // A refused device reconnects as a new one, with the server's plan.
      state.device = new Y.Doc()
      Y.applyUpdate(state.device, Y.encodeStateAsUpdate(server))
    }
    return { fast, full }
  }
  return { server, state, judge }
}

const agreement = (doc: Y.Doc, id: string) =>
  (doc.getMap(AGREEMENTS_KEY).get(id) as Y.Map<unknown>) ?? new Y.Map()
const text = (doc: Y.Doc, id: string, field: string) => agreement(doc, id).get(field) as Y.Text

describe('the plan check fast path', () => {
  it('finds the edits people make all the time fitting, without the full check', () => {
    const { judge } = plan()
    expect(judge((d) => setMeetingStep(d, 'welcome')).full).toBeNull()
    expect(judge((d) => addAgreement(d, 'question:a', { id: 'a1', what: 'Koffie' })).fast).toBe(
      false,
    )
    expect(judge((d) => setMeetingStep(d, 'questions')).fast).toBe(true)
    expect(judge((d) => setMeetingStep(d, 'information')).fast).toBe(true)
    expect(judge((d) => text(d, 'a1', 'what').insert(6, ' drinken')).fast).toBe(true)
    expect(judge((d) => text(d, 'a1', 'what').insert(0, 'Samen ')).fast).toBe(true)
    expect(judge((d) => text(d, 'a1', 'what').delete(0, 6)).fast).toBe(true)
    expect(judge((d) => setAgreementText(d, 'a1', 'what', 'Thee drinken')).fast).toBe(true)
    expect(judge((d) => setAgreementValue(d, 'a1', 'status', 'attention')).fast).toBe(true)
    expect(judge((d) => setAgreementValue(d, 'a1', 'date', '2027-03-12')).fast).toBe(true)
    expect(judge((d) => setAgreementValue(d, 'a1', 'date', null)).fast).toBe(true)
    expect(judge((d) => setPresent(d, 'person:ria', true)).fast).toBe(true)
    expect(judge((d) => setPresent(d, 'person:ria', false)).fast).toBe(true)
    expect(judge((d) => setBasisteamMember(d, 'person:ria', true)).fast).toBe(true)
    expect(judge((d) => setFirstMeeting(d, '2027-03-12')).fast).toBe(true)
    judge((d) => setExpectation(d, 'person:ria', 'Dat het gezellig is'))
    expect(judge((d) => setExpectation(d, 'person:ria', 'Dat het heel gezellig is')).fast).toBe(
      true,
    )
    judge((d) => addMeeting(d, { id: 'm1', startsAt: '2027-03-12T18:30:00.000Z' } as never))
    expect(judge((d) => moveMeeting(d, 'm1', '2027-04-12T17:30:00.000Z')).fast).toBe(true)
    judge((d) => setNote(d, 'm1', 'a1', 'good', 'Gaat goed'))
    expect(judge((d) => setNote(d, 'm1', 'a1', 'good', 'Gaat heel goed')).fast).toBe(true)
    expect(judge((d) => setStatus(d, 'a1', 'done', 'm1')).full).toBeNull()
    const member = {
      personId: 'person:ria',
      teamRole: 'Houdt de datum bij',
      contact: null,
      contactNote: '',
      professional: false,
    }
    expect(judge((d) => setMember(d, member as never)).fast).toBe(true)
  })

  it('leaves every write that may not fit to the full check', () => {
    const { judge } = plan()
    judge((d) => setMeetingStep(d, 'welcome'))
    judge((d) => addAgreement(d, 'question:a', { id: 'a1', what: 'Koffie' }))
    const refusedByBoth = [
      (d: Y.Doc) => d.getMap(MEETING_KEY).set('step', 'dancing'),
      (d: Y.Doc) => d.getMap(MEETING_KEY).set('colour', 'red'),
      (d: Y.Doc) => agreement(d, 'a1').set('what', 'a plain string'),
      (d: Y.Doc) => agreement(d, 'a1').set('status', 'weird'),
      (d: Y.Doc) => agreement(d, 'a1').set('colour', 'red'),
      (d: Y.Doc) => agreement(d, 'a1').set('index', new Y.Map()),
      (d: Y.Doc) => text(d, 'a1', 'what').insert(0, 'x'.repeat(MAX_PLAN_TEXT)),
      (d: Y.Doc) => d.getMap('meeting-present').set('k'.repeat(MAX_PLAN_KEY + 1), true),
      (d: Y.Doc) => d.getMap('meeting-present').set('person:ria', 'yes'),
    ]
    for (const [i, change] of refusedByBoth.entries()) {
      const { fast, full } = judge(change)
      expect({ i, fast, refused: full !== null }).toEqual({ i, fast: false, refused: true })
    }
    // The server's part: the server undoes it; never the fast path's to let through.
    expect(judge((d) => d.getMap('server').set('approvals', [])).fast).toBe(false)
  })

  it('leaves a value that may lose to another device’s to the full check', () => {
    const { server, judge } = plan()
    judge((d) => setMeetingStep(d, 'welcome'))
    // A second device that has not seen the first's last step writes its own.
    const other = new Y.Doc()
    Y.applyUpdate(other, Y.encodeStateAsUpdate(server))
    judge((d) => setMeetingStep(d, 'questions'))
    expect(judge((d) => setMeetingStep(d, 'information'), other).fast).toBe(false)
  })
})

/** A plan room with one edit connection, and a device whose each change is sent to it whole. */
function planRoom() {
  const room = new Room(`${'A'.repeat(22)}/plan`, null, createLogger('silent'))
  const conn: Connection = { role: 'edit', send: () => {} }
  room.join(conn)
  const device = new Y.Doc()
  const send = (change: () => void) => {
    const updates: Uint8Array[] = []
    const note = (u: Uint8Array) => updates.push(u)
    device.on('update', note)
    change()
    device.off('update', note)
    room.receive(conn, encodeUpdate(Y.mergeUpdates(updates)))
  }
  return { room, device, send }
}

describe('a plan room', () => {
  it('holds a full check against everything the fast path let through before it', () => {
    const { room, device, send } = planRoom()
    send(() => addAgreement(device, 'question:a', { id: 'a1' }))
    // 49,000 characters, typed in pieces the fast path takes.
    for (let i = 0; i < 49; i++) send(() => text(device, 'a1', 'what').insert(0, 'x'.repeat(1000)))
    // Two pieces, the second inside the first, take the full check: with the 49,000 the text is
    // past the longest.
    expect(() =>
      send(() => {
        device.transact(() => {
          text(device, 'a1', 'what').insert(0, 'y'.repeat(600))
          text(device, 'a1', 'what').insert(300, 'z'.repeat(401))
        })
      }),
    ).toThrow(/too-long/)
    room.destroy()
  })

  it('makes its copy again after dropping it, with everything written since', () => {
    const { room, device, send: sendNow } = planRoom()
    const send = (change: () => void) => {
      sendNow(change)
      room.flush()
    }
    send(() => addAgreement(device, 'question:a', { id: 'a1' }))
    // The full check made the copy; 490 pieces of 100 through the fast path outgrow what it may
    // lag behind, more than once.
    for (let i = 0; i < 490; i++) send(() => text(device, 'a1', 'what').insert(0, 'x'.repeat(100)))
    expect(() =>
      send(() => {
        device.transact(() => {
          text(device, 'a1', 'what').insert(0, 'y'.repeat(600))
          text(device, 'a1', 'what').insert(300, 'z'.repeat(401))
        })
      }),
    ).toThrow(/too-long/)
    room.destroy()
  })
})
