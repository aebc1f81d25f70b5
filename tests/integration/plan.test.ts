import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { AtlasInfo, type CreateAtlasResponse } from '../../shared/api/atlases'
import { Approval, Piketpaaltje } from '../../shared/api/plan'
import { readAtlasContent } from '../../shared/domain/content'
import {
  AGREEMENTS_KEY,
  planHashInput,
  readAgreements,
  readServerPart,
  SERVER_KEY,
} from '../../shared/plan/layout'
import type { AtlasQuestion } from '../../shared/schema/poster'
import { RecordsMap } from '../../shared/sync/records'
import { callApi, createAtlas, createLink, waitFor } from '../helpers/clients'
import { serverOfThisFile } from '../helpers/serverOfFile'

const { server, client } = serverOfThisFile()

type Atlas = CreateAtlasResponse & {
  procesbegeleider: string
  professional: string
  otherProfessional: string
}

async function atlasWithRoles(): Promise<Atlas> {
  const atlas = await createAtlas(server.url)
  const link = (role: string, label: string) =>
    createLink(server.url, atlas.id, atlas.editToken, role, label).then((l) => l.token)
  return {
    ...atlas,
    procesbegeleider: await link('procesbegeleider', 'Jan'),
    professional: await link('professional', 'curator'),
    otherProfessional: await link('professional', 'jeugdzorg'),
  }
}

const setPiketpaaltje = (atlas: Atlas, token: string, body: unknown) =>
  callApi(server.url, 'POST', `/api/atlases/${atlas.id}/piketpaaltjes`, token, body)

const approve = (atlas: Atlas, token: string, body: unknown) =>
  callApi(server.url, 'POST', `/api/atlases/${atlas.id}/approvals`, token, body)

/** The hash of the plan as a client computes it from its own copies of the two documents. */
function planHash(atlasDoc: Y.Doc, planDoc: Y.Doc): string {
  const questions = readAtlasContent(atlasDoc).questions.map((q) => ({ id: q.id, text: q.text }))
  return createHash('sha256')
    .update(planHashInput(questions, readAgreements(planDoc)), 'utf8')
    .digest('hex')
}

describe('piketpaaltjes', () => {
  it('are set by a professional link, stamped with its label and time, and appear live in the plan', async () => {
    const atlas = await atlasWithRoles()
    const viewer = await client(`${atlas.id}/plan`, atlas.viewToken)
    const response = await setPiketpaaltje(atlas, atlas.professional, {
      text: '  Sanne houdt haar budgetcoach tot 2027. ',
      framework: 'Beschermingsbewind',
    })
    expect(response.status).toBe(201)
    const piketpaaltje = Piketpaaltje.parse(await response.json())
    expect(piketpaaltje).toMatchObject({
      text: 'Sanne houdt haar budgetcoach tot 2027.',
      framework: 'Beschermingsbewind',
      setBy: 'curator',
    })
    await waitFor(
      () => readServerPart(viewer.doc).piketpaaltjes.length === 1,
      'the piketpaaltje to reach the viewer',
    )
    expect(readServerPart(viewer.doc).piketpaaltjes[0]).toEqual(piketpaaltje)
    // Only the professional who set it removes it.
    const path = `/api/atlases/${atlas.id}/piketpaaltjes/${piketpaaltje.id}`
    expect((await callApi(server.url, 'DELETE', path, atlas.otherProfessional)).status).toBe(403)
    expect((await callApi(server.url, 'DELETE', path, atlas.professional)).status).toBe(204)
    await waitFor(() => readServerPart(viewer.doc).piketpaaltjes.length === 0, 'it to go')
  })

  it("carry the id of the link that set them, which GET /api/atlases/:id tells only that link's holder", async () => {
    const atlas = await atlasWithRoles()
    const response = await setPiketpaaltje(atlas, atlas.professional, { text: 'Geen verhuizing.' })
    const piketpaaltje = Piketpaaltje.parse(await response.json())
    const linkIdOf = async (token: string) =>
      AtlasInfo.parse(
        await (await callApi(server.url, 'GET', `/api/atlases/${atlas.id}`, token)).json(),
      ).linkId
    expect(await linkIdOf(atlas.professional)).toBe(piketpaaltje.linkId)
    expect(await linkIdOf(atlas.otherProfessional)).not.toBe(piketpaaltje.linkId)
    expect(await linkIdOf(atlas.editToken)).not.toBe(await linkIdOf(atlas.viewToken))
  })

  it('cannot be written by a client: not through the API, and a change to the plan is undone', async () => {
    const atlas = await atlasWithRoles()
    for (const token of [atlas.editToken, atlas.viewToken, atlas.procesbegeleider]) {
      const response = await setPiketpaaltje(atlas, token, { text: 'Mag niet' })
      expect(response.status).toBe(403)
      expect((await response.json()).error).toBe('This link may not do this.')
    }
    const bad = await setPiketpaaltje(atlas, atlas.professional, { text: '' })
    expect(bad.status).toBe(400)
    expect((await bad.json()).error).toMatch(/text must not be empty/)

    expect((await setPiketpaaltje(atlas, atlas.professional, { text: 'Echt' })).status).toBe(201)
    const writer = await client(`${atlas.id}/plan`, atlas.editToken)
    await waitFor(() => readServerPart(writer.doc).piketpaaltjes.length === 1, 'the mirror')
    const forged = [
      ...readServerPart(writer.doc).piketpaaltjes,
      { id: 'x', text: 'Vals', framework: '', linkId: 'x', setBy: 'curator', setAt: '2026' },
    ]
    writer.doc.getMap(SERVER_KEY).set('piketpaaltjes', forged)
    writer.doc.getMap(SERVER_KEY).set('extra', 'vals')
    await waitFor(
      () =>
        readServerPart(writer.doc).piketpaaltjes.length === 1 &&
        !writer.doc.getMap(SERVER_KEY).has('extra'),
      'the server to undo the forgery on the writer',
    )
    const fresh = await client(`${atlas.id}/plan`, atlas.viewToken)
    expect(readServerPart(fresh.doc).piketpaaltjes.map((p) => p.text)).toEqual(['Echt'])
    expect(server.logs.some((l) => l.includes('server part restored'))).toBe(true)
  })
})

