/**
 * Builds the sample atlas (Sanne and her network) on a running server, through the real API and
 * a real y-websocket client, and prints its edit link.
 * Run: `npx tsx tests/tools/build-sample-atlas.ts http://127.0.0.1:PORT`
 */
import { buildSampleAtlas, SAMPLE_ATLAS_TITLE, seedAtlasDoc } from '../../shared/domain/sampleAtlas'
import { RecordsMap } from '../../shared/sync/records'
import { createAtlas, syncedClient, waitFor } from '../helpers/clients'

const base = (process.argv[2] ?? '').replace(/\/+$/, '')
if (!/^https?:\/\/[^/]+$/.test(base)) {
  console.error('usage: npx tsx tests/tools/build-sample-atlas.ts http://127.0.0.1:PORT')
  process.exit(2)
}
const wsUrl = `${base.replace(/^http/, 'ws')}/sync`

const atlas = await createAtlas(base, SAMPLE_ATLAS_TITLE)
const records = buildSampleAtlas()
const writer = await syncedClient(wsUrl, atlas.id, atlas.editToken)
try {
  if (!seedAtlasDoc(writer.doc, records)) throw new Error('the new atlas was not empty')
  // A second, fresh client proves the server holds the whole sample.
  await waitFor(
    async () => {
      const reader = await syncedClient(wsUrl, atlas.id, atlas.editToken)
      const stored = new RecordsMap(reader.doc).size
      reader.destroy()
      return stored === records.length
    },
    'the server to hold the sample atlas',
    15_000,
  )
} finally {
  writer.destroy()
}
console.log(`${SAMPLE_ATLAS_TITLE}: ${records.length} records`)
console.log(`edit link: ${base}${atlas.editUrl}`)
console.log(`view link: ${base}${atlas.viewUrl}`)
process.exit(0)
