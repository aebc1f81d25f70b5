import { ChevronDown, ChevronUp, Info } from 'lucide-react'
import { createElement, useId, useLayoutEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useEditor } from 'tldraw'
import type { Instrument } from '../../../shared/schema/pages'
import { legendFor, SIGN_SIZE, signParts } from '../legend'
import { useKeysStayHere } from '../people/useKeysStayHere'

const STORAGE_KEY = 'netwerkatlas:legend-open'

/**
 * Whether the legend is open: as last chosen on this device. At first it is open only on a
 * screen large enough to show the map's people beside it at a readable size.
 */
function useLegendOpen(): [boolean, (open: boolean) => void] {
  const [open, setOpen] = useState(() => {
    const stored = globalThis.localStorage?.getItem(STORAGE_KEY)
    if (stored === 'open' || stored === 'closed') return stored === 'open'
    return window.innerWidth >= 1400 && window.innerHeight >= 850
  })
  return [
    open,
    (next) => {
      localStorage.setItem(STORAGE_KEY, next ? 'open' : 'closed')
      setOpen(next)
    },
  ]
}

/**
 * Room for the legend between tldraw's toolbar and the atlas bar: its distance from the bottom
 * of the canvas (above the toolbar), and from the top (below the bar, which wraps onto more rows
 * on a narrow or zoomed-in screen).
 */
function useRoom(): { bottom: number; top: number } {
  const editor = useEditor()
  const [room, setRoom] = useState({ bottom: 56, top: 80 })
  useLayoutEffect(() => {
    const container = editor.getContainer()
    const resizes = new ResizeObserver(() => measure())
    const watched = new Set<Element>()
    function measure() {
      const box = container.getBoundingClientRect()
      const toolbar = container.querySelector('.tlui-main-toolbar')
      const bar = container.querySelector('.atlas-bar')
      // Either may appear after the legend: each is watched from when it is there.
      for (const part of [toolbar, bar]) {
        if (part && !watched.has(part)) {
          watched.add(part)
          resizes.observe(part)
        }
      }
      setRoom((room) => {
        const bottom = toolbar
          ? Math.max(0, Math.round(box.bottom - toolbar.getBoundingClientRect().top)) + 8
          : room.bottom
        const top = bar
          ? Math.max(0, Math.round(bar.getBoundingClientRect().bottom - box.top)) + 8
          : room.top
        return bottom === room.bottom && top === room.top ? room : { bottom, top }
      })
    }
    measure()
    resizes.observe(container)
    const frame = requestAnimationFrame(measure)
    return () => {
      cancelAnimationFrame(frame)
      resizes.disconnect()
    }
  }, [editor])
  return room
}

/** SVG attribute names as React spells them ("stroke-width" → "strokeWidth"). */
const reactAttrs = (attrs: Record<string, string | number>) =>
  Object.fromEntries(
    Object.entries(attrs).map(([k, v]) => [k.replace(/-([a-z])/g, (_, c) => c.toUpperCase()), v]),
  )

/**
 * What the signs of a map mean, in a small panel in the bottom right corner that folds away
 * (the choice is kept on this device). The same signs and words as the printed legend.
 */
export function MapLegend({ instrument }: { instrument: Instrument }) {
  const { t } = useTranslation()
  const [open, setOpen] = useLegendOpen()
  const ref = useKeysStayHere<HTMLElement>()
  const bodyId = useId()
  const { bottom, top } = useRoom()
  const legend = legendFor(instrument)
  if (!legend) return null
  return (
    <section
      ref={ref}
      className={open ? 'atlas-panel map-legend' : 'atlas-panel map-legend folded'}
      aria-label={legend.title}
      style={{ bottom, maxHeight: `calc(100% - ${bottom + top}px)` }}
      data-testid="map-legend"
    >
      <button
        type="button"
        className="map-legend-toggle"
        aria-expanded={open}
        aria-controls={bodyId}
        title={open ? t('maps.legend.hide') : t('maps.legend.show')}
        onClick={() => setOpen(!open)}
      >
        <Info aria-hidden="true" size={20} />
        <span>{legend.title}</span>
        {open ? (
          <ChevronDown aria-hidden="true" size={20} />
        ) : (
          <ChevronUp aria-hidden="true" size={20} />
        )}
      </button>
      <ul id={bodyId} hidden={!open}>
        {legend.items.map((item) => (
          <li key={item.sign}>
            <svg
              viewBox={`0 0 ${SIGN_SIZE.w} ${SIGN_SIZE.h}`}
              width={SIGN_SIZE.w * 4}
              height={SIGN_SIZE.h * 4}
              aria-hidden="true"
            >
              {signParts(item.sign, 0, 0, 1).map((part, i) =>
                createElement(part.name, { key: `${part.name}-${i}`, ...reactAttrs(part.attrs) }),
              )}
            </svg>
            <span>{item.text}</span>
          </li>
        ))}
      </ul>
    </section>
  )
}
