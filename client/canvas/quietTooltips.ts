import { useEffect } from 'react'
import { hideAllTooltips, useEditor } from 'tldraw'

/**
 * Keeps the page menu's tooltip from staying over the people panel. The page menu's button has the
 * page's name as its tooltip (the words on the button itself), right over "Mensen". tldraw shows a
 * tooltip also when a button gets the focus, and a closing page menu gives the focus back to its
 * button (Escape after choosing a page): the tooltip then stayed for as long as the button kept the
 * focus. Shown for the focus it says nothing the button does not, so it goes; the mouse still
 * gets it.
 */
export function useQuietTooltips(): void {
  const editor = useEditor()
  useEffect(() => {
    const doc = editor.getContainer().ownerDocument
    const onFocusIn = (event: FocusEvent) => {
      if (event.target instanceof Element && event.target.closest('.tlui-page-menu__trigger'))
        // After tldraw's own focus handler has asked for the tooltip.
        setTimeout(hideAllTooltips)
    }
    doc.addEventListener('focusin', onFocusIn, true)
    return () => doc.removeEventListener('focusin', onFocusIn, true)
  }, [editor])
}
