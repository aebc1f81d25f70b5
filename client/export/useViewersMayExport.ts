import { useEffect, useState } from 'react'
import type * as Y from 'yjs'
import { META_KEY } from '../../shared/sync/layout'
import { viewersMayExport } from '../../shared/sync/settings'

/** Whether people with the view link may export, kept up to date as editors change it. */
export function useViewersMayExport(doc: Y.Doc): boolean {
  const [allowed, setAllowed] = useState(() => viewersMayExport(doc))
  useEffect(() => {
    const meta = doc.getMap(META_KEY)
    const update = () => setAllowed(viewersMayExport(doc))
    update()
    meta.observe(update)
    return () => meta.unobserve(update)
  }, [doc])
  return allowed
}
