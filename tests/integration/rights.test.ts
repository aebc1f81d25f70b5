import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import * as Y from 'yjs'
import { AccessLogResponse } from '../../shared/api/accessLog'
import { buildAtlasFile, ImportAtlasResponse } from '../../shared/api/atlasFile'
import { buildSampleAtlas, seedAtlasDoc } from '../../shared/domain/sampleAtlas'
import { addAgreement } from '../../shared/plan/actions'
import { CloseCode } from '../../shared/sync/layout'
import {
  callApi,
  createAtlas,
  createLink,
  rawClient,
  syncedClient,
  waitFor,
  writeShape,
} from '../helpers/clients'
import { startTestServer } from '../helpers/server'
import { serverOfThisFile } from '../helpers/serverOfFile'

const PHONE =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Mobile Safari/537.36'

const { server, providers, raws } = serverOfThisFile()

async function accessLog(id: string, token: string): Promise<AccessLogResponse> {
  const response = await callApi(server.url, 'GET', `/api/atlases/${id}/access-log`, token)
  expect(response.status).toBe(200)
  return AccessLogResponse.parse(await response.json())
}

/** Opens a sync socket the way a phone's browser does (its User-Agent on the upgrade). */
function phoneSocket(room: string, token: string): Promise<WebSocket> {
  const ws = new WebSocket(`${server.wsUrl}/${room}?token=${token}`, {
    headers: { 'User-Agent': PHONE },
  })
  ws.on('error', () => {})
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws))
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade ${res.statusCode}`)))
  })
}

/** The status an upgrade of `/sync/<room>` gets when the server refuses it before the websocket. */
function upgradeStatus(room: string, token: string): Promise<number> {
  const ws = new WebSocket(`${server.wsUrl}/${room}?token=${token}`)
  ws.on('error', () => {})
  return new Promise((resolve) => {
    ws.once('open', () => {
      ws.terminate()
      resolve(101)
    })
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0)
      res.resume()
      ws.terminate()
    })
  })
}

/** Every file under a folder, as paths relative to it. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort()
}

describe('the access log', () => {
  it('names who opened the atlas, link changes, privétijd, exports and imports, never a secret or content', async () => {
    const atlas = await createAtlas(server.url, 'Atlas van Sanne')
    const ria = await createLink(server.url, atlas.id, atlas.editToken, 'edit', 'Ria (moeder)')
    const curator = await createLink(
      server.url,
      atlas.id,
      atlas.editToken,
      'professional',
      'curator',
    )

    // Ria opens the maps and the plan from her phone, twice (a reload): one line.
    const writer = await syncedClient(server.wsUrl, atlas.id, ria.token)
    providers.push(writer)
    writeShape(writer.doc, 'secret-note', { x: 1, y: 2, text: 'Inhoud-die-nooit-in-het-log-mag' })
    for (let i = 0; i < 2; i++) {
      const ws = await phoneSocket(atlas.id, ria.token)
      const plan = await phoneSocket(`${atlas.id}/plan`, ria.token)
      ws.close()
      plan.close()
    }
    const put = (on: boolean) =>
      callApi(server.url, 'PUT', `/api/atlases/${atlas.id}/private-time`, ria.token, { on })
    expect((await put(true)).status).toBe(204)
    expect((await put(false)).status).toBe(204)
    const exported = await fetch(`${server.url}/api/atlases/${atlas.id}/access-log/exports`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${ria.token}`,
        'Content-Type': 'application/json',
        'User-Agent': PHONE,
      },
      body: JSON.stringify({ kind: 'plan-pdf' }),
    })
    expect(exported.status).toBe(204)
    const stop = await callApi(
      server.url,
      'DELETE',
      `/api/atlases/${atlas.id}/links/${curator.linkId}`,
      atlas.editToken,
    )
    expect(stop.status).toBe(204)

    let log = await accessLog(atlas.id, atlas.editToken)
    await waitFor(async () => {
      log = await accessLog(atlas.id, atlas.editToken)
      return log.entries.filter((e) => e.event === 'opened').length >= 2
    }, 'the opens in the log')
    const opens = log.entries.filter((e) => e.event === 'opened')
    const riaOpens = opens.filter((e) => e.by?.label === 'Ria (moeder)')
    expect(riaOpens.map((e) => e.device)).toContainEqual({
      kind: 'phone',
      browser: 'Chrome',
      system: 'Android',
    })
    // The phone's four sockets (maps and plan, twice) are one line.
    expect(riaOpens.filter((e) => e.device.kind === 'phone')).toHaveLength(1)
    expect(riaOpens[0]?.by?.role).toBe('edit')
    expect(Number.isNaN(Date.parse(riaOpens[0]?.at ?? ''))).toBe(false)

    const events = log.entries.map((e) => e.event)
    expect(events.at(-1)).toBe('created')
    expect(events).toEqual(
      expect.arrayContaining([
        'link-made',
        'link-stopped',
        'private-time-on',
        'private-time-off',
        'exported',
      ]),
    )
    // Newest first.
    const times = log.entries.map((e) => Date.parse(e.at))
    expect([...times].sort((a, b) => b - a)).toEqual(times)
    expect(log.entries.find((e) => e.event === 'exported')).toMatchObject({
      export: 'plan-pdf',
      by: { label: 'Ria (moeder)', role: 'edit' },
      device: { kind: 'phone' },
    })
    expect(log.entries.find((e) => e.event === 'link-stopped')?.link).toMatchObject({
      label: 'curator',
      role: 'professional',
    })
    expect(
      log.entries.find((e) => e.event === 'link-made' && e.link?.label === 'Ria (moeder)'),
    ).toBeTruthy()

    // The file beside the atlas: no secret, no hash of one, no content.
    const file = await readFile(join(server.dataDir, 'atlases', atlas.id, 'access.log'), 'utf8')
    expect(file.trim().split('\n').length).toBe(log.entries.length)
    const meta = JSON.parse(
      await readFile(join(server.dataDir, 'atlases', atlas.id, 'meta.json'), 'utf8'),
    ) as { links: { hash: string }[] }
    for (const secret of [atlas.editToken, atlas.viewToken, ria.token, curator.token]) {
      expect(file).not.toContain(secret)
    }
    for (const { hash } of meta.links) expect(file).not.toContain(hash)
    expect(file).not.toContain('Inhoud-die-nooit-in-het-log-mag')
    expect(file).not.toContain('Atlas van Sanne')
  })

  it('notes an import in the new atlas', async () => {
    const doc = new Y.Doc()
    seedAtlasDoc(doc, buildSampleAtlas())
    const response = await fetch(`${server.url}/api/atlases/import`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'User-Agent': PHONE },
      body: JSON.stringify(buildAtlasFile(doc, 'Voorbeeldatlas')),
    })
    expect(response.status).toBe(201)
    const imported = ImportAtlasResponse.parse(await response.json())
    const log = await accessLog(imported.id, imported.editToken)
    expect(log.entries).toEqual([
      expect.objectContaining({
        event: 'imported',
        by: null,
        device: expect.objectContaining({ kind: 'phone' }),
      }),
    ])
  })

  it('drops entries older than the retention, from the answer and from the file', async () => {
    const atlas = await createAtlas(server.url)
    const path = join(server.dataDir, 'atlases', atlas.id, 'access.log')
    await waitFor(async () => (await readFile(path, 'utf8').catch(() => '')).length > 0, 'log')
    const old = {
      at: new Date(Date.now() - 400 * 24 * 60 * 60 * 1000).toISOString(),
      event: 'opened',
      by: { linkId: 'oldlinkoldlink00', role: 'view', label: 'oude buurman' },
      device: { kind: 'computer', browser: 'Firefox', system: 'Linux' },
    }
    const current = await readFile(path, 'utf8')
    await writeFile(path, `${JSON.stringify(old)}\n${current}`)
    const log = await accessLog(atlas.id, atlas.editToken)
    expect(log.retentionDays).toBe(365)
    expect(log.entries.map((e) => e.event)).toEqual(['created'])
    expect(await readFile(path, 'utf8')).not.toContain('oude buurman')
  })

  it('is for edit links only; other links, wrong secrets and unknown atlases get nothing', async () => {
    const atlas = await createAtlas(server.url)
    const pro = await createLink(server.url, atlas.id, atlas.editToken, 'professional', 'curator')
    const path = `/api/atlases/${atlas.id}/access-log`
    expect((await callApi(server.url, 'GET', path, atlas.viewToken)).status).toBe(403)
    expect((await callApi(server.url, 'GET', path, pro.token)).status).toBe(403)
    expect((await callApi(server.url, 'GET', path, 'x'.repeat(43))).status).toBe(404)
    expect((await callApi(server.url, 'GET', path, null)).status).toBe(404)
    const unknown = `/api/atlases/${'A'.repeat(22)}/access-log`
    expect((await callApi(server.url, 'GET', unknown, atlas.editToken)).status).toBe(404)
    // A view link may note its export (when the atlas lets it export), but not erase.
    const note = await callApi(server.url, 'POST', `${path}/exports`, atlas.viewToken, {
      kind: 'image',
    })
    expect(note.status).toBe(204)
    const bad = await callApi(server.url, 'POST', `${path}/exports`, atlas.viewToken, {
      kind: 'everything',
    })
    expect(bad.status).toBe(400)
    expect(
      (await callApi(server.url, 'DELETE', `/api/atlases/${atlas.id}`, atlas.viewToken)).status,
    ).toBe(403)
    expect(
      (await callApi(server.url, 'DELETE', `/api/atlases/${atlas.id}`, pro.token)).status,
    ).toBe(403)
  })

  it('rate-limits export notes per link', async () => {
    const atlas = await createAtlas(server.url)
    const statuses: number[] = []
    for (let i = 0; i < 12; i++) {
      const r = await callApi(
        server.url,
        'POST',
        `/api/atlases/${atlas.id}/access-log/exports`,
        atlas.editToken,
        {
          kind: 'image',
        },
      )
      statuses.push(r.status)
      if (r.status === 429) expect(r.headers.get('Retry-After')).toBeTruthy()
    }
    expect(statuses.slice(0, 10).every((s) => s === 204)).toBe(true)
    expect(statuses.slice(10)).toEqual([429, 429])
  })
})

