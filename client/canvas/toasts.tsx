import { useEffect } from 'react'
import { DefaultToasts, react, useToasts } from 'tldraw'
import { useEasyRead } from '../easyRead/state'

/**
 * tldraw's notices (toasts). In easy-read none closes by itself: every notice, ours and
 * tldraw's own (a paste that failed, a page full of shapes), stays until it is closed.
 */
export function AtlasToasts() {
  const easy = useEasyRead()
  const { toasts } = useToasts()
  useEffect(() => {
    if (!easy) return
    return react('easy-read notices stay', () => {
      const list = toasts.get()
      if (list.every((toast) => toast.keepOpen)) return
      toasts.set(list.map((toast) => (toast.keepOpen ? toast : { ...toast, keepOpen: true })))
    })
  }, [easy, toasts])
  return <DefaultToasts />
}
