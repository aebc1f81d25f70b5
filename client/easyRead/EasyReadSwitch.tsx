import { BookOpenText } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { setEasyRead, useEasyRead } from './state'

/**
 * The switch for easy-read ("Makkelijk lezen"): a toggle button with its pictogram and word,
 * pressed while easy-read is on. The choice stays on this device.
 */
export function EasyReadSwitch({ className }: { className?: string }) {
  const { t } = useTranslation()
  const on = useEasyRead()
  return (
    <button
      type="button"
      className={['button', 'easy-read-switch', className].filter(Boolean).join(' ')}
      aria-pressed={on}
      // The same words as shown, also where a narrow atlas bar shows only the pictogram.
      aria-label={t('easyRead.switch')}
      title={t('easyRead.switchHint')}
      onClick={() => setEasyRead(!on)}
      data-testid="easy-read-switch"
    >
      <BookOpenText aria-hidden="true" size={22} />{' '}
      <span className="easy-read-switch-word">{t('easyRead.switch')}</span>
    </button>
  )
}
