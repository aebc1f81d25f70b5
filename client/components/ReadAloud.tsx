import { Square, Volume2 } from 'lucide-react'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'

/** The speech language for a UI language: Dutch as spoken in the Netherlands, or English. */
export function speechLanguage(language: string): string {
  return language.startsWith('en') ? 'en-GB' : 'nl-NL'
}

/** Whether this browser can speak on the device (it has the Web Speech API's synthesis). */
export function canSpeak(): boolean {
  return (
    typeof window !== 'undefined' &&
    typeof window.speechSynthesis?.speak === 'function' &&
    typeof window.SpeechSynthesisUtterance === 'function'
  )
}

/** Longest piece said in one utterance: some browsers stop a long one after about 15 seconds. */
const PIECE_CHARS = 200

/** A text cut at sentence ends into pieces of at most about PIECE_CHARS characters. */
export function speechPieces(text: string): string[] {
  const sentences = text.match(/[^.!?]+[.!?]*\s*/g) ?? []
  const pieces: string[] = []
  let piece = ''
  for (const sentence of sentences) {
    if (piece && piece.length + sentence.length > PIECE_CHARS) {
      pieces.push(piece.trim())
      piece = ''
    }
    piece += sentence
  }
  if (piece.trim()) pieces.push(piece.trim())
  return pieces
}

/**
 * A speaker button that reads `text` aloud with the device's own speech synthesis (nothing
 * leaves the device), in a Dutch voice when the device has one (English when the UI is English);
 * while it speaks it is a stop button. Not shown where the browser cannot speak.
 */
export function ReadAloud({ text, className }: { text: string; className?: string }) {
  const { t, i18n } = useTranslation()
  const [speaking, setSpeaking] = useState(false)
  const available = canSpeak()
  // Leaving the screen (or the map) stops the voice.
  useEffect(() => {
    if (!available) return
    return () => window.speechSynthesis.cancel()
  }, [available])
  if (!available) return null

  const speak = () => {
    const synthesis = window.speechSynthesis
    synthesis.cancel()
    const lang = speechLanguage(i18n.language)
    const base = lang.slice(0, 2)
    const voices = synthesis.getVoices()
    const voice =
      voices.find((v) => v.lang.replace('_', '-') === lang) ??
      voices.find((v) => v.lang.toLowerCase().startsWith(base))
    const pieces = speechPieces(text)
    if (pieces.length === 0) return
    pieces.forEach((piece, i) => {
      const utterance = new SpeechSynthesisUtterance(piece)
      utterance.lang = lang
      if (voice) utterance.voice = voice
      if (i === pieces.length - 1) {
        utterance.onend = () => setSpeaking(false)
        utterance.onerror = () => setSpeaking(false)
      }
      synthesis.speak(utterance)
    })
    setSpeaking(true)
  }
  const stop = () => {
    window.speechSynthesis.cancel()
    setSpeaking(false)
  }

  return (
    <button
      type="button"
      className={['button', 'read-aloud', className].filter(Boolean).join(' ')}
      onClick={speaking ? stop : speak}
      title={speaking ? t('mapText.stop') : t('mapText.readAloud')}
      data-speaking={speaking}
    >
      {speaking ? (
        <Square aria-hidden="true" size={20} />
      ) : (
        <Volume2 aria-hidden="true" size={20} />
      )}
      {speaking ? t('mapText.stop') : t('mapText.readAloud')}
    </button>
  )
}
