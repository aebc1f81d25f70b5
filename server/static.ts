import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { extname, join } from 'node:path'
import { serveStatic } from '@hono/node-server/serve-static'
import type { MiddlewareHandler } from 'hono'

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Netwerkatlas</title></head>
<body><h1>Netwerkatlas</h1>
<p>The client has not been built yet. Run <code>npm run build</code> (or <code>npm start</code>), then reload this page.</p>
</body></html>
`

/**
 * Serves the built client from `clientDir`: files as they are (hashed assets cached for a year,
 * everything else revalidated), and `index.html` for every page path so the client's router
 * decides. Without a build it answers 503 with what to do.
 */
export function clientFiles(clientDir: string): MiddlewareHandler {
  const indexPath = join(clientDir, 'index.html')
  let files: MiddlewareHandler | undefined
  return async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next()
    if (!existsSync(indexPath)) return c.html(NOT_BUILT, 503, { 'Cache-Control': 'no-store' })
    files ??= serveStatic({
      root: clientDir,
      onFound: (_path, c) => {
        const immutable = c.req.path.startsWith('/assets/')
        c.header('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
      },
    })
    const served = await files(c, async () => {})
    if (served) return served
    // A missing file is a 404; any other path is a page of the client.
    if (c.req.path.startsWith('/assets/') || extname(c.req.path) !== '') {
      return c.text('Not found', 404)
    }
    return c.html(await readFile(indexPath, 'utf8'), 200, { 'Cache-Control': 'no-cache' })
  }
}
