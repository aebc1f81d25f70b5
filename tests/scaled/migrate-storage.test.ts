/**
 * `npm run migrate-storage`: an atlas written by a real server in the embedded mode (encrypted
 * at rest) is moved into PostgreSQL by the real command, then served by a real server in the
 * scaled mode to stock y-websocket clients with the same content.
 */
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { HistoryList } from '../../shared/api/history'
import { childServersOfEachTest } from '../helpers/childServers'
import {
  callApi,
  createAtlas,
  createLink,
  readShape,
  waitFor,
  writeShape,
} from '../helpers/clients'

const repoRoot = fileURLToPath(new URL('../..', import.meta.url))

const started = childServersOfEachTest()

/** Runs `npm run migrate-storage` with `env`; resolves with its exit code and output. */
function migrateStorage(
  env: Record<string, string>,
): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', 'migrate-storage'], {
      cwd: repoRoot,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8')
    })
    child.stderr.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8')
    })
    child.once('error', reject)
    child.once('exit', (code) => resolve({ code, out }))
  })
}

const SHAPES = 12

describe('npm run migrate-storage', () => {
  it('moves an encrypted embedded atlas into PostgreSQL, once, for a scaled server to serve', async () => {
    const dataDir = await started.dataDir()
    const key = randomBytes(32).toString('hex')
    const embedded = await started.spawn(dataDir, {
      ATLAS_ENCRYPTION_KEY: key,
      SAVE_DEBOUNCE_MS: '10',
      SAVE_MAX_WAIT_MS: '10',
    })
    const atlas = await createAtlas(embedded.url, 'Atlas van Sanne')
    const view = await createLink(embedded.url, atlas.id, atlas.editToken, 'view', 'Buurvrouw')
    const other = await createAtlas(embedded.url, 'Atlas van Piet')
    const editor = await started.client(embedded.wsUrl, atlas.id, atlas.editToken)
    for (let i = 0; i < SHAPES; i++) {
      writeShape(editor.doc, `p${i}`, { x: i * 10, y: 0, text: `Persoon ${i}` })
    }
    // The first save takes the history's first snapshot (sealed, like the rest of the folder).
    const historyOf = async (url: string) => {
      const response = await callApi(
        url,
        'GET',
        `/api/atlases/${atlas.id}/history`,
        atlas.editToken,
      )
      expect(response.status).toBe(200)
      return HistoryList.parse(await response.json()).snapshots
    }
    await waitFor(async () => (await historyOf(embedded.url)).length === 1, 'a snapshot')
    const snapshots = await historyOf(embedded.url)
    // SIGTERM saves what the room holds before the process ends.
    for (const p of started.providers.splice(0)) p.destroy()
    embedded.child.kill('SIGTERM')
    await embedded.exited

    const databaseUrl = await started.database()
    const env = { DATA_DIR: dataDir, DATABASE_URL: databaseUrl, ATLAS_ENCRYPTION_KEY: key }
    const first = await migrateStorage(env)
    expect(first.out).toContain('Moved 2 atlases into PostgreSQL.')
    expect(first.out).toContain('0 atlases already there')
    expect(first.code).toBe(0)
    // Again: nothing twice.
    const again = await migrateStorage(env)
    expect(again.out).toContain('Moved 0 atlases into PostgreSQL.')
    expect(again.out).toContain('2 atlases already there: left as they were.')
    expect(again.code).toBe(0)
    // Without the key the folder does not open, and it says so.
    const keyless = await migrateStorage({ DATA_DIR: dataDir, DATABASE_URL: databaseUrl })
    expect(keyless.code).toBe(1)
    expect(keyless.out).toMatch(/Nothing was moved: .* is encrypted: set ATLAS_ENCRYPTION_KEY/)

    const scaled = await started.scaled(databaseUrl, { ATLAS_ENCRYPTION_KEY: key })
    const reader = await started.client(scaled.wsUrl, atlas.id, view.token)
    const missing = Array.from({ length: SHAPES }, (_, i) => i).filter(
      (i) => readShape(reader.doc, `p${i}`)?.x !== i * 10,
    )
    expect(missing).toEqual([])
    const info = await callApi(scaled.url, 'GET', `/api/atlases/${atlas.id}`, atlas.editToken)
    expect(info.status).toBe(200)
    expect(((await info.json()) as { title: string }).title).toBe('Atlas van Sanne')
    const otherInfo = await callApi(scaled.url, 'GET', `/api/atlases/${other.id}`, other.editToken)
    expect(((await otherInfo.json()) as { title: string }).title).toBe('Atlas van Piet')
    // The access log came along: the editor's visit in the embedded mode is in it.
    const accessLog = await callApi(
      scaled.url,
      'GET',
      `/api/atlases/${atlas.id}/access-log`,
      atlas.editToken,
    )
    expect(accessLog.status).toBe(200)
    expect(JSON.stringify(await accessLog.json())).toContain('"opened"')
    // The history came along, once, and its snapshots open (unsealed with the key, intact).
    expect(await historyOf(scaled.url)).toEqual(snapshots)
    const oldest = await callApi(
      scaled.url,
      'GET',
      `/api/atlases/${atlas.id}/history/${snapshots[0]?.id}`,
      atlas.editToken,
    )
    expect(oldest.status).toBe(200)
  })

  it('refuses to start without DATABASE_URL or on a folder with no atlases', async () => {
    const noDatabase = await migrateStorage({ DATA_DIR: '/nonexistent', DATABASE_URL: '' })
    expect(noDatabase.code).toBe(1)
    expect(noDatabase.out).toContain('DATABASE_URL: must be set')
    const noFolder = await migrateStorage({
      DATA_DIR: '/nonexistent/netwerkatlas',
      DATABASE_URL: await started.database(),
    })
    expect(noFolder.code).toBe(1)
    expect(noFolder.out).toContain(
      'Nothing was moved: /nonexistent/netwerkatlas holds no atlases folder.',
    )
  })
})
