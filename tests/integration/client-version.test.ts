/**
 * The sync handshake carries the protocol the client speaks (`v`) and its build (`app`): a client
 * older than the server serves is told so plainly before any byte, clients of every build that
 * speak a served protocol (and old ones that send no `v`) work on, and the log says which builds
 * connect, never anything a client could smuggle into it.
 */

import { describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { ServerVersion } from '../../shared/api/serverVersion'
import { atlasSchema } from '../../shared/schema'
import { CloseCode, MIN_SYNC_PROTOCOL, SYNC_PROTOCOL } from '../../shared/sync/layout'
import {
  createAtlas,
  readShape,
  synced,
  syncedClient,
  waitFor,
  writeShape,
} from '../helpers/clients'
import { makeDataDir, removeDir, startTestServer } from '../helpers/server'
import { serverOfThisFile } from '../helpers/serverOfFile'

const { server } = serverOfThisFile()

/** Opens a socket with the given query and resolves with how the server closed it. */
function closeOf(
  atlasId: string,
  query: string,
): Promise<{ code: number; reason: string; frames: number }> {
  const ws = new WebSocket(`${server.wsUrl}/${atlasId}?${query}`)
  let frames = 0
  ws.on('message', () => frames++)
  ws.on('error', () => {})
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      ws.terminate()
      reject(new Error('the server did not close the socket'))
    }, 10_000)
    ws.once('close', (code, reason) => {
      clearTimeout(timer)
      resolve({ code, reason: reason.toString('utf8'), frames })
    })
  })
}

/** A stock y-websocket client that says its protocol and build. */
function versionedClient(
  atlasId: string,
  token: string,
  v: string,
  app: string,
): WebsocketProvider {
  return new WebsocketProvider(server.wsUrl, atlasId, new Y.Doc(), {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: { token, v, app },
    disableBc: true,
  })
}

describe('the version a client speaks', () => {
  it('tells a client older than the served protocol to load the new version, before any byte', async () => {
    const atlas = await createAtlas(server.url)
    const token = encodeURIComponent(atlas.editToken)
    for (const v of ['0', 'oud', '-1', '1.5', '']) {
      const closed = await closeOf(atlas.id, `token=${token}&v=${encodeURIComponent(v)}`)
      expect(closed, `v=${v}`).toEqual({
        code: CloseCode.ClientTooOld,
        reason: 'This version of the app is too old; load the new version',
        frames: 0,
      })
    }
  })

  it('serves the current protocol, and old clients that send no version', async () => {
    const atlas = await createAtlas(server.url)
    const current = versionedClient(atlas.id, atlas.editToken, String(SYNC_PROTOCOL), '0.1.0-test')
    const unversioned = await syncedClient(server.wsUrl, atlas.id, atlas.editToken)
    try {
      await synced(current)
      writeShape(current.doc, 'van-nieuw', { x: 1, y: 2 })
      writeShape(unversioned.doc, 'van-oud', { x: 3, y: 4 })
      await waitFor(
        () =>
          readShape(current.doc, 'van-oud') !== undefined &&
          readShape(unversioned.doc, 'van-nieuw') !== undefined,
        'both clients to hold both edits',
      )
      await waitFor(
        () => server.logs.some((l) => l.includes('sync join') && l.includes('app=0.1.0-test')),
        'the join of the versioned client in the log, with its build',
      )
    } finally {
      current.destroy()
      unversioned.destroy()
    }
  })

  it('never writes a build name that is not a plain short name into the log', async () => {
    const atlas = await createAtlas(server.url)
    const odd = versionedClient(
      atlas.id,
      atlas.editToken,
      String(SYNC_PROTOCOL),
      'x y\nlevel=error',
    )
    try {
      await synced(odd)
      const joins = server.logs.filter((l) => l.includes('sync join') && l.includes(atlas.id))
      expect(joins.length).toBeGreaterThan(0)
      for (const line of joins) {
        expect(line).not.toContain('app=')
        expect(line).not.toContain('level=error')
      }
    } finally {
      odd.destroy()
    }
  })
})

describe('the versions the server tells', () => {
  it('are public, hold no secret, and name the protocols and the record schema it serves', async () => {
    const response = await fetch(`${server.url}/api/version`)
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('no-store')
    const body = await response.json()
    expect(ServerVersion.parse(body)).toEqual({
      protocol: SYNC_PROTOCOL,
      minProtocol: MIN_SYNC_PROTOCOL,
      schema: atlasSchema.serialize(),
    })
    // Nothing else: no build of the server, no atlas, no setting.
    expect(Object.keys(body).sort()).toEqual(['minProtocol', 'protocol', 'schema'])
  })

  it('can stand for an older build in a test (TEST_ANNOUNCED_SCHEMA), and a wrong one stops the start', async () => {
    const older = { schemaVersion: 2, sequences: { 'com.tldraw.shape.person': 0 } }
    const dataDir = await makeDataDir()
    const test = await startTestServer({
      dataDir,
      env: { TEST_ANNOUNCED_SCHEMA: JSON.stringify(older) },
    })
    try {
      const body = ServerVersion.parse(await (await fetch(`${test.url}/api/version`)).json())
      expect(body.schema).toEqual(older)
    } finally {
      await test.close()
      await removeDir(dataDir)
    }
    await expect(
      startTestServer({ env: { TEST_ANNOUNCED_SCHEMA: '{"schemaVersion":2}' } }),
    ).rejects.toThrow(/TEST_ANNOUNCED_SCHEMA .*must be a serialised record schema/)
  })
})
