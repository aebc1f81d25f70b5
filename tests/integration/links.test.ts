import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { AtlasInfo, type CreateAtlasResponse } from '../../shared/api/atlases'
import { CreateLinkResponse, LinkList } from '../../shared/api/links'
import { AGREEMENTS_KEY } from '../../shared/plan/layout'
import { CloseCode } from '../../shared/sync/layout'
import { callApi, createAtlas, createLink, waitFor } from '../helpers/clients'
import { serverOfThisFile } from '../helpers/serverOfFile'

const { server, client, raw } = serverOfThisFile()

const linksPath = (id: string) => `/api/atlases/${id}/links`

/** An atlas with one link of every role. */
async function atlasWithRoles(): Promise<
  CreateAtlasResponse & { procesbegeleider: string; professional: string }
> {
  const atlas = await createAtlas(server.url)
  const pb = await createLink(server.url, atlas.id, atlas.editToken, 'procesbegeleider', 'Jan')
  const pro = await createLink(server.url, atlas.id, atlas.editToken, 'professional', 'curator')
  return { ...atlas, procesbegeleider: pb.token, professional: pro.token }
}

describe('links of an atlas', () => {
  it('makes a link for a role with a label: its secret shown once, in the fragment, kept as a hash', async () => {
    const atlas = await createAtlas(server.url)
    const response = await callApi(server.url, 'POST', linksPath(atlas.id), atlas.editToken, {
      role: 'view',
      label: '  Ria (moeder) ',
    })
    expect(response.status).toBe(201)
    const link = CreateLinkResponse.parse(await response.json())
    expect(link).toMatchObject({ role: 'view', label: 'Ria (moeder)' })
    expect(link.url).toBe(`/atlas/${atlas.id}#view=${link.token}`)
    const info = await callApi(server.url, 'GET', `/api/atlases/${atlas.id}`, link.token)
    expect(AtlasInfo.parse(await info.json())).toMatchObject({ role: 'view', privateTime: false })

    const meta = await readFile(join(server.dataDir, 'atlases', atlas.id, 'meta.json'), 'utf8')
    expect(meta).not.toContain(link.token)
    expect(meta).not.toContain(atlas.editToken)
    expect(meta).toContain('Ria (moeder)')
  })

  it('lists every link without secrets, the first two made with the atlas among them', async () => {
    const atlas = await createAtlas(server.url)
    const pro = await createLink(server.url, atlas.id, atlas.editToken, 'professional', 'curator')
    const response = await callApi(server.url, 'GET', linksPath(atlas.id), atlas.editToken)
    expect(response.status).toBe(200)
    const text = await response.text()
    for (const secret of [atlas.editToken, atlas.viewToken, pro.token]) {
      expect(text).not.toContain(secret)
    }
    const links = LinkList.parse(JSON.parse(text))
    expect(links.map((l) => [l.role, l.label, l.current])).toEqual([
      ['edit', '', true],
      ['view', '', false],
      ['professional', 'curator', false],
    ])
    // Used just now (for this very list): noted; the curator's link never was.
    await waitFor(async () => {
      const again = LinkList.parse(
        await (await callApi(server.url, 'GET', linksPath(atlas.id), atlas.editToken)).json(),
      )
      return again[0]?.lastUsedAt !== null && again[2]?.lastUsedAt === null
    }, 'the use of the edit link to be noted')
    // The first links keep working, as edit and view.
    const view = await callApi(server.url, 'GET', `/api/atlases/${atlas.id}`, atlas.viewToken)
    expect(AtlasInfo.parse(await view.json()).role).toBe('view')
  })

  it('is managed by edit links only; anything else gets 403 or 404 and learns nothing', async () => {
    const atlas = await atlasWithRoles()
    const other = await createAtlas(server.url)
    for (const token of [atlas.viewToken, atlas.procesbegeleider, atlas.professional]) {
      for (const [method, body] of [
        ['GET', undefined],
        ['POST', { role: 'edit', label: 'ik' }],
      ] as const) {
        const response = await callApi(server.url, method, linksPath(atlas.id), token, body)
        expect(response.status).toBe(403)
        expect(await response.json()).toEqual({ error: 'This link may not do this.' })
      }
    }
    const notFound = { error: 'No atlas found for this link.' }
    for (const [id, token] of [
      [atlas.id, other.editToken],
      [atlas.id, 'x'.repeat(43)],
      [atlas.id, null],
      ['AAAAAAAAAAAAAAAAAAAAAA', atlas.editToken],
    ] as const) {
      const response = await callApi(server.url, 'GET', linksPath(id), token)
      expect(response.status).toBe(404)
      expect(await response.json()).toEqual(notFound)
    }
  })

  it('refuses bad bodies with a plain message and makes nothing', async () => {
    const atlas = await createAtlas(server.url)
    const cases: Array<[unknown, RegExp]> = [
      [{ label: 'Ria' }, /./],
      [{ role: 'owner', label: 'Ria' }, /./],
      [{ role: 'view' }, /label/],
      [{ role: 'view', label: '   ' }, /label must not be empty/],
      [{ role: 'view', label: 'x'.repeat(81) }, /at most 80/],
      [{ role: 'view', label: 'Ria', revokeOthers: 'yes' }, /revokeOthers/],
    ]
    for (const [body, message] of cases) {
      const response = await callApi(server.url, 'POST', linksPath(atlas.id), atlas.editToken, body)
      expect(response.status).toBe(400)
      expect((await response.json()).error).toMatch(message)
    }
    const broken = await fetch(`${server.url}${linksPath(atlas.id)}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${atlas.editToken}`, 'Content-Type': 'application/json' },
      body: '{"role": "view",',
    })
    expect(broken.status).toBe(400)
    const plain = await fetch(`${server.url}${linksPath(atlas.id)}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${atlas.editToken}`, 'Content-Type': 'text/plain' },
      body: '{}',
    })
    expect(plain.status).toBe(400)
    const list = LinkList.parse(
      await (await callApi(server.url, 'GET', linksPath(atlas.id), atlas.editToken)).json(),
    )
    expect(list).toHaveLength(2)
  })

  it('revokes a link: its open sockets on the atlas and the plan close within 1 s, and it never works again', async () => {
    const atlas = await createAtlas(server.url)
    const ria = await createLink(server.url, atlas.id, atlas.editToken, 'edit', 'Ria')
    const onAtlas = raw(atlas.id, ria.token)
    const onPlan = raw(`${atlas.id}/plan`, ria.token)
    await Promise.all([onAtlas.opened, onPlan.opened])
    await Promise.all([onAtlas.nextFrame(() => true), onPlan.nextFrame(() => true)])
    const other = await client(atlas.id, atlas.editToken)

    const started = Date.now()
    const response = await callApi(
      server.url,
      'DELETE',
      `${linksPath(atlas.id)}/${ria.linkId}`,
      atlas.editToken,
    )
    expect(response.status).toBe(204)
    const closes = await Promise.all([onAtlas.closed, onPlan.closed])
    expect(Date.now() - started).toBeLessThan(1000)
    for (const close of closes) expect(close.code).toBe(CloseCode.Unauthorized)

    const again = raw(atlas.id, ria.token)
    expect((await again.closed).code).toBe(CloseCode.Unauthorized)
    expect(again.frames).toHaveLength(0)
    const info = await callApi(server.url, 'GET', `/api/atlases/${atlas.id}`, ria.token)
    expect(info.status).toBe(404)
    // The other edit link is untouched.
    expect(other.wsconnected).toBe(true)
    const unknown = await callApi(
      server.url,
      'DELETE',
      `${linksPath(atlas.id)}/${ria.linkId}`,
      atlas.editToken,
    )
    expect(unknown.status).toBe(404)
  })

  it('makes a new edit link and stops the old ones in one action, and never removes the last edit link', async () => {
    const atlas = await createAtlas(server.url)
    const old = raw(atlas.id, atlas.editToken)
    await old.opened
    const response = await callApi(server.url, 'POST', linksPath(atlas.id), atlas.editToken, {
      role: 'edit',
      label: 'Sanne',
      revokeOthers: true,
    })
    expect(response.status).toBe(201)
    const fresh = CreateLinkResponse.parse(await response.json())
    expect((await old.closed).code).toBe(CloseCode.Unauthorized)
    expect(
      (await callApi(server.url, 'GET', `/api/atlases/${atlas.id}`, atlas.editToken)).status,
    ).toBe(404)
    const list = LinkList.parse(
      await (await callApi(server.url, 'GET', linksPath(atlas.id), fresh.token)).json(),
    )
    // The view secret the old edit link carried stops with it.
    expect(list.map((l) => [l.role, l.label])).toEqual([['edit', 'Sanne']])
    const last = await callApi(
      server.url,
      'DELETE',
      `${linksPath(atlas.id)}/${fresh.linkId}`,
      fresh.token,
    )
    expect(last.status).toBe(409)
    expect((await last.json()).error).toMatch(/last link that may edit/)
  })
})

