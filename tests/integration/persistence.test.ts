import { execFile } from 'node:child_process'
import { readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { ApiError } from '../../shared/api/atlases'
import { buildAtlasFile, ImportAtlasResponse } from '../../shared/api/atlasFile'
import { buildSampleAtlas, seedAtlasDoc } from '../../shared/domain/sampleAtlas'
import { CloseCode } from '../../shared/sync/layout'
import { RecordsMap } from '../../shared/sync/records'
import { childServersOfEachTest } from '../helpers/childServers'
import {
  connectProvider,
  createAtlas,
  readShape,
  synced,
  waitFor,
  writeShape,
} from '../helpers/clients'
import { spawnServer, startTestServer } from '../helpers/server'

const execFileAsync = promisify(execFile)
const { providers, dirs, dataDir, spawn: child, client } = childServersOfEachTest()

/** Writes a shape through `writer` and waits until a second client has it: the server holds it. */
async function editAndConfirm(
  writer: WebsocketProvider,
  observer: WebsocketProvider,
  id: string,
  x: number,
) {
  writeShape(writer.doc, id, { x, y: 0 })
  await waitFor(() => readShape(observer.doc, id)?.x === x, `the server to relay ${id}`)
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('persistence', () => {
  it('a restart keeps atlases, documents and links', async () => {
    const dir = await dataDir()
    const first = await startTestServer({ dataDir: dir })
    const atlas = await createAtlas(first.url, 'Atlas van Sanne')
    const a = await client(first.wsUrl, atlas.id, atlas.editToken)
    const b = await client(first.wsUrl, atlas.id, atlas.editToken)
    for (let i = 0; i < 5; i++) await editAndConfirm(a, b, `shape${i}`, i)
    for (const p of providers.splice(0)) p.destroy()
    await first.close()

    const second = await startTestServer({ dataDir: dir })
    try {
      const info = await fetch(`${second.url}/api/atlases/${atlas.id}`, {
        headers: { Authorization: `Bearer ${atlas.viewToken}` },
      })
      expect(await info.json()).toMatchObject({ title: 'Atlas van Sanne', role: 'view' })
      const fresh = await client(second.wsUrl, atlas.id, atlas.viewToken)
      for (let i = 0; i < 5; i++) expect(readShape(fresh.doc, `shape${i}`)?.x).toBe(i)
    } finally {
      for (const p of providers.splice(0)) p.destroy()
      await second.close()
    }
  })

  it('saves and unloads an atlas when its last client leaves', async () => {
    const server = await startTestServer()
    dirs.push(server.dataDir)
    try {
      const atlas = await createAtlas(server.url)
      const a = await client(server.wsUrl, atlas.id, atlas.editToken)
      writeShape(a.doc, 'kept', { x: 3, y: 4 })
      await waitFor(async () => {
        const room = await server.server.registry.peek(atlas.id)
        return room !== undefined && readShape(room.doc, 'kept') !== undefined
      }, 'the edit on the server')
      a.destroy()
      await waitFor(() => !server.server.registry.openIds.includes(atlas.id), 'the room to unload')
      const stored = await server.server.store.loadDoc(atlas.id)
      const doc = new Y.Doc()
      if (stored) Y.applyUpdate(doc, stored)
      expect(readShape(doc, 'kept')).toMatchObject({ x: 3, y: 4 })
      const files = await readdir(join(server.dataDir, 'atlases', atlas.id))
      expect(files.sort()).toEqual(['access.log', 'doc.json', 'history', 'meta.json'])
    } finally {
      await server.close()
    }
  })

  it('kill -9 one second after the last edit loses nothing', async () => {
    const dir = await dataDir()
    const first = await child(dir)
    const atlas = await createAtlas(first.url)
    const writer = await client(first.wsUrl, atlas.id, atlas.editToken)
    const observer = await client(first.wsUrl, atlas.id, atlas.editToken)
    await editAndConfirm(writer, observer, 'one', 1)
    await editAndConfirm(writer, observer, 'last', 2)
    await sleep(1000)
    first.child.kill('SIGKILL')
    expect((await first.exited).signal).toBe('SIGKILL')
    for (const p of providers.splice(0)) p.destroy()

    // What a crash in the middle of a write leaves behind (the kill itself may have left one).
    const atlasDir = join(dir, 'atlases', atlas.id)
    await writeFile(join(atlasDir, '.doc.json.0123456789ab.tmp'), '{"version":1,"sta')
    await writeFile(join(atlasDir, '.meta.json.0123456789ab.tmp'), '{"version":2,"id')
    const second = await child(dir)
    // The view link's first use: the server writes its "last used" to meta.json as it lets the
    // device in, as it does for any link whose note the crash cut off. That write's temp file
    // is no leftover; a stop waits for it, so afterwards nothing but the files is left.
    const fresh = await client(second.wsUrl, atlas.id, atlas.viewToken)
    expect(readShape(fresh.doc, 'one')?.x).toBe(1)
    expect(readShape(fresh.doc, 'last')?.x).toBe(2)
    second.child.kill('SIGTERM')
    expect(await second.exited).toEqual({ code: 0, signal: null })
    expect((await readdir(atlasDir)).sort()).toEqual([
      'access.log',
      'doc.json',
      'history',
      'meta.json',
    ])
  })

  it('SIGTERM closes sockets with 1001, saves pending edits and exits 0', async () => {
    const dir = await dataDir()
    // A long debounce: only the shutdown flush can have saved the edit.
    const first = await child(dir, { SAVE_DEBOUNCE_MS: '1000', SAVE_MAX_WAIT_MS: '1000' })
    const atlas = await createAtlas(first.url)
    const writer = await client(first.wsUrl, atlas.id, atlas.editToken)
    const observer = await client(first.wsUrl, atlas.id, atlas.editToken)
    const closeCode = new Promise<number | undefined>((resolve) =>
      observer.once('connection-close', (event) => resolve(event?.code)),
    )
    await editAndConfirm(writer, observer, 'flushed', 7)
    first.child.kill('SIGTERM')
    expect(await first.exited).toEqual({ code: 0, signal: null })
    expect(await closeCode).toBe(CloseCode.GoingAway)
    expect(first.output()).toContain('shutting down')
    for (const p of providers.splice(0)) p.destroy()

    const second = await child(dir)
    const fresh = await client(second.wsUrl, atlas.id, atlas.editToken)
    expect(readShape(fresh.doc, 'flushed')?.x).toBe(7)
  })

  it('a client gives back the edits a crashed server lost', async () => {
    const dir = await dataDir()
    const first = await child(dir, { SAVE_DEBOUNCE_MS: '1000', SAVE_MAX_WAIT_MS: '1000' })
    const atlas = await createAtlas(first.url)
    const writer = await client(first.wsUrl, atlas.id, atlas.editToken)
    const observer = await client(first.wsUrl, atlas.id, atlas.editToken)
    await editAndConfirm(writer, observer, 'lost', 5)
    first.child.kill('SIGKILL')
    await first.exited
    writer.disconnect()
    observer.destroy()

    const second = await child(dir)
    const fresh = await client(second.wsUrl, atlas.id, atlas.editToken)
    // The crash really lost it on the server…
    expect(readShape(fresh.doc, 'lost')).toBeUndefined()
    // …and the client that still holds it gives it back when it reconnects.
    writer.serverUrl = second.wsUrl
    writer.connect()
    await synced(writer)
    await waitFor(() => readShape(fresh.doc, 'lost')?.x === 5, 'the lost edit to come back')
  })

  it('keeps a damaged atlas file to its own atlas', async () => {
    const server = await startTestServer()
    dirs.push(server.dataDir)
    try {
      const damaged = await createAtlas(server.url)
      const healthy = await createAtlas(server.url)
      await writeFile(
        join(server.dataDir, 'atlases', damaged.id, 'doc.json'),
        '{"version":1,"state":"AAA',
      )
      const broken = connectProvider(server.wsUrl, damaged.id, damaged.editToken)
      providers.push(broken)
      const code = await new Promise<number | undefined>((resolve) =>
        broken.once('connection-close', (event) => resolve(event?.code)),
      )
      expect(code).toBe(1011)
      broken.destroy()
      const a = await client(server.wsUrl, healthy.id, healthy.editToken)
      const b = await client(server.wsUrl, healthy.id, healthy.editToken)
      await editAndConfirm(a, b, 'fine', 1)
      const logs = server.logs.join('\n')
      expect(logs).toMatch(new RegExp(`atlas load failed atlas=${damaged.id} error=StorageError`))
      expect(logs).not.toContain('AAA')
    } finally {
      await server.close()
    }
  })
})

describe('a write that fails', () => {
  it('an atlas whose files cannot be written leaves nothing behind, and the server goes on', async () => {
    const dir = await dataDir()
    const server = await child(dir)
    const sample = new Y.Doc()
    seedAtlasDoc(sample, buildSampleAtlas())
    const file = JSON.stringify(buildAtlasFile(sample, 'Voorbeeldatlas'))
    const importFile = () =>
      fetch(`${server.url}/api/atlases/import`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: file,
      })
    // A first import works (and loads the import code before the limit below).
    const first = ImportAtlasResponse.parse(await (await importFile()).json())
    const folders = () => readdir(join(dir, 'atlases'))
    expect(await folders()).toEqual([first.id])

    // Files of the server may now grow to 4 KB: meta.json fits, the document does not.
    const pid = String(server.child.pid)
    await execFileAsync('prlimit', ['--pid', pid, '--fsize=4096:'])
    const failed = await importFile()
    expect(failed.status).toBe(500)
    expect(ApiError.parse(await failed.json()).error).toBe('Something went wrong on the server.')
    expect(await folders()).toEqual([first.id])
    // Down to 64 bytes, not even a new atlas's meta.json fits: no folder stays without it.
    await execFileAsync('prlimit', ['--pid', pid, '--fsize=64:'])
    const created = await fetch(`${server.url}/api/atlases`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ title: 'Nieuw' }),
    })
    expect(created.status).toBe(500)
    expect(await folders()).toEqual([first.id])
    await execFileAsync('prlimit', ['--pid', pid, '--fsize=unlimited:'])

    // The server goes on, and the first atlas is whole.
    const again = await importFile()
    expect(again.status).toBe(201)
    const reader = await client(server.wsUrl, first.id, first.editToken)
    expect(new RecordsMap(reader.doc).size).toBe(new RecordsMap(sample).size)
    // Both failures were the file size (the import's document, the new atlas's meta.json).
    expect(server.output().match(/EFBIG/g)?.length ?? 0).toBeGreaterThanOrEqual(2)
  })
})

describe('start-up', () => {
  it('stops with a clear message and exit code 1 on bad configuration', async () => {
    const dir = await dataDir()
    await expect(spawnServer(dir, { PORT: 'eighty' })).rejects.toThrow(
      /code 1,[\s\S]*PORT \(got "eighty"\): must be a whole number/,
    )
  })

  it('prints exactly one listening line with the real port', async () => {
    const dir = await dataDir()
    const c = await child(dir)
    expect(c.port).toBeGreaterThan(0)
    expect(c.output().match(/Netwerkatlas listening on/g)).toHaveLength(1)
    expect(c.url).toBe(`http://127.0.0.1:${c.port}`)
    const response = await fetch(`${c.url}/api/nothing`)
    expect(response.status).toBe(404)
  })
})
