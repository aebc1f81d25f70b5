import { describe, expect, it } from 'vitest'
import { parseSyncTarget } from './target'

const ID = 'AAAAAAAAAAAAAAAAAAAAAA'
const TOKEN = 'b'.repeat(43)

describe('parseSyncTarget', () => {
  it('reads the atlas id and the token of a sync target', () => {
    expect(parseSyncTarget(`/sync/${ID}?token=${TOKEN}`)).toEqual({
      atlasId: ID,
      doc: 'atlas',
      token: TOKEN,
    })
    expect(parseSyncTarget(`/sync/${ID}?a=1&token=x%2By`)).toEqual({
      atlasId: ID,
      doc: 'atlas',
      token: 'x+y',
    })
    expect(parseSyncTarget(`/sync/${ID}`)).toEqual({ atlasId: ID, doc: 'atlas', token: null })
    expect(parseSyncTarget(`/sync/${ID}/plan?token=${TOKEN}`)).toEqual({
      atlasId: ID,
      doc: 'plan',
      token: TOKEN,
    })
    // The session answers an id that is none like an unknown one.
    expect(parseSyncTarget('/sync/a/b?token=')).toEqual({ atlasId: 'a/b', doc: 'atlas', token: '' })
  })

  it('reads the protocol a client speaks and its build, when it says them', () => {
    expect(parseSyncTarget(`/sync/${ID}?token=${TOKEN}&v=1&app=0.1.0`)).toEqual({
      atlasId: ID,
      doc: 'atlas',
      token: TOKEN,
      protocol: 1,
      app: '0.1.0',
    })
    // A version that is no whole number above 0 is one the server does not serve.
    for (const v of ['0', 'x', '-1', '1.5', '', '1e3']) {
      expect(parseSyncTarget(`/sync/${ID}?token=${TOKEN}&v=${v}`)).toMatchObject({ protocol: 0 })
    }
    // A build name that is not plain is left out (it goes into the log).
    expect(parseSyncTarget(`/sync/${ID}?token=${TOKEN}&app=a%20b`)).not.toHaveProperty('app')
    expect(parseSyncTarget(`/sync/${ID}?token=${TOKEN}&app=${'a'.repeat(41)}`)).not.toHaveProperty(
      'app',
    )
  })

  it('refuses targets that are no origin-form target with 400, and never throws', () => {
    for (const target of [
      '//[',
      '*',
      '',
      undefined,
      `http://x/sync/${ID}`,
      '/%',
      '/%zz',
      `/sync/${ID}?token=%`,
      `/sync/${ID}#token=${TOKEN}`,
      '/sync/\\x',
      '/sync/[x]',
      '/sync/\u00e9',
      '/sync/a b',
    ]) {
      expect(parseSyncTarget(target), JSON.stringify(target)).toEqual({ refuse: 400 })
    }
  })

  it('answers other paths with 404, also ones the URL parser reads as a host', () => {
    for (const target of ['/', '/sync', '/api/atlases', `//host/sync/${ID}`, '/synchronise/x']) {
      expect(parseSyncTarget(target), target).toEqual({ refuse: 404 })
    }
  })
})
