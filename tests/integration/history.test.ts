import { readdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import type { TLRecord } from '@tldraw/tlschema'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { type AccessEntry, AccessLogResponse } from '../../shared/api/accessLog'
import { ImportAtlasResponse } from '../../shared/api/atlasFile'
import { HistoryComparison, HistoryList, RestoreResponse } from '../../shared/api/history'
import { readAtlasContent } from '../../shared/domain/content'
import { buildSampleAtlas, seedAtlasDoc } from '../../shared/domain/sampleAtlas'
import { RecordsMap } from '../../shared/sync/records'
import { sampleFile } from '../helpers/atlasFiles'
import {
  callApi,
  createAtlas,
  createLink,
  syncedClient,
  waitFor,
  writeShape,
} from '../helpers/clients'
import { removeDir, startTestServer, type TestServer } from '../helpers/server'

/** The interval of the servers of these tests: long, except where the rule itself is tested. */
const LONG_INTERVAL = { HISTORY_INTERVAL_MS: '600000' }

let server: TestServer
const providers: WebsocketProvider[] = []

beforeAll(async () => {
  server = await startTestServer({ env: LONG_INTERVAL })
})

afterEach(() => {
  for (const p of providers.splice(0)) p.destroy()
})

afterAll(async () => {
  await server.close()
  await removeDir(server.dataDir)
})

async function connect(s: TestServer, atlasId: string, token: string) {
  const provider = await syncedClient(s.wsUrl, atlasId, token)
  providers.push(provider)
  return provider
}

async function history(s: TestServer, atlasId: string, token: string): Promise<HistoryList> {
  const response = await callApi(s.url, 'GET', `/api/atlases/${atlasId}/history`, token)
  expect(response.status).toBe(200)
  return HistoryList.parse(await response.json())
}

/** The restores in an atlas's access log, newest first. */
async function restoresIn(atlasId: string, token: string): Promise<AccessEntry[]> {
  const response = await callApi(server.url, 'GET', `/api/atlases/${atlasId}/access-log`, token)
  expect(response.status).toBe(200)
  const { entries } = AccessLogResponse.parse(await response.json())
  return entries.filter((e) => e.event.startsWith('restored'))
}

async function importSample(s: TestServer) {
  const response = await fetch(`${s.url}/api/atlases/import`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(sampleFile()),
  })
  expect(response.status).toBe(201)
  return ImportAtlasResponse.parse(await response.json())
}

/** Removes a person the way the canvas does: his record, his views, his relations and their ends. */
function removePerson(doc: Y.Doc, personId: string): void {
  const map = new RecordsMap<TLRecord>(doc)
  const all = [...map.values()] as unknown as {
    id: string
    typeName: string
    type?: string
    fromId?: string
    toId?: string
    props?: Record<string, unknown>
  }[]
  const views = new Set(
    all.filter((r) => r.type === 'person' && r.props?.personId === personId).map((r) => r.id),
  )
  const relations = new Set(
    all
      .filter(
        (r) =>
          r.type === 'relation' &&
          (r.props?.fromPersonId === personId || r.props?.toPersonId === personId),
      )
      .map((r) => r.id),
  )
  const gone = all.filter(
    (r) =>
      r.id === personId ||
      views.has(r.id) ||
      relations.has(r.id) ||
      (r.typeName === 'binding' && (relations.has(r.fromId ?? '') || views.has(r.toId ?? ''))),
  )
  doc.transact(() => {
    for (const r of gone) map.delete(r.id as TLRecord['id'])
  })
}

/** The ids of a person's relations and their ends in a document. */
function relationsOf(doc: Y.Doc, personId: string): string[] {
  const all = [...new RecordsMap<TLRecord>(doc).values()] as unknown as {
    id: string
    typeName: string
    type?: string
    fromId?: string
    props?: Record<string, unknown>
  }[]
  const relations = all
    .filter(
      (r) =>
        r.type === 'relation' &&
        (r.props?.fromPersonId === personId || r.props?.toPersonId === personId),
    )
    .map((r) => r.id)
  const ends = all.filter((r) => r.typeName === 'binding' && relations.includes(r.fromId ?? ''))
  return [...relations, ...ends.map((r) => r.id)].sort()
}

