import type { IncomingMessage } from 'node:http'
import { describe, expect, it } from 'vitest'
import { clientAddress } from './address'

function request(remoteAddress: string, forwarded?: string | string[]): IncomingMessage {
  return {
    socket: { remoteAddress },
    headers: forwarded === undefined ? {} : { 'x-forwarded-for': forwarded },
  } as unknown as IncomingMessage
}

describe('clientAddress', () => {
  it('is the peer, unless a trusted proxy says otherwise', () => {
    expect(clientAddress(request('::ffff:10.0.0.7', '1.2.3.4'), false)).toBe('10.0.0.7')
    expect(clientAddress(request('10.0.0.1', '6.6.6.6, 1.2.3.4'), true)).toBe('1.2.3.4')
    expect(clientAddress(request('10.0.0.1', ['6.6.6.6', '1.2.3.4 ']), true)).toBe('1.2.3.4')
    expect(clientAddress(request('10.0.0.1', ''), true)).toBe('10.0.0.1')
    expect(clientAddress(request('::1'), true)).toBe('::1')
  })
})
