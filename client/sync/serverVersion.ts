import { SERVER_VERSION_PATH, ServerVersion } from '../../shared/api/serverVersion'
import { atlasSchema } from '../../shared/schema'
import { SYNC_PROTOCOL } from '../../shared/sync/layout'
import { isNewerSchema } from './bridge'

/** How long a page waits for the server's versions before it opens the atlas as it would without. */
const VERSION_WAIT_MS = 3000

/**
 * The versions the server serves, or null when it cannot say: no network, no answer in time, or
 * a server from before `GET /api/version` (it answers 404; such a server refuses a write it cannot
 * store with 4422, which the page shows in words).
 */
export async function fetchServerVersion(): Promise<ServerVersion | null> {
  try {
    const response = await fetch(SERVER_VERSION_PATH, {
      cache: 'no-store',
      signal: AbortSignal.timeout(VERSION_WAIT_MS),
    })
    if (!response.ok) return null
    const parsed = ServerVersion.safeParse(await response.json())
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}

/**
 * Whether this page is newer than its server: the server stores an older record schema, or speaks
 * an older protocol. It would refuse (or misread) what this page writes, so the page only looks.
 */
export function isServerOlder(server: ServerVersion): boolean {
  return server.protocol < SYNC_PROTOCOL || isNewerSchema(atlasSchema.serialize(), server.schema)
}
