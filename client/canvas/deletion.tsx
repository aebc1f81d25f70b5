import { Trash2 } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import {
  type Atom,
  atom,
  type Editor,
  type TLRecord,
  type TLShapeId,
  useEditor,
  useToasts,
  useValue,
} from 'tldraw'
import { Dialog } from '../components/Dialog'
import { useEasyRead } from '../easyRead/state'

/** What a deletion would take away, counted the way people see it on the map. */
export interface DeletionCount {
  persons: number
  relations: number
  events: number
  drawings: number
}

/**
 * Counts what deleting these shapes takes away: the persons, the relations (chosen ones and the
 * ones that go with a chosen person), the events and everything else.
 */
export function countDeletion(editor: Editor, ids: readonly TLShapeId[]): DeletionCount {
  const count: DeletionCount = { persons: 0, relations: 0, events: 0, drawings: 0 }
  const relations = new Set<TLShapeId>()
  for (const id of ids) {
    const shape = editor.getShape(id)
    if (!shape) continue
    if (shape.type === 'person') {
      count.persons++
      for (const binding of editor.getBindingsToShape(id, 'relation-end')) {
        relations.add(binding.fromId)
      }
    } else if (shape.type === 'relation') relations.add(id)
    else if (shape.type === 'event') count.events++
    else count.drawings++
  }
  count.relations = relations.size
  return count
}

/** Whether a deletion is "in bulk": more than one person or relation goes at once. */
export function isBulkDeletion(count: DeletionCount): boolean {
  return count.persons + count.relations >= 2
}

interface PendingDeletion {
  count: DeletionCount
  proceed: () => void
}

const pending = new WeakMap<Editor, Atom<PendingDeletion | null>>()
function pendingOf(editor: Editor): Atom<PendingDeletion | null> {
  let a = pending.get(editor)
  if (!a) {
    a = atom<PendingDeletion | null>('pending deletion', null)
    pending.set(editor, a)
  }
  return a
}

/**
 * Runs a deletion of the selection (Delete, Cut) at once when it is small, and asks first when
 * it takes several persons or relations away (`DeletionConfirm` shows the question).
 */
export function deleteSelectionAfterAsking(editor: Editor, proceed: () => void): void {
  const count = countDeletion(editor, editor.getSelectedShapeIds())
  if (isBulkDeletion(count)) pendingOf(editor).set({ count, proceed })
  else proceed()
}

/** "3 personen en 2 relaties": the parts of a count that are not zero, in the UI language. */
function useDescribe(): (count: DeletionCount) => string {
  const { t } = useTranslation()
  return (count) => {
    const parts = (['persons', 'relations', 'events', 'drawings'] as const)
      .filter((part) => count[part] > 0)
      .map((part): string => t(`deletion.${part}`, { count: count[part] }))
    const last = parts.pop() ?? ''
    return parts.length === 0 ? last : t('deletion.list', { first: parts.join(', '), last })
  }
}

/**
 * The question before a bulk deletion, and after it a notice that can put everything back.
 * Putting back writes the deleted records again, so it works whatever was done since; only the
 * person who deleted sees it. Ctrl+Z works as well.
 */
export function DeletionConfirm() {
  const editor = useEditor()
  const { t } = useTranslation()
  const { addToast } = useToasts()
  const easy = useEasyRead()
  const describe = useDescribe()
  const $pending = pendingOf(editor)
  const current = useValue($pending)
  if (!current) return null
  const what = describe(current.count)
  const close = () => $pending.set(null)
  const confirm = () => {
    close()
    const before = editor.store.serialize('document')
    current.proceed()
    const removed = Object.values(before).filter((r) => !editor.store.has(r.id)) as TLRecord[]
    if (removed.length === 0) return
    addToast({
      title: t('deletion.done', { what }),
      severity: 'info',
      // Easy-read has no time-outs: the notice stays until it is closed.
      keepOpen: easy,
      actions: [
        {
          label: t('deletion.putBack'),
          type: 'primary',
          onClick: () => putBack(editor, removed),
        },
      ],
    })
  }
  return (
    <Dialog title={t('deletion.title', { what })} onClose={close}>
      <div className="stack" data-testid="deletion-confirm">
        <p>{t(current.count.persons > 0 ? 'deletion.textPersons' : 'deletion.text')}</p>
        <div className="actions">
          <button
            type="button"
            className="button"
            // biome-ignore lint/a11y/noAutofocus: the safe choice takes the focus in a confirm dialog
            autoFocus
            onClick={close}
          >
            {t('deletion.keep')}
          </button>
          <button type="button" className="button danger-solid" onClick={confirm}>
            <Trash2 aria-hidden="true" size={20} /> {t('deletion.yes')}
          </button>
        </div>
      </div>
    </Dialog>
  )
}

/**
 * Writes deleted records back: shapes whose page (or parent) is still there, then the bindings
 * whose two ends are. What exists again, or lost its place meanwhile, is left alone.
 */
function putBack(editor: Editor, removed: TLRecord[]): void {
  const missing = removed.filter((r) => !editor.store.has(r.id))
  const returning = new Set(missing.map((r) => r.id as string))
  const here = (id: string) => editor.store.has(id as TLRecord['id']) || returning.has(id)
  const shapes = missing.filter((r) => r.typeName === 'shape' && here(r.parentId))
  const bindings = missing.filter((r) => r.typeName === 'binding' && here(r.fromId) && here(r.toId))
  if (shapes.length + bindings.length === 0) return
  editor.markHistoryStoppingPoint('put back')
  editor.run(
    () => {
      editor.store.put(shapes)
      editor.store.put(bindings)
    },
    { ignoreShapeLock: true },
  )
}
