import { afterEach, describe, expect, it } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import { addAgreement } from '../../shared/plan/actions'
import {
  addMeeting,
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
} from '../../shared/plan/basisteam'
import { readAgreements } from '../../shared/plan/layout'
import { createAtlas, syncedClient, waitFor } from '../helpers/clients'
import { removeDir, startTestServer, type TestServer } from '../helpers/server'

const servers: TestServer[] = []
const providers: WebsocketProvider[] = []

afterEach(async () => {
  for (const p of providers.splice(0)) p.destroy()
  for (const s of servers.splice(0)) await s.close()
})

async function client(server: TestServer, room: string, token: string) {
  const p = await syncedClient(server.wsUrl, room, token)
  providers.push(p)
  return p
}

describe('the basisteam in the plan, on a real server', () => {
  it('keeps members, meetings, who was there, notes and status history across a restart; a view link changes none of it', async () => {
    const first = await startTestServer()
    servers.push(first)
    const atlas = await createAtlas(first.url)
    const room = `${atlas.id}/plan`
    const editor = await client(first, room, atlas.editToken)
    const doc = editor.doc
    const agreement = addAgreement(doc, 'question:buurt', { what: 'Samen naar de markt' })
    setMember(doc, {
      personId: 'person:ria',
      teamRole: 'houdt de datum bij',
      contact: 'call',
      contactNote: 'belt liever',
      professional: false,
    })
    const meeting = addMeeting(doc, { startsAt: '2027-03-12T18:30:00Z', place: 'Buurthuis' })
    moveMeeting(doc, meeting, '2027-03-19T18:30:00Z')
    setMeetingPresent(doc, meeting, 'person:ria', true)
    setNote(doc, meeting, agreement, 'attention', 'Ahmed is vaak weg')
    setStatus(doc, agreement, 'attention', meeting)

    const viewer = await client(first, room, atlas.viewToken)
    await waitFor(() => readStatusLog(viewer.doc).length === 1, 'the viewer to see the status')
    // A view link's changes never reach the server.
    setStatus(viewer.doc, agreement, 'stopped', meeting)
    setMember(viewer.doc, {
      personId: 'person:stranger',
      teamRole: '',
      contact: null,
      contactNote: '',
      professional: false,
    })
    await new Promise((resolve) => setTimeout(resolve, 300))
    editor.destroy()
    viewer.destroy()
    await first.close()
    servers.length = 0

    const second = await startTestServer({ dataDir: first.dataDir })
    servers.push(second)
    const fresh = await client(second, room, atlas.editToken)
    const d = fresh.doc
    expect(readMembers(d)).toEqual([
      {
        personId: 'person:ria',
        teamRole: 'houdt de datum bij',
        contact: 'call',
        contactNote: 'belt liever',
        professional: false,
      },
    ])
    expect(readMeetings(d)).toEqual([
      {
        id: meeting,
        startsAt: '2027-03-19T18:30:00.000Z',
        minutes: 90,
        sequence: 1,
        place: 'Buurthuis',
        online: false,
        finishedAt: null,
      },
    ])
    expect(readMeetingPresent(d, meeting)).toEqual(['person:ria'])
    expect(readNote(d, meeting, agreement, 'attention')).toBe('Ahmed is vaak weg')
    expect(readStatusLog(d).map((c) => [c.status, c.meetingId])).toEqual([['attention', meeting]])
    expect(readAgreements(d)[0]?.status).toBe('attention')
    await removeDir(first.dataDir)
  })
})
