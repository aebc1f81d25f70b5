/**
 * The badge when the server cannot save (issue 18): the server keeps its data on a 2 MiB tmpfs,
 * a file fills it, and the page says that the server's copy is not saved until it is again.
 */
import { execFileSync } from 'node:child_process'
import { mkdtemp, open, rm, rmdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import { SaveState } from '../../shared/sync/layout'
import { launchChromium, openAtlasPage } from '../helpers/browser'
import { createAtlas, syncedClient, writeShape } from '../helpers/clients'
import { startTestServer, type TestServer } from '../helpers/server'

const clientDir = fileURLToPath(new URL('../../dist/client', import.meta.url))
const UNSAVED_NL = 'Niet bewaard op de server'

let mountPoint = ''
let mounted = false
let server: TestServer | undefined
let browser: Browser | undefined
let peer: WebsocketProvider | undefined

beforeAll(async () => {
  mountPoint = await mkdtemp(join(tmpdir(), 'netwerkatlas-small-disk-'))
  // Fails the test file loudly where a small filesystem cannot be mounted (the test needs root).
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m,mode=0700', 'tmpfs', mountPoint])
  mounted = true
  server = await startTestServer({
    dataDir: join(mountPoint, 'data'),
    // The disk is 2 MiB: the free-disk threshold for new atlases would refuse the first one.
    env: { CLIENT_DIR: clientDir, SAVE_RETRY_MAX_MS: '300', MIN_FREE_DISK_MB: '0' },
  })
  browser = await launchChromium()
})

afterAll(async () => {
  peer?.destroy()
  await browser?.close()
  await server?.close().catch(() => {})
  if (mounted) execFileSync('umount', [mountPoint])
  await rmdir(mountPoint).catch(() => {})
})

/** Writes zeros into `path` until the disk is full. */
async function fillDisk(path: string): Promise<void> {
  const handle = await open(path, 'w')
  const chunk = Buffer.alloc(4096)
  try {
    for (;;) {
      const { bytesWritten } = await handle.write(chunk)
      if (bytesWritten < chunk.length) break
    }
  } catch (error) {
    if ((error as { code?: string }).code !== 'ENOSPC') throw error
  } finally {
    await handle.close()
  }
}

describe('the connection badge on a server that cannot save', () => {
  it('says "Niet bewaard op de server" until the server has saved again', async () => {
    if (!server || !browser) throw new Error('not started')
    const atlas = await createAtlas(server.url)
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 } })
    try {
      const page = await openAtlasPage(context, server.url + atlas.editUrl, 'Opa')
      const small = await openAtlasPage(phone, server.url + atlas.editUrl, 'Sanne')
      peer = await syncedClient(server.wsUrl, atlas.id, atlas.editToken)
      peer.messageHandlers[SaveState.messageType] = () => {}
      const filler = join(mountPoint, 'filler')
      await fillDisk(filler)
      for (let i = 0; i < 40; i++) {
        writeShape(peer.doc, `full${i}`, { x: i * 10, y: 0, text: 'Buurvrouw Ans '.repeat(60) })
      }

      const badge = page.locator('.connection[data-state="unsaved"]')
      await badge.waitFor({ timeout: 15_000 })
      expect(await badge.getByText(UNSAVED_NL, { exact: true }).isVisible()).toBe(true)
      expect(await badge.getAttribute('title')).toBe(
        'Je werk blijft bewaard op dit apparaat. De server probeert het steeds opnieuw.',
      )
      await page.screenshot({ path: join(tmpdir(), 'netwerkatlas-unsaved-badge.png') })
      // On a phone too, in words, inside the window.
      const smallBadge = small.locator('.connection[data-state="unsaved"]')
      await smallBadge.waitFor({ timeout: 15_000 })
      const words = smallBadge.getByText(UNSAVED_NL, { exact: true })
      expect(await words.isVisible()).toBe(true)
      const box = await words.boundingBox()
      expect(box && box.x >= 0 && box.x + box.width <= 390).toBe(true)
      const badgeBox = await smallBadge.boundingBox()
      for (const control of await small
        .locator(
          '.atlas-left > *, .atlas-top > *, .atlas-bar > :not(.connection), .tlui-main-toolbar__tools, .tlui-main-toolbar__extras__controls',
        )
        .all()) {
        const other = await control.boundingBox()
        if (!badgeBox || !other) continue
        const apart =
          badgeBox.x >= other.x + other.width ||
          other.x >= badgeBox.x + badgeBox.width ||
          badgeBox.y >= other.y + other.height ||
          other.y >= badgeBox.y + badgeBox.height
        expect(apart, `the badge is clear of ${await control.getAttribute('class')}`).toBe(true)
      }
      await small.screenshot({ path: join(tmpdir(), 'netwerkatlas-unsaved-badge-phone.png') })

      await rm(filler)
      await page.locator('.connection[data-state="online"]').waitFor({ timeout: 15_000 })
      await small.locator('.connection[data-state="online"]').waitFor({ timeout: 15_000 })
      expect(await page.getByText(UNSAVED_NL).count()).toBe(0)
    } finally {
      await context.close()
      await phone.close()
    }
  }, 60_000)
})
