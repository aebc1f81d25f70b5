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
import { writeSchema } from '../../shared/sync/records'
import { closeAppAndBrowser, startAppAndBrowser } from '../helpers/app'
import { createAtlas, syncedClient } from '../helpers/clients'
import type { TestServer } from '../helpers/server'

/** Where the screenshots go, to be looked at (not checked in). */
const OUTPUT = fileURLToPath(new URL('../../.test-output', import.meta.url))
const VIEWPORT = { width: 1280, height: 800 }
const TOO_OLD_NL = 'Deze versie is te oud. Laad de nieuwe versie.'

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
async function serverVector(atlasId: string, token: string): Promise<Uint8Array> {
  const probe = await syncedClient(server.wsUrl, atlasId, token)
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
    expect(Buffer.from(await serverVector(atlas.id, atlas.editToken))).toEqual(Buffer.from(before))
    expect(errors).toEqual([])
    await page.context().close()
  })
})
