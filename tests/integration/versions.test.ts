import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import { PlanVersion, VersionList } from '../../shared/api/versions'
import { readAtlasContent } from '../../shared/domain/content'
import { buildSampleAtlas, seedAtlasDoc } from '../../shared/domain/sampleAtlas'
import { addAgreement, addWho } from '../../shared/plan/actions'
import { readAgreements } from '../../shared/plan/layout'
import type { AtlasPerson } from '../../shared/schema/person'
import { RecordsMap } from '../../shared/sync/records'
import { callApi, createAtlas, createLink, syncedClient, waitFor } from '../helpers/clients'
import { type ChildServer, removeDir, spawnServer } from '../helpers/server'

const keep = (server: ChildServer, atlasId: string, token: string, body: unknown) =>
  callApi(server.url, 'POST', `/api/atlases/${atlasId}/versions`, token, body)

const list = (server: ChildServer, atlasId: string, token: string) =>
  callApi(server.url, 'GET', `/api/atlases/${atlasId}/versions`, token)

describe('versions of the plan', () => {
  it('are kept by an edit link with the names as they were, survive kill -9, and only edit links add them', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'netwerkatlas-versions-'))
    let server = await spawnServer(dataDir)
    const providers: WebsocketProvider[] = []
    try {
      const atlas = await createAtlas(server.url)
      const professional = await createLink(
        server.url,
        atlas.id,
        atlas.editToken,
        'professional',
        'curator',
      )
      const maps = await syncedClient(server.wsUrl, atlas.id, atlas.editToken)
      const plan = await syncedClient(server.wsUrl, `${atlas.id}/plan`, atlas.editToken)
      providers.push(maps, plan)
      seedAtlasDoc(maps.doc, buildSampleAtlas())
      const content = readAtlasContent(maps.doc)
      const ria = content.persons.find((p) => !p.isClient)
      const question = content.questions[0]
      if (!ria || !question) throw new Error('the sample atlas has persons and questions')
      const agreement = addAgreement(plan.doc, question.id, { what: 'Samen naar de markt' })
      addWho(plan.doc, agreement, ria.id)
      addWho(plan.doc, agreement, 'person:nobody')
      // The server reads the documents it holds: wait until it holds both edits.
      await waitFor(async () => {
        const probe = await syncedClient(server.wsUrl, `${atlas.id}/plan`, atlas.viewToken)
        const done = readAgreements(probe.doc)[0]?.who.length === 2
        probe.destroy()
        return done
      }, 'the plan on the server')

      const refused = [
        await keep(server, atlas.id, atlas.viewToken, { meetingId: null }),
        await keep(server, atlas.id, professional.token, { meetingId: null }),
      ]
      expect(refused.map((r) => r.status)).toEqual([403, 403])
      const bad = await keep(server, atlas.id, atlas.editToken, { meetingId: 42 })
      expect(bad.status).toBe(400)
      expect(((await bad.json()) as { error: string }).error).toMatch(/meetingId/)

      const first = await keep(server, atlas.id, atlas.editToken, { meetingId: null })
      expect(first.status).toBe(201)
      const v1 = PlanVersion.parse(await first.json())
      expect(v1.number).toBe(1)
      expect(v1.content.client).toBe(content.client?.name)
      expect(v1.content.questions[0]).toEqual({ id: question.id, text: question.text })
      expect(v1.content.agreements[0]?.who).toEqual([
        { id: ria.id, name: ria.name },
        { id: 'person:nobody', name: '' },
      ])

      // Ria is renamed in the atlas; the next version has the new name, the first keeps the old.
      const records = new RecordsMap<AtlasPerson>(maps.doc)
      const record = records.get(ria.id as AtlasPerson['id'])
      if (!record) throw new Error('Ria is a record of the atlas')
      maps.doc.transact(() => records.set({ ...record, name: 'Ria (mam)' }))
      await waitFor(async () => {
        const probe = await syncedClient(server.wsUrl, atlas.id, atlas.viewToken)
        const renamed = readAtlasContent(probe.doc).persons.some((p) => p.name === 'Ria (mam)')
        probe.destroy()
        return renamed
      }, 'the rename on the server')
      const second = PlanVersion.parse(
        await (await keep(server, atlas.id, atlas.editToken, { meetingId: 'meeting:abc' })).json(),
      )
      expect(second).toMatchObject({ number: 2, meetingId: 'meeting:abc', planHash: v1.planHash })
      expect(second.content.agreements[0]?.who[0]?.name).toBe('Ria (mam)')

      for (const p of providers.splice(0)) p.destroy()
      server.child.kill('SIGKILL')
      await server.exited
      server = await spawnServer(dataDir)
      const after = await list(server, atlas.id, atlas.viewToken)
      expect(after.status).toBe(200)
      const versions = VersionList.parse(await after.json()).versions
      expect(versions.map((v) => v.number)).toEqual([1, 2])
      expect(versions[0]?.content.agreements[0]?.who[0]?.name).toBe(ria.name)
      expect(versions[1]?.content.agreements[0]?.who[0]?.name).toBe('Ria (mam)')
      expect((await list(server, atlas.id, 'not-a-token')).status).toBe(404)
    } finally {
      for (const p of providers) p.destroy()
      server.child.kill('SIGKILL')
      await server.exited
      await removeDir(dataDir)
    }
  })
})
