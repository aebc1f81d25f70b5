/**
 * Rooms shared by two real server processes on one PostgreSQL and one Redis: stock y-websocket
 * clients on different instances edit one atlas live, the view-only rule holds across them, a
 * link stopped or privétijd switched on through one instance ends connections on the other, and
 * after Redis restarts the instances find each other again and converge.
 */
import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import { afterAll, describe, expect, inject, it } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { CloseCode } from '../../shared/sync/layout'
import { childServersOfEachTest } from '../helpers/childServers'
import {
  callApi,
  createAtlas,
  createLink,
  rawClient,
  readShape,
  waitFor,
  writeShape,
} from '../helpers/clients'
import type { ChildServer } from '../helpers/server'
import { freePort, startRedis, type TestRedis } from '../helpers/services'

/**
 * Whether a message on a room's channel carries a document update (kind 0 or 4, then 16 bytes
 * naming the instance) with the first change of `update`.
 */
function carries(message: Buffer, update: Uint8Array): boolean {
  if (message[0] !== 0 && message[0] !== 4) return false
  const wanted = Y.decodeUpdate(update).structs[0]?.id
  if (!wanted) return false
  return Y.decodeUpdate(new Uint8Array(message.subarray(17))).structs.some(
    ({ id, length }) =>
      id.client === wanted.client && id.clock <= wanted.clock && wanted.clock < id.clock + length,
  )
}

const started = childServersOfEachTest()

/** Two instances on a fresh database, an atlas made through A, and a device on each. */
async function oneAtlasOnTwo(env?: Record<string, string>) {
  const databaseUrl = await started.database()
  const a = await started.scaled(databaseUrl, env)
  const b = await started.scaled(databaseUrl, env)
  const atlas = await createAtlas(a.url)
  const onA = await started.client(a.wsUrl, atlas.id, atlas.editToken)
  const onB = await started.client(b.wsUrl, atlas.id, atlas.editToken)
  return { databaseUrl, a, b, atlas, onA, onB }
}
const redises: TestRedis[] = []

afterAll(async () => {
  await Promise.all(redises.map((r) => r.stop()))
})

