import { fileURLToPath } from 'node:url'
import type { Browser } from 'playwright-core'
import { launchChromium } from './browser'
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