describe('links changed at the same moment', () => {
  it('renewing the edit links also stops the view secret the first edit link carried', async () => {
    const atlas = await createAtlas(server.url)
    const reader = raw(`${atlas.id}/plan`, atlas.viewToken)
    await reader.opened
    const response = await callApi(server.url, 'POST', linksPath(atlas.id), atlas.editToken, {
      role: 'edit',
      label: 'Sanne',
      revokeOthers: true,
    })
    expect(response.status).toBe(201)
    expect((await reader.closed).code).toBe(CloseCode.Unauthorized)
    const info = await callApi(server.url, 'GET', `/api/atlases/${atlas.id}`, atlas.viewToken)
    expect(info.status).toBe(404)
    // A view link given to someone on its own stays.
    const fresh = CreateLinkResponse.parse(await response.json())
    const ria = await createLink(server.url, atlas.id, fresh.token, 'view', 'Ria')
    await callApi(server.url, 'POST', linksPath(atlas.id), fresh.token, {
      role: 'edit',
      label: 'Sanne',
      revokeOthers: true,
    })
    expect((await callApi(server.url, 'GET', `/api/atlases/${atlas.id}`, ria.token)).status).toBe(
      200,
    )
  })

  it('a link being stopped makes nothing with a request sent just after the stop', async () => {
    for (let round = 0; round < 10; round++) {
      const atlas = await createAtlas(server.url)
      const other = await createLink(server.url, atlas.id, atlas.editToken, 'edit', 'weg')
      const stop = callApi(
        server.url,
        'DELETE',
        `${linksPath(atlas.id)}/${other.linkId}`,
        atlas.editToken,
      )
      await new Promise((r) => setTimeout(r, 1))
      const mint = callApi(server.url, 'POST', linksPath(atlas.id), other.token, {
        role: 'edit',
        label: 'nieuw',
      })
      const [stopped, minted] = await Promise.all([stop, mint])
      expect(stopped.status).toBe(204)
      const list = LinkList.parse(
        await (await callApi(server.url, 'GET', linksPath(atlas.id), atlas.editToken)).json(),
      )
      // The stop came first: the stopped link makes nothing, even while the stop is written.
      expect(minted.status).toBe(404)
      expect(list.map((l) => l.label)).not.toContain('nieuw')
      expect(list.some((l) => l.linkId === other.linkId)).toBe(false)
    }
  })

  it('two edit links stopping each other at once leave one that may edit', async () => {
    for (let round = 0; round < 10; round++) {
      const atlas = await createAtlas(server.url)
      const first = LinkList.parse(
        await (await callApi(server.url, 'GET', linksPath(atlas.id), atlas.editToken)).json(),
      )[0]
      const second = await createLink(server.url, atlas.id, atlas.editToken, 'edit', 'twee')
      const answers = await Promise.all([
        callApi(server.url, 'DELETE', `${linksPath(atlas.id)}/${second.linkId}`, atlas.editToken),
        callApi(server.url, 'DELETE', `${linksPath(atlas.id)}/${first?.linkId}`, second.token),
      ])
      expect(answers.map((a) => a.status).sort()).not.toEqual([204, 204])
      const left = [atlas.editToken, second.token]
      const working = await Promise.all(
        left.map(
          async (t) =>
            (await callApi(server.url, 'GET', `/api/atlases/${atlas.id}`, t)).status === 200,
        ),
      )
      expect(working.filter(Boolean)).toHaveLength(1)
    }
  })
})

