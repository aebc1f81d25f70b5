/** Why the sync server ends a connection because of what it sent. */

/** A message that does not follow the protocol. Its text names the problem, never the data. */
export class MalformedMessageError extends Error {
  override name = 'MalformedMessageError'
}

/**
 * A message the server understood and will not take: the connection is closed with `code` and
 * `reason` (a short text for the client; `why` for the log).
 */
export class SyncRefusal extends Error {
  override name = 'SyncRefusal'

  constructor(
    readonly code: number,
    readonly reason: string,
    readonly why: string,
  ) {
    super(why)
  }
}
