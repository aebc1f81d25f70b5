import { useEffect, useLayoutEffect, useState } from 'react'
import { Box, useEditor, useValue } from 'tldraw'
import { type Instrument, instrumentOfPage } from '../../../shared/schema/pages'
import { EVENT_NAMES_SIZE } from '../shapes/event/EventShapeUtil'
import { NAME_SIZE } from '../shapes/person/PersonGlyph'
import { ContactTable } from './ContactTable'
import { EmptyTimelineHint } from './EmptyTimelineHint'
import { MapLegend } from './MapLegend'
import { PosterEditor } from './PosterEditor'
import type { SheetPlace } from './sheetPlace'
import './instruments.css'

/**
 * What an instrument shows in front of its canvas: on the Contactschema the contact table, on
 * the Basisposter the editor of the poster's texts and the questions for the plan, on the
 * Relatiekaart its legend, on an empty Gebeurteniskaart how to add an event. Mount it in
 * tldraw's `InFrontOfTheCanvas` slot.
 */
export function InstrumentOverlay() {
  const editor = useEditor()
  const instrument = useValue('instrument', () => instrumentOfPage(editor.getCurrentPageId()), [
    editor,
  ])
  useFitFreshPage()
  const place = useSheetPlace(
    instrument === 'contactschema' ||
      instrument === 'basisposter' ||
      instrument === 'gebeurteniskaart',
  )
  if (instrument === 'contactschema') return <ContactTable place={place} />
  if (instrument === 'basisposter') return <PosterEditor place={place} />
  if (instrument === 'relatiekaart') return <MapLegend instrument={instrument} />
  if (instrument === 'gebeurteniskaart') return <EmptyTimelineHint place={place} />
  return null
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

/** The smallest a name may be on the screen when a map opens (px). */
export const READABLE_NAME_PX = 12

/** How large (page px) the names are written on each map. */
const NAME_PX: Partial<Record<Instrument, number>> = {
  familiekaart: NAME_SIZE.genogram,
  relatiekaart: NAME_SIZE.card,
  gebeurteniskaart: EVENT_NAMES_SIZE,
}

/**
 * A page seen for the first time on this device (its camera still at the origin) is zoomed so
 * its layout is in view, never beyond 100 %: the whole poster, family map and ring map; on the
 * life-events map the events (a lifetime's axis at once would make them too small to read).
 * On a map the names must be readable (at least `READABLE_NAME_PX`): when the whole does not
 * fit at that size, the map opens at that size around its people (or events), and zooming out
 * shows the rest. The layout goes in the part of the screen that the panels on top (menu,
 * people, sharing, legend) and the toolbar below leave free, so none of them covers a title.
 */
function useFitFreshPage() {
  const editor = useEditor()
  const pageId = useValue('page', () => editor.getCurrentPageId(), [editor])
  useEffect(() => {
    if (editor.getCurrentPageId() !== pageId) return
    const { x, y, z } = editor.getCamera()
    if (x !== 0 || y !== 0 || z !== 1) return
    const instrument = instrumentOfPage(pageId)
    const shapes = editor.getCurrentPageShapes()
    const boundsOf = (type: string) =>
      shapes
        .filter((s) => s.type === type)
        .map((s) => editor.getShapePageBounds(s))
        .filter((b) => b !== undefined)
    const events = boundsOf('event')
    const bounds =
      instrument === 'gebeurteniskaart' && events.length > 0
        ? Box.Common(events)
        : editor.getCurrentPageBounds()
    if (!bounds) return
    const viewport = editor.getViewportScreenBounds()
    const minZoom = editor.getCameraOptions().zoomSteps[0] ?? 0.1
    const cameraFor = (area: ScreenArea) => fitCamera(bounds, area, { maxZoom: 1, minZoom })
    const screen = inset({ x: 0, y: 0, w: viewport.w, h: viewport.h })
    // The free area that shows the layout largest; the whole canvas when the panels leave
    // so little room that the layout would be drawn at less than half the size.
    const free = freeAreas(editor.getContainer(), viewport.w, viewport.h)
    const best = free
      .map((area) => ({ area, camera: cameraFor(area) }))
      .reduce((a, b) => (b.camera.z > a.camera.z ? b : a), {
        area: screen,
        camera: { x: 0, y: 0, z: 0 },
      })
    const whole = { area: screen, camera: cameraFor(screen) }
    const chosen = best.camera.z >= whole.camera.z / 2 ? best : whole
    const people = boundsOf('person')
    // Only names need a readable size: an empty axis shows whole.
    const nameSize =
      instrument && (people.length > 0 || events.length > 0) ? NAME_PX[instrument] : undefined
    // A whole percent, rounded up: the names are never a hair under the size.
    const readable = nameSize ? Math.ceil((100 * READABLE_NAME_PX) / nameSize) / 100 : 0
    if (chosen.camera.z >= readable) {
      editor.setCamera(chosen.camera)
      return
    }
    // Too small to read: the people (or the events) at a readable size, in the middle of the
    // free area; what does not fit is a zoom-out away.
    const items = events.length > 0 ? events : people.length > 0 ? people : [bounds]
    const panels = panelRects(editor.getContainer(), `${PANELS}, ${CORNER_PANELS}`)
    editor.setCamera(bestCroppedCamera(items, chosen.area, readable, panels))
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

/** A map's legend, in the bottom right corner: the map keeps clear of it too. */
const CORNER_PANELS = '.map-legend'

/** Screen rectangles (the canvas's pixels) of the elements that match `selector`. */
function panelRects(container: HTMLElement, selector: string): ScreenArea[] {
  const origin = container.getBoundingClientRect()
  return [...container.querySelectorAll(selector)].map((e) => {
    const r = e.getBoundingClientRect()
    return { x: r.left - origin.left, y: r.top - origin.top, w: r.width, h: r.height }
  })
}

/**
 * The parts of the canvas (in its own pixels) that the panels leave free: below the panels at
 * the top (menu and people on the left, sharing on the right, the poster button between them),
 * and beside the people panel on the left (below the others); both above the toolbar, and
 * left of or above a legend in the bottom right corner.
 */
function freeAreas(container: HTMLElement, width: number, height: number): ScreenArea[] {
  const left = panelRects(container, LEFT_PANELS)
  const right = panelRects(container, RIGHT_PANELS)
  const bottom = Math.min(height, ...panelRects(container, '.tlui-main-toolbar').map((b) => b.y))
  const belowAll = Math.max(0, ...left.map((b) => b.y + b.h), ...right.map((b) => b.y + b.h))
  const belowRight = Math.max(0, ...right.map((b) => b.y + b.h))
  const besideLeft = Math.max(0, ...left.map((b) => b.x + b.w))
  let areas: ScreenArea[] = [
    { x: 0, y: belowAll, w: width, h: bottom - belowAll },
    { x: besideLeft, y: belowRight, w: width - besideLeft, h: bottom - belowRight },
  ]
  for (const corner of panelRects(container, CORNER_PANELS)) {
    areas = areas.flatMap((a) =>
      overlaps(a, corner)
        ? [
            { ...a, w: corner.x - a.x },
            { ...a, h: corner.y - a.y },
          ]
        : [a],
    )
  }
  return areas.map(inset).filter((area) => area.w > 0 && area.h > 0)
}

function overlaps(a: ScreenArea, b: ScreenArea): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
}

/**
 * The camera at zoom `z` that shows the most of `items` (page boxes: the people) whole inside
 * `area`, with as few as possible under a panel, when they do not all fit: the view slides
 * over them, and between equal views the one nearest their middle wins.
 */
function bestCroppedCamera(
  items: readonly Box[],
  area: ScreenArea,
  z: number,
  panels: readonly ScreenArea[],
): { x: number; y: number; z: number } {
  const all = Box.Common([...items])
  const view = { w: area.w / z, h: area.h / z }
  const along = (min: number, size: number, span: number) => {
    if (size <= span) return [min + size / 2]
    const steps = 12
    return Array.from({ length: steps + 1 }, (_, i) => min + span / 2 + ((size - span) * i) / steps)
  }
  let best = { camera: { x: 0, y: 0, z }, score: Number.NEGATIVE_INFINITY }
  for (const cx of along(all.x, all.w, view.w)) {
    for (const cy of along(all.y, all.h, view.h)) {
      // A page point p is drawn at (p + camera) * z.
      const camera = { x: (area.x + area.w / 2) / z - cx, y: (area.y + area.h / 2) / z - cy, z }
      let score = 0
      for (const item of items) {
        const screen = {
          x: (item.x + camera.x) * z,
          y: (item.y + camera.y) * z,
          w: item.w * z,
          h: item.h * z,
        }
        const whole =
          screen.x >= area.x &&
          screen.y >= area.y &&
          screen.x + screen.w <= area.x + area.w &&
          screen.y + screen.h <= area.y + area.h
        if (whole) score += 1
        else if (panels.some((p) => overlaps(screen, p))) score -= 2
      }
      score -= Math.hypot(cx - all.center.x, cy - all.center.y) * 1e-6
      if (score > best.score) best = { camera, score }
    }
  }
  return best.camera
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