describe('approval of the plan', () => {
  it('is refused to anyone who set no piketpaaltje', async () => {
    const atlas = await atlasWithRoles()
    const body = { decision: 'approved', planHash: '0'.repeat(64) }
    for (const token of [atlas.editToken, atlas.viewToken, atlas.procesbegeleider]) {
      expect((await approve(atlas, token, body)).status).toBe(403)
    }
    expect((await setPiketpaaltje(atlas, atlas.otherProfessional, { text: 'Iets' })).status).toBe(
      201,
    )
    const response = await approve(atlas, atlas.professional, body)
    expect(response.status).toBe(403)
    expect((await response.json()).error).toMatch(/who set a piketpaaltje/)
  })

  it('is tied to the plan that was presented: a stale hash gets 409, the right one is kept and shown', async () => {
    const atlas = await atlasWithRoles()
    expect((await setPiketpaaltje(atlas, atlas.professional, { text: 'Budgetcoach' })).status).toBe(
      201,
    )
    const atlasDoc = await client(atlas.id, atlas.editToken)
    atlasDoc.doc.transact(() => {
      new RecordsMap<AtlasQuestion>(atlasDoc.doc).set({
        id: 'question:q1' as AtlasQuestion['id'],
        typeName: 'question',
        text: 'Wie helpt mij met mijn geld?',
        index: 'a1',
      })
    })
    const plan = await client(`${atlas.id}/plan`, atlas.editToken)
    plan.doc.transact(() => {
      const agreement = new Y.Map<unknown>()
      agreement.set('questionId', 'question:q1')
      agreement.set('index', 'a1')
      agreement.set('what', new Y.Text('Ria helpt elke maand met de post'))
      agreement.set('who', Y.Array.from(['person:ria']))
      plan.doc.getMap(AGREEMENTS_KEY).set('a1', agreement)
    })
    const pro = await client(`${atlas.id}/plan`, atlas.professional)
    const proAtlas = await client(atlas.id, atlas.professional)
    await waitFor(() => readAgreements(pro.doc).length === 1, 'the professional to see the plan')
    const shown = planHash(proAtlas.doc, pro.doc)

    // The plan changes before the professional decides: his hash no longer holds.
    ;((plan.doc.getMap(AGREEMENTS_KEY).get('a1') as Y.Map<Y.Text>).get('what') as Y.Text).insert(
      0,
      'Op zondag: ',
    )
    await waitFor(() => planHash(proAtlas.doc, pro.doc) !== shown, 'the change to arrive')
    const stale = await approve(atlas, atlas.professional, {
      decision: 'approved',
      planHash: shown,
    })
    expect(stale.status).toBe(409)

    const now = planHash(proAtlas.doc, pro.doc)
    const response = await approve(atlas, atlas.professional, {
      decision: 'approved',
      comment: 'Goed zo',
      planHash: now,
    })
    expect(response.status).toBe(201)
    const approval = Approval.parse(await response.json())
    expect(approval).toMatchObject({ by: 'curator', decision: 'approved', planHash: now })
    await waitFor(() => readServerPart(plan.doc).approvals.length === 1, 'the approval to show')
    // A change after approval is seen by comparing the hash (the plan view says so).
    ;((plan.doc.getMap(AGREEMENTS_KEY).get('a1') as Y.Map<Y.Text>).get('what') as Y.Text).insert(
      0,
      '!',
    )
    expect(planHash(atlasDoc.doc, plan.doc)).not.toBe(approval.planHash)
  })
})
