import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { AtlasInfo, CreateAtlasResponse } from '../../shared/api/atlases'
import { createAtlas } from '../helpers/clients'
import { startTestServer } from '../helpers/server'
import { serverOfThisFile } from '../helpers/serverOfFile'

const { server } = serverOfThisFile()

function post(body: string, contentType = 'application/json') {
  return fetch(`${server.url}/api/atlases`, {
    method: 'POST',
    headers: { 'Content-Type': contentType },
    body,
  })
}

function getInfo(id: string, authorization?: string) {
  return fetch(`${server.url}/api/atlases/${id}`, {
    headers: authorization === undefined ? {} : { Authorization: authorization },
  })
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name))
}

describe('POST /api/atlases', () => {
  it('creates an atlas and answers 201 with id, secrets and links', async () => {
    const response = await post(JSON.stringify({ title: '  Atlas van Sanne ' }))
    expect(response.status).toBe(201)
    expect(response.headers.get('content-type')).toMatch(/application\/json/)
    const body = CreateAtlasResponse.parse(await response.json())
    expect(body.editUrl).toBe(`/atlas/${body.id}#edit=${body.editToken}&view=${body.viewToken}`)
    expect(body.viewUrl).toBe(`/atlas/${body.id}#view=${body.viewToken}`)
    expect(body.editToken).not.toBe(body.viewToken)
  })

  it('gives secrets of at least 128 random bits, different for every atlas', async () => {
    const atlases = await Promise.all([1, 2, 3, 4].map(() => createAtlas(server.url)))
    const secrets = atlases.flatMap((a) => [a.editToken, a.viewToken])
    for (const secret of secrets) {
      expect(Buffer.from(secret, 'base64url').length * 8).toBeGreaterThanOrEqual(128)
    }
    for (const a of atlases) expect(Buffer.from(a.id, 'base64url').length).toBe(16)
    expect(new Set(secrets).size).toBe(secrets.length)
    expect(new Set(atlases.map((a) => a.id)).size).toBe(atlases.length)
  })

  it('stores the secrets only as hashes', async () => {
    const atlas = await createAtlas(server.url, 'Geheim')
    const files = await filesUnder(join(server.dataDir, 'atlases', atlas.id))
    expect(files.length).toBeGreaterThan(0)
    let all = ''
    for (const file of files) all += await readFile(file, 'utf8')
    expect(all).toContain('Geheim')
    expect(all).not.toContain(atlas.editToken)
    expect(all).not.toContain(atlas.viewToken)
    const hex = (s: string) => Buffer.from(s).toString('hex')
    expect(all).not.toContain(hex(atlas.editToken))
  })

  it.each([
    ['malformed JSON', '{"title": ', 'application/json'],
    ['no title', '{}', 'application/json'],
    ['an empty title', '{"title": "   "}', 'application/json'],
    ['a title that is not a string', '{"title": 42}', 'application/json'],
    ['a title that is too long', JSON.stringify({ title: 'x'.repeat(121) }), 'application/json'],
    ['a body that is not JSON', 'title=Sanne', 'application/x-www-form-urlencoded'],
    ['a JSON array', '[]', 'application/json'],
  ])('answers 400 with a message for %s', async (_, body, type) => {
    const response = await post(body, type)
    expect(response.status).toBe(400)
    const json = (await response.json()) as { error: unknown }
    expect(typeof json.error).toBe('string')
    expect(String(json.error).length).toBeGreaterThan(3)
  })

  it('refuses a huge body', async () => {
    const response = await post(JSON.stringify({ title: 'x'.repeat(100_000) }))
    expect(response.status).toBe(413)
  })
})

