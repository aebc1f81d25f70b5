import type { PlanSource } from '../../shared/api/atlasFile'
import { fetchVersions } from '../lib/api'
import { connectDoc, type DocAccess, type Refusal } from './useSyncedDoc'

/** Longest wait for the server's copy of the plan before the device's own copy is used. */
const PLAN_WAIT_MS = 10_000

/**
 * How complete the plan in an atlas file is: `complete` (the server's plan and versions),
 * `local` (the server could not be reached: this device's copy of the plan, no versions), or
 * `refused` (this link may not see the plan now, e.g. a professional during privétijd: no plan).
 */
export type PlanCompleteness = 'complete' | 'local' | 'refused'

/**
 * Opens the plan beside an atlas for as long as `use` runs: its document (this device's copy,
 * brought up to date by the server) and its versions. The atlas page does not keep the plan
 * open, and an export must not leave out what the basisteam wrote.
 */
export async function withPlan<T>(
  access: DocAccess,
  use: (plan: PlanSource | null) => T,
): Promise<{ value: T; plan: PlanCompleteness }> {
  let refused: Refusal | null = null
  let settle: () => void = () => {}
  const answered = new Promise<void>((resolve) => {
    settle = resolve
  })
  const opened = connectDoc(access, 'plan', {
    refused(why) {
      refused = why
      settle()
    },
    connection(_state, synced) {
      if (synced) settle()
    },
  })
  // A browser that knows it is offline need not wait for a server it cannot reach.
  if (!navigator.onLine) settle()
  let timer: ReturnType<typeof setTimeout> | undefined
  try {
    await opened.local.whenSynced
    await Promise.race([
      answered,
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, PLAN_WAIT_MS)
      }),
    ])
    if (refused !== null) return { value: use(null), plan: 'refused' }
    const versions = opened.provider.synced
      ? await fetchVersions(access.id, access.token).catch(() => null)
      : null
    if (versions === null) {
      return { value: use({ doc: opened.doc, versions: [] }), plan: 'local' }
    }
    return { value: use({ doc: opened.doc, versions }), plan: 'complete' }
  } finally {
    clearTimeout(timer)
    opened.close()
  }
}
