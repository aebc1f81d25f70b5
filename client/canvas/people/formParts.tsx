import type { TFunction } from 'i18next'
import { Trash2 } from 'lucide-react'
import { type TLShapeId, useEditor } from 'tldraw'
import { FAMILY_KINDS, type RelationKind, TIE_KINDS } from '../../../shared/schema/relation'
import { optionsOf } from './fields'

/** The kinds of relation as a select groups them: family first, then the other ties. */
export function relationKindGroups(
  t: TFunction,
): { label: string; options: { value: RelationKind; label: string }[] }[] {
  const kind = (k: RelationKind) => t(`people.relation.kinds.${k}`)
  return [
    { label: t('people.relation.familyGroup'), options: optionsOf(FAMILY_KINDS, kind) },
    { label: t('people.relation.tieGroup'), options: optionsOf(TIE_KINDS, kind) },
  ]
}

/** The button at the foot of an inspector that deletes its shape, as one step to undo. */
export function DeleteShapeButton({
  shapeId,
  mark,
  label,
}: {
  shapeId: TLShapeId
  /** The name of the undo step. */
  mark: string
  label: string
}) {
  const editor = useEditor()
  return (
    <button
      type="button"
      className="button danger"
      onClick={() => {
        editor.markHistoryStoppingPoint(mark)
        editor.deleteShapes([shapeId])
      }}
    >
      <Trash2 aria-hidden="true" size={20} /> {label}
    </button>
  )
}