describe('the plan room', () => {
  it('is written by edit links only: a view link cannot write the plan, which stays byte-identical', async () => {
    const atlas = await atlasWithRoles()
    const writer = await client(`${atlas.id}/plan`, atlas.editToken)
    writer.doc.transact(() => {
      const agreement = new Y.Map<unknown>()
      agreement.set('questionId', 'question:q1')
      agreement.set('what', new Y.Text('Elke zondag samen eten'))
      writer.doc.getMap(AGREEMENTS_KEY).set('a1', agreement)
    })
    const reader = await client(`${atlas.id}/plan`, atlas.viewToken)
    await waitFor(() => reader.doc.getMap(AGREEMENTS_KEY).has('a1'), 'the plan to reach the viewer')
    const planDoc = async () => {
      const room = await server.server.registry.peek(`${atlas.id}/plan`)
      if (!room) throw new Error('the plan room is not open')
      return room.doc
    }
    const before = Y.encodeStateAsUpdate(await planDoc())
    for (const token of [atlas.viewToken, atlas.procesbegeleider, atlas.professional]) {
      const intruder = await client(`${atlas.id}/plan`, token)
      intruder.doc.getMap(AGREEMENTS_KEY).set('a2', new Y.Map<unknown>())
      ;(intruder.doc.getMap(AGREEMENTS_KEY).get('a1') as Y.Map<unknown>).set('what', 'weg')
    }
    await new Promise((r) => setTimeout(r, 300))
    expect(Y.encodeStateAsUpdate(await planDoc())).toEqual(before)
    expect(writer.doc.getMap(AGREEMENTS_KEY).has('a2')).toBe(false)
  })
})
