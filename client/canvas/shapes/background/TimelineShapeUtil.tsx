import { CloudRain, Sun } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { Rectangle2d, SVGContainer, type TLShape } from 'tldraw'
import {
  TIMELINE_AXIS_Y,
  TIMELINE_GEOMETRY,
  xForYearStart,
  yearSpan,
} from '../../../../shared/domain/timeline'
import {
  backgroundShapeMigrations,
  type TimelineShapeProps,
  timelineShapeProps,
} from '../../../../shared/schema/poster'
import { BackgroundShapeUtil } from './BackgroundShapeUtil'

/** The time axis of the life-events map. */
export type TimelineShape = TLShape<'timeline'>

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif'
const INK = '#36454f'

/** Every how many years a label fits, for this width per year. */
function labelEvery(yearWidth: number): number {
  for (const n of [1, 2, 5, 10, 25, 50]) if (yearWidth * n >= 64) return n
  return 100
}

/** The drawing of the axis: two calm bands, the axis with year ticks and labels. */
export function TimelineSvg({ props }: { props: TimelineShapeProps }) {
  const { t } = useTranslation()
  const { w, fromYear, toYear } = props
  const half = TIMELINE_GEOMETRY.halfHeight
  const axisY = TIMELINE_AXIS_Y
  const yearWidth = w / yearSpan(fromYear, toYear)
  const every = labelEvery(yearWidth)
  const years: number[] = []
  for (let y = fromYear; y <= toYear + 1; y++) years.push(y)
  return (
    <g>
      <rect x={0} y={0} width={w} height={half} rx={24} fill="#fff7e3" />
      <rect x={0} y={half} width={w} height={half} rx={24} fill="#eaf1f7" />
      <Sun x={24} y={18} width={36} height={36} color="#b07d12" strokeWidth={2.5} />
      <text x={72} y={46} fontFamily={FONT} fontSize={30} fontWeight={700} fill="#8a6412">
        {t('maps.timeline.high')}
      </text>
      <CloudRain
        x={24}
        y={half * 2 - 56}
        width={36}
        height={36}
        color="#3d5f80"
        strokeWidth={2.5}
      />
      <text
        x={72}
        y={half * 2 - 28}
        fontFamily={FONT}
        fontSize={30}
        fontWeight={700}
        fill="#3d5f80"
      >
        {t('maps.timeline.low')}
      </text>
      <line
        x1={0}
        y1={axisY}
        x2={w}
        y2={axisY}
        stroke={INK}
        strokeWidth={5}
        strokeLinecap="round"
      />
      <polygon
        points={`${w + 4},${axisY} ${w - 16},${axisY - 11} ${w - 16},${axisY + 11}`}
        fill={INK}
      />
      {years.map((year) => {
        const x = xForYearStart(year, fromYear, toYear, w)
        const major = (year - fromYear) % every === 0
        return (
          <line
            key={year}
            x1={x}
            y1={axisY - (major ? 14 : 8)}
            x2={x}
            y2={axisY + (major ? 14 : 8)}
            stroke={INK}
            strokeWidth={major ? 3 : 2}
          />
        )
      })}
      {years
        .filter((year) => year <= toYear && (year - fromYear) % every === 0)
        .map((year) => {
          // The label sits in the middle of its year: an event of that year stands above it.
          const x = xForYearStart(year, fromYear, toYear, w) + yearWidth / 2
          return (
            <text
              key={year}
              x={x}
              y={axisY + 22}
              fontFamily={FONT}
              fontSize={20}
              fontWeight={600}
              fill={INK}
              textAnchor="middle"
              dominantBaseline="hanging"
              stroke="#eaf1f7"
              strokeWidth={5}
              paintOrder="stroke"
            >
              {year}
            </text>
          )
        })}
    </g>
  )
}

/**
 * The life-events map's background: a horizontal time axis with a year scale, high points
 * above it and low points below. Events are placed on it by date (`registerMapSideEffects`).
 */
export class TimelineShapeUtil extends BackgroundShapeUtil<TimelineShape> {
  static override type = 'timeline' as const
  static override props = timelineShapeProps
  static override migrations = backgroundShapeMigrations.timeline

  override getDefaultProps(): TimelineShapeProps {
    const year = new Date().getFullYear()
    return { w: 2800, fromYear: year - 19, toYear: year }
  }

  override getGeometry(shape: TimelineShape) {
    return new Rectangle2d({
      width: shape.props.w,
      height: TIMELINE_GEOMETRY.halfHeight * 2,
      isFilled: true,
    })
  }

  override isAspectRatioLocked() {
    return false
  }

  override component(shape: TimelineShape) {
    return (
      <SVGContainer>
        <TimelineSvg props={shape.props} />
      </SVGContainer>
    )
  }

  override toSvg(shape: TimelineShape) {
    return <TimelineSvg props={shape.props} />
  }
}
