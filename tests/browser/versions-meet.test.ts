/**
 * Old and new versions of the app and the server meet (issue 21): a page older than the atlas it
 * opens says plainly that it must load the new version and writes nothing to the atlas; a page
 * newer than its server lets its user look but not change anything, and says why.
 */
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { SerializedSchemaV2 } from '@tldraw/store'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { LowdbAtlasStore } from '../../server/storage/lowdb'
import { buildSampleAtlas, seedAtlasDoc } from '../../shared/domain/sampleAtlas'
import { atlasSchema } from '../../shared/schema'
import { RECORDS_KEY } from '../../shared/sync/layout'
import { writeSchema } from '../../shared/sync/records'
import { closeAppAndBrowser, startAppAndBrowser } from '../helpers/app'
import { answerName, putInDeviceCopy } from '../helpers/browser'
import { createAtlas, syncedClient, waitFor } from '../helpers/clients'
import { startTestServer, type TestServer } from '../helpers/server'

/** Where the screenshots go, to be looked at (not checked in). */
const OUTPUT = fileURLToPath(new URL('../../.test-output', import.meta.url))
const VIEWPORT = { width: 1280, height: 800 }
const TOO_OLD_NL = 'Deze versie is te oud. Laad de nieuwe versie.'
const SERVER_OLDER_NL =
  'De server heeft nog een oudere versie. Je kunt kijken, maar nog niets veranderen.'
const clientDir = fileURLToPath(new URL('../../dist/client', import.meta.url))

let server: TestServer
let browser: Browser

beforeAll(async () => {
  ;({ server, browser } = await startAppAndBrowser())
})

afterAll(() => closeAppAndBrowser(server, browser))

/** The atlas schema with one sequence moved by `step` versions: a later or an earlier build's. */
function schemaMoved(sequence: string, step: number): SerializedSchemaV2 {
  const schema = atlasSchema.serialize() as SerializedSchemaV2
  const version = schema.sequences[sequence]
  if (version === undefined) throw new Error(`the atlas schema has no ${sequence}`)
  return { ...schema, sequences: { ...schema.sequences, [sequence]: version + step } }
}

/** The state vector of the atlas as the server holds it (what every write would change). */
async function serverVector(
  atlasId: string,
  token: string,
  on: TestServer = server,
): Promise<Uint8Array> {
  const probe = await syncedClient(on.wsUrl, atlasId, token)
  const vector = Y.encodeStateVector(probe.doc)
  probe.destroy()
  return vector
}

/** Opens a link in a fresh context and answers the name question (the canvas may never come). */
async function openLink(url: string): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: VIEWPORT })
  const page = await context.newPage()
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(String(error)))
  await page.goto(url)
  await page.getByLabel('Jouw naam').fill('Sanne')
  await page.getByRole('button', { name: 'Klaar' }).click()
  return { page, errors }
}

describe('a page older than the atlas it opens', () => {
  it('says it is too old, offers the new version, and writes nothing to the atlas', async () => {
    const atlas = await createAtlas(server.url)
    // The atlas as a later build left it in the data folder: its records were written with a
    // schema in which the person shape has one more version than this build knows.
    const doc = new Y.Doc()
    seedAtlasDoc(doc, buildSampleAtlas())
    doc.transact(() => writeSchema(doc, schemaMoved('com.tldraw.shape.person', 1)))
    const store = await LowdbAtlasStore.open(server.dataDir)
    await store.storeDoc(atlas.id, Y.encodeStateAsUpdate(doc))
    const before = await serverVector(atlas.id, atlas.editToken)

    const { page, errors } = await openLink(server.url + atlas.editUrl)
    const notice = page.getByRole('region', { name: TOO_OLD_NL })
    await notice.waitFor({ timeout: 30_000 })
    await notice.getByRole('button', { name: 'Nieuwe versie laden' }).waitFor()
    await mkdir(OUTPUT, { recursive: true })
    await page.screenshot({ path: join(OUTPUT, 'version-page-too-old.png') })

    // The page is connected all this while: had it written anything, the server would hold it.
    await page.waitForTimeout(3000)
    expect(await page.locator('[data-testid="atlas-canvas"]').count()).toBe(0)
    // Nor does it say it is still opening the atlas.
    expect(await page.getByText('De atlas wordt geopend').count()).toBe(0)
    expect(Buffer.from(await serverVector(atlas.id, atlas.editToken))).toEqual(Buffer.from(before))
    expect(errors).toEqual([])
    await page.context().close()
  })
})

