import { useState } from 'react'
import type { TLStore } from 'tldraw'
import type * as Y from 'yjs'
import type { AtlasAccess } from '../access/access'
import { type ConnectionState, worstConnection } from '../components/ConnectionStatus'
import { loadLocalUser } from '../lib/user'
import { useAtlasSync } from '../sync/useAtlasSync'
import { type Refusal, type SyncNotice, useSyncedDoc } from '../sync/useSyncedDoc'
import type { PlanView } from './planView'
import { usePlanView } from './usePlanView'

/** An atlas and its plan, open together, as the plan's screens need them. */
export interface AtlasWithPlan {
  /** The atlas's records (questions and persons), null until the device copy is read. */
  store: TLStore | null
  /** The plan document, null until the device copy is read. */
  plan: Y.Doc | null
  view: PlanView
  /** The worse of the two connections. */
  connection: ConnectionState
  /** Why the server stopped or slowed this device down, in either room. */
  notice: SyncNotice | null
  /** Entries left out of either document because they do not fit it. */
  skipped: number
  /** True once the server's plan has arrived at least once. */
  planSynced: boolean
}

/**
 * Opens an atlas and its plan (two rooms) for a screen of the plan: the plan, the basisteam. A
 * refusal of either room goes to `onRefused`, once per kind.
 */
export function useAtlasWithPlan(
  access: AtlasAccess,
  onRefused: (why: Refusal) => void,
): AtlasWithPlan {
  const [user] = useState(loadLocalUser)
  const atlas = useAtlasSync(access, user, onRefused)
  const plan = useSyncedDoc(access, 'plan', onRefused)
  const view = usePlanView(atlas.store, plan.doc, access.title)
  return {
    store: atlas.store,
    plan: plan.doc,
    view,
    connection: worstConnection(atlas.connection, plan.connection),
    notice: atlas.notice ?? plan.notice,
    skipped: atlas.skipped + plan.skipped,
    planSynced: plan.synced,
  }
}
