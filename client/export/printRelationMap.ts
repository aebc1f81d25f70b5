import i18next from 'i18next'
import type { Editor, TLShape } from 'tldraw'
import {
  type MapPersonView,
  type MapRelationView,
  PRINT_WORDS,
  planRelationMapForPrint,
} from '../../shared/domain/relationMapPrint'
import { instrumentPageId } from '../../shared/schema/pages'
import {
  type AtlasPerson,
  type AtlasPersonId,
  CLOSENESS,
  SECTORS,
} from '../../shared/schema/person'
import { withPrintLook } from '../canvas/shapes/printLook'
import { relationBindings } from '../canvas/shapes/relation/RelationEndBindingUtil'
import { relationHalfWidth, relationMinLength } from '../canvas/shapes/relation/style'
import { textWidth } from './sheet'

type PersonShape = TLShape<'person'>
type RelationShape = TLShape<'relation'>
type RingMapShape = TLShape<'ring-map'>

const CLOSENESS_KEYS = {
  'very-close': 'maps.ringMap.closeness_very_close',
  friends: 'maps.ringMap.closeness_friends',
  acquaintances: 'maps.ringMap.closeness_acquaintances',
  services: 'maps.ringMap.closeness_services',
} as const

/**
 * Lays the relationship map out for paper in the export's own copy of the atlas
 * (`planRelationMapForPrint`): writes the cards' new places and sizes and each word's place
 * into the copied shapes, which then draw themselves for paper (`printLook.ts`).
 */
export function layOutRelationMapForPaper(editor: Editor): void {
  const pageId = instrumentPageId('relatiekaart')
  const shapes = editor
    .getSortedChildIdsForParent(pageId)
    .map((id) => editor.getShape(id))
    .filter((s): s is TLShape => s !== undefined)
  const map = shapes.find((s): s is RingMapShape => s.type === 'ring-map')
  if (!map) return
  const diameter = map.props.w
  const toPage = editor.getShapePageTransform(map)
  const c = toPage.applyToPoint({ x: diameter / 2, y: diameter / 2 })
  const centre = { x: c.x, y: c.y }
  const personShapes = shapes.filter((s): s is PersonShape => s.type === 'person')
  const relationShapes = shapes.filter((s): s is RelationShape => s.type === 'relation')

  const persons: MapPersonView[] = personShapes.map((shape) => {
    const person = editor.store.get(shape.props.personId as AtlasPersonId) as
      | AtlasPerson
      | undefined
    const name = person?.name.trim() || i18next.t('people.unnamed')
    const at = editor.getShapePageBounds(shape)?.center ?? centre
    return {
      id: shape.id,
      centre: { x: at.x, y: at.y },
      name: person?.deceased ? `${name} †` : name,
      isClient: person?.isClient ?? false,
    }
  })
  const relations: MapRelationView[] = relationShapes.flatMap((relation) => {
    const { start, end } = relationBindings(editor, relation.id)
    if (!start || !end) return []
    return [
      {
        id: relation.id,
        from: start.toId,
        to: end.toId,
        label: relation.props.label,
        halfWidth: relationHalfWidth(relation.props),
        minLength: relationMinLength(relation.props),
      },
    ]
  })
  const plan = planRelationMapForPrint(
    {
      centre,
      diameter,
      persons,
      relations,
      sectorNames: SECTORS.map((s) => i18next.t(`maps.ringMap.sector_${s}`)),
      ringNames: CLOSENESS.map((c) => i18next.t(CLOSENESS_KEYS[c])),
    },
    (text, size) => textWidth(text, size, 700),
  )

  editor.run(
    () => {
      editor.updateShapes(
        personShapes.flatMap((shape) => {
          const card = plan.persons.get(shape.id)
          if (!card) return []
          return [
            {
              id: shape.id,
              type: 'person' as const,
              x: card.centre.x - card.size.w / 2,
              y: card.centre.y - card.size.h / 2,
              props: { w: card.size.w, h: card.size.h },
              meta: withPrintLook(shape, { person: { lines: card.lines } }),
            },
          ]
        }),
      )
      editor.updateShapes(
        relationShapes.map((relation) => ({
          id: relation.id,
          type: 'relation' as const,
          meta: withPrintLook(relation, {
            relation: { label: plan.labels.get(relation.id) ?? null, size: PRINT_WORDS.relation },
          }),
        })),
      )
      const toMap = toPage.clone().invert()
      editor.updateShape({
        id: map.id,
        type: 'ring-map',
        meta: withPrintLook(map, {
          ringMap: {
            sectorSize: PRINT_WORDS.sector,
            ringSize: PRINT_WORDS.ring,
            ringLabels: plan.ringLabels.map((p) => {
              const local = toMap.applyToPoint(p)
              return { x: local.x, y: local.y }
            }),
          },
        }),
      })
    },
    { ignoreShapeLock: true, history: 'ignore' },
  )
}
