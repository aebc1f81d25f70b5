import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { ApiError } from '../../shared/api/atlases'
import { ATLAS_FILE_VERSION, buildAtlasFile, ImportAtlasResponse } from '../../shared/api/atlasFile'
import { readAtlasContent } from '../../shared/domain/content'
import { buildSampleAtlas, seedAtlasDoc } from '../../shared/domain/sampleAtlas'
import { RecordsMap } from '../../shared/sync/records'
import { syncedClient, waitFor } from '../helpers/clients'
import { serverOfThisFile } from '../helpers/serverOfFile'

const { server } = serverOfThisFile()
const providers: WebsocketProvider[] = []

afterAll(() => {
  for (const provider of providers) provider.destroy()
})

function sampleDoc(): Y.Doc {
  const doc = new Y.Doc()
  seedAtlasDoc(doc, buildSampleAtlas())
  return doc
}

function postFile(body: string) {
  return fetch(`${server.url}/api/atlases/import`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body,
  })
}

function atlasFolders(): Promise<string[]> {
  return readdir(join(server.dataDir, 'atlases')).catch(() => [])
}

describe('POST /api/atlases/import', () => {
  it('restores an exported atlas as a new atlas with the same content', async () => {
    const original = sampleDoc()
    const file = buildAtlasFile(original, 'Voorbeeldatlas van Sanne')
    expect(file.records.length).toBe(new RecordsMap(original).size)

    const response = await postFile(JSON.stringify(file))
    expect(response.status).toBe(201)
    const body = ImportAtlasResponse.parse(await response.json())
    expect(body.skipped).toEqual([])
    expect(body.title).toBe('Voorbeeldatlas van Sanne')
    expect(body.editUrl).toBe(`/atlas/${body.id}#edit=${body.editToken}&view=${body.viewToken}`)

    // Stored before the answer: the folder holds the document already.
    const files = await readdir(join(server.dataDir, 'atlases', body.id))
    expect(files).toContain('doc.json')

    const second = await postFile(JSON.stringify(file))
    const again = ImportAtlasResponse.parse(await second.json())
    expect(again.id).not.toBe(body.id)
    expect(again.editToken).not.toBe(body.editToken)

    const reader = await syncedClient(server.wsUrl, body.id, body.viewToken)
    providers.push(reader)
    await waitFor(() => new RecordsMap(reader.doc).size === file.records.length, 'records')
    expect(readAtlasContent(reader.doc)).toEqual(readAtlasContent(original))
    expect(readAtlasContent(reader.doc)).toEqual(file.content)
  })

  it('imports a file with one invalid record and lists it as skipped', async () => {
    const file = buildAtlasFile(sampleDoc(), 'Met een fout')
    const person = file.records.find((r) => r.typeName === 'person')
    if (!person) throw new Error('the sample atlas has persons')
    const broken = { ...person, props: 'not an object' }
    file.records = file.records.map((r) => (r.id === person.id ? broken : r))

    const response = await postFile(JSON.stringify(file))
    expect(response.status).toBe(201)
    const body = ImportAtlasResponse.parse(await response.json())
    expect(body.skipped).toHaveLength(1)
    expect(body.skipped[0]?.id).toBe(person.id)

    const reader = await syncedClient(server.wsUrl, body.id, body.editToken)
    providers.push(reader)
    await waitFor(() => new RecordsMap(reader.doc).size === file.records.length - 1, 'records')
    expect(new RecordsMap(reader.doc).has(person.id)).toBe(false)
  })

  it('migrates a file written by an older version of the atlas schema', async () => {
    // The sample atlas as an atlas from before person photos (person record version 1).
    const file = buildAtlasFile(sampleDoc(), 'Oud bestand')
    const schema = structuredClone(file.schema) as unknown as { sequences: Record<string, number> }
    expect(schema.sequences['com.tldraw.person']).toBeGreaterThan(1)
    schema.sequences['com.tldraw.person'] = 1
    file.schema = schema as unknown as typeof file.schema
    file.records = file.records.map((r) => {
      if (r.typeName !== 'person') return r
      const { photo: _photo, ...older } = r as typeof r & { photo?: unknown }
      return older
    })

    const response = await postFile(JSON.stringify(file))
    expect(response.status).toBe(201)
    const body = ImportAtlasResponse.parse(await response.json())
    expect(body.skipped).toEqual([])
    const reader = await syncedClient(server.wsUrl, body.id, body.viewToken)
    providers.push(reader)
    await waitFor(() => new RecordsMap(reader.doc).size === file.records.length, 'records')
    const content = readAtlasContent(reader.doc)
    expect(content.persons.map((p) => p.name)).toEqual(file.content.persons.map((p) => p.name))
    expect(content.persons.every((p) => p.photo === null)).toBe(true)
    // Stored as the current version: every person has the field the migration added.
    const persons = [...new RecordsMap(reader.doc).values()].filter((r) => r.typeName === 'person')
    expect(persons.every((p) => 'photo' in p)).toBe(true)
  })

  it.each([
    ['damaged JSON', () => JSON.stringify(buildAtlasFile(sampleDoc(), 'x')).slice(0, 500)],
    [
      'a wrong format',
      () => JSON.stringify({ ...buildAtlasFile(sampleDoc(), 'x'), format: 'excalidraw' }),
    ],
    [
      'a newer version',
      () =>
        JSON.stringify({ ...buildAtlasFile(sampleDoc(), 'x'), version: ATLAS_FILE_VERSION + 1 }),
    ],
    ['no records', () => JSON.stringify({ ...buildAtlasFile(sampleDoc(), 'x'), records: 5 })],
    ['a JSON array', () => '[]'],
  ])('refuses %s with a message and creates nothing', async (_, body) => {
    const before = await atlasFolders()
    const response = await postFile(body())
    expect(response.status).toBe(400)
    const error = ApiError.parse(await response.json())
    expect(error.error.length).toBeGreaterThan(0)
    expect(await atlasFolders()).toEqual(before)
  })
})
