import { describe, expect, it } from 'vitest'
import { en } from '../en'
import { nl } from '../nl'
import { easyEn } from './en'
import { easyNl } from './nl'
import { keysOf, longSentences, MAX_WORDS_PER_SENTENCE, sentencesOf, wordCount } from './sentences'

describe('the easy-read catalogue', () => {
  it.each([
    ['nl', easyNl],
    ['en', easyEn],
  ])('%s: no sentence has more than 15 words', (_lang, catalogue) => {
    expect(longSentences(catalogue)).toEqual([])
  })

  it('finds a sentence over the limit, with its key', () => {
    const long = 'Dit is een zin met heel veel woorden die veel te lang is om makkelijk te lezen.'
    expect(wordCount(long)).toBeGreaterThan(MAX_WORDS_PER_SENTENCE)
    expect(longSentences({ a: { b: `Kort. ${long} Ook kort.` } })).toEqual([
      { key: 'a.b', sentence: long, words: wordCount(long) },
    ])
  })

  it('counts words as a reader sees them', () => {
    expect(sentencesOf('Kies Gebeurtenis. Tik dan op de lijn! Klaar?')).toEqual([
      'Kies Gebeurtenis.',
      'Tik dan op de lijn!',
      'Klaar?',
    ])
    expect(wordCount('Plan van {{name}} - nu.')).toBe(4)
  })

  it('has the same keys in English as in Dutch, each a key of the normal catalogue', () => {
    // i18next falls back to the Dutch easy text before the English normal one: a key in one easy
    // language only would show Dutch in the English screen.
    expect(keysOf(easyEn)).toEqual(keysOf(easyNl))
    const normal = new Set(keysOf(nl))
    const normalEn = new Set(keysOf(en))
    for (const key of keysOf(easyNl)) {
      expect(normal.has(key), key).toBe(true)
      expect(normalEn.has(key), key).toBe(true)
    }
  })
})
