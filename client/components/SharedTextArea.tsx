import { type Ref, type TextareaHTMLAttributes, useCallback, useLayoutEffect, useRef } from 'react'
import { mapIndex, mergeText } from '../../shared/sync/text'

type SharedTextAreaProps = Omit<
  TextareaHTMLAttributes<HTMLTextAreaElement>,
  'value' | 'defaultValue' | 'onChange'
> & {
  value: string
  /** The whole new text: this person's change, on top of what others typed meanwhile. */
  onChange: (value: string) => void
  ref?: Ref<HTMLTextAreaElement>
}

/**
 * A text area for a text that others may change while this person types in it. A change from
 * someone else keeps his caret and selection at their place in his own text (a controlled text
 * area would put the caret at the end), and waits while he composes a character (IME). What he
 * types is his change to the text he saw, put on top of the latest text.
 */
export function SharedTextArea({
  value,
  onChange,
  ref,
  onCompositionStart,
  onCompositionEnd,
  ...props
}: SharedTextAreaProps) {
  const element = useRef<HTMLTextAreaElement | null>(null)
  /** The text this person saw before his last key: what the area last showed of the record. */
  const shown = useRef(value)
  const latest = useRef(value)
  latest.current = value
  const composing = useRef(false)

  /** Shows `next`, moving the caret and selection with the text around them. */
  const show = useCallback((next: string) => {
    const area = element.current
    shown.current = next
    if (!area || area.value === next) return
    const before = area.value
    const focused = area.ownerDocument.activeElement === area
    const { selectionStart, selectionEnd, selectionDirection } = area
    area.value = next
    if (focused) {
      area.setSelectionRange(
        mapIndex(before, next, selectionStart),
        mapIndex(before, next, selectionEnd),
        selectionDirection,
      )
    }
  }, [])

  useLayoutEffect(() => {
    if (!composing.current) show(value)
  }, [value, show])

  return (
    <textarea
      {...props}
      ref={(area) => {
        element.current = area
        if (typeof ref === 'function') ref(area)
        else if (ref) ref.current = area
      }}
      defaultValue={value}
      onChange={(e) => {
        const typed = e.currentTarget.value
        const base = shown.current
        shown.current = typed
        onChange(latest.current === base ? typed : mergeText(base, typed, latest.current))
      }}
      onCompositionStart={(e) => {
        composing.current = true
        onCompositionStart?.(e)
      }}
      onCompositionEnd={(e) => {
        composing.current = false
        show(latest.current)
        onCompositionEnd?.(e)
      }}
    />
  )
}
