import { CloudRain, Sun } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { HTMLContainer, Rectangle2d, ShapeUtil, type TLShape, useEditor, useValue } from 'tldraw'
import { datePrecision } from '../../../../shared/domain/timeline'
import {
  type EventShapeProps,
  eventShapeMigrations,
  eventShapeProps,
} from '../../../../shared/schema/event'
import type { AtlasPersonId } from '../../../../shared/schema/person'

/** A life event on the life-events map. */
export type EventShape = TLShape<'event'>

/** Size of a new event card. */
export const EVENT_SIZE = { w: 260, h: 150 } as const

/** The size (page px) of the names of the persons on an event card. */
export const EVENT_NAMES_SIZE = 16

/** Colours of a high point (warm) and a low point (cool). */
export const MOOD_LOOK = {
  high: { background: '#fff3d6', border: '#d9a21b', ink: '#6b4b05' },
  low: { background: '#e3ecf7', border: '#5b7fa6', ink: '#23405f' },
} as const

/** The words "no title yet" on a card: 4.5:1 or more on both moods' backgrounds. */
export const UNTITLED_INK = '#5f6976'

/** A date as people say it: "2021", "juni 2021", "14 juni 2021" (or English). */
export function formatEventDate(date: string, language: string): string {
  const precision = datePrecision(date)
  if (!precision || precision === 'year') return date
  const [y, m, d] = date.split('-').map(Number) as [number, number, number?]
  const value = new Date(Date.UTC(y, m - 1, d ?? 1))
  return new Intl.DateTimeFormat(language, {
    timeZone: 'UTC',
    year: 'numeric',
    month: 'long',
    ...(precision === 'day' ? { day: 'numeric' } : {}),
  }).format(value)
}

/** The names of the persons involved, read live from their person records. */
function usePersonNames(personIds: readonly string[]): string[] {
  const editor = useEditor()
  const { t } = useTranslation()
  const names = useValue(
    'event person names',
    () => personIds.map((id) => editor.store.get(id as AtlasPersonId)?.name ?? null).join('\u0000'),
    [editor, personIds],
  )
  if (personIds.length === 0) return []
  return names.split('\u0000').map((n) => n || t('maps.event.unknownPerson'))
}

/** The card of an event: mood pictogram and colour, date, title, persons, what helped. */
export function EventCard({ props }: { props: EventShapeProps }) {
  const { t, i18n } = useTranslation()
  const names = usePersonNames(props.personIds)
  const look = MOOD_LOOK[props.mood]
  const Icon = props.mood === 'high' ? Sun : CloudRain
  const line = { margin: 0, overflow: 'hidden', textOverflow: 'ellipsis' } as const
  return (
    <div
      style={{
        width: props.w,
        height: props.h,
        boxSizing: 'border-box',
        padding: '10px 14px',
        borderRadius: 16,
        background: look.background,
        border: `3px solid ${look.border}`,
        color: '#1f2a30',
        fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
        overflow: 'hidden',
        display: 'flex',
        flexDirection: 'column',
        gap: 4,
      }}
    >
      <div style={{ display: 'flex', alignItems: 'center', gap: 8, color: look.ink }}>
        <Icon size={26} strokeWidth={2.25} aria-label={t(`maps.event.${props.mood}`)} />
        <span style={{ fontSize: 18, fontWeight: 700 }}>
          {formatEventDate(props.date, i18n.language)}
        </span>
      </div>
      <p
        style={{
          ...line,
          fontSize: 19,
          fontWeight: 700,
          lineHeight: 1.25,
          display: '-webkit-box',
          WebkitLineClamp: 2,
          WebkitBoxOrient: 'vertical',
          color: props.title ? undefined : UNTITLED_INK,
        }}
      >
        {props.title || t('maps.event.untitled')}
      </p>
      {names.length > 0 && (
        <p style={{ ...line, fontSize: EVENT_NAMES_SIZE, whiteSpace: 'nowrap' }}>
          {t('maps.event.with', { names: names.join(', ') })}
        </p>
      )}
      {props.helped && (
        <p style={{ ...line, fontSize: 15, whiteSpace: 'nowrap', color: '#44525a' }}>
          {t('maps.event.helped', { text: props.helped })}
        </p>
      )}
    </div>
  )
}

/**
 * Draws an event as a card: its colour and pictogram show a high point (sun) or a low point
 * (rain); the names of the persons involved are read live from the atlas.
 */
export class EventShapeUtil extends ShapeUtil<EventShape> {
  static override type = 'event' as const
  static override props = eventShapeProps
  static override migrations = eventShapeMigrations

  override getDefaultProps(): EventShapeProps {
    return {
      date: String(new Date().getFullYear()),
      title: '',
      description: '',
      mood: 'high',
      helped: '',
      personIds: [],
      w: EVENT_SIZE.w,
      h: EVENT_SIZE.h,
    }
  }

  override getGeometry(shape: EventShape) {
    return new Rectangle2d({ width: shape.props.w, height: shape.props.h, isFilled: true })
  }

  override component(shape: EventShape) {
    return (
      <HTMLContainer>
        <EventCard props={shape.props} />
      </HTMLContainer>
    )
  }

  override getIndicatorPath(shape: EventShape) {
    const path = new Path2D()
    path.roundRect(0, 0, shape.props.w, shape.props.h, 16)
    return path
  }

  override getText(shape: EventShape) {
    return [shape.props.date, shape.props.title].filter(Boolean).join(' ')
  }

  override canEdit() {
    return false
  }
  override canResize() {
    return false
  }
  override hideResizeHandles() {
    return true
  }
  override hideRotateHandle() {
    return true
  }
}
