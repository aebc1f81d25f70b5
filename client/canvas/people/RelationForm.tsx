import { Fragment, useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { type TLShape, useEditor, useValue } from 'tldraw'
import type { AtlasPerson, AtlasPersonId } from '../../../shared/schema/person'
import {
  CONTACT_FREQUENCIES,
  CONTACT_MEANS,
  type RelationShapeProps,
  SUPPORT_DIRECTIONS,
} from '../../../shared/schema/relation'
import { Steps } from '../../easyRead/Steps'
import { madeRelation } from '../keyboard'
import { ChoiceField, optionsOf, SelectField, TextArea, TextField } from './fields'
import { DeleteShapeButton, relationKindGroups } from './formParts'

type RelationShape = TLShape<'relation'>

/** Edits a relation line: its kind, who supports whom, its label and the contact it stands for. */
export function RelationForm({ shape, readOnly }: { shape: RelationShape; readOnly: boolean }) {
  const editor = useEditor()
  const { t } = useTranslation()
  const { fromPersonId, toPersonId } = shape.props
  const names = useValue(
    'relation names',
    () =>
      [fromPersonId, toPersonId].map(
        (id) =>
          (editor.store.get(id as AtlasPersonId) as AtlasPerson | undefined)?.name.trim() ||
          t('people.unnamed'),
      ),
    [editor, fromPersonId, toPersonId, t],
  )
  const [from = '', to = ''] = names
  const update = (props: Partial<RelationShapeProps>) =>
    editor.updateShape<RelationShape>({ id: shape.id, type: 'relation', props })
  const p = shape.props
  const title = useRef<HTMLHeadingElement>(null)
  const [made, setMade] = useState(false)
  useEffect(() => {
    if (madeRelation.get() !== shape.id) return
    madeRelation.set(null)
    setMade(true)
    title.current?.focus()
  }, [shape.id])

  return (
    <div className="stack">
      <h2 className="inspector-title" ref={title} tabIndex={-1}>
        {t('people.inspector.relationTitle')}
      </h2>
      <p className="inspector-subtitle">{t('people.relation.between', { from, to })}</p>
      {made && (
        <p role="status" className="muted">
          {t('people.connect.done')}
        </p>
      )}
      {/* In easy-read one question per screen, with Terug and Volgende (see `Steps`). */}
      <Steps
        steps={[
          <Fragment key="kind">
            <SelectField
              label={t('people.relation.kind')}
              value={p.kind}
              disabled={readOnly}
              groups={relationKindGroups(t)}
              onChange={(kind) => kind && update({ kind })}
            />
          </Fragment>,
          <Fragment key="direction">
            <ChoiceField
              legend={t('people.relation.direction')}
              value={p.direction}
              disabled={readOnly}
              columns={1}
              options={optionsOf(SUPPORT_DIRECTIONS, (d) =>
                t(`people.relation.directions.${d}`, { from, to }),
              )}
              onChange={(direction) => update({ direction })}
            />
          </Fragment>,
          <Fragment key="label">
            <TextField
              label={t('people.relation.label')}
              value={p.label}
              disabled={readOnly}
              maxLength={120}
              onChange={(label) => update({ label })}
            />
          </Fragment>,
          <Fragment key="means">
            <SelectField
              label={t('people.relation.contactMeans')}
              value={p.contactMeans}
              noneLabel={t('people.person.notChosen')}
              disabled={readOnly}
              options={optionsOf(CONTACT_MEANS, (m) => t(`people.relation.means.${m}`))}
              onChange={(contactMeans) => update({ contactMeans })}
            />
          </Fragment>,
          <Fragment key="frequency">
            <SelectField
              label={t('people.relation.contactFrequency')}
              value={p.contactFrequency}
              noneLabel={t('people.person.notChosen')}
              disabled={readOnly}
              options={optionsOf(CONTACT_FREQUENCIES, (f) => t(`people.relation.frequencies.${f}`))}
              onChange={(contactFrequency) => update({ contactFrequency })}
            />
          </Fragment>,
          <Fragment key="brings">
            <TextArea
              label={t('people.relation.contactBrings')}
              value={p.contactBrings}
              disabled={readOnly}
              onChange={(contactBrings) => update({ contactBrings })}
            />
          </Fragment>,
        ]}
      />
      {!readOnly && (
        <DeleteShapeButton
          shapeId={shape.id}
          mark="delete relation"
          label={t('people.relation.delete')}
        />
      )}
    </div>
  )
}
