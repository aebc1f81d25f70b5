import * as Y from 'yjs'
import { readAtlasFile } from '../../shared/api/atlasFile'
import { seedAtlasDoc } from '../../shared/domain/sampleAtlas'

/** Reads an atlas file and builds the Yjs state of the atlas it holds. */
export function atlasFileState(json: unknown) {
  const file = readAtlasFile(json)
  if (!file.ok) return file
  const doc = new Y.Doc()
  seedAtlasDoc(doc, file.records)
  const state = Y.encodeStateAsUpdate(doc)
  doc.destroy()
  return { ...file, state }
}
