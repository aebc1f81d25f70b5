/**
 * The server in the scaled mode with its atlases in PostgreSQL: real server processes, a real
 * (throw-away) PostgreSQL, stock y-websocket clients. What an edit's save promises holds as in
 * the embedded mode, and a database that goes away and comes back loses nothing.
 */
import * as decoding from 'lib0/decoding'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { CloseCode, SaveState } from '../../shared/sync/layout'
import { childServersOfEachTest } from '../helpers/childServers'
import {
  connectProvider,
  createAtlas,
  readShape,
  synced,
  waitFor,
  writeShape,
} from '../helpers/clients'
import { freshDatabase, startPostgres, type TestPostgres } from '../helpers/services'

const started = childServersOfEachTest()
const clusters: TestPostgres[] = []

afterAll(async () => {
  await Promise.all(clusters.map((c) => c.remove()))
})

/**
 * The shapes of an atlas as the database holds them now (its snapshot merged with the updates
 * appended since), read without changing anything.
 */
async function storedShapes(databaseUrl: string, atlasId: string): Promise<Y.Doc> {
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  try {
    const snapshot = await client.query('SELECT state FROM documents WHERE key = $1', [atlasId])
    const updates = await client.query(
      'SELECT body FROM document_updates WHERE key = $1 ORDER BY seq',
      [atlasId],
    )
    const parts = [
      ...snapshot.rows.map((r) => new Uint8Array(r.state)),
      ...updates.rows.map((r) => new Uint8Array(r.body)),
    ]
    const doc = new Y.Doc()
    if (parts.length > 0) Y.applyUpdate(doc, Y.mergeUpdates(parts))
    return doc
  } finally {
    await client.end()
  }
}