describe('snapshots of the maps', () => {
  it('are taken at the first save, then at most once per interval, with the labels of the links that edited', async () => {
    // Saves every 100 ms at most while edits keep coming, snapshots every 500 ms at most.
    const quick = await startTestServer({
      env: { HISTORY_INTERVAL_MS: '500', SAVE_DEBOUNCE_MS: '20', SAVE_MAX_WAIT_MS: '100' },
    })
    try {
      const atlas = await createAtlas(quick.url)
      const ria = await createLink(quick.url, atlas.id, atlas.editToken, 'edit', 'Ria (moeder)')
      const maps = await connect(quick, atlas.id, ria.token)
      seedAtlasDoc(maps.doc, buildSampleAtlas())
      await waitFor(
        async () => (await history(quick, atlas.id, atlas.editToken)).snapshots.length === 1,
        'the first snapshot',
      )
      const [first] = (await history(quick, atlas.id, atlas.editToken)).snapshots
      expect(first?.reason).toBe('edits')
      expect(first?.editors).toEqual([{ label: 'Ria (moeder)', role: 'edit' }])

      // Edits every 50 ms for two seconds, saved about every 100 ms: a snapshot at most every
      // 500 ms, and more than one.
      const started = Date.now()
      let edits = 0
      for (; Date.now() - started < 2000; edits++) {
        writeShape(maps.doc, `note${edits}`, { x: edits, y: 0 })
        await new Promise((r) => setTimeout(r, 50))
      }
      await waitFor(
        async () => (await history(quick, atlas.id, atlas.editToken)).snapshots.length >= 3,
        'snapshots while edited',
      )
      const { snapshots } = await history(quick, atlas.id, atlas.editToken)
      const times = snapshots.map((s) => Date.parse(s.at)).reverse()
      for (let i = 1; i < times.length; i++) {
        expect((times[i] as number) - (times[i - 1] as number)).toBeGreaterThanOrEqual(500)
      }

      // The edits after the last snapshot are in the next one: the save when the last device
      // leaves, more than an interval later, takes it.
      await new Promise((r) => setTimeout(r, 600))
      for (const p of providers.splice(0)) p.destroy()
      const last = `shape:note${edits - 1}`
      await waitFor(async () => {
        const [newest] = (await history(quick, atlas.id, atlas.editToken)).snapshots
        const state = newest && (await quick.server.store.loadSnapshot(atlas.id, newest.id))
        if (!state) return false
        const doc = new Y.Doc()
        Y.applyUpdate(doc, state)
        const has = new RecordsMap(doc).has(last)
        doc.destroy()
        return has
      }, 'the last edit in the newest snapshot')
      // Opened and closed again without an edit: nothing more is taken.
      const count = (await history(quick, atlas.id, atlas.editToken)).snapshots.length
      const reader = await connect(quick, atlas.id, atlas.editToken)
      await new Promise((r) => setTimeout(r, 600))
      reader.destroy()
      await waitFor(() => !quick.server.registry.openIds.includes(atlas.id), 'the atlas unloaded')
      expect((await history(quick, atlas.id, atlas.editToken)).snapshots.length).toBe(count)

      // Stored beside the atlas: a restart keeps them; no secret is written in them.
      const folder = join(quick.dataDir, 'atlases', atlas.id, 'history')
      const files = await readdir(folder)
      expect(files).toContain('index.json')
      expect(files.sort(), String(files)).toHaveLength(count + 1)
      for (const name of files) {
        const text = await readFile(join(folder, name), 'utf8')
        expect(text).not.toContain(ria.token)
        expect(text).not.toContain(atlas.editToken)
      }
    } finally {
      for (const p of providers.splice(0)) p.destroy()
      await quick.close()
      const again = await startTestServer({ dataDir: quick.dataDir, env: LONG_INTERVAL })
      await again.close()
      await removeDir(quick.dataDir)
    }
  })

  it('keeps a snapshot of an imported atlas, and one just before every restore', async () => {
    const atlas = await importSample(server)
    const list = await history(server, atlas.id, atlas.editToken)
    expect(list.snapshots.map((s) => s.reason)).toEqual(['import'])
    expect(list.keepDays).toBe(90)

    const maps = await connect(server, atlas.id, atlas.editToken)
    writeShape(maps.doc, 'after-import', { x: 1, y: 1 })
    const snapshot = list.snapshots[0]?.id as string
    const restored = await callApi(
      server.url,
      'POST',
      `/api/atlases/${atlas.id}/history/${snapshot}/restore`,
      atlas.editToken,
      {},
    )
    expect(restored.status).toBe(200)
    const body = RestoreResponse.parse(await restored.json())
    const after = await history(server, atlas.id, atlas.editToken)
    expect(after.snapshots.map((s) => s.reason)).toEqual(['before-restore', 'import'])
    expect(after.snapshots[0]?.id).toBe(body.before)
    // The snapshot before the restore holds what the restore took away.
    const compare = await callApi(
      server.url,
      'GET',
      `/api/atlases/${atlas.id}/history/${body.before}`,
      atlas.editToken,
    )
    expect(compare.status).toBe(200)
  })
})

