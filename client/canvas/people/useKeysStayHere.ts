import { useEffect, useRef } from 'react'

/**
 * Keeps key presses inside a panel: the canvas listens for shortcuts (Delete, arrows, letters)
 * on its container, and a key meant for a checkbox or a list must not delete or move a shape.
 * The keys stop here natively, so React's onKeyDown does not see them either: inside the panel,
 * listen natively (see TextField's Enter).
 */
export function useKeysStayHere<E extends HTMLElement>(): React.RefObject<E | null> {
  const ref = useRef<E>(null)
  useEffect(() => {
    const element = ref.current
    if (!element) return
    const stop = (e: KeyboardEvent) => e.stopPropagation()
    element.addEventListener('keydown', stop)
    element.addEventListener('keyup', stop)
    return () => {
      element.removeEventListener('keydown', stop)
      element.removeEventListener('keyup', stop)
    }
  })
  return ref
}
