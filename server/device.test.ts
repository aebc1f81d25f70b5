import { describe, expect, it } from 'vitest'
import { deviceOf } from './device'

describe('deviceOf', () => {
  it('names a phone, a tablet and a computer by family, without versions', () => {
    expect(
      deviceOf(
        'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Mobile Safari/537.36',
      ),
    ).toEqual({ kind: 'phone', browser: 'Chrome', system: 'Android' })
    expect(
      deviceOf(
        'Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
      ),
    ).toEqual({ kind: 'tablet', browser: 'Safari', system: 'iPad' })
    expect(
      deviceOf(
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36 Edg/124.0',
      ),
    ).toEqual({ kind: 'computer', browser: 'Edge', system: 'Windows' })
  })

  it('says nothing it cannot tell', () => {
    expect(deviceOf(undefined)).toEqual({ kind: null, browser: null, system: null })
    expect(deviceOf('curl/8.5.0')).toEqual({ kind: null, browser: null, system: null })
  })
})
