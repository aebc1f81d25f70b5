/**
 * The history of an atlas served by two real server instances on one PostgreSQL and one Redis:
 * both save every edit, yet the rule "at most one snapshot per interval while edited" holds for
 * the atlas, and each snapshot names the links that edited through either instance.
 */
import { describe, expect, it } from 'vitest'
import { AccessLogResponse } from '../../shared/api/accessLog'
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
import type { ChildServer } from '../helpers/server'

const started = childServersOfEachTest()

/** Short enough for a test, long enough that the edits of one round fall inside one interval. */
const INTERVAL_MS = 2000

function instance(databaseUrl: string): Promise<ChildServer> {
  return started.scaled(databaseUrl, {
    HISTORY_INTERVAL_MS: String(INTERVAL_MS),
    SAVE_DEBOUNCE_MS: '10',
    SAVE_MAX_WAIT_MS: '10',
  })
}

async function snapshots(server: ChildServer, atlasId: string, token: string) {
  const response = await callApi(server.url, 'GET', `/api/atlases/${atlasId}/history`, token)
  expect(response.status).toBe(200)
  // Oldest first, for reading the rounds in order.
  return HistoryList.parse(await response.json()).snapshots.reverse()
}

describe('history on two instances', () => {
  it('takes at most one snapshot per interval for the atlas, with the labels of links on both', async () => {
    const databaseUrl = await started.database()
    const a = await instance(databaseUrl)
    const b = await instance(databaseUrl)
    const atlas = await createAtlas(a.url)
    const ria = await createLink(a.url, atlas.id, atlas.editToken, 'edit', 'Ria (moeder)')
    const jan = await createLink(a.url, atlas.id, atlas.editToken, 'edit', 'Jan (buurman)')
    const onA = await started.client(a.wsUrl, atlas.id, ria.token)
    const onB = await started.client(b.wsUrl, atlas.id, jan.token)
    let n = 0
    /** An edit through one instance, seen through the other. */
    const edit = async (from: typeof onA, to: typeof onA) => {
      const id = `s${n++}`
      writeShape(from.doc, id, { x: n, y: 0 })
      await waitFor(() => readShape(to.doc, id)?.x === n, `${id} across`, 2000)
    }
    const count = async (expected: number, what: string) =>
      waitFor(async () => (await snapshots(b, atlas.id, atlas.editToken)).length >= expected, what)

    // Round 1: Ria edits through A; both instances save the edit, one snapshot is taken.
    await edit(onA, onB)
    await count(1, 'the first snapshot')
    // Round 2, inside the interval: both edit, through both instances, several times.
    for (let i = 0; i < 4; i++) {
      await edit(onB, onA)
      await edit(onA, onB)
    }
    const [first] = await snapshots(a, atlas.id, atlas.editToken)
    const firstAt = Date.parse(first?.at ?? '')
    // The rounds only mean something if round 2 ended inside the interval.
    expect(Date.now() - firstAt).toBeLessThan(INTERVAL_MS)
    await waitFor(() => Date.now() > firstAt + INTERVAL_MS + 50, 'the interval passed', 5000)
    // Round 3, after the interval: Jan edits through B; again both save it, one snapshot.
    await edit(onB, onA)
    await count(2, 'the second snapshot')
    // Round 4, inside the next interval: both edit again, so each instance saves once more.
    for (let i = 0; i < 3; i++) {
      await edit(onA, onB)
      await edit(onB, onA)
    }

    const list = await snapshots(a, atlas.id, atlas.editToken)
    expect(list.map((s) => s.reason)).toEqual(['edits', 'edits'])
    const labels = (i: number) => list[i]?.editors.map((e) => e.label).sort()
    expect(labels(0)).toEqual(['Ria (moeder)'])
    // The second names the links of round 2 and 3, on A and on B.
    expect(labels(1)).toEqual(['Jan (buurman)', 'Ria (moeder)'])
    expect(Date.parse(list[1]?.at ?? '') - firstAt).toBeGreaterThanOrEqual(INTERVAL_MS)
    // Both instances list the same.
    expect(await snapshots(b, atlas.id, atlas.editToken)).toEqual(list)

    // A restore through B, inside the interval: one snapshot just before it all the same.
    const restore = await callApi(
      b.url,
      'POST',
      `/api/atlases/${atlas.id}/history/${list[0]?.id}/restore`,
      jan.token,
      {},
    )
    expect(restore.status).toBe(200)
    const after = await snapshots(a, atlas.id, atlas.editToken)
    expect(after.map((s) => s.reason)).toEqual(['edits', 'edits', 'before-restore'])
    // Round 4's edits, through both instances, are named in it.
    expect(after[2]?.editors.map((e) => e.label).sort()).toEqual(['Jan (buurman)', 'Ria (moeder)'])
    // And the restore is in the access log, read through the other instance.
    const log = await callApi(a.url, 'GET', `/api/atlases/${atlas.id}/access-log`, atlas.editToken)
    const { entries } = AccessLogResponse.parse(await log.json())
    expect(entries.filter((e) => e.event.startsWith('restored'))).toMatchObject([
      { event: 'restored-atlas', by: { label: 'Jan (buurman)', role: 'edit' } },
    ])
  })
})