describe('restoring', () => {
  it('brings back one removed person with his relations, on every connected client', async () => {
    const atlas = await importSample(server)
    const [snapshot] = (await history(server, atlas.id, atlas.editToken)).snapshots
    const a = await connect(server, atlas.id, atlas.editToken)
    const b = await connect(server, atlas.id, atlas.editToken)
    const content = readAtlasContent(a.doc)
    const person = content.persons.find(
      (p) =>
        !p.isClient &&
        content.relations.filter((r) => [r.from.id, r.to.id].includes(p.id)).length >= 2,
    )
    if (!person || !snapshot) throw new Error('the sample atlas has a person with relations')
    const relations = relationsOf(a.doc, person.id)
    expect(relations.length).toBeGreaterThanOrEqual(4)

    removePerson(a.doc, person.id)
    await waitFor(() => !new RecordsMap(b.doc).has(person.id), 'the removal on the other client')
    const compareUrl = `/api/atlases/${atlas.id}/history/${snapshot.id}/compare`
    await waitFor(async () => {
      const response = await callApi(server.url, 'GET', compareUrl, atlas.editToken)
      const diff = HistoryComparison.parse(await response.json())
      return diff.persons.removed.some((p) => p.id === person.id)
    }, 'the removal in the comparison')
    const diff = HistoryComparison.parse(
      await (await callApi(server.url, 'GET', compareUrl, atlas.editToken)).json(),
    )
    expect(diff.persons.removed).toEqual([{ id: person.id, name: person.name }])
    expect(diff.persons.added).toEqual([])
    expect(diff.relations.removed.length).toBe(relations.length / 3)

    const ria = await createLink(server.url, atlas.id, atlas.editToken, 'edit', 'Ria (moeder)')
    const response = await callApi(
      server.url,
      'POST',
      `/api/atlases/${atlas.id}/history/${snapshot.id}/restore`,
      ria.token,
      { personId: person.id },
    )
    expect(response.status).toBe(200)
    expect(RestoreResponse.parse(await response.json())).toMatchObject({
      persons: 1,
      relations: relations.length / 3,
    })
    // The access log says who put a person back and when; not whom.
    const [noted] = await restoresIn(atlas.id, atlas.editToken)
    expect(noted).toMatchObject({
      event: 'restored-person',
      by: { label: 'Ria (moeder)', role: 'edit' },
    })
    expect(Date.now() - Date.parse(noted?.at ?? '')).toBeLessThan(60_000)
    expect(JSON.stringify(noted)).not.toContain(person.id)
    expect(JSON.stringify(noted)).not.toContain(person.name)
    // A client that joins now gets it too.
    const c = await connect(server, atlas.id, atlas.viewToken)
    for (const [name, doc] of [
      ['a', a.doc],
      ['b', b.doc],
      ['c', c.doc],
    ] as const) {
      await waitFor(
        () =>
          new RecordsMap(doc).has(person.id) &&
          relationsOf(doc, person.id).join() === relations.join(),
        `the person and his relations on client ${name}`,
      )
      const back = readAtlasContent(doc)
      expect(back.skipped).toEqual([])
      expect(back.persons.find((p) => p.id === person.id)?.maps).toEqual(
        content.persons.find((p) => p.id === person.id)?.maps,
      )
    }
    const now = HistoryComparison.parse(
      await (await callApi(server.url, 'GET', compareUrl, atlas.editToken)).json(),
    )
    expect(now.persons.removed).toEqual([])
    expect(now.relations.removed).toEqual([])
  })

  it('puts the whole atlas back as a new change that every client converges on', async () => {
    const atlas = await importSample(server)
    const [snapshot] = (await history(server, atlas.id, atlas.editToken)).snapshots
    const a = await connect(server, atlas.id, atlas.editToken)
    const b = await connect(server, atlas.id, atlas.editToken)
    const content = readAtlasContent(a.doc)
    const gone = content.persons.find((p) => !p.isClient)
    if (!gone || !snapshot) throw new Error('the sample atlas has persons')
    removePerson(a.doc, gone.id)
    writeShape(b.doc, 'made-later', { x: 5, y: 5 })
    await waitFor(
      () => new RecordsMap(a.doc).has('shape:made-later') && !new RecordsMap(b.doc).has(gone.id),
      'both edits on both clients',
    )
    await waitFor(async () => {
      const response = await callApi(
        server.url,
        'GET',
        `/api/atlases/${atlas.id}/history/${snapshot.id}/compare`,
        atlas.editToken,
      )
      return HistoryComparison.parse(await response.json()).persons.removed.length === 1
    }, 'the edits on the server')
    const response = await callApi(
      server.url,
      'POST',
      `/api/atlases/${atlas.id}/history/${snapshot.id}/restore`,
      atlas.editToken,
      {},
    )
    expect(response.status).toBe(200)
    expect(await restoresIn(atlas.id, atlas.editToken)).toMatchObject([
      { event: 'restored-atlas', by: { role: 'edit' } },
    ])
    const then = await callApi(
      server.url,
      'GET',
      `/api/atlases/${atlas.id}/history/${snapshot.id}`,
      atlas.editToken,
    )
    const wanted = ((await then.json()) as { content: { persons: { id: string }[] } }).content
    for (const [name, doc] of [
      ['a', a.doc],
      ['b', b.doc],
    ] as const) {
      await waitFor(
        () => !new RecordsMap(doc).has('shape:made-later') && new RecordsMap(doc).has(gone.id),
        `the restore on client ${name}`,
      )
    }
    expect(JSON.stringify(readAtlasContent(a.doc))).toBe(JSON.stringify(readAtlasContent(b.doc)))
    expect(readAtlasContent(a.doc).persons.map((p) => p.id)).toEqual(
      wanted.persons.map((p) => p.id),
    )
  })

  it('answers bad ids and persons with a plain 4xx', async () => {
    const atlas = await importSample(server)
    const [snapshot] = (await history(server, atlas.id, atlas.editToken)).snapshots
    const get = (path: string) =>
      callApi(server.url, 'GET', `/api/atlases/${atlas.id}/history/${path}`, atlas.editToken)
    const malformed = await get('not-an-id')
    expect(malformed.status).toBe(400)
    expect(await malformed.json()).toEqual({ error: 'This is not a snapshot id.' })
    const unknown = await get('AAAAAAAAAAAAAAAA/compare')
    expect(unknown.status).toBe(404)
    expect(await unknown.json()).toEqual({ error: 'This atlas has no snapshot with this id.' })
    const nobody = await callApi(
      server.url,
      'POST',
      `/api/atlases/${atlas.id}/history/${snapshot?.id}/restore`,
      atlas.editToken,
      { personId: 'person:nobody' },
    )
    expect(nobody.status).toBe(404)
    expect(await nobody.json()).toEqual({ error: 'This person is not in this snapshot.' })
    const notJson = await callApi(
      server.url,
      'POST',
      `/api/atlases/${atlas.id}/history/${snapshot?.id}/restore`,
      atlas.editToken,
      { personId: 42 },
    )
    expect(notJson.status).toBe(400)
    // Another atlas's snapshot is no snapshot of this one.
    const other = await importSample(server)
    const foreign = await callApi(
      server.url,
      'GET',
      `/api/atlases/${other.id}/history/${snapshot?.id}`,
      other.editToken,
    )
    expect(foreign.status).toBe(404)
  })
})