describe('erasure', () => {
  it('removes every file of the atlas, closes every socket, keeps only when, and answers 410 afterwards', async () => {
    const other = await createAtlas(server.url, 'Een ander')
    const atlas = await createAtlas(server.url, 'Atlas van Sanne')
    const view = atlas.viewToken
    // Content in both documents, saved to disk; a snapshot and logs exist.
    const writer = await syncedClient(server.wsUrl, atlas.id, atlas.editToken)
    const planWriter = await syncedClient(server.wsUrl, `${atlas.id}/plan`, atlas.editToken)
    providers.push(writer, planWriter)
    writeShape(writer.doc, 'a', { x: 1, y: 1, text: 'Sanne woont in Zwolle' })
    addAgreement(planWriter.doc, 'question:eerste', { what: 'Samen koken op zondag' })
    const dir = join(server.dataDir, 'atlases', atlas.id)
    await waitFor(async () => {
      const names = await readdir(dir)
      return names.includes('updates.log') && names.includes('plan-updates.log')
    }, 'the updates on disk')
    const viewer = rawClient(server.wsUrl, atlas.id, view)
    const planViewer = rawClient(server.wsUrl, `${atlas.id}/plan`, view)
    raws.push(viewer, planViewer)
    await Promise.all([viewer.opened, planViewer.opened])

    const before = await filesUnder(server.dataDir)
    expect(before.filter((f) => f.includes(atlas.id)).length).toBeGreaterThanOrEqual(4)

    const erased = await callApi(server.url, 'DELETE', `/api/atlases/${atlas.id}`, atlas.editToken)
    expect(erased.status).toBe(204)

    // Every socket of the atlas closed with the erasure's code.
    for (const closed of [viewer.closed, planViewer.closed]) {
      expect(await closed).toEqual({ code: CloseCode.Erased, reason: 'This atlas was deleted' })
    }
    await waitFor(() => writer.wsconnected === false && planWriter.wsconnected === false, 'closed')
    const after = await filesUnder(server.dataDir)
    expect(after.filter((f) => f.includes(atlas.id))).toEqual([`erased/${atlas.id}.json`])
    // The other atlas is untouched.
    expect(after.filter((f) => f.includes(other.id))).toEqual(
      before.filter((f) => f.includes(other.id)),
    )
    const record = JSON.parse(
      await readFile(join(server.dataDir, 'erased', `${atlas.id}.json`), 'utf8'),
    ) as Record<string, unknown>
    expect(Object.keys(record).sort()).toEqual(['erasedAt', 'id'])
    expect(Date.now() - Date.parse(String(record.erasedAt))).toBeLessThan(60_000)

    // 410 for every later request, whatever the link.
    for (const token of [atlas.editToken, view, 'x'.repeat(43)]) {
      expect((await callApi(server.url, 'GET', `/api/atlases/${atlas.id}`, token)).status).toBe(410)
    }
    for (const path of ['/links', '/access-log', '/plan/piketpaaltjes', '']) {
      const r = await callApi(server.url, 'GET', `/api/atlases/${atlas.id}${path}`, atlas.editToken)
      expect(r.status, path).toBe(410)
    }
    expect(
      (
        await callApi(server.url, 'POST', `/api/atlases/${atlas.id}/access-log/exports`, view, {
          kind: 'atlas-file',
        })
      ).status,
    ).toBe(410)
    expect(
      (await callApi(server.url, 'DELETE', `/api/atlases/${atlas.id}`, atlas.editToken)).status,
    ).toBe(410)
    expect(await upgradeStatus(atlas.id, atlas.editToken)).toBe(410)
    expect(await upgradeStatus(`${atlas.id}/plan`, view)).toBe(410)

    // Some time later, after the rooms' saves would have run, nothing came back.
    await new Promise((resolve) => setTimeout(resolve, 1500))
    expect((await filesUnder(server.dataDir)).filter((f) => f.includes(atlas.id))).toEqual([
      `erased/${atlas.id}.json`,
    ])
    expect(server.logs.join('\n')).not.toContain(atlas.editToken)
  })

  it('leaves nothing behind when it comes in the middle of editing', async () => {
    const atlas = await createAtlas(server.url)
    const writer = await syncedClient(server.wsUrl, atlas.id, atlas.editToken)
    const planWriter = await syncedClient(server.wsUrl, `${atlas.id}/plan`, atlas.editToken)
    providers.push(writer, planWriter)
    let n = 0
    const typing = setInterval(() => {
      n++
      writeShape(writer.doc, `s${n}`, { x: n, y: n, text: 'bezig' })
      addAgreement(planWriter.doc, 'question:eerste', { id: `a${n}`, what: 'bezig' })
    }, 5)
    try {
      await waitFor(
        async () =>
          (await readdir(join(server.dataDir, 'atlases', atlas.id))).includes('plan-updates.log'),
        'saves under way',
      )
      const erased = await callApi(
        server.url,
        'DELETE',
        `/api/atlases/${atlas.id}`,
        atlas.editToken,
      )
      expect(erased.status).toBe(204)
      // Saves would have run several times over by now (debounce 200 ms, at most 700 ms).
      await new Promise((resolve) => setTimeout(resolve, 1500))
    } finally {
      clearInterval(typing)
    }
    const left = (await filesUnder(server.dataDir)).filter((f) => f.includes(atlas.id))
    expect(left).toEqual([`erased/${atlas.id}.json`])
    expect(server.server.registry.openIds.filter((id) => id.startsWith(atlas.id))).toEqual([])
    // No save of it was tried after it was gone.
    expect(server.logs.filter((l) => l.includes(atlas.id) && l.includes('failed'))).toEqual([])
  })

  it('still answers 410 after a restart', async () => {
    const atlas = await createAtlas(server.url)
    expect(
      (await callApi(server.url, 'DELETE', `/api/atlases/${atlas.id}`, atlas.editToken)).status,
    ).toBe(204)
    const again = await startTestServer({ dataDir: server.dataDir })
    try {
      const r = await callApi(again.url, 'GET', `/api/atlases/${atlas.id}`, atlas.editToken)
      expect(r.status).toBe(410)
    } finally {
      await again.close()
    }
  })
})
