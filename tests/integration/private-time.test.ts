import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { CreateAtlasResponse } from '../../shared/api/atlases'
import { AGREEMENTS_KEY, readServerPart } from '../../shared/plan/layout'
import { CloseCode } from '../../shared/sync/layout'
import {
  askForEverything,
  callApi,
  createAtlas,
  createLink,
  type RawClient,
  rawClient,
  syncedClient,
  waitFor,
} from '../helpers/clients'
import { removeDir, spawnServer } from '../helpers/server'
import { serverOfThisFile } from '../helpers/serverOfFile'

const { server, client, raws } = serverOfThisFile()

type Atlas = CreateAtlasResponse & { procesbegeleider: string; professional: string }

async function atlasWithRoles(base = server.url): Promise<Atlas> {
  const atlas = await createAtlas(base)
  const pb = await createLink(base, atlas.id, atlas.editToken, 'procesbegeleider', 'Jan')
  const pro = await createLink(base, atlas.id, atlas.editToken, 'professional', 'curator')
  return { ...atlas, procesbegeleider: pb.token, professional: pro.token }
}

function setPrivateTime(atlas: Atlas, token: string, on: boolean, base = server.url) {
  return callApi(base, 'PUT', `/api/atlases/${atlas.id}/private-time`, token, { on })
}

/** A raw socket that asks for everything as soon as it is open, as a reading client does. */
function raw(room: string, token: string, wsUrl = server.wsUrl): RawClient {
  const r = rawClient(wsUrl, room, token)
  raws.push(r)
  r.opened.then(() => r.send(askForEverything())).catch(() => {})
  return r
}

/** Every byte a socket received, as one buffer (to search for a text in it). */
function received(r: RawClient): Buffer {
  return Buffer.concat(r.frames.map((f) => Buffer.from(f)))
}

/** Writes an agreement whose text is `what` into a plan doc. */
function writeAgreement(doc: Y.Doc, id: string, what: string): void {
  doc.transact(() => {
    const agreement = new Y.Map<unknown>()
    agreement.set('questionId', 'question:q1')
    agreement.set('what', new Y.Text(what))
    doc.getMap(AGREEMENTS_KEY).set(id, agreement)
  })
}

