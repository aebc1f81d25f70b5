import { CalendarPlus, MousePointer2, Spline, Undo2, UserRound } from 'lucide-react'
import type { MouseEvent, ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { useEditor, useValue } from 'tldraw'
import { createEvent } from './shapes/event'
import { createPerson } from './shapes/person'

interface EasyTool {
  id: 'select' | 'person' | 'relation' | 'event'
  icon: ReactNode
  /** What a press without a pointer (Enter or Space) does: a tool that waits for a tap cannot be placed. */
  withoutPointer?: (editor: ReturnType<typeof useEditor>) => void
}

const EASY_TOOLS: readonly EasyTool[] = [
  { id: 'select', icon: <MousePointer2 aria-hidden="true" size={26} /> },
  {
    id: 'person',
    icon: <UserRound aria-hidden="true" size={26} />,
    withoutPointer: (editor) => createPerson(editor),
  },
  { id: 'relation', icon: <Spline aria-hidden="true" size={26} /> },
  {
    id: 'event',
    icon: <CalendarPlus aria-hidden="true" size={26} />,
    withoutPointer: (editor) => createEvent(editor),
  },
]

/**
 * The toolbar of easy-read: five large buttons, each a pictogram with its word: choose and move,
 * person, relation, event, and undo. A link that only looks gets "choose" alone.
 */
export function EasyToolbar() {
  const editor = useEditor()
  const { t } = useTranslation()
  const current = useValue('current tool', () => editor.getCurrentToolId(), [editor])
  const readonly = useValue('readonly', () => editor.getIsReadonly(), [editor])
  const canUndo = useValue('can undo', () => editor.getCanUndo(), [editor])
  const label = (id: EasyTool['id']) =>
    id === 'select' ? t('atlas.tools.select') : t(`people.tools.${id}`)
  const tools = readonly ? EASY_TOOLS.filter((tool) => tool.id === 'select') : EASY_TOOLS
  const choose = (tool: EasyTool, e: MouseEvent) => {
    // Enter or Space on a button is a click without a pointer (detail 0).
    if (e.detail === 0 && tool.withoutPointer) tool.withoutPointer(editor)
    else editor.setCurrentTool(tool.id)
  }
  return (
    <div
      className="easy-toolbar"
      role="toolbar"
      aria-label={t('easyRead.toolbar')}
      data-testid="easy-toolbar"
    >
      {tools.map((tool) => (
        <button
          key={tool.id}
          type="button"
          className="button"
          aria-pressed={current === tool.id}
          data-tool={tool.id}
          onClick={(e) => choose(tool, e)}
        >
          {tool.icon}
          <span>{label(tool.id)}</span>
        </button>
      ))}
      {!readonly && (
        <button
          type="button"
          className="button"
          data-tool="undo"
          disabled={!canUndo}
          onClick={() => editor.undo()}
        >
          <Undo2 aria-hidden="true" size={26} />
          <span>{t('easyRead.undo')}</span>
        </button>
      )}
    </div>
  )
}
