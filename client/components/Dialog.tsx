import { X } from 'lucide-react'
import { type ReactNode, useEffect, useId, useRef } from 'react'
import { useTranslation } from 'react-i18next'

/**
 * A modal built on the native <dialog>: focus is trapped and Escape closes it, as screen readers
 * and keyboard users expect.
 */
export function Dialog({
  title,
  onClose,
  children,
  closable = true,
  className,
}: {
  title: string
  onClose: () => void
  children: ReactNode
  closable?: boolean
  /** A class beside `dialog`, for a dialog that needs another width. */
  className?: string
}) {
  const { t } = useTranslation()
  const ref = useRef<HTMLDialogElement>(null)
  const titleId = useId()
  const close = useRef({ onClose, closable })
  close.current = { onClose, closable }
  useEffect(() => {
    const dialog = ref.current
    if (dialog && !dialog.open) dialog.showModal()
    // A dialog opened from tldraw's panels sits inside its container, whose own listener takes
    // Escape while something is chosen on the canvas: it prevents the dialog's cancel and pulls
    // the focus to the canvas. So the dialog answers Escape itself, before the container hears it.
    const onEscape = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.isComposing) return
      e.preventDefault()
      e.stopPropagation()
      if (close.current.closable) close.current.onClose()
    }
    dialog?.addEventListener('keydown', onEscape)
    return () => {
      dialog?.removeEventListener('keydown', onEscape)
      dialog?.close()
    }
  }, [])
  return (
    <dialog
      ref={ref}
      className={className ? `dialog ${className}` : 'dialog'}
      aria-labelledby={titleId}
      // Keys typed in a dialog are for the dialog: the canvas's shortcuts (P, R, …) must not fire.
      onKeyDown={(e) => e.stopPropagation()}
      onKeyUp={(e) => e.stopPropagation()}
      onCancel={(e) => {
        e.preventDefault()
        if (closable) onClose()
      }}
    >
      <div className="dialog-head">
        <h2 id={titleId}>{title}</h2>
        {closable && (
          <button
            type="button"
            className="icon-button"
            onClick={onClose}
            aria-label={t('share.close')}
          >
            <X aria-hidden="true" />
          </button>
        )}
      </div>
      {children}
    </dialog>
  )
}
