import { BookOpen, CircleHelp, type LucideIcon, Sparkles, ThumbsUp } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { HTMLContainer, Rectangle2d, type TLShape, useEditor, useValue } from 'tldraw'
import {
  type AtlasQuestion,
  backgroundShapeMigrations,
  POSTER_ID,
  type PosterArea,
  type PosterAreaShapeProps,
  posterAreaShapeProps,
} from '../../../../shared/schema/poster'
import { BackgroundShapeUtil } from './BackgroundShapeUtil'

/** An area of the basisposter. */
export type PosterAreaShape = TLShape<'poster-area'>

const AREA_LOOK: Record<PosterArea, { icon: LucideIcon; tint: string; ink: string }> = {
  story: { icon: BookOpen, tint: '#eef3fb', ink: '#2f4f7a' },
  goesWell: { icon: ThumbsUp, tint: '#edf7ee', ink: '#2e6b3a' },
  wishes: { icon: Sparkles, tint: '#fdf3e4', ink: '#85561a' },
  questions: { icon: CircleHelp, tint: '#f4effa', ink: '#5b3f86' },
}

/** Sort by fractional index, then id, so every device shows the same order. */
export function sortQuestions(questions: readonly AtlasQuestion[]): AtlasQuestion[] {
  return [...questions].sort((a, b) =>
    a.index === b.index ? (a.id < b.id ? -1 : 1) : a.index < b.index ? -1 : 1,
  )
}

function PosterAreaBody({ area }: { area: PosterArea }) {
  const editor = useEditor()
  const { t } = useTranslation()
  const text = useValue(
    'poster text',
    () => (area === 'questions' ? '' : (editor.store.get(POSTER_ID)?.[area] ?? '')),
    [editor, area],
  )
  const questions = useValue(
    'poster questions',
    () =>
      area === 'questions'
        ? sortQuestions(editor.store.query.records('question').get()).map((q) => q.text)
        : [],
    [editor, area],
  )
  const empty = (message: string) => (
    <p style={{ margin: 0, color: '#6b7880', fontStyle: 'italic' }}>{message}</p>
  )
  if (area === 'questions') {
    const shown = questions.filter((q) => q.trim())
    if (shown.length === 0) return empty(t('maps.poster.noQuestions'))
    return (
      <ol style={{ margin: 0, paddingLeft: '1.4em', display: 'grid', gap: 8 }}>
        {shown.map((q, i) => (
          // Questions may repeat word for word; position keeps them apart.
          // biome-ignore lint/suspicious/noArrayIndexKey: the list is rebuilt in order on change
          <li key={i}>{q}</li>
        ))}
      </ol>
    )
  }
  if (!text.trim()) return empty(t('maps.poster.empty'))
  return <p style={{ margin: 0 }}>{text}</p>
}

/** One area of the basisposter: a calm card with its title and the poster's text, wrapped. */
export function PosterAreaCard({ props }: { props: PosterAreaShapeProps }) {
  const { t } = useTranslation()
  const look = AREA_LOOK[props.area]
  const Icon = look.icon
  return (
    <div
      className="atlas-poster-area"
      style={{
        width: props.w,
        height: props.h,
        boxSizing: 'border-box',
        padding: '24px 28px',
        borderRadius: 24,
        background: look.tint,
        border: `3px solid ${look.ink}33`,
        color: '#1f2a30',
        fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
        overflow: 'hidden',
        display: 'flex',
        flexDirection: 'column',
        gap: 12,
      }}
    >
      <h2
        style={{
          margin: 0,
          display: 'flex',
          alignItems: 'center',
          gap: 12,
          fontSize: 30,
          lineHeight: 1.2,
          fontWeight: 700,
          color: look.ink,
        }}
      >
        <Icon size={34} strokeWidth={2.25} aria-hidden="true" />
        {t(`maps.poster.${props.area}`)}
      </h2>
      <div
        style={{
          fontSize: 22,
          lineHeight: 1.4,
          whiteSpace: 'pre-wrap',
          overflowWrap: 'anywhere',
          overflow: 'hidden',
          flex: 1,
        }}
      >
        <PosterAreaBody area={props.area} />
      </div>
    </div>
  )
}

/**
 * An area of the basisposter: story, what goes well, wishes (from the poster record) or the
 * questions for the plan (the question records, in order). Read live; edited elsewhere.
 */
export class PosterAreaShapeUtil extends BackgroundShapeUtil<PosterAreaShape> {
  static override type = 'poster-area' as const
  static override props = posterAreaShapeProps
  static override migrations = backgroundShapeMigrations.posterArea

  override getDefaultProps(): PosterAreaShapeProps {
    return { area: 'story', w: 640, h: 420 }
  }

  override getGeometry(shape: PosterAreaShape) {
    return new Rectangle2d({ width: shape.props.w, height: shape.props.h, isFilled: true })
  }

  override isAspectRatioLocked() {
    return false
  }

  override getText(shape: PosterAreaShape) {
    if (shape.props.area === 'questions') {
      return sortQuestions(this.editor.store.query.records('question').get())
        .map((q) => q.text)
        .join('\n')
    }
    return this.editor.store.get(POSTER_ID)?.[shape.props.area] ?? ''
  }

  override component(shape: PosterAreaShape) {
    return (
      <HTMLContainer>
        <PosterAreaCard props={shape.props} />
      </HTMLContainer>
    )
  }
}
