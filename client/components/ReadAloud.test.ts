import { describe, expect, it } from 'vitest'
import { localVoiceFor, speechLanguage, speechPieces } from './ReadAloud'

describe('reading aloud', () => {
  it('cuts a long text at sentence ends into pieces a browser says whole', () => {
    const sentence = (n: number) => `Zin nummer ${n} gaat over iemand uit het netwerk van Sanne.`
    const text = Array.from({ length: 12 }, (_, i) => sentence(i + 1)).join(' ')
    const pieces = speechPieces(text)
    expect(pieces.length).toBeGreaterThan(2)
    for (const piece of pieces) {
      expect(piece.length).toBeLessThanOrEqual(200)
      expect(piece).toMatch(/^Zin nummer \d+ .*\.$/)
    }
    expect(pieces.join(' ')).toBe(text)
    expect(speechPieces('')).toEqual([])
    expect(speechPieces('Kort.')).toEqual(['Kort.'])
  })

  it('speaks Dutch as in the Netherlands, and English when the app is English', () => {
    expect(speechLanguage('nl')).toBe('nl-NL')
    expect(speechLanguage('en')).toBe('en-GB')
  })

  it('chooses a voice of the device itself, never an online one, in the language asked', () => {
    const online = { name: 'Google Nederlands', lang: 'nl-NL', localService: false }
    const flemish = { name: 'Ellen', lang: 'nl-BE', localService: true }
    const dutch = { name: 'Xander', lang: 'nl_NL', localService: true }
    const english = { name: 'Daniel', lang: 'en-GB', localService: true }
    expect(localVoiceFor([online, flemish, dutch, english], 'nl-NL')).toBe(dutch)
    expect(localVoiceFor([online, flemish, english], 'nl-NL')).toBe(flemish)
    expect(localVoiceFor([online, english], 'nl-NL')).toBeNull()
    expect(localVoiceFor([online, dutch, english], 'en-GB')).toBe(english)
    expect(localVoiceFor([], 'nl-NL')).toBeNull()
  })
})
