/**
 * A bad record never breaks a page (issue 18): one already stored (written straight to the data
 * folder, as an older server or a foreign writer left it) is skipped and reported while the rest
 * opens as fast as without it; one that another socket tries to write is refused and the open
 * page goes on; and a page whose own change the server refuses stops instead of sending it again
 * and again, and says so.
 */
import { fileURLToPath } from 'node:url'
import * as encoding from 'lib0/encoding'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { LowdbAtlasStore } from '../../server/storage/lowdb'
import { buildSampleAtlas, seedAtlasDoc } from '../../shared/domain/sampleAtlas'
import { CloseCode, RECORDS_KEY } from '../../shared/sync/layout'
import { closeAppAndBrowser, startAppAndBrowser } from '../helpers/app'
import { answerName, putInDeviceCopy } from '../helpers/browser'
import {
  createAtlas,
  createLink,
  rawClient,
  readShape,
  syncedClient,
  waitFor,
} from '../helpers/clients'
import { startTestServer, type TestServer } from '../helpers/server'

let server: TestServer
let browser: Browser

beforeAll(async () => {
  ;({ server, browser } = await startAppAndBrowser())
})

afterAll(() => closeAppAndBrowser(server, browser))

const VIEWPORT = { width: 1280, height: 800 }
const SKIPPED_NL = /dingen in de atlas kunnen niet getoond worden/
const REFUSED_NL =
  'De server neemt een wijziging van dit apparaat niet aan. Wat je nu doet, blijft op dit apparaat.'

/** An atlas on the server holding the sample atlas, with `bad` written into its stored file. */
async function storedAtlas(bad: (doc: Y.Doc) => void) {
  const atlas = await createAtlas(server.url)
  const doc = new Y.Doc()
  seedAtlasDoc(doc, buildSampleAtlas())
  bad(doc)
  // Straight into the data folder, past every check (the room is not loaded yet).
  const store = await LowdbAtlasStore.open(server.dataDir)
  await store.storeDoc(atlas.id, Y.encodeStateAsUpdate(doc))
  return atlas
}

/** Opens an edit link and returns the page, its errors and the ms until the canvas shows. */
async function open(url: string) {
  const context = await browser.newContext({ viewport: VIEWPORT })
  const page = await context.newPage()
  const errors: string[] = []
  const warnings: string[] = []
  page.on('pageerror', (error) => errors.push(String(error)))
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text())
    if (m.type() === 'warning') warnings.push(m.text())
  })
  const started = performance.now()
  await page.goto(url)
  await answerName(page, 'Sanne')
  await page.locator('[data-testid="atlas-canvas"]').waitFor({ timeout: 30_000 })
  await page.waitForFunction(
    () => (window as { editor?: unknown }).editor !== undefined,
    undefined,
    { timeout: 30_000 },
  )
  return { page, errors, warnings, ms: performance.now() - started }
}

/** Draws a geo shape with the page's editor and returns its id. */
function draw(page: Page, x: number): Promise<string> {
  return page.evaluate(`(() => {
    const before = new Set(window.editor.getCurrentPageShapeIds())
    window.editor.createShapes([{ type: 'geo', x: ${x}, y: 40, props: { w: 120, h: 80 } }])
    return [...window.editor.getCurrentPageShapeIds()].find((id) => !before.has(id))
  })()`)
}

/** `[sync, update, payload]`, as a device sends an edit. */
function updateFrame(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, 0)
  encoding.writeVarUint(e, 2)
  encoding.writeVarUint8Array(e, update)
  return encoding.toUint8Array(e)
}

/** How many times the server saw a socket of the page knock: joined or turned away. */
/**
 * Joins of the atlas's maps room. Not its plan room, which the page opens too with the same link
 * (and which may knock during the link's cool-down); a maps socket that kept retrying would join
 * again once the cool-down (1 s, then 2 s) is over, so a loop still shows here.
 */
function knocks(atlasId: string): number {
  return server.logs.filter(
    (l) => l.includes('sync join') && l.includes(`atlas=${atlasId}`) && l.includes('doc=atlas'),
  ).length
}

