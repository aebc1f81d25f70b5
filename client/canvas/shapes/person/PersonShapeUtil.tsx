import i18next from 'i18next'
import { useTranslation } from 'react-i18next'
import {
  BaseBoxShapeUtil,
  type Editor,
  SVGContainer,
  type TLIndicatorPath,
  type TLShape,
  useEditor,
  useValue,
} from 'tldraw'
import { instrumentOfPage } from '../../../../shared/schema/pages'
import {
  type AtlasPerson,
  type AtlasPersonId,
  personShapeMigrations,
  personShapeProps,
} from '../../../../shared/schema/person'
import { describePersonOnCanvas } from '../../mapText/chosen'
import { printLookOf } from '../printLook'
import { PersonGlyph, type PersonLook } from './PersonGlyph'
import { PERSON_VIEW_SIZE } from './personActions'

/** A person shape: one view of a person of the atlas on one map. */
export type PersonShape = TLShape<'person'>

/** The person record a view shows (undefined while it is missing). */
export function personOfView(editor: Editor, shape: PersonShape): AtlasPerson | undefined {
  return editor.store.get(shape.props.personId as AtlasPersonId) as AtlasPerson | undefined
}

/** How a view looks: the genogram symbol on the family map, a card on every other page. */
export function lookOfView(editor: Editor, shape: PersonShape): PersonLook {
  const pageId = editor.getAncestorPageId(shape)
  return pageId && instrumentOfPage(pageId) === 'familiekaart' ? 'genogram' : 'card'
}

/** The ring around a selected person: 10:1 against the white canvas, well above the 3:1 that WCAG asks. */
const FOCUS_RING_COLOUR = '#1e3a8a'

function PersonView({ shape }: { shape: PersonShape }) {
  const editor = useEditor()
  const { t } = useTranslation()
  // The view reads the person record itself, so renaming him updates every map at once.
  const person = useValue('person of view', () => personOfView(editor, shape), [editor, shape])
  const look = useValue('look of view', () => lookOfView(editor, shape), [editor, shape])
  const selected = useValue(
    'view selected',
    () => editor.getSelectedShapeIds().includes(shape.id),
    [editor, shape.id],
  )
  return (
    <SVGContainer>
      {selected && (
        // tldraw's own outline of the selection is 1.5 px of a light blue: too faint for someone
        // who walks the map with Tab and sees poorly. This ring is 3 px at every zoom.
        <rect
          className="person-focus-ring"
          x={-6}
          y={-6}
          width={shape.props.w + 12}
          height={shape.props.h + 12}
          rx={16}
          fill="none"
          stroke={FOCUS_RING_COLOUR}
          strokeWidth={3}
          vectorEffect="non-scaling-stroke"
        />
      )}
      <PersonGlyph
        person={person}
        look={look}
        w={shape.props.w}
        h={shape.props.h}
        words={{ unnamed: t('people.unnamed'), supporter: t('people.supporter') }}
      />
    </SVGContainer>
  )
}

/** Draws person views and keeps them boxes that resize but never rotate or edit in place. */
export class PersonShapeUtil extends BaseBoxShapeUtil<PersonShape> {
  static override type = 'person' as const
  static override props = personShapeProps
  static override migrations = personShapeMigrations

  override getDefaultProps(): PersonShape['props'] {
    return { personId: '', ...PERSON_VIEW_SIZE }
  }

  override canEdit(): boolean {
    return false
  }

  override hideRotateHandle(): boolean {
    return true
  }

  override component(shape: PersonShape) {
    return <PersonView shape={shape} />
  }

  override getIndicatorPath(shape: PersonShape): TLIndicatorPath {
    const path = new Path2D()
    path.roundRect(0, 0, shape.props.w, shape.props.h, 12)
    return path
  }

  override toSvg(shape: PersonShape) {
    return (
      <PersonGlyph
        person={personOfView(this.editor, shape)}
        look={lookOfView(this.editor, shape)}
        w={shape.props.w}
        h={shape.props.h}
        words={{
          unnamed: i18next.t('people.unnamed'),
          supporter: i18next.t('people.supporter'),
        }}
        print={printLookOf(shape)?.person}
      />
    )
  }

  override getText(shape: PersonShape): string | undefined {
    return personOfView(this.editor, shape)?.name
  }

  override getAriaDescriptor(shape: PersonShape): string | undefined {
    const person = personOfView(this.editor, shape)
    if (!person) return i18next.t('people.unnamed')
    // Name, family role (the client: "de klant") and, on the relationship map, ring and sector.
    const described = describePersonOnCanvas(this.editor, person.id)
    const parts = [described ?? (person.name.trim() || i18next.t('people.unnamed'))]
    if (!described && person.isClient) parts.push(i18next.t('people.client'))
    if (person.isSupporter) parts.push(i18next.t('people.supporter'))
    if (person.birthYear !== null) parts.push(i18next.t('people.born', { year: person.birthYear }))
    if (person.deceased) parts.push(i18next.t('people.deceased'))
    return parts.join(', ')
  }
}
