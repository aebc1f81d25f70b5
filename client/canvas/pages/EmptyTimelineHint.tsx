import { CalendarPlus } from 'lucide-react'
import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import { useEditor, useValue } from 'tldraw'
import { createEvent, EVENT_TOOL_ID } from '../shapes/event/EventTool'
import type { SheetPlace } from './sheetPlace'

/**
 * On a life-events map without events: a calm note at the top of the free part of the screen
 * that says how to add one (and, for someone who may draw, a button that picks the tool). It
 * goes away with the first event.
 */
export function EmptyTimelineHint({ place }: { place?: SheetPlace }) {
  const editor = useEditor()
  const { t } = useTranslation()
  const titleId = useId()
  const empty = useValue(
    'no events',
    () => !editor.getCurrentPageShapes().some((s) => s.type === 'event'),
    [editor],
  )
  const readonly = useValue('readonly', () => editor.getIsReadonly(), [editor])
  if (!empty || !place) return null
  return (
    <section
      className="atlas-panel empty-timeline-hint"
      style={{ top: place.top + 8, left: place.left, right: place.right }}
      aria-labelledby={titleId}
      data-testid="empty-timeline-hint"
    >
      <CalendarPlus aria-hidden="true" size={28} />
      <div>
        <h2 id={titleId}>{t('maps.emptyTimeline.title')}</h2>
        <p>{readonly ? t('maps.emptyTimeline.view') : t('maps.emptyTimeline.edit')}</p>
        {!readonly && (
          <button
            type="button"
            className="button"
            // A press of Enter or Space (no pointer, detail 0) cannot place the tool: it makes
            // the event in the middle of the screen instead.
            onClick={(e) =>
              e.detail === 0 ? createEvent(editor) : editor.setCurrentTool(EVENT_TOOL_ID)
            }
          >
            <CalendarPlus aria-hidden="true" size={20} /> {t('maps.tools.event')}
          </button>
        )}
      </div>
    </section>
  )
}