describe('a bad record', () => {
  it('already stored is skipped and reported; the page opens as fast as without it and works', async () => {
    const clean = await storedAtlas(() => {})
    const bad = await storedAtlas((doc) => {
      const records = doc.getMap(RECORDS_KEY)
      records.set('shape:getal', 42)
      records.set('shape:los', { id: 'shape:los', typeName: 'shape' })
      const person = [...records.values()].find(
        (r) => r instanceof Y.Map && r.get('typeName') === 'shape' && r.get('type') === 'person',
      ) as Y.Map<unknown>
      person.set('props', { nietDit: true })
    })
    const withoutIt = await open(server.url + clean.editUrl)
    const withIt = await open(server.url + bad.editUrl)
    expect(withIt.errors.filter((e) => /Yjs|Caught error/.test(e))).toEqual([])
    await withIt.page.getByText(SKIPPED_NL).waitFor({ timeout: 5000 })
    expect(withIt.warnings.some((w) => w.includes('records skipped'))).toBe(true)
    expect(withIt.ms).toBeLessThan(withoutIt.ms * 1.5 + 1000)

    // It works: a shape drawn there reaches another device.
    const id = await draw(withIt.page, 300)
    const other = await syncedClient(server.wsUrl, bad.id, bad.editToken)
    await waitFor(
      () => readShape(other.doc, id.replace(/^shape:/, '')) !== undefined,
      'the drawing',
    )
    other.destroy()
    for (const p of [withoutIt, withIt]) await p.page.context().close()
  })

  it('that another socket tries to write is refused, and the open page goes on', async () => {
    const atlas = await createAtlas(server.url)
    const opened = await open(server.url + atlas.editUrl)
    const attacker = rawClient(
      server.wsUrl,
      atlas.id,
      (await createLink(server.url, atlas.id, atlas.editToken, 'edit', 'Onbekend')).token,
    )
    await attacker.opened
    // What the attacker holds: the server's state (the page's pages), then a bad record on top.
    const honest = await syncedClient(server.wsUrl, atlas.id, atlas.editToken)
    const copy = new Y.Doc()
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(honest.doc))
    const vector = Y.encodeStateVector(copy)
    copy.getMap(RECORDS_KEY).set('shape:getal', 42)
    attacker.send(updateFrame(Y.encodeStateAsUpdate(copy, vector)))
    expect(await attacker.closed).toMatchObject({ code: CloseCode.UpdateRefused })

    const id = await draw(opened.page, 100)
    await waitFor(
      () => readShape(honest.doc, id.replace(/^shape:/, '')) !== undefined,
      'the drawing',
    )
    expect(honest.doc.getMap(RECORDS_KEY).has('shape:getal')).toBe(false)
    expect(opened.errors).toEqual([])
    honest.destroy()
    await opened.page.context().close()
  })
})

describe('a change of this device that the server refuses', () => {
  it('stops the connection, says so, and is not sent again and again', async () => {
    const atlas = await createAtlas(server.url)
    const context = await browser.newContext({ viewport: VIEWPORT })
    const page = await context.newPage()
    await page.goto(server.url)
    // The device's copy already holds a change the server does not take (written before the
    // check, or by an older app): y-indexeddb's layout, one update per row.
    const bad = new Y.Doc()
    bad.getMap(RECORDS_KEY).set('shape:getal', 42)
    await putInDeviceCopy(page, atlas.id, Y.encodeStateAsUpdate(bad))
    const before = knocks(atlas.id)
    await page.goto(server.url + atlas.editUrl)
    await page.getByLabel('Jouw naam').fill('Sanne')
    await page.getByRole('button', { name: 'Klaar' }).click()
    await page.getByText(REFUSED_NL).waitFor({ timeout: 15_000 })
    expect(
      server.logs.some(
        (l) => l.includes('sync closed') && l.includes(`code=${CloseCode.UpdateRefused}`),
      ),
    ).toBe(true)
    // y-websocket would knock again within a second, and the link's cool-down doubles from 1 s.
    // A few knocks before the refusal: the page's first socket, which it may drop while it starts,
    // and the one refused (seen: 2). The page's own edits wait until it is in step with the server
    // (client/sync/holdUntilSynced.ts), so they no longer lose a race and knock again.
    const refusedAt = knocks(atlas.id)
    expect(refusedAt - before).toBeLessThanOrEqual(8)
    await page.waitForTimeout(8000)
    expect(knocks(atlas.id)).toBe(refusedAt)
    // The page itself still works on this device.
    await page.waitForFunction(() => (window as { editor?: unknown }).editor !== undefined)
    await draw(page, 50)
    await context.close()
  })
})

describe('a server that asks the page to slow down', () => {
  it('is tried again after a wait, not at once, and the page says so calmly', async () => {
    // A server that lets a connection write only a little: drawing fast runs out of it.
    const slow = await startTestServer({
      env: {
        CLIENT_DIR: fileURLToPath(new URL('../../dist/client', import.meta.url)),
        MAX_UPDATE_STRUCTS: '2000',
        UPDATE_STRUCTS_PER_MINUTE: '1',
      },
    })
    try {
      const atlas = await createAtlas(slow.url)
      const context = await browser.newContext({ viewport: VIEWPORT })
      const page = await context.newPage()
      await page.goto(slow.url + atlas.editUrl)
      await answerName(page, 'Sanne')
      await page.waitForFunction(() => (window as { editor?: unknown }).editor !== undefined)
      const joins = () => slow.logs.filter((l) => l.includes('sync join')).length
      const busy = page.locator('.sync-notice[data-notice="busy"]')
      for (let i = 0; i < 400 && !(await busy.isVisible()); i++) await draw(page, i * 10)
      await busy.waitFor({ timeout: 5000 })
      expect(slow.logs.some((l) => l.includes(`code=${CloseCode.TooManyRequests}`))).toBe(true)
      const closedAt = joins()
      // Nothing for a few seconds (y-websocket alone would knock again within a second)…
      await page.waitForTimeout(4000)
      expect(joins()).toBe(closedAt)
      // …then one new connection, which sends what was drawn meanwhile, and the notice goes.
      await waitFor(() => joins() === closedAt + 1, 'the next try', 10_000)
      await busy.waitFor({ state: 'detached', timeout: 10_000 })
      await context.close()
    } finally {
      await slow.close()
    }
  })
})
