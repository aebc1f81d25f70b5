/**
 * Limits before and around authentication (issue 18): silent sockets, sockets that never get to
 * join, bytes sent before joining, and many sockets on one atlas or from one address. The limits
 * are set low through the environment, as an operator would, so the tests stay quick.
 */
import { execFileSync } from 'node:child_process'
import { mkdir } from 'node:fs/promises'
import { connect, type Socket } from 'node:net'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { CloseCode } from '../../shared/sync/layout'
import { createAtlas, type RawClient, waitFor } from '../helpers/clients'
import {
  alive,
  atlasWithViewLink,
  BYSTANDER_MS,
  bystander,
  cleanUp,
  closedWithin,
  percentile,
  raw,
  server,
  watchMemory,
} from './harness'

const sockets: Socket[] = []
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy()
  await cleanUp()
})

describe('limits before and around authentication', () => {
  it('closes TCP connections that never finish their request', async () => {
    const s = await server({ HTTP_HEADERS_TIMEOUT_MS: '1000', HTTP_REQUEST_TIMEOUT_MS: '2000' })
    const closed: boolean[] = []
    for (let i = 0; i < 200; i++) {
      const socket = connect(s.port, '127.0.0.1')
      socket.on('error', () => {})
      // Read what comes (a 408 for the half request), so that the end of the stream is seen.
      socket.resume()
      const index = closed.push(false) - 1
      socket.on('close', () => {
        closed[index] = true
      })
      // Half of them start a request and stop in the middle of the headers.
      if (i % 2) socket.write('GET /sync/x HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: web')
      sockets.push(socket)
    }
    await waitFor(() => closed.every(Boolean), 'every silent connection to be closed', 6000)
    expect(await alive(s)).toBe(true)
  })

  it('closes a socket that has not joined in time, and one that sends too much before it has', async () => {
    const s = await server({ JOIN_TIMEOUT_MS: '1500', MAX_BYTES_BEFORE_JOIN: '65536' })
    const atlas = await createAtlas(s.url)
    // Loading this atlas never finishes: its snapshot is a pipe nobody writes to.
    const dir = join(s.dir, 'atlases', atlas.id)
    await mkdir(dir, { recursive: true })
    execFileSync('mkfifo', [join(dir, 'doc.json')])
    const memory = watchMemory(s.child.pid as number)
    const waiting = raw(s, atlas.id, atlas.editToken)
    await waiting.opened
    const flooding = raw(s, atlas.id, atlas.editToken)
    await flooding.opened
    // 64 messages of 1 MiB while the atlas loads (before: up to 256 of 4 MiB were queued).
    const chunk = new Uint8Array(1024 * 1024)
    chunk[0] = 1
    for (let i = 0; i < 64; i++) flooding.send(chunk)
    expect(await closedWithin(flooding, 5000)).toEqual({
      code: CloseCode.TooManyRequests,
      reason: 'Too much sent before joining',
    })
    expect(await closedWithin(waiting, 5000)).toEqual({
      code: CloseCode.JoinTimeout,
      reason: 'Not joined in time',
    })
    memory.stop()
    expect(memory.max).toBeLessThan(200)
    expect(await alive(s)).toBe(true)
  })

  it('caps connections per atlas', async () => {
    const s = await server({ MAX_CONNECTIONS_PER_ATLAS: '20' })
    const by = await bystander(s)
    const atlas = await atlasWithViewLink(s)
    const many: RawClient[] = []
    for (let i = 0; i < 30; i++) many.push(raw(s, atlas.id, atlas.viewToken))
    const outcomes = await Promise.all(many.map((r) => closedWithin(r, 3000)))
    expect(outcomes.filter((o) => o === 'still open')).toHaveLength(20)
    for (const o of outcomes.filter((o) => o !== 'still open')) {
      expect(o).toEqual({
        code: CloseCode.TryAgainLater,
        reason: 'Too many connections to this atlas',
      })
    }
    expect(percentile(await by.measure(1000), 0.95)).toBeLessThan(BYSTANDER_MS)
  })

  it('caps connections per address before the upgrade', async () => {
    const s = await server({ MAX_CONNECTIONS_PER_ADDRESS: '25' })
    // The bystander's two sockets count too.
    const by = await bystander(s)
    const atlases = await Promise.all(Array.from({ length: 5 }, () => createAtlas(s.url)))
    const sockets: WebSocket[] = []
    const outcomes = await Promise.all(
      Array.from({ length: 30 }, (_, i) => {
        const atlas = atlases[i % atlases.length] as { id: string; editToken: string }
        const ws = new WebSocket(`${s.wsUrl}/${atlas.id}?token=${atlas.editToken}`)
        sockets.push(ws)
        ws.on('error', () => {})
        return new Promise<number | 'open'>((resolve) => {
          ws.once('open', () => resolve('open'))
          ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
        })
      }),
    )
    expect(outcomes.filter((x) => x === 'open')).toHaveLength(23)
    expect(outcomes.filter((x) => x === 429)).toHaveLength(7)
    expect(percentile(await by.measure(1000), 0.95)).toBeLessThan(BYSTANDER_MS)
    for (const ws of sockets) ws.terminate()
  })
})
