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
