/**
 * Encryption at rest (issue 18): with ATLAS_ENCRYPTION_KEY, a real server process keeps nothing
 * readable of an atlas on disk, reads it back after a restart, and will not start with another
 * key, without the key, or with a malformed one.
 */
import { randomBytes } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { VersionList } from '../../shared/api/versions'
import { addAgreement } from '../../shared/plan/actions'
import { readAgreements } from '../../shared/plan/layout'
import { RECORDS_KEY } from '../../shared/sync/layout'
import { callApi, createAtlas, syncedClient, waitFor, writeShape } from '../helpers/clients'
import { type ChildServer, makeDataDir, removeDir, spawnServer } from '../helpers/server'

const TITLE = 'Atlas van Sanne Jansen'
const SECRET = 'Oom Piet belt elke zondag om vier uur'

const servers: ChildServer[] = []
const providers: WebsocketProvider[] = []
const dirs: string[] = []

afterAll(async () => {
  for (const p of providers) p.destroy()
  for (const s of servers) {
    if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL')
    await s.exited
  }
  await Promise.all(dirs.map(removeDir))
})

/** Every file under `root` as text, with every base64 token in it decoded beside it. */
async function readable(root: string): Promise<{ path: string; text: string }[]> {
  const found: { path: string; text: string }[] = []
  for (const entry of await readdir(root, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue
    const path = join(entry.parentPath, entry.name)
    // While the server runs, a temporary file may be renamed into place between the listing and
    // the read: it is read under its new name.
    const bytes = await readFile(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null
      throw error
    })
    if (!bytes) continue
    const tokens = bytes.toString('latin1').match(/[A-Za-z0-9+/=]{16,}/g) ?? []
    const decoded = tokens.map((t) => Buffer.from(t, 'base64').toString('utf8'))
    found.push({ path, text: [bytes.toString('utf8'), ...decoded].join('\n') })
  }
  return found
}

async function stop(s: ChildServer, signal: NodeJS.Signals): Promise<void> {
  s.child.kill(signal)
  await s.exited
}