describe('privétijd', () => {
  it('is switched on and off by an edit link; a professional may switch it on, never off; a view link neither', async () => {
    const atlas = await atlasWithRoles()
    expect((await setPrivateTime(atlas, atlas.viewToken, true)).status).toBe(403)
    expect((await setPrivateTime(atlas, atlas.professional, false)).status).toBe(403)
    expect((await setPrivateTime(atlas, atlas.editToken, true)).status).toBe(204)
    // During privétijd: ending it stays 403 for a professional; his other calls answer 423.
    for (const token of [atlas.professional, atlas.procesbegeleider]) {
      expect((await setPrivateTime(atlas, token, false)).status).toBe(403)
      const info = await callApi(server.url, 'GET', `/api/atlases/${atlas.id}`, token)
      expect(info.status).toBe(423)
      expect((await info.json()).error).toMatch(/Private time/)
      const set = await callApi(
        server.url,
        'POST',
        `/api/atlases/${atlas.id}/piketpaaltjes`,
        token,
        {
          text: 'Budgetcoach blijft',
        },
      )
      expect(set.status).toBe(423)
    }
    const view = await callApi(server.url, 'GET', `/api/atlases/${atlas.id}`, atlas.viewToken)
    expect(await view.json()).toMatchObject({ role: 'view', privateTime: true })
    expect((await setPrivateTime(atlas, atlas.editToken, false)).status).toBe(204)
    const pro = await callApi(server.url, 'GET', `/api/atlases/${atlas.id}`, atlas.professional)
    expect(await pro.json()).toMatchObject({ role: 'professional', privateTime: false })
    // The facilitator leaves the room himself.
    expect((await setPrivateTime(atlas, atlas.procesbegeleider, true)).status).toBe(204)
    expect(
      (await callApi(server.url, 'GET', `/api/atlases/${atlas.id}`, atlas.procesbegeleider)).status,
    ).toBe(423)
    const bad = await callApi(
      server.url,
      'PUT',
      `/api/atlases/${atlas.id}/private-time`,
      atlas.editToken,
      { on: 'yes' },
    )
    expect(bad.status).toBe(400)
    expect((await bad.json()).error).toMatch(/on must be true or false/)
  })

  it('closes every professional socket within 1 s and sends them no byte after the switch; a new one is closed with 4403 before any byte', async () => {
    const atlas = await atlasWithRoles()
    const writer = await client(`${atlas.id}/plan`, atlas.editToken)
    const sockets = [
      raw(atlas.id, atlas.professional),
      raw(`${atlas.id}/plan`, atlas.professional),
      raw(atlas.id, atlas.procesbegeleider),
      raw(`${atlas.id}/plan`, atlas.procesbegeleider),
    ]
    await waitFor(() => sockets.every((s) => s.frames.length > 0), 'every socket to be answered')
    const viewer = await client(`${atlas.id}/plan`, atlas.viewToken)

    const before = sockets.map((s) => s.frames.length)
    const started = Date.now()
    expect((await setPrivateTime(atlas, atlas.editToken, true)).status).toBe(204)
    writeAgreement(writer.doc, 'a1', 'GEHEIM-PLAN')
    const closes = await Promise.all(sockets.map((s) => s.closed))
    expect(Date.now() - started).toBeLessThan(1000)
    for (const close of closes) expect(close.code).toBe(CloseCode.PrivateTime)
    // The network goes on: the viewer gets the agreement.
    await waitFor(() => viewer.doc.getMap(AGREEMENTS_KEY).has('a1'), 'the viewer to get it')
    for (const [i, s] of sockets.entries()) {
      expect(s.frames.length).toBe(before[i])
      expect(received(s).includes('GEHEIM-PLAN')).toBe(false)
    }
    for (const room of [atlas.id, `${atlas.id}/plan`]) {
      const late = raw(room, atlas.professional)
      const close = await late.closed
      expect(close.code).toBe(CloseCode.PrivateTime)
      expect(late.frames).toHaveLength(0)
    }
  })

  it('sends a professional nothing of an edit made in the same event-loop turn as the switch', async () => {
    const atlas = await atlasWithRoles()
    const pro = raw(`${atlas.id}/plan`, atlas.professional)
    await waitFor(() => pro.frames.length > 0, 'the professional to be answered')
    const room = await server.server.registry.peek(`${atlas.id}/plan`)
    if (!room) throw new Error('the plan room is not open')
    // Two edits in one turn make the room busy: the next turn's edits wait for its end (a calm
    // room sends a lone edit at once, before anything later in the turn could switch).
    writeAgreement(room.doc, 'b1', 'DRUK')
    writeAgreement(room.doc, 'b2', 'DRUK')
    await waitFor(() => received(pro).includes('b2'), 'the professional to get both')
    const before = pro.frames.length
    // The edit is queued for the end of this turn; the switch comes right after it, in the same
    // turn, and one more edit after the switch.
    writeAgreement(room.doc, 'a1', 'ZELFDE-BEURT')
    server.server.access.setPrivate(atlas.id, true)
    writeAgreement(room.doc, 'a2', 'NA-DE-SCHAKELAAR')
    expect((await pro.closed).code).toBe(CloseCode.PrivateTime)
    expect(pro.frames.length).toBe(before)
    expect(received(pro).includes('ZELFDE-BEURT')).toBe(false)
    expect(received(pro).includes('NA-DE-SCHAKELAAR')).toBe(false)
    server.server.access.setPrivate(atlas.id, false)
  })

  it('never shows a professional what was typed and deleted during privétijd, also after a restart', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'netwerkatlas-private-'))
    let child = await spawnServer(dataDir)
    try {
      const atlas = await atlasWithRoles(child.url)
      expect((await setPrivateTime(atlas, atlas.editToken, true, child.url)).status).toBe(204)
      const writer = await syncedClient(child.wsUrl, `${atlas.id}/plan`, atlas.editToken)
      writeAgreement(writer.doc, 'a1', 'Tim komt elke week')
      const text = (writer.doc.getMap(AGREEMENTS_KEY).get('a1') as Y.Map<Y.Text>).get('what')
      text?.insert(0, 'CONCEPT-DAT-WEG-MOET ')
      await new Promise((r) => setTimeout(r, 300))
      text?.delete(0, 'CONCEPT-DAT-WEG-MOET '.length)
      // Saved (appended to the log), and the writer stays: the log is not folded into a snapshot.
      await new Promise((r) => setTimeout(r, 1200))
      expect((await setPrivateTime(atlas, atlas.editToken, false, child.url)).status).toBe(204)

      const look = async (wsUrl: string) => {
        const pro = raw(`${atlas.id}/plan`, atlas.professional, wsUrl)
        await waitFor(() => received(pro).includes('Tim komt elke week'), 'the plan to arrive')
        expect(received(pro).includes('CONCEPT-DAT-WEG-MOET')).toBe(false)
        pro.ws.terminate()
      }
      await look(child.wsUrl)
      // A cold start reads the stored log, which holds the draft (killed while the writer is in
      // the room, so the log was never folded into a clean snapshot).
      child.child.kill('SIGKILL')
      await child.exited
      writer.destroy()
      child = await spawnServer(dataDir)
      await look(child.wsUrl)
    } finally {
      child.child.kill('SIGKILL')
      await child.exited
      await removeDir(dataDir)
    }
  })

  it('is stored before the answer: after kill -9 right after the switch it is still on', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'netwerkatlas-private-'))
    let child = await spawnServer(dataDir)
    try {
      const atlas = await atlasWithRoles(child.url)
      expect((await setPrivateTime(atlas, atlas.editToken, true, child.url)).status).toBe(204)
      child.child.kill('SIGKILL')
      await child.exited
      child = await spawnServer(dataDir)
      const info = await callApi(child.url, 'GET', `/api/atlases/${atlas.id}`, atlas.professional)
      expect(info.status).toBe(423)
      const late = raw(`${atlas.id}/plan`, atlas.professional, child.wsUrl)
      expect((await late.closed).code).toBe(CloseCode.PrivateTime)
      expect(late.frames).toHaveLength(0)
      // And the plan's server part says so to the network.
      const viewer = await syncedClient(child.wsUrl, `${atlas.id}/plan`, atlas.viewToken)
      expect(readServerPart(viewer.doc).privateTime.on).toBe(true)
      viewer.destroy()
    } finally {
      child.child.kill('SIGKILL')
      await child.exited
      await removeDir(dataDir)
    }
  })
})