describe('who may use the history', () => {
  it('only edit links: view, procesbegeleider and professional links can neither list nor restore', async () => {
    const atlas = await importSample(server)
    const [snapshot] = (await history(server, atlas.id, atlas.editToken)).snapshots
    const others = [
      atlas.viewToken,
      (await createLink(server.url, atlas.id, atlas.editToken, 'procesbegeleider', 'pb')).token,
      (await createLink(server.url, atlas.id, atlas.editToken, 'professional', 'curator')).token,
    ]
    const base = `/api/atlases/${atlas.id}/history`
    for (const token of others) {
      const answers = [
        await callApi(server.url, 'GET', base, token),
        await callApi(server.url, 'GET', `${base}/${snapshot?.id}`, token),
        await callApi(server.url, 'GET', `${base}/${snapshot?.id}/compare`, token),
        await callApi(server.url, 'POST', `${base}/${snapshot?.id}/restore`, token, {}),
      ]
      expect(answers.map((r) => r.status)).toEqual([403, 403, 403, 403])
    }
    expect((await history(server, atlas.id, atlas.editToken)).snapshots.length).toBe(1)
  })
})

describe('erasing the atlas', () => {
  it('removes its snapshots with it', async () => {
    const atlas = await importSample(server)
    const maps = await connect(server, atlas.id, atlas.editToken)
    writeShape(maps.doc, 'note', { x: 1, y: 1 })
    const folder = join(server.dataDir, 'atlases', atlas.id, 'history')
    expect((await readdir(folder)).length).toBe(2)
    const erased = await callApi(server.url, 'DELETE', `/api/atlases/${atlas.id}`, atlas.editToken)
    expect(erased.status).toBe(204)
    await expect(stat(folder)).rejects.toMatchObject({ code: 'ENOENT' })
    await expect(stat(join(server.dataDir, 'atlases', atlas.id))).rejects.toMatchObject({
      code: 'ENOENT',
    })
    const listed = await callApi(
      server.url,
      'GET',
      `/api/atlases/${atlas.id}/history`,
      atlas.editToken,
    )
    expect(listed.status).toBe(410)
    expect(await server.server.store.listSnapshots(atlas.id)).toEqual([])
  })
})
