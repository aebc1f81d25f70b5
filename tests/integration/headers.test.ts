/**
 * Every answer of the page and the API carries the security headers: a strict
 * Content-Security-Policy (nothing from elsewhere, no inline script, no framing), a
 * Permissions-Policy that switches off the features the app never uses, and HSTS only when the
 * server is known to be reached over https (`PUBLIC_URL`).
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createAtlas } from '../helpers/clients'
import { makeDataDir, removeDir, startTestServer, type TestServer } from '../helpers/server'

const running: TestServer[] = []
afterEach(async () => {
  for (const s of running.splice(0)) {
    await s.close()
    await removeDir(s.dataDir)
  }
})

/** A server with a small client of its own (a page and an asset), and `env` on top. */
async function serverWithPage(env: Record<string, string> = {}): Promise<TestServer> {
  const dataDir = await makeDataDir()
  const clientDir = join(dataDir, 'client')
  await mkdir(join(clientDir, 'assets'), { recursive: true })
  await writeFile(join(clientDir, 'index.html'), '<!doctype html><title>Netwerkatlas</title>')
  await writeFile(join(clientDir, 'assets', 'app-1234.js'), 'export {}\n')
  const s = await startTestServer({
    dataDir,
    env: { CLIENT_DIR: clientDir, ATLAS_CREATIONS_PER_MINUTE: '1', ...env },
  })
  running.push(s)
  return s
}

/** One request of each kind: page, asset, API answers (201, 404, 429), the sync path's 426. */
async function answers(s: TestServer): Promise<Response[]> {
  await createAtlas(s.url)
  const create = () =>
    fetch(`${s.url}/api/atlases`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ title: 'Te veel' }),
    })
  const list = [
    await fetch(`${s.url}/`),
    await fetch(`${s.url}/atlas/abc`),
    await fetch(`${s.url}/assets/app-1234.js`),
    await fetch(`${s.url}/assets/missing.js`),
    await fetch(`${s.url}/api/atlases/nothing`),
    await create(),
    await fetch(`${s.url}/sync/abc`),
  ]
  expect(list.map((r) => r.status)).toEqual([200, 200, 200, 404, 404, 429, 426])
  return list
}

const directives = (csp: string | null) =>
  new Map(
    (csp ?? '')
      .split(';')
      .map((d) => d.trim().split(/\s+/) as [string, ...string[]])
      .map(([name, ...values]) => [name, values]),
  )

describe('security headers', () => {
  it('sends a strict CSP, a Permissions-Policy and no HSTS without an https PUBLIC_URL', async () => {
    const envs: Record<string, string>[] = [{}, { PUBLIC_URL: 'http://atlas.example.nl' }]
    for (const env of envs) {
      const s = await serverWithPage(env)
      for (const answer of await answers(s)) {
        const where = `${answer.url} (${answer.status})`
        const csp = directives(answer.headers.get('Content-Security-Policy'))
        expect(csp.get('default-src'), where).toEqual(["'self'"])
        expect(csp.get('script-src'), where).toEqual(["'self'"])
        expect(csp.get('connect-src'), where).toEqual(["'self'", 'data:', 'blob:'])
        expect(csp.get('frame-ancestors'), where).toEqual(["'none'"])
        expect(csp.get('base-uri'), where).toEqual(["'none'"])
        expect(csp.get('object-src'), where).toEqual(["'none'"])
        expect(csp.get('form-action'), where).toEqual(["'self'"])
        // Nothing anywhere from another origin, and no script from a string.
        for (const values of csp.values()) {
          for (const value of values) {
            expect(["'self'", "'none'", "'unsafe-inline'", 'data:', 'blob:'], where).toContain(
              value,
            )
          }
        }
        expect(csp.get('style-src'), where).toEqual(["'self'", "'unsafe-inline'"])
        expect(answer.headers.get('X-Frame-Options'), where).toBe('DENY')
        const permissions = answer.headers.get('Permissions-Policy') ?? ''
        for (const feature of ['camera', 'microphone', 'geolocation', 'payment', 'usb']) {
          expect(permissions, where).toContain(`${feature}=()`)
        }
        expect(answer.headers.get('Referrer-Policy'), where).toBe('no-referrer')
        expect(answer.headers.get('Strict-Transport-Security'), where).toBeNull()
      }
    }
  })

  it('sends HSTS on every answer when PUBLIC_URL is https', async () => {
    const s = await serverWithPage({ PUBLIC_URL: 'https://atlas.example.nl' })
    for (const answer of await answers(s)) {
      expect(answer.headers.get('Strict-Transport-Security'), answer.url).toBe('max-age=31536000')
      expect(answer.headers.get('Content-Security-Policy'), answer.url).toContain(
        "frame-ancestors 'none'",
      )
    }
  })
})
