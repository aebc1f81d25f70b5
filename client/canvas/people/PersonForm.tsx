import { House, ImageMinus, ImagePlus, Link2, Trash2, UserMinus, UserPlus } from 'lucide-react'
import { Fragment, useEffect, useId, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { type Editor, type TLShape, type TLShapeId, useEditor, useValue } from 'tldraw'
import { FAMILY_ROLES, type FamilyRole } from '../../../shared/domain/family'
import {
  type AtlasPerson,
  type AtlasPersonId,
  CLOSENESS,
  GENDERS,
  PICTOGRAMS,
  SECTORS,
} from '../../../shared/schema/person'
import type { RelationKind } from '../../../shared/schema/relation'
import { Dialog } from '../../components/Dialog'
import { Steps } from '../../easyRead/Steps'
import { focusCanvas, madeRelation } from '../keyboard'
import {
  addRelative,
  connectViews,
  deletePersonEverywhere,
  isFamilyPage,
  nameFocusRequest,
  outlineHousehold,
  tidySiblings,
  updatePerson,
} from '../shapes/person/personActions'
import { PICTOGRAM_ICONS } from '../shapes/person/pictograms'
import {
  CheckField,
  ChoiceField,
  DraftField,
  optionsOf,
  SelectField,
  TextArea,
  TextField,
} from './fields'
import { relationKindGroups } from './formParts'
import { photoFromFile } from './photo'

type PersonShape = TLShape<'person'>

/** Choose a photo for a person (made small in the browser), or take it away again. */
function PhotoField({
  person,
  disabled,
  onChange,
}: {
  person: AtlasPerson
  disabled: boolean
  onChange: (photo: string | null) => void
}) {
  const { t } = useTranslation()
  const id = useId()
  const [busy, setBusy] = useState(false)
  const [failed, setFailed] = useState(false)
  const name = person.name.trim() || t('people.unnamed')
  const choose = async (file: File | undefined) => {
    if (!file) return
    setBusy(true)
    setFailed(false)
    try {
      onChange(await photoFromFile(file))
    } catch {
      setFailed(true)
    } finally {
      setBusy(false)
    }
  }
  return (
    <fieldset className="field photo-field" aria-describedby={`${id}-hint`}>
      <legend>{t('people.person.photo')}</legend>
      {person.photo && (
        <img
          className="photo-preview"
          src={person.photo}
          alt={t('people.person.photoAlt', { name })}
          width={88}
          height={88}
        />
      )}
      {!disabled && (
        <div className="photo-actions">
          <label className="button photo-pick" aria-disabled={busy || undefined}>
            <input
              type="file"
              accept="image/*"
              className="visually-hidden"
              disabled={busy}
              onChange={(e) => {
                const input = e.currentTarget
                void choose(input.files?.[0]).finally(() => {
                  // The same file can be chosen again after it was taken away.
                  input.value = ''
                })
              }}
            />
            <ImagePlus aria-hidden="true" size={20} /> {t('people.person.choosePhoto')}
          </label>
          {person.photo && (
            <button type="button" className="button" onClick={() => onChange(null)}>
              <ImageMinus aria-hidden="true" size={20} /> {t('people.person.removePhoto')}
            </button>
          )}
        </div>
      )}
      <p id={`${id}-hint`} className="field-hint">
        {t('people.person.photoHint')}
      </p>
      {busy && (
        <p role="status" className="muted">
          {t('people.person.photoBusy')}
        </p>
      )}
      {failed && (
        <p role="alert" className="error-text">
          {t('people.person.photoError')}
        </p>
      )}
    </fieldset>
  )
}

function parseYear(draft: string): string | null | undefined {
  const text = draft.trim()
  if (text === '') return null
  if (!/^\d{4}$/.test(text)) return undefined
  const n = Number(text)
  return n >= 1800 && n <= 2200 ? text : undefined
}

/** Persons that stand on the current page, each with his view there. */
export function useViewsOnPage(editor: Editor): Array<{ shapeId: TLShapeId; person: AtlasPerson }> {
  return useValue(
    'persons on page',
    () =>
      editor
        .getCurrentPageShapes()
        .filter((s): s is PersonShape => s.type === 'person')
        .flatMap((s) => {
          const person = editor.store.get(s.props.personId as AtlasPersonId) as
            | AtlasPerson
            | undefined
          return person ? [{ shapeId: s.id, person }] : []
        }),
    [editor],
  )
}

/** The "make a line" form: two persons of this page, a kind, and the Verbind button. */
export function ConnectForm({ fromShapeId }: { fromShapeId?: TLShapeId }) {
  const editor = useEditor()
  const { t } = useTranslation()
  const views = useViewsOnPage(editor)
  const familyPage = useValue('family page', () => isFamilyPage(editor.getCurrentPageId()), [
    editor,
  ])
  const [from, setFrom] = useState<TLShapeId | null>(fromShapeId ?? null)
  const [to, setTo] = useState<TLShapeId | null>(null)
  const [kind, setKind] = useState<RelationKind>(familyPage ? 'married' : 'normal')
  useEffect(() => setFrom(fromShapeId ?? null), [fromShapeId])
  useEffect(() => setKind(familyPage ? 'married' : 'normal'), [familyPage])
  const name = (p: AtlasPerson) => p.name.trim() || t('people.unnamed')
  const options = views.map((v) => ({ value: v.shapeId, label: name(v.person) }))
  if (views.length < 2) return <p className="muted">{t('people.connect.nobody')}</p>
  const same = from !== null && from === to
  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault()
        if (!from || !to || same) return
        const made = connectViews(editor, from, to, kind)
        if (!made) return
        // The new relation's inspector takes over, with the focus: its kind, direction and
        // contact are edited next, and the keyboard must not fall back to the page.
        madeRelation.set(made)
        editor.select(made)
      }}
    >
      <SelectField
        label={t('people.connect.from')}
        value={from}
        options={options}
        noneLabel={t('people.person.notChosen')}
        onChange={setFrom}
      />
      <SelectField
        label={t('people.connect.to')}
        value={to}
        options={options.filter((o) => o.value !== from)}
        noneLabel={t('people.person.notChosen')}
        onChange={setTo}
      />
      <SelectField
        label={t('people.connect.kind')}
        value={kind}
        groups={relationKindGroups(t)}
        onChange={(v) => v && setKind(v)}
      />
      {same && <p className="error-text">{t('people.connect.same')}</p>}
      <button type="submit" className="button primary" disabled={!from || !to || same}>
        <Link2 aria-hidden="true" size={20} /> {t('people.connect.button')}
      </button>
    </form>
  )
}

