import * as Y from 'yjs'
import { setAgreementText } from '../../shared/plan/actions'
import { AGREEMENTS_KEY, type AgreementTextField } from '../../shared/plan/layout'
import { mergeText } from '../../shared/sync/text'

/** What an agreement's text field holds in the document right now. */
function currentText(doc: Y.Doc, id: string, field: AgreementTextField): string | undefined {
  const fields = doc.getMap(AGREEMENTS_KEY).get(id)
  if (!(fields instanceof Y.Map)) return undefined
  const value = fields.get(field)
  return value instanceof Y.Text || typeof value === 'string' ? value.toString() : undefined
}

/**
 * Writes what a person typed into an agreement's text: `next` is his change to `shown`, the text
 * his screen showed. Another person's keys may have reached the document after the screen was
 * drawn; his change then goes on top of theirs, so neither is lost.
 */
export function writeAgreementText(
  doc: Y.Doc,
  id: string,
  field: AgreementTextField,
  shown: string,
  next: string,
): void {
  const current = currentText(doc, id, field)
  const merged = current === undefined || current === shown ? next : mergeText(shown, next, current)
  setAgreementText(doc, id, field, merged)
}
