import type { AtlasPerson } from '../schema/person'
import type { AtlasPoster, AtlasQuestion } from '../schema/poster'

/**
 * The record fields that hold long free text, by record type. In the doc each is a Y.Text, merged
 * character by character (two people typing in one field both keep their text); every other field
 * is one JSON value, last writer wins. Top-level fields only: a shape's `props` is one value, so
 * texts inside it (an event's description, a relation's contactBrings) are not listed.
 * Type-only imports: the server reads records without loading the tldraw schema.
 */
export const LONG_TEXT_FIELDS = {
  poster: ['story', 'goesWell', 'wishes'],
  question: ['text'],
  person: ['note'],
} as const satisfies {
  poster: readonly (keyof AtlasPoster)[]
  question: readonly (keyof AtlasQuestion)[]
  person: readonly (keyof AtlasPerson)[]
}

const byType: ReadonlyMap<string, ReadonlySet<string>> = new Map(
  Object.entries(LONG_TEXT_FIELDS).map(([type, fields]) => [type, new Set<string>(fields)]),
)

/** Whether field `key` of a record of type `typeName` is a long text (a Y.Text in the doc). */
export function isLongTextField(typeName: unknown, key: string): boolean {
  return typeof typeName === 'string' && byType.get(typeName)?.has(key) === true
}
