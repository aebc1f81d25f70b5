import { useEffect, useLayoutEffect, useState } from 'react'
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
  const place = useSheetPlace(instrument === 'contactschema' || instrument === 'basisposter')
  if (instrument === 'contactschema') return <ContactTable place={place} />
  if (instrument === 'basisposter') return <PosterEditor place={place} />
  return null
}

/** Where a sheet goes, in px from the canvas's edges (inline style of the sheet). */
export interface SheetPlace {
  top: number
  left: number
  right: number
  bottom: number
}

/**
 * Where a sheet goes: the larger of the free areas the panels leave (below them, or beside the
 * people panel when it is open), so no panel covers it. Follows the panels as they change size
 * or come and go (a wrapped bar, the people list, focus mode).
 */
function useSheetPlace(enabled: boolean): SheetPlace | undefined {
  const editor = useEditor()
  const [place, setPlace] = useState<SheetPlace>()
  useLayoutEffect(() => {
    if (!enabled) return
    const container = editor.getContainer()
    const measure = () => {
      const { width, height } = container.getBoundingClientRect()
      const areas = freeAreas(container, width, height)
      // No free area at all (a phone with the people list open): the whole canvas.
      const area =
        areas.length === 0
          ? inset({ x: 0, y: 0, w: width, h: height })
          : areas.reduce((best, a) => (a.w * a.h > best.w * best.h ? a : best))
      const next = {
        top: Math.round(area.y),
        left: Math.round(area.x),
        right: Math.round(width - area.x - area.w),
        bottom: Math.round(height - area.y - area.h),
      }
      setPlace((prev) =>
        prev &&
        prev.top === next.top &&
        prev.left === next.left &&
        prev.right === next.right &&
        prev.bottom === next.bottom
          ? prev
          : next,
      )
    }
    const resizes = new ResizeObserver(measure)
    // Panels that mount later or are replaced (focus mode) are watched too.
    let frame = 0
    let watched: Element[] = []
    const watch = () => {
      frame = 0
      const panels = [container, ...container.querySelectorAll(PANELS)]
      if (panels.length !== watched.length || panels.some((p, i) => p !== watched[i])) {
        watched = panels
        resizes.disconnect()
        for (const panel of panels) resizes.observe(panel)
      }
      measure()
    }
    const mutations = new MutationObserver(() => {
      if (!frame) frame = requestAnimationFrame(watch)
    })
    const ui = container.querySelector('.tlui-layout')
    if (ui) mutations.observe(ui, { childList: true, subtree: true })
    watch()
    return () => {
      cancelAnimationFrame(frame)
      mutations.disconnect()
      resizes.disconnect()
    }
  }, [editor, enabled])
  return place
}

/**
 * A page seen for the first time on this device (its camera still at the origin) is zoomed so
 * its layout is in view, never beyond 100 %: the whole poster, family map and ring map; on the
 * life-events map the events (a lifetime's axis at once would make them too small to read).
 * The layout goes in the part of the screen that the panels on top (menu, people, sharing) and
 * the toolbar below leave free, so none of them covers a title.
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
    const viewport = editor.getViewportScreenBounds()
    const minZoom = editor.getCameraOptions().zoomSteps[0] ?? 0.1
    const cameraFor = (area: ScreenArea) => fitCamera(bounds, area, { maxZoom: 1, minZoom })
    const whole = cameraFor(inset({ x: 0, y: 0, w: viewport.w, h: viewport.h }))
    // The free area that shows the layout largest; the whole canvas when the panels leave
    // so little room that the layout would be drawn at less than half the size.
    const best = freeAreas(editor.getContainer(), viewport.w, viewport.h)
      .map(cameraFor)
      .reduce((a, b) => (b.z > a.z ? b : a), { x: 0, y: 0, z: 0 })
    editor.setCamera(best.z >= whole.z / 2 ? best : whole)
  }, [editor, pageId])
}

/** Space kept between the layout and the panels or the screen's edge (px). */
const FIT_GAP = 16

function inset(area: ScreenArea): ScreenArea {
  return {
    x: area.x + FIT_GAP,
    y: area.y + FIT_GAP,
    w: area.w - 2 * FIT_GAP,
    h: area.h - 2 * FIT_GAP,
  }
}

/**
 * The panels on top of the canvas, each with its parts (a wrapped bar's controls can reach below
 * the bar's own box); not the dialogs opened from them, and not the inspector of a selected
 * person (it comes and goes with the selection; a sheet or a page does not move for it). Left:
 * menu and people. Right: sharing, and what sits between it and the menu (banner, poster button).
 */
const LEFT_PANELS = '.atlas-left, .atlas-left > *'
const RIGHT_PANELS = '.atlas-bar, .atlas-bar > :not(dialog), .atlas-top, .atlas-top > *'
const PANELS = `${LEFT_PANELS}, ${RIGHT_PANELS}, .tlui-main-toolbar`

/**
 * The parts of the canvas (in its own pixels) that the panels leave free: below the panels at
 * the top (menu and people on the left, sharing on the right, the poster button between them),
 * and beside the people panel on the left (below the others); both above the toolbar.
 */
function freeAreas(container: HTMLElement, width: number, height: number): ScreenArea[] {
  const origin = container.getBoundingClientRect()
  const boxes = (selector: string) =>
    [...container.querySelectorAll(selector)].map((e) => {
      const r = e.getBoundingClientRect()
      return {
        right: r.right - origin.left,
        top: r.top - origin.top,
        bottom: r.bottom - origin.top,
      }
    })
  const left = boxes(LEFT_PANELS)
  const right = boxes(RIGHT_PANELS)
  const bottom = Math.min(height, ...boxes('.tlui-main-toolbar').map((b) => b.top))
  const belowAll = Math.max(0, ...left.map((b) => b.bottom), ...right.map((b) => b.bottom))
  const belowRight = Math.max(0, ...right.map((b) => b.bottom))
  const besideLeft = Math.max(0, ...left.map((b) => b.right))
  return [
    inset({ x: 0, y: belowAll, w: width, h: bottom - belowAll }),
    inset({ x: besideLeft, y: belowRight, w: width - besideLeft, h: bottom - belowRight }),
  ].filter((area) => area.w > 0 && area.h > 0)
}

/** A rectangle on the screen, in the canvas's pixels. */
interface ScreenArea {
  x: number
  y: number
  w: number
  h: number
}

/** The camera that shows `bounds` (page units) as large as fits in `area`, centred in it. */
function fitCamera(
  bounds: { x: number; y: number; w: number; h: number },
  area: ScreenArea,
  { maxZoom, minZoom }: { maxZoom: number; minZoom: number },
): { x: number; y: number; z: number } {
  const fits = Math.min(area.w / Math.max(bounds.w, 1), area.h / Math.max(bounds.h, 1))
  const z = Math.max(minZoom, Math.min(maxZoom, fits))
  // A page point p is drawn at (p + camera) * z: the centre of `bounds` goes to the centre of `area`.
  return {
    x: (area.x + area.w / 2) / z - (bounds.x + bounds.w / 2),
    y: (area.y + area.h / 2) / z - (bounds.y + bounds.h / 2),
    z,
  }
}
