import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { PNG } from 'pngjs'
import { afterAll, describe, expect, it } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { buildAtlasFile, ImportAtlasResponse } from '../../shared/api/atlasFile'
import { readAtlasContent } from '../../shared/domain/content'
import { buildSampleAtlas, seedAtlasDoc } from '../../shared/domain/sampleAtlas'
import { embedAtlasInPng, embedAtlasInSvg, readEmbeddedAtlas } from '../../shared/export/embed'
import { RecordsMap } from '../../shared/sync/records'
import { syncedClient, waitFor } from '../helpers/clients'
import { serverOfThisFile } from '../helpers/serverOfFile'

const { server } = serverOfThisFile()
const providers: WebsocketProvider[] = []

afterAll(() => {
  for (const provider of providers) provider.destroy()
})

/** A real 64×48 PNG: a blue field with a lighter band. */
function picture(): Uint8Array {
  const image = new PNG({ width: 64, height: 48 })
  for (let y = 0; y < 48; y++) {
    for (let x = 0; x < 64; x++) {
      const i = (y * 64 + x) * 4
      image.data.set(y > 16 && y < 32 ? [200, 220, 250, 255] : [31, 95, 174, 255], i)
    }
  }
  return new Uint8Array(PNG.sync.write(image))
}

const drawing = `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="480" viewBox="0 0 640 480"><rect width="640" height="480" fill="#f6f5f1"/><circle cx="320" cy="240" r="60" fill="#1f5fae"/><text x="320" y="250" text-anchor="middle">Sanne</text></svg>`

function atlasFolders(): Promise<string[]> {
  return readdir(join(server.dataDir, 'atlases')).catch(() => [])
}

describe('an image that carries an atlas', () => {
  const original = new Y.Doc()
  seedAtlasDoc(original, buildSampleAtlas())
  const file = buildAtlasFile(original, 'Voorbeeldatlas van Sanne')
  const json = JSON.stringify(file)

  it.each([
    ['PNG', async () => embedAtlasInPng(picture(), json)],
    ['SVG', async () => new TextEncoder().encode(await embedAtlasInSvg(drawing, json))],
  ])('restores the atlas from a %s as a new atlas with the same content', async (_, image) => {
    const found = await readEmbeddedAtlas(await image())
    if (found.kind !== 'atlas') throw new Error(`expected an atlas, got ${found.kind}`)
    expect(found.json).toBe(json)

    const before = await atlasFolders()
    const response = await fetch(`${server.url}/api/atlases/import`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: found.json,
    })
    expect(response.status).toBe(201)
    const body = ImportAtlasResponse.parse(await response.json())
    expect(body.skipped).toEqual([])
    expect(body.title).toBe('Voorbeeldatlas van Sanne')
    expect((await atlasFolders()).sort()).toEqual([...before, body.id].sort())

    const reader = await syncedClient(server.wsUrl, body.id, body.viewToken)
    providers.push(reader)
    await waitFor(() => new RecordsMap(reader.doc).size === file.records.length, 'records')
    const content = readAtlasContent(reader.doc)
    expect(content).toEqual(readAtlasContent(original))
    expect(content.client?.name).toBe('Sanne')
    expect(content.persons.length).toBeGreaterThan(5)
  })

  it('finds nothing in an image without an atlas, so nothing is sent', async () => {
    expect(await readEmbeddedAtlas(picture())).toEqual({ kind: 'no-data' })
    expect(await readEmbeddedAtlas(new TextEncoder().encode(drawing))).toEqual({
      kind: 'no-data',
    })
  })
})