describe('GET /api/atlases/:id', () => {
  let atlas: CreateAtlasResponse
  let other: CreateAtlasResponse

  beforeAll(async () => {
    atlas = await createAtlas(server.url, 'Atlas van Sanne')
    other = await createAtlas(server.url, 'Atlas van Piet')
  })

  it('tells an edit link holder the title, creation time and role', async () => {
    const response = await getInfo(atlas.id, `Bearer ${atlas.editToken}`)
    expect(response.status).toBe(200)
    const info = AtlasInfo.parse(await response.json())
    expect(info).toMatchObject({ id: atlas.id, title: 'Atlas van Sanne', role: 'edit' })
    expect(new Date(info.createdAt).toISOString()).toBe(info.createdAt)
    expect(Math.abs(Date.now() - Date.parse(info.createdAt))).toBeLessThan(60_000)
    expect(response.headers.get('cache-control')).toBe('no-store')
  })

  it('tells a view link holder the role view', async () => {
    const response = await getInfo(atlas.id, `Bearer ${atlas.viewToken}`)
    expect(response.status).toBe(200)
    expect(AtlasInfo.parse(await response.json()).role).toBe('view')
  })

  it('answers every link that grants nothing alike', async () => {
    const unknownId = 'AAAAAAAAAAAAAAAAAAAAAA'
    const wrongToken = Buffer.alloc(32, 7).toString('base64url')
    const cases: Array<[string, string | undefined]> = [
      [atlas.id, `Bearer ${wrongToken}`],
      [atlas.id, `Bearer ${other.editToken}`],
      [atlas.id, `Bearer ${other.viewToken}`],
      [atlas.id, undefined],
      [atlas.id, 'Bearer'],
      [atlas.id, `Basic ${atlas.editToken}`],
      [atlas.id, `Bearer ${atlas.editToken}x`],
      [unknownId, `Bearer ${atlas.editToken}`],
      ['not-an-id', `Bearer ${atlas.editToken}`],
      ['..%2F..%2Fetc', `Bearer ${atlas.editToken}`],
    ]
    const answers = await Promise.all(
      cases.map(async ([id, auth]) => {
        const response = await getInfo(id, auth)
        return { status: response.status, body: await response.text() }
      }),
    )
    for (const answer of answers) {
      expect(answer).toEqual({
        status: 404,
        body: JSON.stringify({ error: 'No atlas found for this link.' }),
      })
    }
  })

  it('keeps a damaged atlas file to that atlas', async () => {
    const damaged = await createAtlas(server.url, 'Beschadigd')
    await writeFile(join(server.dataDir, 'atlases', damaged.id, 'meta.json'), '{"version":1,"id":')
    const response = await getInfo(damaged.id, `Bearer ${damaged.editToken}`)
    expect(response.status).toBe(500)
    expect(await response.json()).toEqual({ error: 'Something went wrong on the server.' })
    const fine = await getInfo(atlas.id, `Bearer ${atlas.editToken}`)
    expect(fine.status).toBe(200)
  })
})

describe('other routes', () => {
  it('answers unknown API routes with 404 JSON', async () => {
    const response = await fetch(`${server.url}/api/nothing-here`)
    expect(response.status).toBe(404)
    expect(await response.json()).toEqual({ error: 'Not found' })
  })

  it('asks browsers to send no referrer', async () => {
    const response = await fetch(`${server.url}/api/atlases/x`)
    expect(response.headers.get('referrer-policy')).toBe('no-referrer')
  })

  it('explains that the client must be built when it is missing', async () => {
    const response = await fetch(`${server.url}/`)
    expect(response.status).toBe(503)
    expect(await response.text()).toContain('npm run build')
  })

  it('serves the built client with a fallback to index.html for pages', async () => {
    const clientDir = join(server.dataDir, 'client-build')
    await mkdir(join(clientDir, 'assets'), { recursive: true })
    await writeFile(join(clientDir, 'index.html'), '<!doctype html><title>Netwerkatlas</title>')
    await writeFile(join(clientDir, 'assets', 'main-abc123.js'), 'console.log(1)')
    const withClient = await startTestServer({
      dataDir: server.dataDir,
      env: { CLIENT_DIR: clientDir },
    })
    try {
      for (const path of ['/', '/atlas/AAAAAAAAAAAAAAAAAAAAAA', '/iets-anders']) {
        const page = await fetch(`${withClient.url}${path}`)
        expect(page.status).toBe(200)
        expect(await page.text()).toContain('<title>Netwerkatlas</title>')
        expect(page.headers.get('cache-control')).toBe('no-cache')
        expect(page.headers.get('referrer-policy')).toBe('no-referrer')
      }
      const asset = await fetch(`${withClient.url}/assets/main-abc123.js`)
      expect(asset.status).toBe(200)
      expect(asset.headers.get('content-type')).toMatch(/javascript/)
      expect(asset.headers.get('cache-control')).toContain('immutable')
      const missing = await fetch(`${withClient.url}/assets/gone.js`)
      expect(missing.status).toBe(404)
    } finally {
      await withClient.close()
    }
  })

  it('logs requests by path only, never a token', async () => {
    const atlas = await createAtlas(server.url)
    await getInfo(atlas.id, `Bearer ${atlas.editToken}`)
    await fetch(`${server.url}/atlas/${atlas.id}?token=${atlas.viewToken}`)
    const logs = server.logs.join('\n')
    expect(logs).toMatch(
      new RegExp(`http method=GET path=/api/atlases/${atlas.id} status=200 ms=\\d+`),
    )
    expect(logs).not.toContain(atlas.editToken)
    expect(logs).not.toContain(atlas.viewToken)
  })
})
