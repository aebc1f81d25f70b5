/**
 * The operators' recipe, run for real: two server instances on one PostgreSQL and one Redis behind
 * a real haproxy reading `deploy/haproxy.cfg` (the file deploy/docker-compose.yml mounts), with
 * the instances' addresses and its own through the environment. Stock y-websocket clients edit
 * one atlas through it, the HTTP API works through it, a `kill -9` of the instance a device is on
 * sends the device to the other one with nothing lost, and haproxy's log holds no link secret.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { access } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import { holdUntilSynced } from '../../client/sync/holdUntilSynced'
import type { AtlasInfo } from '../../shared/api/atlases'
import { childServersOfEachTest } from '../helpers/childServers'
import {
  callApi,
  connectProvider,
  createAtlas,
  createLink,
  readShape,
  synced,
  waitFor,
  writeShape,
} from '../helpers/clients'
import type { ChildServer } from '../helpers/server'
import { freePort } from '../helpers/services'

const HAPROXY = '/usr/sbin/haproxy'
const CONFIG = fileURLToPath(new URL('../../deploy/haproxy.cfg', import.meta.url))

const started = childServersOfEachTest()

/** A running haproxy and everything it printed. */
interface Balancer {
  url: string
  wsUrl: string
  output(): string
}

const balancers: { child: ChildProcess; exited: Promise<void> }[] = []
afterEach(async () => {
  for (const b of balancers.splice(0)) {
    if (b.child.exitCode === null && b.child.signalCode === null) b.child.kill('SIGTERM')
    await b.exited
  }
})

/** Starts haproxy in the foreground with the deploy config, in front of `instances`. */
async function startBalancer(instances: ChildServer[]): Promise<Balancer> {
  await access(HAPROXY).catch(() => {
    throw new Error(`${HAPROXY} is missing: \`apt-get install haproxy\`, as .ci/run does`)
  })
  const port = await freePort()
  const [a, b] = instances.map((s) => `127.0.0.1:${s.port}`)
  const child = spawn(HAPROXY, ['-db', '-f', CONFIG], {
    env: {
      PATH: process.env.PATH,
      NETWERKATLAS_LB_BIND: `127.0.0.1:${port}`,
      NETWERKATLAS_INSTANCE_A: a,
      NETWERKATLAS_INSTANCE_B: b,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8')
  })
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8')
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  balancers.push({ child, exited })
  const url = `http://127.0.0.1:${port}`
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`haproxy exited:\n${output}`)
      const answer = await fetch(`${url}/api/health`).catch(() => null)
      return answer?.status === 200
    },
    'haproxy to answer',
    10_000,
  )
  return { url, wsUrl: `${url.replace(/^http/, 'ws')}/sync`, output: () => output }
}

function instance(databaseUrl: string): Promise<ChildServer> {
  return started.scaled(databaseUrl, { TRUST_PROXY: 'true' })
}

/** The number of sync joins an instance logged for `atlasId`. */
function joins(server: ChildServer, atlasId: string): number {
  return server
    .output()
    .split('\n')
    .filter((l) => l.includes('sync join') && l.includes(atlasId)).length
}

/**
 * A stock y-websocket client through the balancer, once in step with its instance. `hold`: its
 * own edits wait for the connection to be in step, as the app's pages make them (a stock client
 * sends edits made offline before its answer to the server, which refuses them as incomplete).
 */
async function client(
  lb: Balancer,
  atlasId: string,
  token: string,
  hold = false,
): Promise<WebsocketProvider> {
  const provider = connectProvider(lb.wsUrl, atlasId, token)
  if (hold) holdUntilSynced(provider)
  started.providers.push(provider)
  await synced(provider)
  return provider
}