describe('one atlas on two instances', () => {
  it('edits and presence of devices on different instances reach each other within 1 s', async () => {
    const { b, atlas, onA, onB } = await oneAtlasOnTwo()
    for (let i = 0; i < 10; i++) {
      const [from, to] = i % 2 ? [onA, onB] : [onB, onA]
      writeShape(from.doc, `s${i}`, { x: i, y: 0 })
      await waitFor(() => readShape(to.doc, `s${i}`)?.x === i, `edit ${i} across`, 1000)
    }
    onA.awareness.setLocalStateField('user', { name: 'Sanne' })
    await waitFor(
      () =>
        [...onB.awareness.getStates().values()].some(
          (state) => (state.user as { name?: string } | undefined)?.name === 'Sanne',
        ),
      'presence across',
      1000,
    )
    // A device that joins on either instance later gets everything.
    const late = await started.client(b.wsUrl, atlas.id, atlas.editToken)
    expect(Array.from({ length: 10 }, (_, i) => readShape(late.doc, `s${i}`)?.x)).toEqual(
      Array.from({ length: 10 }, (_, i) => i),
    )
  })

  it('passes an edit to the other instance once, as it came, before applying it', async () => {
    const { atlas, onA, onB } = await oneAtlasOnTwo()
    writeShape(onA.doc, 'moved', { x: 0, y: 0 })
    await waitFor(() => readShape(onB.doc, 'moved')?.x === 0, 'the shape on B')
    const listener = new Redis(inject('redisUrl'))
    const heard: Buffer[] = []
    listener.on('messageBuffer', (_channel: Buffer, message: Buffer) => heard.push(message))
    try {
      await listener.subscribe(`netwerkatlas:room:${atlas.id}`)
      const sent: Uint8Array[] = []
      onA.doc.on('update', (update: Uint8Array, origin: unknown) => {
        if (origin === null) sent.push(update)
      })
      writeShape(onA.doc, 'moved', { x: 1, y: 0 })
      // A second edit after it: instance A publishes in order, so once the second is heard,
      // anything A published for the first has been heard too.
      writeShape(onA.doc, 'moved', { x: 2, y: 0 })
      const [first, second] = sent as [Uint8Array, Uint8Array]
      await waitFor(() => heard.some((m) => carries(m, second)), 'the second edit on Redis')
      await waitFor(() => readShape(onB.doc, 'moved')?.x === 2, 'both edits on B')
      const forFirst = heard.filter((m) => carries(m, first))
      // Kind 4: relayed as it came (kind 0 would be A's own encoding, after applying it).
      expect(forFirst.map((m) => m[0])).toEqual([4])
      expect(new Uint8Array(forFirst[0]?.subarray(17) ?? [])).toEqual(first)
    } finally {
      listener.disconnect()
    }
  })

  it('asks for what it lacks after a message of a kind it does not know', async () => {
    const a = await started.scaled(await started.database())
    const atlas = await createAtlas(a.url)
    const channel = `netwerkatlas:room:${atlas.id}`
    const listener = new Redis(inject('redisUrl'))
    const newer = new Redis(inject('redisUrl'))
    const kinds: number[] = []
    listener.on('messageBuffer', (_channel: Buffer, message: Buffer) =>
      kinds.push(message[0] ?? -1),
    )
    try {
      await listener.subscribe(channel)
      await started.client(a.wsUrl, atlas.id, atlas.editToken)
      // The room asks once as it opens.
      await waitFor(() => kinds.includes(1), 'the ask of the room as it opens')
      const before = kinds.length
      // A newer instance's message: kind 9, its 16 bytes, something this version cannot read.
      await newer.publish(
        channel,
        Buffer.concat([Buffer.from([9]), randomBytes(16), randomBytes(8)]),
      )
      await waitFor(() => kinds.slice(before).includes(1), 'an ask after the unknown kind', 5000)
      expect(kinds.slice(before).filter((kind) => kind === 1)).toHaveLength(1)
    } finally {
      listener.disconnect()
      newer.disconnect()
    }
  })

  it('a view link on one instance cannot write through to the other', async () => {
    const databaseUrl = await started.database()
    const a = await started.scaled(databaseUrl)
    const b = await started.scaled(databaseUrl)
    const atlas = await createAtlas(a.url)
    const view = await createLink(a.url, atlas.id, atlas.editToken, 'view', 'Buurvrouw')
    const onA = await started.client(a.wsUrl, atlas.id, atlas.editToken)
    const viewerOnB = await started.client(b.wsUrl, atlas.id, view.token)
    const editorOnB = await started.client(b.wsUrl, atlas.id, atlas.editToken)
    writeShape(viewerOnB.doc, 'from-viewer', { x: 1, y: 1 })
    // Sent after the viewer's: once this is across, the viewer's would have been too.
    await new Promise((r) => setTimeout(r, 50))
    writeShape(editorOnB.doc, 'after', { x: 2, y: 2 })
    await waitFor(() => readShape(onA.doc, 'after') !== undefined, 'the editor across')
    expect(readShape(onA.doc, 'from-viewer')).toBeUndefined()
    expect(readShape(editorOnB.doc, 'from-viewer')).toBeUndefined()
  })

  it('a link stopped or privétijd switched on through one instance ends connections on the other within 1 s', async () => {
    const databaseUrl = await started.database()
    const a = await started.scaled(databaseUrl)
    const b = await started.scaled(databaseUrl)
    const atlas = await createAtlas(a.url)
    const view = await createLink(a.url, atlas.id, atlas.editToken, 'view', 'Buurvrouw')
    const pro = await createLink(a.url, atlas.id, atlas.editToken, 'professional', 'Jeugdzorg')
    const viewer = await started.client(b.wsUrl, atlas.id, view.token)
    const professional = await started.client(b.wsUrl, atlas.id, pro.token)
    const closes = (p: WebsocketProvider) => {
      const codes: number[] = []
      p.on('connection-close', (event) => {
        if (event) codes.push(event.code)
      })
      return codes
    }
    const viewerCloses = closes(viewer)
    const proCloses = closes(professional)

    let asked = Date.now()
    const stop = await callApi(
      a.url,
      'DELETE',
      `/api/atlases/${atlas.id}/links/${view.linkId}`,
      atlas.editToken,
    )
    expect(stop.status).toBe(204)
    await waitFor(
      () => viewerCloses.includes(CloseCode.Unauthorized),
      'the viewer on B closed',
      1000,
    )
    expect(Date.now() - asked).toBeLessThanOrEqual(1000)
    expect(proCloses).toEqual([])

    asked = Date.now()
    const on = await callApi(
      a.url,
      'PUT',
      `/api/atlases/${atlas.id}/private-time`,
      atlas.editToken,
      { on: true },
    )
    expect(on.status).toBe(204)
    await waitFor(
      () => proCloses.includes(CloseCode.PrivateTime),
      'the professional on B closed',
      1000,
    )
    expect(Date.now() - asked).toBeLessThanOrEqual(1000)
    // And B lets no professional in while it lasts.
    professional.disconnect()
    const again = rawClient(b.wsUrl, atlas.id, pro.token)
    expect((await again.closed).code).toBe(CloseCode.PrivateTime)

    const off = await callApi(
      a.url,
      'PUT',
      `/api/atlases/${atlas.id}/private-time`,
      atlas.editToken,
      { on: false },
    )
    expect(off.status).toBe(204)
    const back = await started.client(b.wsUrl, atlas.id, pro.token)
    expect(back.synced).toBe(true)
  })

  it('an atlas erased through one instance closes its connections on the other', async () => {
    const databaseUrl = await started.database()
    const a = await started.scaled(databaseUrl)
    const b = await started.scaled(databaseUrl)
    const atlas = await createAtlas(a.url)
    const onB = rawClient(b.wsUrl, atlas.id, atlas.editToken)
    await onB.opened
    const erased = await callApi(a.url, 'DELETE', `/api/atlases/${atlas.id}`, atlas.editToken)
    expect(erased.status).toBe(204)
    expect((await onB.closed).code).toBe(CloseCode.Erased)
    const info = await callApi(b.url, 'GET', `/api/atlases/${atlas.id}`, atlas.editToken)
    expect(info.status).toBe(410)
    expect(b.output()).not.toMatch(/atlas save failed/)
  })

  it('a kill -9 of an instance loses no edit that reached the other one', async () => {
    const { databaseUrl, a, b, atlas, onA, onB } = await oneAtlasOnTwo()
    writeShape(onA.doc, 'last', { x: 7, y: 0 })
    await waitFor(() => readShape(onB.doc, 'last') !== undefined, 'the edit on B')
    // At once: A may not have saved it yet; B has it, and saves it.
    a.child.kill('SIGKILL')
    await a.exited
    // The device on A goes on through B, as behind a load balancer.
    const moved = await started.client(b.wsUrl, atlas.id, atlas.editToken)
    expect(readShape(moved.doc, 'last')?.x).toBe(7)
    b.child.kill('SIGTERM')
    await b.exited
    const c = await started.scaled(databaseUrl)
    const fresh = await started.client(c.wsUrl, atlas.id, atlas.editToken)
    expect(readShape(fresh.doc, 'last')?.x).toBe(7)
  })

  it('converges again after Redis restarts, with the edits made while it was gone', async () => {
    const redis = await startRedis()
    redises.push(redis)
    const { a, b, onA, onB } = await oneAtlasOnTwo({ REDIS_URL: redis.url })
    writeShape(onA.doc, 'before', { x: 0, y: 0 })
    await waitFor(() => readShape(onB.doc, 'before') !== undefined, 'the first edit across')

    await redis.stop()
    writeShape(onA.doc, 'on-a', { x: 1, y: 0 })
    writeShape(onB.doc, 'on-b', { x: 2, y: 0 })
    await waitFor(
      () => /redis connection error/.test(a.output()) && /redis connection error/.test(b.output()),
      'both instances notice',
    )
    redises.push(await startRedis(redis.port))
    await waitSaying([a, b], () => readShape(onB.doc, 'on-a') !== undefined, 'A’s edit on B')
    await waitSaying([a, b], () => readShape(onA.doc, 'on-b') !== undefined, 'B’s edit on A')
    expect(a.output() + b.output()).toMatch(/redis connected again/)
  })

  it('converges once Redis comes, when it was away as the instances started', async () => {
    const port = await freePort()
    const redisUrl = `redis://127.0.0.1:${port}`
    const databaseUrl = await started.database()
    const a = await started.scaled(databaseUrl, { REDIS_URL: redisUrl })
    const b = await started.scaled(databaseUrl, { REDIS_URL: redisUrl })
    const atlas = await createAtlas(a.url)
    const onA = await started.client(a.wsUrl, atlas.id, atlas.editToken)
    const onB = await started.client(b.wsUrl, atlas.id, atlas.editToken)
    writeShape(onA.doc, 'on-a', { x: 1, y: 0 })
    writeShape(onB.doc, 'on-b', { x: 2, y: 0 })
    // Logged once, not at every try.
    await new Promise((r) => setTimeout(r, 1500))
    expect(a.output().match(/redis connection error connection=subscribe/g)).toHaveLength(1)
    redises.push(await startRedis(port))
    await waitSaying([a, b], () => readShape(onB.doc, 'on-a') !== undefined, 'A’s edit on B')
    await waitSaying([a, b], () => readShape(onA.doc, 'on-b') !== undefined, 'B’s edit on A')
  })
})

/**
 * Waits up to 15 s as `waitFor`; a timeout names what each instance said about Redis (and whether
 * it still runs), so that a failure in CI can be read without running it again.
 */
async function waitSaying(
  instances: ChildServer[],
  condition: () => boolean,
  what: string,
): Promise<void> {
  try {
    await waitFor(condition, what, 15_000)
  } catch (error) {
    const said = instances.flatMap((instance, i) => [
      `instance ${'AB'[i]}${instance.child.exitCode === null ? '' : ` exited (${instance.child.exitCode})`}:`,
      ...instance
        .output()
        .split('\n')
        .filter((line) => /redis|error/i.test(line))
        .slice(-15),
    ])
    throw new Error(`${(error as Error).message}\n${said.join('\n')}`)
  }
}
