import { createHash } from 'node:crypto'
import { mkdtemp, readdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { type AtlasFile, buildAtlasFile, ImportAtlasResponse } from '../../shared/api/atlasFile'
import { type PlanVersion, VersionList } from '../../shared/api/versions'
import { readAtlasContent } from '../../shared/domain/content'
import { buildSampleAtlas, seedAtlasDoc } from '../../shared/domain/sampleAtlas'
import {
  addAgreement,
  addWho,
  setAgreementText,
  setFirstMeeting,
  setMeetingStep,
} from '../../shared/plan/actions'
import {
  addMeeting,
  finishMeeting,
  moveMeeting,
  readMeetings,
  readStatusLog,
  setMeetingPresent,
  setMember,
  setNote,
  setStatus,
} from '../../shared/plan/basisteam'
import { readAgreements } from '../../shared/plan/layout'
import { readPlanPart } from '../../shared/plan/planFile'
import { versionContent, versionHashInput } from '../../shared/plan/versions'
import { callApi, createAtlas, syncedClient, waitFor } from '../helpers/clients'
import { removeDir, spawnServer } from '../helpers/server'
import { serverOfThisFile } from '../helpers/serverOfFile'

const { server } = serverOfThisFile()
const providers: WebsocketProvider[] = []

afterAll(() => {
  for (const provider of providers) provider.destroy()
})

async function client(room: string, token: string): Promise<WebsocketProvider> {
  const provider = await syncedClient(server.wsUrl, room, token)
  providers.push(provider)
  return provider
}

function postFile(body: string) {
  return fetch(`${server.url}/api/atlases/import`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body,
  })
}

async function versionsOf(atlasId: string, token: string) {
  const response = await callApi(server.url, 'GET', `/api/atlases/${atlasId}/versions`, token)
  expect(response.status).toBe(200)
  return VersionList.parse(await response.json()).versions
}

function atlasFolders(): Promise<string[]> {
  return readdir(join(server.dataDir, 'atlases')).catch(() => [])
}

/** Sanne's plan: agreements done by persons of the atlas, a basisteam and two meetings. */
function writePlan(plan: Y.Doc, questionIds: string[]) {
  const [q1 = '', q2 = ''] = questionIds
  const eat = addAgreement(plan, q1, { what: 'Elke zondag samen eten bij mam' })
  addWho(plan, eat, 'person:ria')
  addWho(plan, eat, 'person:client')
  setAgreementText(plan, eat, 'fallback', 'Dan belt Sanne op maandag')
  const bike = addAgreement(plan, q1, { what: 'Samen fietsen naar het werk' })
  addWho(plan, bike, 'person:ahmed')
  const money = addAgreement(plan, q2, { what: 'Budget samen bekijken' })
  addWho(plan, money, 'person:marleen')
  setMeetingStep(plan, 'basisteam')
  setFirstMeeting(plan, '2027-03-12')
  for (const [personId, teamRole, professional] of [
    ['person:client', 'voorzitter', false],
    ['person:ria', 'houdt de datum bij', false],
    ['person:ahmed', '', false],
    ['person:marleen', 'jobcoach', true],
  ] as const) {
    setMember(plan, {
      personId,
      teamRole,
      contact: 'app',
      contactNote: 'belt liever',
      professional,
    })
  }
  const first = addMeeting(plan, { startsAt: '2027-03-12T18:30:00Z', place: 'Bij Sanne' })
  moveMeeting(plan, first, '2027-03-13T18:30:00Z')
  setMeetingPresent(plan, first, 'person:client', true)
  setMeetingPresent(plan, first, 'person:ria', true)
  setNote(plan, first, eat, 'good', 'Gaat elke week goed')
  setNote(plan, first, bike, 'attention', 'Bij regen lastig')
  setStatus(plan, eat, 'on-track', first, new Date('2027-03-13T19:00:00Z'))
  setStatus(plan, bike, 'attention', first, new Date('2027-03-13T19:05:00Z'))
  finishMeeting(plan, first, new Date('2027-03-13T20:00:00Z'))
  const second = addMeeting(plan, { startsAt: '2027-09-10T17:30:00Z', online: true })
  setMeetingPresent(plan, second, 'person:marleen', true)
  setNote(plan, second, money, 'good', 'Het lukt al bijna alleen')
  setStatus(plan, money, 'done', second, new Date('2027-09-10T18:00:00Z'))
  return { first, second, bike }
}

