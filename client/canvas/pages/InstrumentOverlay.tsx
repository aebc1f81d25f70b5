import { useEffect } from 'react'
import { Box, useEditor, useValue } from 'tldraw'
import { instrumentOfPage } from '../../../shared/schema/pages'
import { ContactTable } from './ContactTable'
import { PosterEditor } from './PosterEditor'
import './instruments.css'

/**
 * What an instrument shows in front of its canvas: on the Contactschema the contact table, on
 * the Basisposter the editor of the poster's texts and the questions for the plan; nothing on
 * the other pages. Mount it in tldraw's `InFrontOfTheCanvas` slot.
 */
export function InstrumentOverlay() {
  const editor = useEditor()
  const instrument = useValue('instrument', () => instrumentOfPage(editor.getCurrentPageId()), [
    editor,
  ])
  useFitFreshPage()
  if (instrument === 'contactschema') return <ContactTable />
  if (instrument === 'basisposter') return <PosterEditor />
  return null
}

/**
 * A page seen for the first time on this device (its camera still at the origin) is zoomed so
 * its layout is in view, never beyond 100 %: the whole poster, family map and ring map; on the
 * life-events map the events (a lifetime's axis at once would make them too small to read).
 */
function useFitFreshPage() {
  const editor = useEditor()
  const pageId = useValue('page', () => editor.getCurrentPageId(), [editor])
  useEffect(() => {
    if (editor.getCurrentPageId() !== pageId) return
    const { x, y, z } = editor.getCamera()
    if (x !== 0 || y !== 0 || z !== 1) return
    const events = editor
      .getCurrentPageShapes()
      .filter((s) => s.type === 'event')
      .map((s) => editor.getShapePageBounds(s))
      .filter((b) => b !== undefined)
    const bounds =
      instrumentOfPage(pageId) === 'gebeurteniskaart' && events.length > 0
        ? Box.Common(events)
        : editor.getCurrentPageBounds()
    if (!bounds) return
    editor.zoomToBounds(bounds, { targetZoom: 1, inset: 64 })
  }, [editor, pageId])
}
