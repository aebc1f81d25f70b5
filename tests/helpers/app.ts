import { fileURLToPath } from 'node:url'
import type { Browser, BrowserContext } from 'playwright-core'
import { afterAll, afterEach, beforeAll } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import type { CreateAtlasResponse } from '../../shared/api/atlases'
import { readAtlasContent } from '../../shared/domain/content'
import { buildSampleAtlas, SAMPLE_ATLAS_TITLE, seedAtlasDoc } from '../../shared/domain/sampleAtlas'
import { launchChromium } from './browser'
import { createAtlas, syncedClient } from './clients'
import { startTestServer, type TestServer } from './server'

/** The client as `npm start` builds it (the browser project's global setup builds it). */
const clientDir = fileURLToPath(new URL('../../dist/client', import.meta.url))

/** A real server that serves the built client, and a real headless Chromium. */
export async function startAppAndBrowser(): Promise<{ server: TestServer; browser: Browser }> {
  const server = await startTestServer({ env: { CLIENT_DIR: clientDir } })
  try {
    return { server, browser: await launchChromium() }
  } catch (error) {
    await server.close()
    throw error
  }
}

/** Closes what `startAppAndBrowser` started (either may be missing when it failed). */
export async function closeAppAndBrowser(
  server: TestServer | undefined,
  browser: Browser | undefined,
): Promise<void> {
  await browser?.close()
  await server?.close()
}

// The size most browser tests use.
const DESKTOP = { width: 1280, height: 800 }

/** A fresh device: its size, and the name the person gave on an earlier visit (none: asked). */
export interface DeviceOptions {
  viewport?: { width: number; height: number }
  name?: string
}

/** The sample atlas (Sanne, her network, three questions) on the server, with writers of both documents. */
export interface SampleOnServer {
  atlas: CreateAtlasResponse
  /** A synced client of the atlas document (the maps). */
  writer: WebsocketProvider
  /** A synced client of the atlas's plan document. */
  plan: WebsocketProvider
  /** The basisposter's question ids, in order. */
  questions: string[]
  /** The id of the sample's person called `name` (throws when there is none). */
  person(name: string): string
}

/** What `setUpBrowserApp` gives a test file; the server and browser exist once `beforeAll` ran. */
export interface BrowserApp {
  readonly server: TestServer
  readonly browser: Browser
  /** A client synced with `room` on the server, destroyed after the test. */
  client(room: string, token: string): Promise<WebsocketProvider>
  /** A new context (its own storage) whose app speaks Dutch, closed after the test. */
  device(options?: DeviceOptions): Promise<BrowserContext>
  /** Makes the sample atlas on the server through real clients (closed after the test). */
  sampleAtlas(): Promise<SampleOnServer>
}

/**
 * One server and one Chromium for a test file (started before its first test, closed after its
 * last); each test's clients and contexts are closed after it, so tests share nothing but those.
 */
export function setUpBrowserApp(): BrowserApp {
  let server: TestServer | undefined
  let browser: Browser | undefined
  const providers: WebsocketProvider[] = []
  const contexts: BrowserContext[] = []

  beforeAll(async () => {
    ;({ server, browser } = await startAppAndBrowser())
  })
  afterEach(async () => {
    for (const p of providers.splice(0)) p.destroy()
    for (const c of contexts.splice(0)) await c.close()
  })
  afterAll(() => closeAppAndBrowser(server, browser))

  const app: BrowserApp = {
    get server() {
      if (!server) throw new Error('the server starts in beforeAll')
      return server
    },
    get browser() {
      if (!browser) throw new Error('the browser starts in beforeAll')
      return browser
    },
    async client(room, token) {
      const provider = await syncedClient(app.server.wsUrl, room, token)
      providers.push(provider)
      return provider
    },
    async device({ viewport = DESKTOP, name } = {}) {
      const context = await app.browser.newContext({ viewport, acceptDownloads: true })
      contexts.push(context)
      await context.addInitScript("localStorage.setItem('netwerkatlas:language', 'nl')")
      if (name) {
        await context.addInitScript(
          `localStorage.setItem('netwerkatlas:user', JSON.stringify({ id: 'u1', name: ${JSON.stringify(name)}, color: '#1f6fd1' }))`,
        )
      }
      return context
    },
    async sampleAtlas() {
      const atlas = await createAtlas(app.server.url, SAMPLE_ATLAS_TITLE)
      const writer = await app.client(atlas.id, atlas.editToken)
      seedAtlasDoc(writer.doc, buildSampleAtlas())
      const content = readAtlasContent(writer.doc)
      const plan = await app.client(`${atlas.id}/plan`, atlas.editToken)
      return {
        atlas,
        writer,
        plan,
        questions: content.questions.map((q) => q.id),
        person: (name) => {
          const found = content.persons.find((p) => p.name === name)
          if (!found) throw new Error(`no person ${name} in the sample`)
          return found.id
        },
      }
    },
  }
  return app
}