describe('two instances behind haproxy with deploy/haproxy.cfg', () => {
  it('serves the API and one atlas edited live by devices on both instances, logging no secret', async () => {
    const databaseUrl = await started.database()
    const a = await instance(databaseUrl)
    const b = await instance(databaseUrl)
    const lb = await startBalancer([a, b])

    const atlas = await createAtlas(lb.url)
    const share = await createLink(lb.url, atlas.id, atlas.editToken, 'view', 'Buurvrouw')
    expect(share.url).not.toContain('?')
    const info = await callApi(lb.url, 'GET', `/api/atlases/${atlas.id}`, share.token)
    expect(info.status).toBe(200)
    expect(((await info.json()) as AtlasInfo).role).toBe('view')

    const first = await client(lb, atlas.id, atlas.editToken)
    const second = await client(lb, atlas.id, atlas.editToken)
    const viewer = await client(lb, atlas.id, share.token)
    // The balancer spread them: the edits below cross from one instance to the other.
    expect(joins(a, atlas.id)).toBeGreaterThan(0)
    expect(joins(b, atlas.id)).toBeGreaterThan(0)
    for (let i = 0; i < 6; i++) {
      const [from, to] = i % 2 ? [first, second] : [second, first]
      writeShape(from.doc, `s${i}`, { x: i, y: 0 })
      await waitFor(() => readShape(to.doc, `s${i}`)?.x === i, `edit ${i} across`, 2000)
      await waitFor(() => readShape(viewer.doc, `s${i}`)?.x === i, `edit ${i} seen`, 2000)
    }

    // haproxy logs a websocket when it ends.
    for (const p of [first, second, viewer]) p.disconnect()
    await waitFor(
      () => (lb.output().match(/ instances\/[ab] /g) ?? []).length >= 5,
      'haproxy to log the requests and the websockets',
    )
    expect(lb.output()).toMatch(/\bPOST\b/)
    for (const secret of [atlas.editToken, atlas.viewToken, share.token]) {
      expect(lb.output()).not.toContain(secret)
    }
    expect(lb.output()).not.toContain('token=')
  })

  it('a kill -9 of the instance a device edits through sends it to the other one, losing nothing', async () => {
    const databaseUrl = await started.database()
    const a = await instance(databaseUrl)
    const b = await instance(databaseUrl)
    const lb = await startBalancer([a, b])
    const atlas = await createAtlas(lb.url)

    const moving = await client(lb, atlas.id, atlas.editToken, true)
    const [gone, other] = joins(a, atlas.id) > 0 ? [a, b] : [b, a]
    const staying = await client(lb, atlas.id, atlas.editToken)
    expect(joins(other, atlas.id)).toBe(1)

    // The device keeps editing, one shape every 20 ms, while its instance dies under it.
    let written = 0
    const writing = setInterval(() => {
      writeShape(moving.doc, `m${written}`, { x: written, y: 0 })
      written++
    }, 20)
    try {
      await waitFor(() => written >= 10, 'a few edits')
      await waitFor(() => readShape(staying.doc, 'm5') !== undefined, 'edits across')
      const joinsBefore = joins(other, atlas.id)
      gone.child.kill('SIGKILL')
      await gone.exited
      await waitFor(
        () => joins(other, atlas.id) > joinsBefore && moving.wsconnected && moving.synced,
        'the device back through haproxy, on the other instance',
        10_000,
      )
      const target = written + 10
      await waitFor(() => written >= target, 'more edits after the move')
    } finally {
      clearInterval(writing)
    }
    const last = written - 1
    await waitFor(
      () => readShape(staying.doc, `m${last}`)?.x === last,
      'every edit at the other device',
    )
    expect(Array.from({ length: written }, (_, i) => readShape(staying.doc, `m${i}`)?.x)).toEqual(
      Array.from({ length: written }, (_, i) => i),
    )

    // The room goes on both ways.
    writeShape(staying.doc, 'reply', { x: 1, y: 1 })
    await waitFor(() => readShape(moving.doc, 'reply') !== undefined, 'the reply back', 2000)

    // And it is all in the database: a graceful stop of the last instance, then a new one.
    moving.disconnect()
    staying.disconnect()
    other.child.kill('SIGTERM')
    await other.exited
    const fresh = await instance(databaseUrl)
    const reader = await started.client(fresh.wsUrl, atlas.id, atlas.editToken)
    expect(Array.from({ length: written }, (_, i) => readShape(reader.doc, `m${i}`)?.x)).toEqual(
      Array.from({ length: written }, (_, i) => i),
    )
    expect(readShape(reader.doc, 'reply')).toEqual(expect.objectContaining({ x: 1, y: 1 }))
  })
})
