import { useEffect, useState } from 'react'
import { fetchAtlasInfo } from '../lib/api'
import type { PlanAccess } from './api'

/**
 * The id of this page's own link, as the server tells it (null until known, or when it cannot be
 * asked): a professional's page finds his own piketpaaltjes by it.
 */
export function useOwnLinkId(access: PlanAccess, ask = true): string | null {
  const [linkId, setLinkId] = useState<string | null>(null)
  useEffect(() => {
    if (!ask) return
    let live = true
    fetchAtlasInfo(access.id, access.token).then(
      (info) => live && setLinkId(info.linkId),
      () => {},
    )
    return () => {
      live = false
    }
  }, [access.id, access.token, ask])
  return linkId
}