describe('an atlas file with the plan', () => {
  it('carries the plan, the basisteam, its meetings and the versions into a new atlas', async () => {
    const atlas = await createAtlas(server.url)
    const maps = await client(atlas.id, atlas.editToken)
    const plan = await client(`${atlas.id}/plan`, atlas.editToken)
    seedAtlasDoc(maps.doc, buildSampleAtlas())
    const questions = readAtlasContent(maps.doc).questions.map((q) => q.id)
    const { first, second, bike } = writePlan(plan.doc, questions)

    // The server keeps a version from the documents it holds: wait until it holds both.
    const expected = readPlanPart(plan.doc)
    await waitFor(async () => {
      const probe = await syncedClient(server.wsUrl, `${atlas.id}/plan`, atlas.viewToken)
      const same = JSON.stringify(readPlanPart(probe.doc)) === JSON.stringify(expected)
      probe.destroy()
      return same
    }, 'the plan on the server')
    const keep = (meetingId: string) =>
      callApi(server.url, 'POST', `/api/atlases/${atlas.id}/versions`, atlas.editToken, {
        meetingId,
      })
    expect((await keep(first)).status).toBe(201)
    setAgreementText(plan.doc, bike, 'what', 'Samen fietsen, op dinsdag')
    await waitFor(async () => {
      const probe = await syncedClient(server.wsUrl, `${atlas.id}/plan`, atlas.viewToken)
      const done = readAgreements(probe.doc).some((a) => a.what === 'Samen fietsen, op dinsdag')
      probe.destroy()
      return done
    }, 'the changed agreement on the server')
    expect((await keep(second)).status).toBe(201)
    const versions = await versionsOf(atlas.id, atlas.viewToken)
    expect(versions).toHaveLength(2)

    // The same builder the export dialog calls, with the plan document and the versions.
    const file = buildAtlasFile(maps.doc, 'Atlas van Sanne', new Date(), {
      doc: plan.doc,
      versions,
    })
    const response = await postFile(JSON.stringify(file))
    expect(response.status).toBe(201)
    const made = ImportAtlasResponse.parse(await response.json())
    expect(made.skipped).toEqual([])

    const copy = await client(`${made.id}/plan`, made.viewToken)
    await waitFor(() => readMeetings(copy.doc).length === 2, 'the imported plan')
    expect(readPlanPart(copy.doc)).toEqual(readPlanPart(plan.doc))
    expect(readStatusLog(copy.doc)).toHaveLength(3)
    expect(readMeetings(copy.doc)[0]?.sequence).toBe(1)
    const copied = await versionsOf(made.id, made.viewToken)
    expect(copied).toEqual(versions)
    expect(copied.map((v) => v.number)).toEqual([1, 2])
  })

  it('still imports a version 1 file, which has no plan', async () => {
    const doc = buildSampleAtlasDoc()
    const { plan: _plan, versions: _versions, ...rest } = buildAtlasFile(doc, 'Oud bestand')
    const response = await postFile(JSON.stringify({ ...rest, version: 1 }))
    expect(response.status).toBe(201)
    const made = ImportAtlasResponse.parse(await response.json())
    expect(made.skipped).toEqual([])
    const plan = await client(`${made.id}/plan`, made.viewToken)
    expect(readAgreements(plan.doc)).toEqual([])
    expect(await versionsOf(made.id, made.viewToken)).toEqual([])
  })

  it('refuses a damaged plan part or a version that does not match its hash, and creates nothing', async () => {
    const doc = buildSampleAtlasDoc()
    const good = buildAtlasFile(doc, 'Kapot', new Date(), {
      doc: planDoc(doc),
      versions: [],
    })
    const before = await atlasFolders()
    const damaged: AtlasFile = JSON.parse(JSON.stringify(good))
    ;(damaged.plan as unknown as { agreements: unknown }).agreements = [{ id: 'a' }]
    const stranger: AtlasFile = JSON.parse(JSON.stringify(good))
    stranger.plan?.agreements[0]?.who.push('shape:box')
    const forged: AtlasFile = JSON.parse(JSON.stringify(good))
    forged.versions = [
      {
        id: 'v',
        number: 1,
        at: '2027-03-13T20:00:00.000Z',
        meetingId: null,
        planHash: '0'.repeat(64),
        content: { client: 'Sanne', questions: [], agreements: [] },
      },
    ]
    for (const [file, words] of [
      [damaged, 'plan.agreements.0'],
      [stranger, 'shape:box'],
      [forged, 'hash'],
    ] as const) {
      const response = await postFile(JSON.stringify(file))
      expect(response.status).toBe(400)
      expect(((await response.json()) as { error: string }).error).toContain(words)
    }
    expect(await atlasFolders()).toEqual(before)
  })
})

function buildSampleAtlasDoc(): Y.Doc {
  const doc = new Y.Doc()
  seedAtlasDoc(doc, buildSampleAtlas())
  return doc
}

function planDoc(atlas: Y.Doc): Y.Doc {
  const doc = new Y.Doc()
  writePlan(
    doc,
    readAtlasContent(atlas).questions.map((q) => q.id),
  )
  return doc
}

describe('an imported plan', () => {
  it('is on disk when the import answers: it survives kill -9 right after', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'netwerkatlas-import-plan-'))
    let child = await spawnServer(dataDir)
    try {
      const atlas = buildSampleAtlasDoc()
      const plan = planDoc(atlas)
      const content = readAtlasContent(atlas)
      const names = new Map(content.persons.map((p) => [p.id, p.name]))
      const words = versionContent(
        'Sanne',
        content.questions.map((q) => ({ id: q.id, text: q.text })),
        readAgreements(plan),
        (id) => names.get(id) ?? null,
      )
      const version: PlanVersion = {
        id: 'version-one',
        number: 7,
        at: '2027-03-13T20:00:00.000Z',
        meetingId: null,
        planHash: createHash('sha256').update(versionHashInput(words), 'utf8').digest('hex'),
        content: words,
      }
      const file = buildAtlasFile(atlas, 'Atlas van Sanne', new Date(), {
        doc: plan,
        versions: [version],
      })
      const response = await fetch(`${child.url}/api/atlases/import`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(file),
      })
      expect(response.status).toBe(201)
      const made = ImportAtlasResponse.parse(await response.json())
      child.child.kill('SIGKILL')
      await child.exited

      child = await spawnServer(dataDir)
      const reader = await syncedClient(child.wsUrl, `${made.id}/plan`, made.viewToken)
      providers.push(reader)
      expect(readPlanPart(reader.doc)).toEqual(readPlanPart(plan))
      const listed = await callApi(
        child.url,
        'GET',
        `/api/atlases/${made.id}/versions`,
        made.viewToken,
      )
      // Renumbered from 1 in the new atlas, otherwise as the file kept it.
      expect(VersionList.parse(await listed.json()).versions).toEqual([{ ...version, number: 1 }])
    } finally {
      child.child.kill('SIGKILL')
      await child.exited
      await removeDir(dataDir)
    }
  })
})
