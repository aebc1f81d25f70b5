import { describe, expect, it } from 'vitest'
import { errorKind, errorSite, loggedPath } from './log'

function thrower(message: string): Error {
  return new TypeError(message)
}

describe('what a log line may say about an error', () => {
  it('names the kind and the first frame, never the message', () => {
    const error = thrower('token=abc in the data')
    expect(errorKind(error)).toBe('TypeError')
    const site = errorSite(error)
    expect(site).toMatch(/^thrower \(server\/log\.test\.ts:\d+:\d+\)$/)
    expect(site).not.toContain('abc')
  })

  it('does not take a message line that looks like a frame for one', () => {
    const error = thrower('first line\n    at secret (content)')
    expect(errorSite(error)).toMatch(/^thrower /)
    error.message = 'changed\n    at secret (content)'
    expect(errorSite(error)).toBeUndefined()
    expect(errorSite('not an error')).toBeUndefined()
  })

  it('cuts a long path', () => {
    expect(loggedPath('/api/atlases')).toBe('/api/atlases')
    expect(loggedPath(`/${'x'.repeat(500)}`)).toHaveLength(121)
  })
})
