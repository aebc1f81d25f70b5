/**
 * O1 (ours only: it measures our client): the app on the device. A fresh device opens an atlas
 * link (first load: the app comes from the server, the service worker keeps it), then reloads the
 * page online (the app from the worker, the atlas from the device and the server) and offline
 * (the app from the worker, the atlas from the device alone). Time to the canvas each time: the
 * first animation frame after the DOM holds every shape of the page opened first, in ms since
 * navigation start; and how long after navigation the worker controls the page (the app is kept).
 */
import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { CreateAtlasResponse } from '../../shared/api/atlases'
import { launchChromium } from '../../tests/helpers/browser'
import { ensureClientBuild } from '../lib/client-build'
import { newTraffic } from '../lib/clients'
import { LOAD_CORE, type Peer, SERVER_CORE, startPeer } from '../lib/peers'
import { pinProcess } from '../lib/proc'
import type { Results } from '../lib/results'
import { converged, syncedClient } from '../lib/room'
import { laidOutAtlasRecords, seedDoc } from '../lib/shapes'

const VIEWPORT = { width: 1280, height: 800 }
/** A small atlas, as a client's real one is: this measures the app shell, not tldraw's drawing. */
const SHAPES = 200

/** Runs in the page before the app, in every document of the context (a string, see W6). */
const pageScript = (shapes: number) => `(() => {
  const o1 = { canvas: 0, controlled: 0 }
  window.__o1 = o1
  // A name given on this device before: no name question.
  if (!localStorage.getItem('netwerkatlas:user')) {
    localStorage.setItem('netwerkatlas:user', JSON.stringify({ id: crypto.randomUUID(), name: 'Benchmark', color: '#1f6fd1' }))
  }
  const look = () => {
    if (window.editor && document.querySelectorAll('.tl-shape[data-shape-type="geo"]').length >= ${shapes}) {
      requestAnimationFrame(() => { o1.canvas = performance.now() })
      return
    }
    requestAnimationFrame(look)
  }
  requestAnimationFrame(look)
  const sw = navigator.serviceWorker
  if (sw && sw.controller) o1.controlled = -1
  else if (sw) sw.addEventListener('controllerchange', () => { o1.controlled = performance.now() }, { once: true })
})()`

/** Resolves with the value of `expression` in the page once it is truthy (polled; see W6). */
async function pageValue<T>(page: Page, expression: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await page.evaluate(expression).catch(() => undefined)
    if (value) return value as T
    if (Date.now() > deadline) throw new Error(`O1: timed out waiting for ${expression}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** What every O1 trial shares: our server with a stored atlas, and Chromium. */
export interface O1Setup {
  peer: Peer
  url: string
  browser: Browser
  built: boolean
  close(): Promise<void>
}

/** Builds the client if needed, starts our server, stores a small atlas, starts Chromium. */
export async function setupO1(): Promise<O1Setup> {
  const { dir, built } = await ensureClientBuild()
  const peer = await startPeer('ours', { env: { CLIENT_DIR: dir } })
  const cleanups: Array<() => unknown> = [() => peer.stop()]
  try {
    const response = await fetch(`${peer.httpUrl}/api/atlases`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ title: 'Atlas van Sanne' }),
    })
    if (response.status !== 201) throw new Error(`create atlas: ${response.status}`)
    const created = (await response.json()) as CreateAtlasResponse
    const room = { name: created.id, token: created.editToken }
    const writer = await syncedClient(peer, room, newTraffic())
    cleanups.push(() => writer.destroy())
    seedDoc(writer.doc, laidOutAtlasRecords(SHAPES, 'Sanne'))
    if (!(await converged(peer, room, [writer]))) throw new Error('O1: the atlas was not stored')
    // Chromium is the device under test: it gets both cores, as in W6.
    pinProcess(process.pid, `${SERVER_CORE},${LOAD_CORE}`)
    let browser: Browser
    try {
      browser = await launchChromium()
    } finally {
      pinProcess(process.pid, LOAD_CORE)
    }
    cleanups.push(() => browser.close())
    return {
      peer,
      url: `${peer.httpUrl}${created.editUrl}`,
      browser,
      built,
      close: async () => {
        for (const cleanup of cleanups.reverse()) await cleanup()
      },
    }
  } catch (error) {
    for (const cleanup of cleanups.reverse()) await cleanup()
    throw error
  }
}

/** One O1 trial on a fresh device: first load, online reload, offline reload. */
export async function runO1(setup: O1Setup, results: Results): Promise<void> {
  const context: BrowserContext = await setup.browser.newContext({
    viewport: VIEWPORT,
    serviceWorkers: 'allow',
  })
  try {
    await context.addInitScript({ content: pageScript(SHAPES) })
    const page = await context.newPage()
    const figure = (name: string) => ({ workload: 'O1', name, unit: 'ms', digits: 0 })

    await page.goto(setup.url)
    results.add(
      figure('navigation → canvas, first load'),
      'ours',
      await pageValue<number>(page, 'window.__o1.canvas'),
    )
    results.add(
      figure('navigation → app kept on the device (worker controls), first load'),
      'ours',
      await pageValue<number>(page, 'window.__o1.controlled'),
    )
    await page.locator('.connection[data-state="online"]').waitFor({ timeout: 30_000 })

    await page.reload()
    results.add(
      figure('navigation → canvas, reload online'),
      'ours',
      await pageValue<number>(page, 'window.__o1.canvas'),
    )
    await page.locator('.connection[data-state="online"]').waitFor({ timeout: 30_000 })

    await context.setOffline(true)
    await page.reload()
    results.add(
      figure('navigation → canvas, reload offline'),
      'ours',
      await pageValue<number>(page, 'window.__o1.canvas'),
    )
    // Correctness: offline, the page came from the worker and shows the whole atlas.
    const shown = await page.evaluate(
      () => document.querySelectorAll('.tl-shape[data-shape-type="geo"]').length,
    )
    const offline = await page.locator('.connection[data-state="offline"]').count()
    results.checked('O1', 'ours', shown >= SHAPES && offline === 1, 'the atlas opened offline')
  } finally {
    await context.close()
  }
}
