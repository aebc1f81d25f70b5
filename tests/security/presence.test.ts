/**
 * Presence belongs to its connection (issue 18): a view link must not set or remove another
 * participant's presence, nor pin it with a high clock, and a flood of presence updates reaches
 * the others at a bounded rate.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { waitFor } from '../helpers/clients'
import {
  atlasWithViewLink,
  BYSTANDER_MS,
  bystander,
  cleanUp,
  percentile,
  presenceFrame,
  provider,
  raw,
  server,
} from './harness'

afterEach(cleanUp)

const FAKE = { presence: { userName: 'Marjan 06-12345678' } }

describe('presence is bound to its connection', () => {
  it('a view link cannot set, pin or remove another participant’s presence', async () => {
    const s = await server()
    const atlas = await atlasWithViewLink(s)
    const victim = await provider(s, atlas.id, atlas.editToken)
    const observer = await provider(s, atlas.id, atlas.editToken)
    victim.awareness.setLocalState({ presence: { userName: 'Sanne' } })
    const victimId = victim.awareness.clientID
    await waitFor(
      () => observer.awareness.getStates().get(victimId)?.presence?.userName === 'Sanne',
      'the victim’s presence',
    )
    let spoofSeen = false
    observer.awareness.on('change', () => {
      const state = observer.awareness.getStates().get(victimId)
      if (state?.presence?.userName !== 'Sanne' && state?.presence?.userName !== 'Sanne 2') {
        spoofSeen = true
      }
    })

    const attacker = raw(s, atlas.id, atlas.viewToken)
    await attacker.opened
    // First message: someone else's id, with a made-up name and a clock far ahead.
    attacker.send(presenceFrame([{ client: victimId, clock: 1_000_000, state: FAKE }]))
    // Then its own, then the victim's again in the same message, then a removal of the victim.
    attacker.send(
      presenceFrame([
        { client: 4242, clock: 1, state: { presence: { userName: 'Bezoeker' } } },
        { client: victimId, clock: 2_000_000, state: FAKE },
      ]),
    )
    attacker.send(presenceFrame([{ client: victimId, clock: 3_000_000, state: null }]))
    await waitFor(
      () => observer.awareness.getStates().get(4242)?.presence?.userName === 'Bezoeker',
      'the attacker’s own presence',
    )
    // The victim's own next change still reaches everyone: nothing was pinned.
    victim.awareness.setLocalState({ presence: { userName: 'Sanne 2' } })
    await waitFor(
      () => observer.awareness.getStates().get(victimId)?.presence?.userName === 'Sanne 2',
      'the victim’s next presence',
    )
    expect(spoofSeen).toBe(false)
    expect(observer.awareness.getStates().has(victimId)).toBe(true)
  })

  it('a flood of presence updates reaches the others at a bounded rate', async () => {
    const s = await server()
    const atlas = await atlasWithViewLink(s)
    const by = await bystander(s)
    const observer = await provider(s, atlas.id, atlas.editToken)
    let received = 0
    observer.awareness.on('change', ({ updated }: { updated: number[] }) => {
      if (updated.includes(7777)) received++
    })
    const attacker = raw(s, atlas.id, atlas.viewToken)
    await attacker.opened
    attacker.send(presenceFrame([{ client: 7777, clock: 1, state: { cursor: 0 } }]))
    await waitFor(() => observer.awareness.getStates().has(7777), 'the flooder’s first state')
    received = 0
    // Two seconds of 20 updates every millisecond-ish (what a script can send).
    let clock = 2
    const flood = setInterval(() => {
      for (let i = 0; i < 20; i++, clock++) {
        attacker.send(presenceFrame([{ client: 7777, clock, state: { cursor: clock } }]))
      }
    }, 1)
    const samples = await by.measure(2000)
    clearInterval(flood)
    const sent = clock - 2
    // The last state arrives (merged updates are not lost), at most ~30 a second on the way.
    await waitFor(
      () => observer.awareness.getStates().get(7777)?.cursor === clock - 1,
      'the last flooded state',
    )
    expect(sent).toBeGreaterThan(5000)
    expect(received).toBeLessThanOrEqual(2 * 30 + 30 + 2)
    expect(percentile(samples, 0.95)).toBeLessThan(BYSTANDER_MS)
  })
})
