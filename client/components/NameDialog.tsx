import { Check } from 'lucide-react'
import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useEasyRead } from '../easyRead/state'
import { Dialog } from './Dialog'
import { ReadAloud } from './ReadAloud'

/** Asks the participant's name once; it is kept on this device and shown at his cursor. */
export function NameDialog({
  initial,
  onSave,
  onClose,
}: {
  initial: string
  onSave: (name: string) => void
  onClose?: () => void
}) {
  const { t } = useTranslation()
  const [name, setName] = useState(initial)
  const [missing, setMissing] = useState(false)
  const easy = useEasyRead()
  function submit(e: FormEvent) {
    e.preventDefault()
    const trimmed = name.trim()
    if (!trimmed) {
      setMissing(true)
      return
    }
    onSave(trimmed.slice(0, 60))
  }
  return (
    <Dialog title={t('name.title')} onClose={onClose ?? (() => {})} closable={Boolean(onClose)}>
      <form onSubmit={submit} noValidate className="stack">
        <p>{t('name.intro')}</p>
        {easy && <ReadAloud text={`${t('name.title')} ${t('name.intro')}`} />}
        <label htmlFor="participant-name">{t('name.label')}</label>
        <input
          id="participant-name"
          value={name}
          maxLength={60}
          autoComplete="given-name"
          onChange={(e) => setName(e.target.value)}
          aria-invalid={missing ? true : undefined}
        />
        {missing && (
          <p className="error-text" role="alert">
            {t('home.nameRequired')}
          </p>
        )}
        <button type="submit" className="button primary">
          <Check aria-hidden="true" /> {t('name.save')}
        </button>
      </form>
    </Dialog>
  )
}
