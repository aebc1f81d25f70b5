import type * as Y from 'yjs'
import { atlasFileName, buildAtlasFile } from '../../shared/api/atlasFile'

/** Lets the browser download the whole atlas as an atlas file (`<title>.netwerkatlas`). */
export function downloadAtlasFile(doc: Y.Doc, title: string): void {
  const file = buildAtlasFile(doc, title)
  const blob = new Blob([JSON.stringify(file)], { type: 'application/json' })
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = atlasFileName(title)
  link.rel = 'noopener'
  document.body.append(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}
