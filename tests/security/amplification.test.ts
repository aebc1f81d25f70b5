/**
 * Answer amplification (issue 18): a few bytes that make the server encode and queue a whole
 * document or every presence state, sent thousands of times by a view link, also on a socket
 * that never reads. The server answers within a rate per connection, queues nothing more for a
 * socket whose send buffer is full, and closes it with a reason; its memory stays bounded and
 * another atlas's edits keep their round trip under 50 ms.
 */
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { CloseCode, RECORDS_KEY } from '../../shared/sync/layout'
import { createLink, waitFor, writeShape } from '../helpers/clients'
import type { ChildServer } from '../helpers/server'
import {
  alive,
  atlasWithViewLink,
  BYSTANDER_MS,
  bystander,
  cleanUp,
  closedWithin,
  PRESENCE_QUERY,
  percentile,
  presenceFrame,
  provider,
  raw,
  server,
  upgrade,
  WHOLE_STATE_REQUEST,
  watchMemory,
} from './harness'

afterEach(cleanUp)

const MiB = 1024 * 1024

/** What the server may hold while the attack runs on a ~6 MB atlas (it idles at ~80 MiB). */
const MEMORY_BOUND_MIB = 350

/** An atlas of ~6 MB: 3,000 records of twelve fields and 4.5 MB of text, written in pieces. */
async function largeAtlas(s: ChildServer) {
  const atlas = await atlasWithViewLink(s)
  const writer = await provider(s, atlas.id, atlas.editToken)
  for (let chunk = 0; chunk < 6; chunk++) {
    writer.doc.transact(() => {
      for (let i = chunk * 500; i < (chunk + 1) * 500; i++) {
        writeShape(writer.doc, `${i}`, { x: i, y: i, text: `n${i}`.repeat(20) })
      }
    })
  }
  for (let t = 0; t < 3; t++) {
    writeShape(writer.doc, `text${t}`, { x: 0, y: 0, text: `${t}`.repeat(1.5 * MiB) })
  }
  const reader = await provider(s, atlas.id, atlas.viewToken)
  await waitFor(() => reader.doc.getMap(RECORDS_KEY).size === 3003, 'the large atlas', 30_000)
  const bytes = Y.encodeStateAsUpdate(reader.doc).byteLength
  expect(bytes).toBeGreaterThan(5 * MiB)
  return atlas
}

/** The server's log lines that say it closed a socket with `code`. */
function closedInLog(s: ChildServer, code: number): string[] {
  return s
    .output()
    .split('\n')
    .filter((line) => line.includes('sync closed') && line.includes(`code=${code}`))
}

describe('answer amplification', () => {
  it('thousands of 4-byte sync step 1 on a large atlas: rate-limited, closed with a reason', async () => {
    const s = await server({ REFUSAL_COOL_DOWN_MS: '30000' })
    const atlas = await largeAtlas(s)
    const by = await bystander(s)
    const memory = watchMemory(s.child.pid as number)
    // One that reads: it is told why, and its link is turned away for a while after.
    const reading = raw(s, atlas.id, atlas.viewToken)
    await reading.opened
    for (let i = 0; i < 3000; i++) reading.send(WHOLE_STATE_REQUEST)
    // One that never reads (with a link of its own: the first one's cools down at once):
    // nothing more is queued for it once its buffer is full.
    const silentLink = await createLink(s.url, atlas.id, atlas.editToken, 'view', 'Stil')
    const silent = raw(s, atlas.id, silentLink.token)
    await silent.opened
    silent.ws.pause()
    for (let i = 0; i < 3000; i++) silent.send(WHOLE_STATE_REQUEST)
    const samples = await by.measure(4000)
    memory.stop()
    expect(await closedWithin(reading, 10_000)).toEqual({
      code: CloseCode.TooManyRequests,
      reason: 'Too many full-state requests',
    })
    expect(await upgrade(s, atlas.id, atlas.viewToken)).toBe(429)
    // The silent socket cannot read its close frame; the server ends it and says why.
    await waitFor(
      () =>
        closedInLog(s, CloseCode.TooManyRequests).length +
          closedInLog(s, CloseCode.SendBufferFull).length >=
        2,
      'the silent socket to be closed',
      10_000,
    )
    silent.ws.resume()
    expect(await closedWithin(silent, 15_000)).not.toBe('still open')
    expect(await alive(s)).toBe(true)
    expect(memory.max).toBeLessThan(MEMORY_BOUND_MIB)
    expect(percentile(samples, 0.95)).toBeLessThan(BYSTANDER_MS)
  })

  it('presence queries after a 4 MiB presence state: the state is dropped, the queries limited', async () => {
    const s = await server()
    const atlas = await atlasWithViewLink(s)
    const by = await bystander(s)
    const peer = await provider(s, atlas.id, atlas.editToken)
    const memory = watchMemory(s.child.pid as number)
    const attacker = raw(s, atlas.id, atlas.viewToken)
    await attacker.opened
    attacker.send(
      presenceFrame([{ client: 999, clock: 1, state: { blob: 'x'.repeat(4 * MiB - 100) } }]),
    )
    attacker.ws.pause()
    for (let i = 0; i < 5000; i++) attacker.send(PRESENCE_QUERY)
    const samples = await by.measure(4000)
    memory.stop()
    await waitFor(
      () => closedInLog(s, CloseCode.TooManyRequests).length >= 1,
      'the querying socket to be closed',
      10_000,
    )
    attacker.ws.resume()
    expect(await closedWithin(attacker, 15_000)).not.toBe('still open')
    // The 4 MiB state never reached anyone.
    expect(peer.awareness.getStates().has(999)).toBe(false)
    expect(await alive(s)).toBe(true)
    expect(memory.max).toBeLessThan(MEMORY_BOUND_MIB)
    expect(percentile(samples, 0.95)).toBeLessThan(BYSTANDER_MS)
  })
})
