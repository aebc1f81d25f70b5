/**
 * Hocuspocus (`@hocuspocus/server`) with its defaults, plus a read-only seed loader: a document
 * whose `<SEED_DIR>/<name>.bin` exists starts with that Yjs state (for the cold-load workload), and
 * `PUT /close/<name>` (for W7).
 * Prints `listening on <port>` once ready.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Server } from '@hocuspocus/server'
import * as Y from 'yjs'

const seedDir = process.env.SEED_DIR

const server = new Server({
  port: 0,
  address: '127.0.0.1',
  quiet: true,
  stopOnSignals: false,
  // For W7: `PUT /close/<name>` closes every connection of a document at once.
  async onRequest({ request, response, instance }) {
    const close = request.method === 'PUT' ? /^\/close\/([^/?]+)$/.exec(request.url ?? '') : null
    if (!close?.[1]) return
    instance.closeConnections(close[1])
    response.writeHead(204)
    response.end()
    // Ends the hook chain: the default answer is not written.
    throw null
  },
  async onLoadDocument({ documentName, document }) {
    if (!seedDir) return
    const started = performance.now()
    let state: Buffer
    try {
      state = await readFile(join(seedDir, `${documentName}.bin`))
    } catch {
      return
    }
    Y.applyUpdate(document, state)
    process.stdout.write(`loaded ${documentName} ms=${(performance.now() - started).toFixed(2)}\n`)
  },
})
await server.listen()
process.stdout.write(`listening on ${server.address.port}\n`)
process.once('SIGTERM', () => process.exit(0))
