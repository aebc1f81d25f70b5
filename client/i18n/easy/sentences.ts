/** Most words a sentence of the easy-read catalogue may have (B1, easy-read guidance). */
export const MAX_WORDS_PER_SENTENCE = 15

/** The sentences of a text: cut after `.`, `!` or `?` (and an ellipsis) followed by a space or the end. */
export function sentencesOf(text: string): string[] {
  return text
    .split(/(?<=[.!?…])\s+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
}

/** The number of words of a sentence; a placeholder such as `{{name}}` is one word. */
export function wordCount(sentence: string): number {
  return sentence.split(/\s+/).filter((w) => /[\p{L}\p{N}{]/u.test(w)).length
}

/** A sentence of a catalogue that is too long, with the key it stands under. */
export interface LongSentence {
  key: string
  sentence: string
  words: number
}

/** Every sentence in `catalogue` (nested objects of strings) with more than `max` words. */
export function longSentences(
  catalogue: object,
  max: number = MAX_WORDS_PER_SENTENCE,
  prefix = '',
): LongSentence[] {
  const found: LongSentence[] = []
  for (const [key, value] of Object.entries(catalogue)) {
    const path = prefix ? `${prefix}.${key}` : key
    if (typeof value === 'string') {
      for (const sentence of sentencesOf(value)) {
        const words = wordCount(sentence)
        if (words > max) found.push({ key: path, sentence, words })
      }
    } else if (value && typeof value === 'object') {
      found.push(...longSentences(value, max, path))
    }
  }
  return found
}

/** The keys of a catalogue's strings, dotted, in order. */
export function keysOf(catalogue: object, prefix = ''): string[] {
  return Object.entries(catalogue).flatMap(([key, value]) => {
    const path = prefix ? `${prefix}.${key}` : key
    return typeof value === 'string' ? [path] : keysOf(value as object, path)
  })
}
