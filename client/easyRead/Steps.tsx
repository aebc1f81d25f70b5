import { ArrowLeft, ArrowRight } from 'lucide-react'
import { Fragment, type ReactNode, useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useEasyRead } from './state'

/**
 * The parts of a dialog: all at once, or in easy-read one per screen with "Terug" and
 * "Volgende". Every part stays mounted (the others hidden), so what was filled in or chosen in
 * one part is still there when the person comes back to it.
 */
export function Steps({ steps }: { steps: readonly ReactNode[] }) {
  const { t } = useTranslation()
  const easy = useEasyRead()
  const parts = steps.filter((step) => step !== null && step !== false && step !== undefined)
  const [at, setAt] = useState(0)
  const shown = Math.min(at, parts.length - 1)
  const stepRef = useRef<HTMLDivElement>(null)
  const moved = useRef(false)
  // After Terug or Volgende the keyboard and the screen reader start at the top of the new part.
  // biome-ignore lint/correctness/useExhaustiveDependencies: it runs when another part is shown
  useEffect(() => {
    if (!moved.current) return
    moved.current = false
    stepRef.current?.focus()
  }, [shown])
  if (!easy) {
    return (
      <>
        {parts.map((part, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts are fixed for a dialog
          <Fragment key={i}>{part}</Fragment>
        ))}
      </>
    )
  }
  const go = (to: number) => {
    moved.current = true
    setAt(to)
  }
  return (
    <>
      {parts.map((part, i) => (
        <div
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts are fixed for a dialog
          key={i}
          ref={i === shown ? stepRef : undefined}
          hidden={i !== shown}
          tabIndex={-1}
          className="easy-step"
        >
          {part}
        </div>
      ))}
      <div className="easy-steps-nav">
        {shown > 0 ? (
          <button type="button" className="button" onClick={() => go(shown - 1)}>
            <ArrowLeft aria-hidden="true" /> {t('easyRead.back')}
          </button>
        ) : (
          <span />
        )}
        <p data-testid="easy-step-count">
          {t('easyRead.step', { n: shown + 1, total: parts.length })}
        </p>
        {shown < parts.length - 1 ? (
          <button type="button" className="button primary" onClick={() => go(shown + 1)}>
            {t('easyRead.next')} <ArrowRight aria-hidden="true" />
          </button>
        ) : (
          <span />
        )}
      </div>
    </>
  )
}
