import type { IncomingMessage } from 'node:http'

/**
 * The address a request comes from, for per-address limits. Behind a reverse proxy
 * (`trustProxy`) it is the last X-Forwarded-For entry, the one the proxy itself appended (any
 * earlier ones are the client's word); otherwise the socket's peer. IPv4 in IPv6 form is
 * written as IPv4, so one client has one address.
 */
export function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  let address = req.socket.remoteAddress ?? 'unknown'
  if (trustProxy) {
    const header = req.headers['x-forwarded-for']
    const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? ''))
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean)
      .pop()
    if (forwarded) address = forwarded
  }
  return address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address
}
