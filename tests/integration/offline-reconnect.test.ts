import { describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { holdUntilSynced } from '../../client/sync/holdUntilSynced'
import { CloseCode } from '../../shared/sync/layout'
import {
  connectProvider,
  createAtlas,
  moveShape,
  readShape,
  synced,
  waitFor,
  writeShape,
} from '../helpers/clients'
import { serverOfThisFile } from '../helpers/serverOfFile'

const { server, providers } = serverOfThisFile()

describe('a device that edited offline reconnects', () => {
  it('keeps editing while it syncs again, and the server never refuses an update as incomplete', async () => {
    const TRIES = 25
    const atlas = await createAtlas(server.url)
    // The device, as the app connects it; and someone else editing the same atlas meanwhile.
    // It knocks again after a refusal as the app does (`connectDoc`), so a refusal is counted
    // rather than the end of the test.
    const device = new WebsocketProvider(server.wsUrl, atlas.id, new Y.Doc(), {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      params: { token: atlas.editToken },
      disableBc: true,
      shouldReconnect: (event) => event.code === CloseCode.UpdateRefused,
    })
    holdUntilSynced(device)
    const other = connectProvider(server.wsUrl, atlas.id, atlas.editToken)
    providers.push(device, other)
    await Promise.all([synced(device), synced(other)])
    const refusals: string[] = []
    device.on('connection-close', (event) => {
      if (event?.code === CloseCode.UpdateRefused) refusals.push(event.reason)
    })
    let editing = -1
    // The moment the socket opens again, before the server has answered: what a hand on the
    // canvas does while the badge still says "syncing".
    device.on('status', ({ status }) => {
      if (status !== 'connected' || editing < 0) return
      const t = editing
      editing = -1
      moveShape(device.doc, `offline-${t}-0`, 1000 + t)
      setTimeout(() => moveShape(device.doc, `offline-${t}-1`, 2000 + t), t % 4)
    })
    for (let t = 0; t < TRIES; t++) {
      device.disconnect()
      for (let i = 0; i < 3; i++) writeShape(device.doc, `offline-${t}-${i}`, { x: i, y: t })
      writeShape(other.doc, `meanwhile-${t}`, { x: t, y: 0 })
      editing = t
      device.connect()
      await waitFor(
        () =>
          readShape(other.doc, `offline-${t}-0`)?.x === 1000 + t &&
          readShape(other.doc, `offline-${t}-1`)?.x === 2000 + t &&
          readShape(other.doc, `offline-${t}-2`) !== undefined &&
          readShape(device.doc, `meanwhile-${t}`) !== undefined,
        `try ${t}: both copies hold every edit`,
      )
    }
    expect(refusals).toEqual([])
    const incomplete = server.logs.filter((line) => / code=4422 /.test(line))
    expect(incomplete).toEqual([])
  }, 120_000)
})
