import { useEffect, useState } from 'react'
import { fetchAtlasInfo } from '../lib/api'
import type { PlanAccess } from './api'

/**
 * The id of this page's own link, as the server tells it (null until known, or when it cannot be
 * asked): a professional's page finds his own piketpaaltjes by it.
 */
export function useOwnLinkId(access: PlanAccess & { linkId?: string }, ask = true): string | null {
  const [linkId, setLinkId] = useState<string | null>(access.linkId ?? null)
  useEffect(() => {
    // Known from when the page opened its link: nothing to ask.
    if (!ask || access.linkId) return
    let live = true
    fetchAtlasInfo(access.id, access.token).then(
      (info) => live && setLinkId(info.linkId),
      () => {},
    )
    return () => {
      live = false
    }
  }, [access.id, access.token, access.linkId, ask])
  return linkId
}