describe('the scaled mode on PostgreSQL', () => {
  it('has each edit in the database within 1 s, and a kill -9 loses none of it', async () => {
    const url = await started.database()
    const first = await started.scaled(url)
    expect(first.output()).toMatch(/database schema migrated .*version=1/)
    const atlas = await createAtlas(first.url)
    const editor = await started.client(first.wsUrl, atlas.id, atlas.editToken)
    for (let i = 0; i < 20; i++) {
      writeShape(editor.doc, `p${i}`, { x: i, y: 0, text: `Persoon ${i}` })
      const edited = Date.now()
      // The server's save timing (debounce 200 ms, at most 700 ms) plus one committed insert.
      await waitFor(
        async () => readShape(await storedShapes(url, atlas.id), `p${i}`) !== undefined,
        `edit ${i} in the database`,
        1000,
      )
      expect(Date.now() - edited).toBeLessThanOrEqual(1000)
    }
    first.child.kill('SIGKILL')
    await first.exited

    const second = await started.scaled(url)
    // The schema is there: the second server migrates nothing.
    expect(second.output()).not.toMatch(/database schema migrated/)
    const reader = await started.client(second.wsUrl, atlas.id, atlas.editToken)
    const missing = Array.from({ length: 20 }, (_, i) => i).filter(
      (i) => readShape(reader.doc, `p${i}`) === undefined,
    )
    expect(missing).toEqual([])
    const info = await fetch(`${second.url}/api/atlases/${atlas.id}`, {
      headers: { Authorization: `Bearer ${atlas.editToken}` },
    })
    expect(info.status).toBe(200)
    expect(((await info.json()) as { title: string }).title).toBe('Atlas van Sanne')
  })

  it('lets a device open an atlas while the saves wait for the database', async () => {
    const url = await started.database()
    const server = await started.scaled(url, { SAVE_DEBOUNCE_MS: '20', SAVE_MAX_WAIT_MS: '50' })
    const holder = new pg.Client({ connectionString: url })
    await holder.connect()
    const appended = async (ids: string[]) =>
      (
        await holder.query('SELECT count(*)::int AS n FROM document_updates WHERE key = ANY($1)', [
          ids,
        ])
      ).rows[0].n as number
    try {
      // An atlas in the database only: its last device left, and the server folded its edit
      // into one snapshot and unloaded it.
      const opened = await createAtlas(server.url)
      const writer = await started.client(server.wsUrl, opened.id, opened.editToken)
      writeShape(writer.doc, 'al-daar', { x: 0, y: 0 })
      await waitFor(
        async () => readShape(await storedShapes(url, opened.id), 'al-daar') !== undefined,
        'the edit in the database',
      )
      writer.destroy()
      await waitFor(async () => (await appended([opened.id])) === 0, 'the atlas folded')
      // More atlases being edited than the server has connections in all (5 for saves, 5 else),
      // while every write of an appended update waits (a long transaction, a slow disk).
      const busy = await Promise.all(Array.from({ length: 12 }, () => createAtlas(server.url)))
      const editors = await Promise.all(
        busy.map((a) => started.client(server.wsUrl, a.id, a.editToken)),
      )
      await holder.query('BEGIN')
      await holder.query('LOCK TABLE document_updates IN EXCLUSIVE MODE')
      for (const editor of editors) writeShape(editor.doc, 'wacht', { x: 1, y: 1 })
      await new Promise((resolve) => setTimeout(resolve, 500))
      // Within the pool's time-out for a connection (5 s): a load behind the saves would fail.
      const fresh = await started.client(server.wsUrl, opened.id, opened.editToken)
      expect(readShape(fresh.doc, 'al-daar')).toBeDefined()
      expect(await appended(busy.map((a) => a.id))).toBe(0)
      await holder.query('COMMIT')
      for (const a of busy) {
        await waitFor(
          async () => readShape(await storedShapes(url, a.id), 'wacht') !== undefined,
          'the waiting edits in the database',
          15_000,
        )
      }
    } finally {
      await holder.end()
    }
    expect(server.output()).not.toMatch(/damaged|uncaught|unhandled/)
  })

  it('keeps edits in memory while PostgreSQL is down, says so, and saves them when it is back', async () => {
    const cluster = await startPostgres()
    clusters.push(cluster)
    const url = await freshDatabase(cluster.url)
    const env = { SAVE_DEBOUNCE_MS: '20', SAVE_MAX_WAIT_MS: '50', SAVE_RETRY_MAX_MS: '400' }
    const first = await started.scaled(url, env)
    const atlas = await createAtlas(first.url)
    const editor = await started.client(first.wsUrl, atlas.id, atlas.editToken)
    // A stock provider ignores the server's save state; this one records it, as the app does.
    const told: number[] = []
    editor.messageHandlers[SaveState.messageType] = (_encoder, decoder) => {
      told.push(decoding.readUint8(decoder))
    }
    const edit = (from: number, to: number) => {
      for (let i = from; i < to; i++) writeShape(editor.doc, `e${i}`, { x: i, y: 0 })
    }
    edit(0, 10)
    await waitFor(
      async () => readShape(await storedShapes(url, atlas.id), 'e9') !== undefined,
      'the first edits in the database',
    )

    await cluster.stop()
    edit(10, 30)
    await waitFor(
      () => /atlas save failed .*error=EUNAVAILABLE/.test(first.output()),
      'a failed save',
    )
    await waitFor(
      () => /storage out of reach: atlas kept in memory/.test(first.output()),
      'the plain words in the log',
    )
    await waitFor(() => told.at(-1) === SaveState.behind, 'the device told')
    // A device that comes now cannot be let in (its link is checked in the database): it is
    // told to try again later, and does so by itself.
    const late = connectProvider(first.wsUrl, atlas.id, atlas.editToken)
    started.providers.push(late)
    late.messageHandlers[SaveState.messageType] = () => {}
    const closes: number[] = []
    late.on('connection-close', (event) => {
      if (event) closes.push(event.code)
    })
    await waitFor(() => closes.includes(CloseCode.TryAgainLater), 'the late device told to wait')
    expect(first.child.exitCode).toBeNull()

    await cluster.start()
    await waitFor(() => told.at(-1) === SaveState.saved, 'the device told it is saved', 15_000)
    expect(first.output()).toMatch(/atlas saved again/)
    await synced(late, 15_000)
    expect(readShape(late.doc, 'e29')).toBeDefined()
    const stored = await storedShapes(url, atlas.id)
    expect(
      Array.from({ length: 30 }, (_, i) => i).filter((i) => !readShape(stored, `e${i}`)),
    ).toEqual([])

    // What was said to be saved is in the database: not even a kill loses it.
    first.child.kill('SIGKILL')
    await first.exited
    const second = await started.scaled(url, env)
    const reader = await started.client(second.wsUrl, atlas.id, atlas.editToken)
    expect(
      Array.from({ length: 30 }, (_, i) => i).filter((i) => !readShape(reader.doc, `e${i}`)),
    ).toEqual([])
    expect(first.output() + second.output()).not.toMatch(/damaged|uncaught|unhandled/)
  })
})
