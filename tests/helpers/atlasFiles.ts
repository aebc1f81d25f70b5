/**
 * Atlas files for the import attacks of issue 18, shared by the security tests and the bench's
 * attacker process: the sample atlas, a valid file of any size, and a file of `0,` records.
 */
import * as Y from 'yjs'
import { type AtlasFile, buildAtlasFile } from '../../shared/api/atlasFile'
import { buildSampleAtlas, seedAtlasDoc } from '../../shared/domain/sampleAtlas'

/** The sample atlas as an exported atlas file. */
export function sampleFile(): AtlasFile {
  const doc = new Y.Doc()
  seedAtlasDoc(doc, buildSampleAtlas())
  return buildAtlasFile(doc, 'Voorbeeldatlas')
}

/**
 * A valid atlas file of about `bytes`: the sample atlas with its geo shapes copied under new ids
 * (every copy a real shape, so the server builds and stores them all).
 */
export function largeFile(bytes: number): string {
  const file = sampleFile()
  const shapes = file.records.filter((r) => r.typeName === 'shape')
  const records = [...file.records]
  let size = JSON.stringify(file).length
  for (let i = 0; size < bytes; i++) {
    const shape = shapes[i % shapes.length] as AtlasFile['records'][number]
    const copy = { ...shape, id: `shape:copy${i}` }
    records.push(copy)
    size += JSON.stringify(copy).length + 1
  }
  return JSON.stringify({ ...file, records })
}

/** An atlas file whose records are `count` zeros (issue 18: 20 MB of `0,` took 94 s). */
export function zerosFile(count: number): string {
  const schema = JSON.stringify(sampleFile().schema)
  return `{"format":"netwerkatlas","version":1,"exportedAt":"x","title":"t","schema":${schema},"content":null,"records":[${'0,'.repeat(count - 1)}0]}`
}
