import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { CloseCode } from '../../shared/sync/layout'
import { askForEverything, callApi, createAtlas, createLink } from '../helpers/clients'
import { removeDir, startTestServer, type TestServer } from '../helpers/server'

let server: TestServer

beforeAll(async () => {
  server = await startTestServer({
    env: { MAX_CONNECTIONS_PER_ADDRESS: '10000', MAX_CONNECTIONS_PER_ATLAS: '10000' },
  })
})

afterAll(async () => {
  await server.close()
  await removeDir(server.dataDir)
})

/**
 * How a sync socket of an atlas that is being erased ends: `open` when it joined and was then
 * ended with `code`, `upgrade` when the server refused it before the websocket with `code`.
 */
type SocketEnd = { how: 'close' | 'upgrade'; code: number }

function socketEnd(room: string, token: string, timeoutMs = 10_000): Promise<SocketEnd> {
  const ws = new WebSocket(`${server.wsUrl}/${room}?token=${token}`)
  ws.on('error', () => {})
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      ws.terminate()
      reject(new Error(`socket of ${room} still open after the erasure`))
    }, timeoutMs)
    ws.once('open', () => ws.send(askForEverything()))
    ws.once('close', (code) => {
      clearTimeout(timer)
      resolve({ how: 'close', code })
    })
    ws.once('unexpected-response', (_req, res) => {
      clearTimeout(timer)
      res.resume()
      ws.terminate()
      resolve({ how: 'upgrade', code: res.statusCode ?? 0 })
    })
  })
}

describe('erasing an atlas while its links are in use', () => {
  it('answers every request about it with success before and 410 after, never an error', async () => {
    const unexpected: string[] = []
    const erased: string[] = []
    const ROUNDS = 150
    for (let round = 0; round < ROUNDS; round++) {
      const atlas = await createAtlas(server.url)
      erased.push(atlas.id)
      const view = await createLink(server.url, atlas.id, atlas.editToken, 'view', 'Oma')
      const base = `/api/atlases/${atlas.id}`
      const edit = atlas.editToken
      // Requests of every kind, started together with the erasure, the erasure at a varying place.
      const requests: [string, () => Promise<Response>][] = [
        ['GET info', () => callApi(server.url, 'GET', base, view.token)],
        ['GET links', () => callApi(server.url, 'GET', `${base}/links`, edit)],
        [
          'POST links',
          () => callApi(server.url, 'POST', `${base}/links`, edit, { role: 'view', label: 'Buur' }),
        ],
        ['GET versions', () => callApi(server.url, 'GET', `${base}/versions`, view.token)],
        [
          'POST versions',
          () => callApi(server.url, 'POST', `${base}/versions`, edit, { meetingId: null }),
        ],
        ['GET access-log', () => callApi(server.url, 'GET', `${base}/access-log`, edit)],
        [
          'POST export note',
          () =>
            callApi(server.url, 'POST', `${base}/access-log/exports`, view.token, { kind: 'pdf' }),
        ],
        [
          'PUT private-time',
          () => callApi(server.url, 'PUT', `${base}/private-time`, edit, { on: round % 2 === 0 }),
        ],
      ]
      const erasePlace = round % (requests.length + 1)
      const answers: Promise<void>[] = []
      // The erasure lands at a different moment of the others' work in each round.
      const later = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
      const erase = async () => {
        await later(round % 7)
        const response = await callApi(server.url, 'DELETE', base, edit)
        if (response.status !== 204) unexpected.push(`DELETE: ${response.status}`)
      }
      requests.forEach(([what, call], i) => {
        if (i === erasePlace) answers.push(erase())
        answers.push(
          later((i * round) % 5)
            .then(call)
            .then(async (response) => {
              await response.arrayBuffer()
              if (!(response.ok || response.status === 410)) {
                unexpected.push(`${what}: ${response.status}`)
              }
            }),
        )
        const room = i % 2 === 0 ? atlas.id : `${atlas.id}/plan`
        answers.push(
          socketEnd(room, i % 3 === 0 ? view.token : edit).then((end) => {
            const fine = end.how === 'upgrade' ? end.code === 410 : end.code === CloseCode.Erased
            if (!fine) unexpected.push(`socket ${room}: ${end.how} ${end.code}`)
          }),
        )
      })
      if (erasePlace === requests.length) answers.push(erase())
      await Promise.all(answers)
      // Afterwards every request about it is 410.
      const after = await callApi(server.url, 'GET', base, view.token)
      await after.arrayBuffer()
      expect(after.status).toBe(410)
    }
    expect([...new Set(unexpected)]).toEqual([])
    expect(server.logs.filter((line) => / error /.test(line))).toEqual([])
    // Nothing a late request did brought a file of an erased atlas back.
    const left = (await readdir(server.dataDir, { recursive: true })).filter((path) =>
      erased.some((id) => path.includes(id) && path !== join('erased', `${id}.json`)),
    )
    expect(left).toEqual([])
  }, 120_000)
})
