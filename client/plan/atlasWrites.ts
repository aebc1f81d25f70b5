import { getIndexAbove, type IndexKey, type TLStore, uniqueId } from 'tldraw'
import { defaultPersonProperties, personId } from '../../shared/schema/person'
import type { AtlasQuestion } from '../../shared/schema/poster'

/**
 * What the plan screen changes in the atlas itself, through the atlas's store (the bridge writes it
 * into the atlas document, so the maps and the basisposter show it at once).
 */

/** Changes a question of the basisposter (a heading of the plan). */
export function updateQuestionText(store: TLStore, id: string, text: string): void {
  const question = store.get(id as AtlasQuestion['id'])
  if (question && question.text !== text) store.put([{ ...question, text }])
}

/** Adds an empty question after the last one (`lastIndex`); returns its id. */
export function addQuestion(store: TLStore, lastIndex: string | undefined): string {
  const question: AtlasQuestion = {
    id: `question:${uniqueId()}` as AtlasQuestion['id'],
    typeName: 'question',
    text: '',
    index: getIndexAbove((lastIndex ?? null) as IndexKey | null),
  }
  store.put([question])
  return question.id
}

/** Adds a person to the atlas (he stands in the Mensen list, on no map yet); returns his id. */
export function addPerson(store: TLStore, name: string): string {
  const id = personId(uniqueId())
  store.put([{ ...defaultPersonProperties(), name, id, typeName: 'person' }])
  return id
}