/** Edits the person a view shows: every map shows the change at once. */
export function PersonForm({ shape, readOnly }: { shape: PersonShape; readOnly: boolean }) {
  const editor = useEditor()
  const { t } = useTranslation()
  const personId = shape.props.personId
  const person = useValue(
    'person',
    () => editor.store.get(personId as AtlasPersonId) as AtlasPerson | undefined,
    [editor, personId],
  )
  const familyPage = useValue('family page', () => isFamilyPage(editor.getCurrentPageId()), [
    editor,
  ])
  const focusRequest = useValue(nameFocusRequest)
  const nameRef = useRef<HTMLInputElement>(null)
  const [confirming, setConfirming] = useState(false)

  useEffect(() => {
    if (focusRequest === shape.id && nameRef.current) {
      nameRef.current.focus()
      nameFocusRequest.set(null)
    }
  }, [focusRequest, shape.id])

  if (!person) return <p className="muted">{t('people.unnamed')}</p>
  const update = (patch: Partial<AtlasPerson>) => updatePerson(editor, personId, patch)
  const name = person.name.trim() || t('people.unnamed')

  return (
    <div className="stack">
      <h2 className="inspector-title">{t('people.inspector.personTitle', { name })}</h2>
      {/* In easy-read one question per screen, with Terug and Volgende (see `Steps`). */}
      <Steps
        steps={[
          <Fragment key="name">
            <TextField
              label={t('people.person.name')}
              value={person.name}
              inputRef={nameRef}
              maxLength={80}
              disabled={readOnly}
              onChange={(value) => update({ name: value })}
              // Enter: the name is done; the keyboard goes back to the canvas and its shortcuts.
              onEnter={() => focusCanvas(editor)}
            />
          </Fragment>,
          <Fragment key="gender">
            <ChoiceField
              legend={t('people.person.gender')}
              value={person.gender}
              disabled={readOnly}
              options={optionsOf(GENDERS, (g) => t(`people.person.genders.${g}`))}
              onChange={(gender) => update({ gender })}
            />
          </Fragment>,
          <Fragment key="birthYear">
            <DraftField
              label={t('people.person.birthYear')}
              value={person.birthYear === null ? '' : String(person.birthYear)}
              parse={parseYear}
              inputMode="numeric"
              hint={t('people.person.birthYearHint')}
              invalidText={t('people.person.birthYearInvalid')}
              disabled={readOnly}
              onCommit={(v) => {
                update({ birthYear: v === null ? null : Number(v) })
                // Children stand in birth order on the family map, oldest on the left.
                if (v !== null) tidySiblings(editor, personId)
              }}
            />
          </Fragment>,
          <Fragment key="checks">
            <div className="checks">
              <CheckField
                label={t('people.person.deceased')}
                checked={person.deceased}
                disabled={readOnly}
                onChange={(deceased) => update({ deceased })}
              />
              <CheckField
                label={t('people.person.isClient')}
                checked={person.isClient}
                disabled={readOnly}
                onChange={(isClient) => update({ isClient })}
              />
              <CheckField
                label={t('people.person.isSupporter')}
                checked={person.isSupporter}
                disabled={readOnly}
                onChange={(isSupporter) => update({ isSupporter })}
              />
            </div>
          </Fragment>,
          <Fragment key="pictogram">
            <ChoiceField
              legend={t('people.person.pictogram')}
              value={person.pictogram ?? 'none'}
              disabled={readOnly}
              columns={5}
              options={[
                ...PICTOGRAMS.map((p) => {
                  const Icon = PICTOGRAM_ICONS[p]
                  return {
                    value: p,
                    label: t(`people.person.pictograms.${p}`),
                    icon: <Icon aria-hidden="true" size={26} />,
                    hideLabel: true,
                  }
                }),
                {
                  value: 'none' as const,
                  label: t('people.person.noPictogram'),
                  icon: <span aria-hidden="true">–</span>,
                  hideLabel: true,
                },
              ]}
              onChange={(p) => update({ pictogram: p === 'none' ? null : p })}
            />
          </Fragment>,
          <Fragment key="photo">
            <PhotoField
              person={person}
              disabled={readOnly}
              onChange={(photo) => update({ photo })}
            />
          </Fragment>,
          <Fragment key="sector">
            <SelectField
              label={t('people.person.sector')}
              value={person.sector}
              noneLabel={t('people.person.notChosen')}
              disabled={readOnly}
              options={optionsOf(SECTORS, (s) => t(`people.person.sectors.${s}`))}
              onChange={(sector) => update({ sector })}
            />
            <SelectField
              label={t('people.person.closeness')}
              value={person.closeness}
              noneLabel={t('people.person.notChosen')}
              disabled={readOnly}
              options={optionsOf(CLOSENESS, (c) => t(`people.person.closenesses.${c}`))}
              onChange={(closeness) => update({ closeness })}
            />
          </Fragment>,
          <Fragment key="note">
            <TextArea
              label={t('people.person.note')}
              value={person.note}
              disabled={readOnly}
              onChange={(note) => update({ note })}
            />
          </Fragment>,
          !readOnly && familyPage && (
            <Fragment key="family">
              <section className="inspector-section" aria-labelledby={`family-${shape.id}`}>
                <h3 id={`family-${shape.id}`}>{t('people.family.title')}</h3>
                <div className="button-grid">
                  {FAMILY_ROLES.map((role: FamilyRole) => (
                    <button
                      key={role}
                      type="button"
                      className="button"
                      onClick={() => addRelative(editor, shape.id, role)}
                    >
                      <UserPlus aria-hidden="true" size={20} /> {t(`people.family.${role}`)}
                    </button>
                  ))}
                  <button
                    type="button"
                    className="button"
                    onClick={() => outlineHousehold(editor, shape.id)}
                  >
                    <House aria-hidden="true" size={20} /> {t('people.family.household')}
                  </button>
                </div>
                <p className="muted">{t('people.family.householdHint')}</p>
              </section>
            </Fragment>
          ),
          !readOnly && (
            <Fragment key="connect">
              <section className="inspector-section" aria-labelledby={`connect-${shape.id}`}>
                <h3 id={`connect-${shape.id}`}>{t('people.connect.title')}</h3>
                <ConnectForm fromShapeId={shape.id} />
              </section>
            </Fragment>
          ),
          !readOnly && (
            <Fragment key="remove">
              <section className="inspector-section stack">
                <button
                  type="button"
                  className="button"
                  onClick={() => {
                    editor.markHistoryStoppingPoint('remove view')
                    editor.deleteShapes([shape.id])
                  }}
                >
                  <UserMinus aria-hidden="true" size={20} /> {t('people.person.removeView')}
                </button>
                <p className="field-hint">{t('people.person.removeViewHint')}</p>
                <button type="button" className="button danger" onClick={() => setConfirming(true)}>
                  <Trash2 aria-hidden="true" size={20} /> {t('people.person.delete')}
                </button>
              </section>
            </Fragment>
          ),
        ]}
      />
      {confirming && (
        <Dialog
          title={t('people.person.confirmTitle', { name })}
          onClose={() => setConfirming(false)}
        >
          <div className="stack">
            <p>{t('people.person.confirmText', { name })}</p>
            <div className="actions">
              <button
                type="button"
                className="button"
                // biome-ignore lint/a11y/noAutofocus: the safe choice takes the focus in a confirm dialog
                autoFocus
                onClick={() => setConfirming(false)}
              >
                {t('people.person.confirmNo')}
              </button>
              <button
                type="button"
                className="button danger-solid"
                onClick={() => {
                  setConfirming(false)
                  deletePersonEverywhere(editor, personId)
                }}
              >
                <Trash2 aria-hidden="true" size={20} /> {t('people.person.confirmYes')}
              </button>
            </div>
          </div>
        </Dialog>
      )}
    </div>
  )
}
