/**
 * Hocuspocus (`@hocuspocus/server`) with its defaults, plus a read-only seed loader: a document
 * whose `<SEED_DIR>/<name>.bin` exists starts with that Yjs state (for the cold-load workload).
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
