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

/** The part of a voice the choice needs (the browser's SpeechSynthesisVoice). */
type Voice = Pick<SpeechSynthesisVoice, 'lang' | 'localService'>

/**
 * The voice to read `lang` (e.g. `nl-NL`) with: one that runs on the device (`localService`),
 * never one of the browser's online voices, which send the text to a speech service; the
 * language's own region first, then any of its regions. Null when the device has none.
 */
export function localVoiceFor<V extends Voice>(voices: readonly V[], lang: string): V | null {
  const local = voices.filter((v) => v.localService)
  const norm = (v: Voice) => v.lang.replace('_', '-').toLowerCase()
  const base = lang.slice(0, 2).toLowerCase()
  return (
    local.find((v) => norm(v) === lang.toLowerCase()) ??
    local.find((v) => norm(v).split('-')[0] === base) ??
    null
  )
}

/** The device's own voice for `lang`, following the browser as it loads its voices. */
function useLocalVoice(lang: string): SpeechSynthesisVoice | null {
  const [voice, setVoice] = useState<SpeechSynthesisVoice | null>(null)
  useEffect(() => {
    if (!canSpeak()) return
    const synthesis = window.speechSynthesis
    const choose = () => setVoice(localVoiceFor(synthesis.getVoices(), lang))
    choose()
    // Browsers load their voices after the page: the list comes with this event.
    synthesis.addEventListener?.('voiceschanged', choose)
    return () => synthesis.removeEventListener?.('voiceschanged', choose)
  }, [lang])
  return voice
}

/**
 * A speaker button that reads `text` aloud on the device, with a voice of the device itself in
 * the app's language (Dutch, or English when the UI is English): nothing leaves the device, so
 * the browser's online voices are never used. While it speaks it is a stop button. Not shown
 * where the browser cannot speak or the device has no voice of its own for the language.
 */
export function ReadAloud({ text, className }: { text: string; className?: string }) {
  const { t, i18n } = useTranslation()
  const [speaking, setSpeaking] = useState(false)
  const lang = speechLanguage(i18n.language)
  const voice = useLocalVoice(lang)
  const available = canSpeak()
  // Leaving the screen (or the map) stops the voice.
  useEffect(() => {
    if (!available) return
    return () => window.speechSynthesis.cancel()
  }, [available])
  if (!available || !voice) return null

  const speak = () => {
    const synthesis = window.speechSynthesis
    synthesis.cancel()
    const pieces = speechPieces(text)
    if (pieces.length === 0) return
    pieces.forEach((piece, i) => {
      const utterance = new SpeechSynthesisUtterance(piece)
      utterance.lang = lang
      utterance.voice = voice
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