describe('encryption at rest', () => {
  it('keeps no plaintext on disk, reads the atlas back, and refuses another or no key', async () => {
    const dir = await makeDataDir()
    dirs.push(dir)
    const key = randomBytes(32).toString('base64')
    const env = { ATLAS_ENCRYPTION_KEY: key, SAVE_DEBOUNCE_MS: '10', SAVE_MAX_WAIT_MS: '10' }
    const first = await spawnServer(dir, env)
    servers.push(first)
    const atlas = await createAtlas(first.url, TITLE)
    const editor = await syncedClient(first.wsUrl, atlas.id, atlas.editToken)
    providers.push(editor)
    writeShape(editor.doc, 'oom', { x: 1, y: 2, text: SECRET })
    const log = join(dir, 'atlases', atlas.id, 'updates.log')
    await waitFor(
      async () => (await readFile(log).catch(() => Buffer.alloc(0))).length > 0,
      'the log',
    )
    // The log while people edit, then the snapshot a shutdown writes.
    for (const { path, text } of await readable(dir)) {
      expect(text, path).not.toContain(SECRET)
      expect(text, path).not.toContain('Sanne')
    }
    editor.destroy()
    await stop(first, 'SIGTERM')
    const files = await readable(dir)
    const paths = files.map((f) => f.path.slice(dir.length + 1)).sort()
    expect(paths.filter((p) => !p.includes('/history/'))).toEqual([
      `atlases/${atlas.id}/access.log`,
      `atlases/${atlas.id}/doc.json`,
      `atlases/${atlas.id}/meta.json`,
      'storage.json',
    ])
    // The history: its index and the snapshot of the first save, sealed like the rest.
    const history = paths.filter((p) => p.includes('/history/'))
    expect(history).toHaveLength(2)
    expect(history).toContain(`atlases/${atlas.id}/history/index.json`)
    expect(history.some((p) => /\/history\/[A-Za-z0-9_-]{16}\.json$/.test(p))).toBe(true)
    for (const { path, text } of files) {
      expect(text, path).not.toContain(SECRET)
      expect(text, path).not.toContain('Sanne')
      // The access log is sealed too: not even who opened it when is readable.
      expect(text, path).not.toContain('"at":')
    }

    const second = await spawnServer(dir, env)
    servers.push(second)
    const info = await callApi(second.url, 'GET', `/api/atlases/${atlas.id}`, atlas.editToken)
    expect(info.status).toBe(200)
    expect(((await info.json()) as { title: string }).title).toBe(TITLE)
    const accessLog = await callApi(
      second.url,
      'GET',
      `/api/atlases/${atlas.id}/access-log`,
      atlas.editToken,
    )
    expect(accessLog.status).toBe(200)
    expect(JSON.stringify(await accessLog.json())).toContain('"opened"')
    const reader = await syncedClient(second.wsUrl, atlas.id, atlas.editToken)
    providers.push(reader)
    const shape = reader.doc.getMap(RECORDS_KEY).get('shape:oom') as
      | { props: { text: string } }
      | Y.Map<unknown>
      | undefined
    expect(JSON.stringify(shape instanceof Y.Map ? shape.toJSON() : shape)).toContain(SECRET)
    reader.destroy()
    await stop(second, 'SIGTERM')

    await expect(
      spawnServer(dir, { ...env, ATLAS_ENCRYPTION_KEY: randomBytes(32).toString('hex') }),
    ).rejects.toThrow(/could not start: ATLAS_ENCRYPTION_KEY is not the key/)
    await expect(spawnServer(dir, { ...env, ATLAS_ENCRYPTION_KEY: '' })).rejects.toThrow(
      /is encrypted: set ATLAS_ENCRYPTION_KEY to the key it was written with/,
    )
    const malformed = 'mijn-geheime-sleutel'
    const refused = spawnServer(dir, { ...env, ATLAS_ENCRYPTION_KEY: malformed })
    await expect(refused).rejects.toThrow(/ATLAS_ENCRYPTION_KEY: must be 32 bytes/)
    await expect(refused).rejects.not.toThrow(malformed)
  }, 60_000)

  it('keeps the plan and its versions encrypted too, and reads them back', async () => {
    const dir = await makeDataDir()
    dirs.push(dir)
    const env = { ATLAS_ENCRYPTION_KEY: randomBytes(32).toString('hex') }
    const first = await spawnServer(dir, env)
    servers.push(first)
    const atlas = await createAtlas(first.url, TITLE)
    const plan = await syncedClient(first.wsUrl, `${atlas.id}/plan`, atlas.editToken)
    providers.push(plan)
    addAgreement(plan.doc, 'question:geld', { what: SECRET })
    await waitFor(async () => {
      const probe = await syncedClient(first.wsUrl, `${atlas.id}/plan`, atlas.viewToken)
      const there = readAgreements(probe.doc).length === 1
      probe.destroy()
      return there
    }, 'the agreement on the server')
    const kept = await callApi(
      first.url,
      'POST',
      `/api/atlases/${atlas.id}/versions`,
      atlas.editToken,
      {
        meetingId: null,
      },
    )
    expect(kept.status).toBe(201)
    plan.destroy()
    await stop(first, 'SIGTERM')
    const files = await readable(dir)
    expect(files.map((f) => f.path)).toContain(join(dir, 'atlases', atlas.id, 'versions.json'))
    for (const { path, text } of files) {
      expect(text, path).not.toContain(SECRET)
      expect(text, path).not.toContain('Sanne')
    }
    const second = await spawnServer(dir, env)
    servers.push(second)
    const list = await callApi(
      second.url,
      'GET',
      `/api/atlases/${atlas.id}/versions`,
      atlas.viewToken,
    )
    const { versions } = VersionList.parse(await list.json())
    expect(versions[0]?.content.agreements[0]?.what).toBe(SECRET)
    await stop(second, 'SIGTERM')
  }, 30_000)

  it('refuses a key for a data folder written without one', async () => {
    const dir = await makeDataDir()
    dirs.push(dir)
    const plain = await spawnServer(dir)
    servers.push(plain)
    await createAtlas(plain.url, TITLE)
    await stop(plain, 'SIGTERM')
    await expect(
      spawnServer(dir, { ATLAS_ENCRYPTION_KEY: randomBytes(32).toString('hex') }),
    ).rejects.toThrow(/is not encrypted, but ATLAS_ENCRYPTION_KEY is set/)
  }, 30_000)
})
