import { useEffect, useState } from 'react'
import type * as Y from 'yjs'
import { type AtlasContent, readAtlasContent } from '../../shared/domain/content'

/** The content of an atlas that holds nothing (yet). */
export const EMPTY_CONTENT: AtlasContent = {
  client: null,
  persons: [],
  relations: [],
  events: [],
  questions: [],
  poster: { story: '', goesWell: '', wishes: '' },
  contacts: [],
  skipped: [],
}

/** Longest a change of the atlas waits before the meeting reads the atlas again. */
const READ_EVERY_MS = 150

/**
 * The atlas's structured content (persons, questions), read again after changes. Reading the
 * whole atlas costs more than a change does, and someone may be drawing on the maps during the
 * meeting: changes that come quickly after each other are read once.
 */
export function useAtlasContent(doc: Y.Doc | null): AtlasContent {
  const [content, setContent] = useState<AtlasContent>(EMPTY_CONTENT)
  useEffect(() => {
    if (!doc) {
      setContent(EMPTY_CONTENT)
      return
    }
    const read = () => {
      try {
        setContent(readAtlasContent(doc))
      } catch {
        // An atlas written by a newer version: the meeting goes on with what it read before.
      }
    }
    read()
    let timer: ReturnType<typeof setTimeout> | null = null
    const later = () => {
      if (timer) return
      timer = setTimeout(() => {
        timer = null
        read()
      }, READ_EVERY_MS)
    }
    doc.on('afterTransaction', later)
    return () => {
      doc.off('afterTransaction', later)
      if (timer) clearTimeout(timer)
    }
  }, [doc])
  return content
}
