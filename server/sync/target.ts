/**
 * The request target of a sync handshake, read without the URL parser (which throws on targets
 * such as `//[`, and reads `//host/sync/…` as a host): only origin-form targets (RFC 3986 path
 * and query characters, valid percent escapes) are accepted.
 */

const PATH_CHAR = "[A-Za-z0-9\\-._~!$&'()*+,;=:@/]|%[0-9A-Fa-f]{2}"
const ORIGIN_FORM = new RegExp(`^/(?:${PATH_CHAR})*(?:\\?(?:${PATH_CHAR}|\\?)*)?$`)
const SYNC_PREFIX = '/sync/'

/** What an upgrade request asks for: a sync socket, or the status that refuses it. */
export type SyncTarget =
  | {
      atlasId: string
      doc: 'atlas' | 'plan'
      token: string | null
      /** The protocol the client says it speaks (`v`), when it says one; 0 for one unreadable. */
      protocol?: number
      /** The build of the app the client says it runs (`app`), when it is a plain short name. */
      app?: string
    }
  | { refuse: 400 | 404 }

/**
 * Reads `/sync/<atlasId>?token=…` (the atlas) and `/sync/<atlasId>/plan?token=…` (its plan), and
 * the protocol version `v=…` a client may add. A
 * target that is not a valid origin-form target is refused with 400, any other path with 404.
 * The atlas id is not checked here: the session answers an invalid one like an unknown one.
 */
export function parseSyncTarget(target: string | undefined): SyncTarget {
  if (target === undefined || !ORIGIN_FORM.test(target)) return { refuse: 400 }
  const query = target.indexOf('?')
  const path = query < 0 ? target : target.slice(0, query)
  if (!path.startsWith(SYNC_PREFIX)) return { refuse: 404 }
  // URLSearchParams never throws; a bad escape stays as it is and is no valid token.
  const params = query < 0 ? null : new URLSearchParams(target.slice(query + 1))
  const token = params?.get('token') ?? null
  const version = params?.get('v') ?? null
  const app = params?.get('app') ?? null
  const rest = path.slice(SYNC_PREFIX.length)
  const plan = rest.endsWith('/plan')
  return {
    atlasId: plan ? rest.slice(0, -'/plan'.length) : rest,
    doc: plan ? 'plan' : 'atlas',
    token,
    ...(version === null
      ? {}
      : { protocol: /^[1-9][0-9]{0,5}$/.test(version) ? Number(version) : 0 }),
    // Only a plain name goes into the log; anything else is left out.
    ...(app !== null && /^[A-Za-z0-9._-]{1,40}$/.test(app) ? { app } : {}),
  }
}
