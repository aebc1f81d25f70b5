import { useTranslation } from 'react-i18next'
import { Circle2d, SVGContainer, type TLShape } from 'tldraw'
import {
  polarPoint,
  ringRadii,
  SECTOR_ANGLE,
  sectorAngles,
} from '../../../../shared/domain/relationMap'
import { CLOSENESS, type Closeness, SECTORS } from '../../../../shared/schema/person'
import {
  backgroundShapeMigrations,
  type RingMapShapeProps,
  ringMapShapeProps,
} from '../../../../shared/schema/poster'
import { type PrintLook, printLookOf } from '../printLook'
import { BackgroundShapeUtil } from './BackgroundShapeUtil'
import { RING_LINE, RING_NAME_COLOUR, ringCellColour, sectorNameColour } from './ringColours'

/** The rings and sectors of the relationship map. */
export type RingMapShape = TLShape<'ring-map'>

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif'

const CLOSENESS_KEYS = {
  'very-close': 'maps.ringMap.closeness_very_close',
  friends: 'maps.ringMap.closeness_friends',
  acquaintances: 'maps.ringMap.closeness_acquaintances',
  services: 'maps.ringMap.closeness_services',
} as const satisfies Record<Closeness, string>

/** SVG path of an annular sector (one cell of the map), angles clockwise from 12 o'clock. */
function cellPath(c: { x: number; y: number }, r0: number, r1: number, a0: number, a1: number) {
  const p0 = polarPoint(c, r1, a0)
  const p1 = polarPoint(c, r1, a1)
  const p2 = polarPoint(c, r0, a1)
  const p3 = polarPoint(c, r0, a0)
  const large = a1 - a0 > 180 ? 1 : 0
  return [
    `M${p0.x},${p0.y}`,
    `A${r1},${r1} 0 ${large} 1 ${p1.x},${p1.y}`,
    `L${p2.x},${p2.y}`,
    `A${r0},${r0} 0 ${large} 0 ${p3.x},${p3.y}`,
    'Z',
  ].join(' ')
}

/** An arc to write a sector's name on, running left to right whether at the top or the bottom. */
function labelArc(c: { x: number; y: number }, r: number, a0: number, a1: number) {
  const middle = ((((a0 + a1) / 2) % 360) + 360) % 360
  const bottom = middle > 90 && middle < 270
  const from = polarPoint(c, r, bottom ? a1 : a0)
  const to = polarPoint(c, r, bottom ? a0 : a1)
  return `M${from.x},${from.y} A${r},${r} 0 0 ${bottom ? 0 : 1} ${to.x},${to.y}`
}

/**
 * The drawing of the map: coloured cells, ring and sector lines, labels in the reader's
 * language. On paper (`print`) the words are larger and the ring names go where the sheet's
 * layout found room.
 */
export function RingMapSvg({
  w,
  idPrefix,
  print,
}: {
  w: number
  idPrefix: string
  print?: PrintLook['ringMap']
}) {
  const { t } = useTranslation()
  const c = { x: w / 2, y: w / 2 }
  const radii = ringRadii(w)
  const outer = radii[radii.length - 1] as number
  const ringWidth = (radii[1] as number) - (radii[0] as number)
  const sectorFont = print?.sectorSize ?? Math.max(12, ringWidth * 0.16)
  const ringFont = print?.ringSize ?? Math.max(10, ringWidth * 0.12)
  return (
    <g>
      {SECTORS.flatMap((sector) => {
        const { start, end } = sectorAngles(sector)
        return CLOSENESS.map((closeness, ring) => (
          <path
            key={`${sector}-${closeness}`}
            d={cellPath(c, radii[ring] as number, radii[ring + 1] as number, start, end)}
            fill={ringCellColour(sector, ring)}
          />
        ))
      })}
      {radii.slice(1).map((r) => (
        <circle key={r} cx={c.x} cy={c.y} r={r} fill="none" stroke={RING_LINE} strokeWidth={2} />
      ))}
      {SECTORS.map((sector) => {
        const { start } = sectorAngles(sector)
        const a = polarPoint(c, radii[0] as number, start)
        const b = polarPoint(c, outer, start)
        return (
          <line
            key={sector}
            x1={a.x}
            y1={a.y}
            x2={b.x}
            y2={b.y}
            stroke={RING_LINE}
            strokeWidth={2}
          />
        )
      })}
      <circle cx={c.x} cy={c.y} r={radii[0]} fill="#ffffff" stroke={RING_LINE} strokeWidth={2} />
      <defs>
        {SECTORS.map((sector) => {
          const { start, end } = sectorAngles(sector)
          return (
            <path
              key={sector}
              id={`${idPrefix}-${sector}`}
              d={labelArc(c, outer - sectorFont * 1.1, start + 2, end - 2)}
            />
          )
        })}
      </defs>
      {SECTORS.map((sector) => (
        <text
          key={sector}
          fontFamily={FONT}
          fontSize={sectorFont}
          fontWeight={700}
          fill={sectorNameColour(sector)}
          dominantBaseline="middle"
        >
          <textPath href={`#${idPrefix}-${sector}`} startOffset="50%" textAnchor="middle">
            {t(`maps.ringMap.sector_${sector}`)}
          </textPath>
        </text>
      ))}
      {CLOSENESS.map((closeness, ring) => {
        // Ring names run down the line between the family and the professionals sectors.
        const r = ((radii[ring] as number) + (radii[ring + 1] as number)) / 2
        const p = print?.ringLabels[ring] ?? polarPoint(c, r, -SECTOR_ANGLE / 2)
        return (
          <text
            key={closeness}
            x={p.x}
            y={p.y}
            fontFamily={FONT}
            fontSize={ringFont}
            fontWeight={600}
            fill={RING_NAME_COLOUR}
            textAnchor="middle"
            dominantBaseline="middle"
            stroke="#ffffff"
            strokeWidth={ringFont * 0.35}
            strokeLinejoin="round"
            paintOrder="stroke"
          >
            {t(CLOSENESS_KEYS[closeness])}
          </text>
        )
      })}
    </g>
  )
}

/**
 * The relationship map's background: four rings of closeness (very close inside, services
 * outside) and five sectors, family at the top. Where a person stands on it is data
 * (see `registerMapSideEffects`); the map itself is a locked background.
 */
export class RingMapShapeUtil extends BackgroundShapeUtil<RingMapShape> {
  static override type = 'ring-map' as const
  static override props = ringMapShapeProps
  static override migrations = backgroundShapeMigrations.ringMap

  override getDefaultProps(): RingMapShapeProps {
    return { w: 1800 }
  }

  override getGeometry(shape: RingMapShape) {
    return new Circle2d({ radius: shape.props.w / 2, isFilled: true })
  }

  override component(shape: RingMapShape) {
    return (
      <SVGContainer>
        <RingMapSvg w={shape.props.w} idPrefix={`ring-map-${shape.id}`} />
      </SVGContainer>
    )
  }

  override toSvg(shape: RingMapShape) {
    return (
      <RingMapSvg
        w={shape.props.w}
        idPrefix={`ring-map-export-${shape.id}`}
        print={printLookOf(shape)?.ringMap}
      />
    )
  }
}