describe('a page newer than its server', () => {
  it('shows the atlas, says plainly that it cannot change anything yet, and writes nothing', async () => {
    // A real server that announces the schema of an earlier build: its person records are one
    // version behind this page's (a test-only setting, read at start like every other).
    const older = await startTestServer({
      env: {
        CLIENT_DIR: clientDir,
        TEST_ANNOUNCED_SCHEMA: JSON.stringify(schemaMoved('com.tldraw.person', -1)),
      },
    })
    try {
      const atlas = await createAtlas(older.url)
      const seeder = await syncedClient(older.wsUrl, atlas.id, atlas.editToken)
      seedAtlasDoc(seeder.doc, buildSampleAtlas())
      const before = await serverVectorWhen(
        older,
        atlas.id,
        atlas.editToken,
        Y.encodeStateVector(seeder.doc),
      )
      seeder.destroy()
      const joins = () =>
        older.logs.filter(
          (l) =>
            l.includes('sync join') && l.includes(`atlas=${atlas.id}`) && l.includes('doc=atlas'),
        ).length
      const joinsBefore = joins()

      const context = await browser.newContext({ viewport: VIEWPORT })
      const page = await context.newPage()
      const errors: string[] = []
      page.on('pageerror', (error) => errors.push(String(error)))
      await page.goto(older.url + atlas.editUrl)
      await answerName(page, 'Sanne')
      await page.getByText(SERVER_OLDER_NL).waitFor({ timeout: 15_000 })
      await page.waitForFunction(() => (window as { editor?: unknown }).editor !== undefined)
      // The atlas is there to look at…
      expect(await page.evaluate('window.editor.getCurrentPageShapeIds().size')).toBeGreaterThan(0)
      await mkdir(OUTPUT, { recursive: true })
      await page.screenshot({ path: join(OUTPUT, 'version-server-older.png') })
      // …but a change goes nowhere: drawing, and a person's name.
      await page.evaluate(`(() => {
        window.editor.createShapes([{ type: 'geo', x: 40, y: 40, props: { w: 120, h: 80 } }])
        const person = window.editor.getCurrentPageShapes().find((s) => s.type === 'person')
        if (person) window.editor.updateShape({ id: person.id, type: 'person', props: { name: 'Anders' } })
      })()`)
      await page.waitForTimeout(3000)
      expect(Buffer.from(await serverVector(atlas.id, atlas.editToken, older))).toEqual(
        Buffer.from(before),
      )
      // It never closed and knocked again: the page's join (or two while it starts) and the probe's.
      expect(joins() - joinsBefore).toBeLessThanOrEqual(3)
      expect(older.logs.some((l) => l.includes('code=4422'))).toBe(false)
      expect(errors).toEqual([])
      await context.close()
    } finally {
      await older.close()
    }
  })

  it('of the same version, the page writes as always', async () => {
    const atlas = await createAtlas(server.url)
    const context = await browser.newContext({ viewport: VIEWPORT })
    const page = await context.newPage()
    await page.goto(server.url + atlas.editUrl)
    await answerName(page, 'Sanne')
    await page.waitForFunction(() => (window as { editor?: unknown }).editor !== undefined)
    expect(await page.getByText(SERVER_OLDER_NL).count()).toBe(0)
    const before = await serverVector(atlas.id, atlas.editToken)
    await page.evaluate(
      `void window.editor.createShapes([{ type: 'geo', x: 40, y: 40, props: { w: 120, h: 80 } }])`,
    )
    const deadline = Date.now() + 10_000
    let after = before
    while (Date.now() < deadline && Buffer.from(after).equals(Buffer.from(before))) {
      await new Promise((resolve) => setTimeout(resolve, 200))
      after = await serverVector(atlas.id, atlas.editToken)
    }
    expect(Buffer.from(after)).not.toEqual(Buffer.from(before))
    await context.close()
  })
})

/** The server's state vector once it holds at least what `vector` says (a seed on its way). */
async function serverVectorWhen(
  on: TestServer,
  atlasId: string,
  token: string,
  vector: Uint8Array,
): Promise<Uint8Array> {
  const wanted = Y.decodeStateVector(vector)
  const deadline = Date.now() + 10_000
  for (;;) {
    const now = await serverVector(atlasId, token, on)
    const have = Y.decodeStateVector(now)
    if ([...wanted].every(([client, clock]) => (have.get(client) ?? 0) >= clock)) return now
    if (Date.now() > deadline) throw new Error('the seed did not reach the server')
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

describe('a change the server refuses as built on what it lacks (4422)', () => {
  it('is tried again after a growing wait, not in a tight loop, and the page says so', async () => {
    const atlas = await createAtlas(server.url)
    const context = await browser.newContext({ viewport: VIEWPORT })
    const page = await context.newPage()
    await page.goto(server.url)
    // The device's copy holds a change on top of one that never reached the server (its tab
    // closed before it was sent): every connection sends it, and the server lacks its base.
    const base = new Y.Doc()
    const person = new Y.Map<unknown>()
    base.getMap(RECORDS_KEY).set('shape:verloren', person)
    const onTop = new Y.Doc()
    Y.applyUpdate(onTop, Y.encodeStateAsUpdate(base))
    ;(onTop.getMap(RECORDS_KEY).get('shape:verloren') as Y.Map<unknown>).set('x', 1)
    await putInDeviceCopy(page, atlas.id, Y.encodeStateAsUpdate(onTop, Y.encodeStateVector(base)))
    const refusals = () =>
      server.logs.filter(
        (l) =>
          l.includes('sync closed') && l.includes(`atlas=${atlas.id}`) && l.includes('code=4422'),
      ).length
    await page.goto(server.url + atlas.editUrl)
    await page.getByLabel('Jouw naam').fill('Sanne')
    await page.getByRole('button', { name: 'Klaar' }).click()
    // Once the copy is read (the canvas is there), a new connection surely sends the change: the
    // first one may have started before the copy was read, and the server lacks nothing it sent.
    await page.waitForFunction(() => (window as { editor?: unknown }).editor !== undefined)
    await context.setOffline(true)
    await context.setOffline(false)
    await waitFor(() => refusals() > 0, 'the first refusal', 20_000)
    const first = refusals()
    // y-websocket alone knocks again within a tenth of a second, so 8 s would hold dozens.
    await page.waitForTimeout(8000)
    expect(refusals() - first).toBeLessThanOrEqual(2)
    await page.locator('.sync-notice[data-notice="update-refused"]').waitFor({ timeout: 5000 })
    await context.close()
  })
})
