import { HandHeart } from 'lucide-react'
import { useId } from 'react'
import { PRINT_CARD, type PrintCardLine } from '../../../../shared/domain/relationMapPrint'
import type { AtlasPerson } from '../../../../shared/schema/person'
import { PICTOGRAM_ICONS } from './pictograms'

/** How a person is drawn: a genogram symbol on the family map, a card elsewhere. */
export type PersonLook = 'genogram' | 'card'

/** Words the drawing needs, in the reader's language. */
export interface PersonGlyphWords {
  unnamed: string
  supporter: string
}

const INK = '#1d2430'
const MUTED = '#5a6372'
const ACCENT = '#1f5fae'
const SUPPORT = '#1d7a3d'
/** The outline of a person's circle: 3:1 or more on the paper and on every ring (WCAG 1.4.11). */
export const PERSON_OUTLINE = '#5f6976'
const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif'

/** The size (page px) a person's name is written at: under a genogram symbol, under a card. */
export const NAME_SIZE = { genogram: 18, card: 19 } as const

/** Cuts a text to what fits in `width` at `size` px (a rough, font-independent measure). */
export function fitText(text: string, width: number, size: number): string {
  const max = Math.max(3, Math.floor(width / (size * 0.56)))
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`
}

function GenogramSymbol({
  person,
  cx,
  cy,
  s,
}: {
  person: AtlasPerson | undefined
  cx: number
  cy: number
  s: number
}) {
  const gender = person?.gender ?? 'unknown'
  const isClient = person?.isClient ?? false
  const fill = isClient ? '#e8f0fb' : '#ffffff'
  const common = { fill, stroke: INK, strokeWidth: 3 }
  const outline = (inset: number, extra: object = {}) => {
    const r = s / 2 - inset
    if (gender === 'male')
      return <rect x={cx - r} y={cy - r} width={2 * r} height={2 * r} {...common} {...extra} />
    if (gender === 'female') return <circle cx={cx} cy={cy} r={r} {...common} {...extra} />
    const points = `${cx},${cy - r} ${cx + r},${cy} ${cx},${cy + r} ${cx - r},${cy}`
    return <polygon points={points} {...common} {...extra} />
  }
  const half = gender === 'male' ? s / 2 : gender === 'female' ? s / 2 / Math.SQRT2 : s / 4
  return (
    <g>
      {outline(0)}
      {/* The client has a double outline. */}
      {isClient && outline(7, { fill: 'none' })}
      {gender === 'unknown' && (
        <text x={cx} y={cy + 9} textAnchor="middle" fontSize={26} fontFamily={FONT} fill={MUTED}>
          ?
        </text>
      )}
      {person?.deceased && (
        <g stroke={INK} strokeWidth={3} strokeLinecap="round">
          <line x1={cx - half - 6} y1={cy - half - 6} x2={cx + half + 6} y2={cy + half + 6} />
          <line x1={cx + half + 6} y1={cy - half - 6} x2={cx - half - 6} y2={cy + half + 6} />
        </g>
      )}
    </g>
  )
}

/** Radius of a person's photo in a card circle of radius `r`: inside the ring(s). */
function photoR(r: number, isClient: boolean): number {
  return isClient ? r - 7 : r - 1.5
}

/**
 * A person drawn in SVG, in a box of `w` × `h`: on the family map the genogram symbol with the
 * birth year above and the name below; elsewhere a round photo or pictogram with the name below
 * and the supporter's mark. Used on the canvas and in exports alike.
 */
export function PersonGlyph({
  person,
  look,
  w,
  h,
  words,
  print,
}: {
  person: AtlasPerson | undefined
  look: PersonLook
  w: number
  h: number
  words: PersonGlyphWords
  /** Drawn for paper (the relationship map's sheet): larger, with these lines under the name. */
  print?: { lines: PrintCardLine[] }
}) {
  // An id for the photo's round crop, safe in url(#…). Every crop is the same circle (in the
  // image's own box), so two drawings sharing an id would still look right.
  const clipId = `person-photo-${useId().replace(/[^a-zA-Z0-9_-]/g, '')}`
  const name = person?.name.trim() || words.unnamed
  const nameColour = person?.name.trim() ? INK : MUTED
  const cx = w / 2

  if (look === 'genogram') {
    const s = Math.max(24, Math.min(w - 24, h - 74))
    const cy = 30 + s / 2
    return (
      <g>
        {person?.birthYear != null && (
          <text x={cx} y={20} textAnchor="middle" fontSize={17} fontFamily={FONT} fill={MUTED}>
            {person.birthYear}
          </text>
        )}
        <GenogramSymbol person={person} cx={cx} cy={cy} s={s} />
        <text
          x={cx}
          y={cy + s / 2 + 26}
          textAnchor="middle"
          fontSize={NAME_SIZE.genogram}
          fontWeight={700}
          fontFamily={FONT}
          fill={nameColour}
        >
          {fitText(name, w, NAME_SIZE.genogram)}
        </text>
      </g>
    )
  }

  const r = print ? PRINT_CARD.r : Math.max(16, Math.min(w / 2 - 12, (h - 64) / 2))
  const cy = 6 + r
  const Icon = PICTOGRAM_ICONS[person?.pictogram ?? 'person']
  const isClient = person?.isClient ?? false
  const deceased = person?.deceased ?? false
  const ring = isClient ? ACCENT : deceased ? MUTED : PERSON_OUTLINE
  const iconSize = r * 1.1
  // On paper the supporter's mark grows with the symbol (43: the radius of a card on screen).
  const badge = print ? r / 43 : 1
  const photo = person?.photo ?? null
  return (
    <g>
      <circle
        cx={cx}
        cy={cy}
        r={r}
        fill={isClient ? '#e8f0fb' : '#ffffff'}
        stroke={ring}
        strokeWidth={3}
      />
      {isClient && <circle cx={cx} cy={cy} r={r - 6} fill="none" stroke={ACCENT} strokeWidth={2} />}
      {photo ? (
        <g>
          <clipPath id={clipId} clipPathUnits="objectBoundingBox">
            <circle cx={0.5} cy={0.5} r={0.5} />
          </clipPath>
          {/* Inside the ring (and the client's inner ring), cut round. */}
          <image
            href={photo}
            x={cx - photoR(r, isClient)}
            y={cy - photoR(r, isClient)}
            width={2 * photoR(r, isClient)}
            height={2 * photoR(r, isClient)}
            preserveAspectRatio="xMidYMid slice"
            clipPath={`url(#${clipId})`}
            opacity={deceased ? 0.75 : 1}
          />
        </g>
      ) : (
        <Icon
          x={cx - iconSize / 2}
          y={cy - iconSize / 2}
          width={iconSize}
          height={iconSize}
          color={deceased ? MUTED : isClient ? ACCENT : INK}
          strokeWidth={1.8}
          aria-hidden="true"
        />
      )}
      {person?.isSupporter && (
        <g>
          <circle
            cx={cx + r * 0.78}
            cy={cy - r * 0.72}
            r={15 * badge}
            fill={SUPPORT}
            stroke="#fff"
            strokeWidth={2 * badge}
          />
          <HandHeart
            x={cx + r * 0.78 - 10 * badge}
            y={cy - r * 0.72 - 10 * badge}
            width={20 * badge}
            height={20 * badge}
            color="#ffffff"
            strokeWidth={2}
          />
        </g>
      )}
      {print ? (
        <PrintedWords
          cx={cx}
          top={cy + r}
          name={deceased ? `${name} †` : name}
          nameColour={nameColour}
          lines={print.lines}
        />
      ) : (
        <>
          <text
            x={cx}
            y={cy + r + 26}
            textAnchor="middle"
            fontSize={NAME_SIZE.card}
            fontWeight={700}
            fontFamily={FONT}
            fill={nameColour}
          >
            {fitText(deceased ? `${name} †` : name, w, NAME_SIZE.card)}
          </text>
          {person?.isSupporter && (
            <text
              x={cx}
              y={cy + r + 48}
              textAnchor="middle"
              fontSize={15}
              fontWeight={600}
              fontFamily={FONT}
              fill={SUPPORT}
            >
              {words.supporter}
            </text>
          )}
        </>
      )}
    </g>
  )
}

/** A printed card's name and the lines under it, each a full line apart. */
function PrintedWords({
  cx,
  top,
  name,
  nameColour,
  lines,
}: {
  cx: number
  top: number
  name: string
  nameColour: string
  lines: PrintCardLine[]
}) {
  const baseline = top + PRINT_CARD.nameDrop
  return (
    <g>
      <text
        x={cx}
        y={baseline}
        textAnchor="middle"
        fontSize={PRINT_CARD.nameSize}
        fontWeight={700}
        fontFamily={FONT}
        fill={nameColour}
      >
        {name}
      </text>
      {lines.map((line, i) => (
        <text
          key={`${line.tone}-${line.text}`}
          x={cx}
          y={baseline + PRINT_CARD.linePitch * (i + 1)}
          textAnchor="middle"
          fontSize={PRINT_CARD.lineSize}
          fontWeight={600}
          fontStyle="italic"
          fontFamily={FONT}
          fill={MUTED}
        >
          {line.text}
        </text>
      ))}
    </g>
  )
}
