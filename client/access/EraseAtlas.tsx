import { ArrowLeft, ArrowRight, Check, Download, Trash2 } from 'lucide-react'
import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type * as Y from 'yjs'
import { atlasFileName, buildAtlasFile } from '../../shared/api/atlasFile'
import { ApiFailure, eraseAtlas, noteExport } from '../lib/api'
import { withPlan } from '../sync/planSource'
import type { AtlasAccess } from './access'
import { useAccessControl } from './control'

type Step = 'start' | 'first' | 'second'

/**
 * "Atlas verwijderen": offers the atlas file first, then asks twice, then deletes the atlas on
 * the server; the page then says it was deleted and the device removes its copy and links.
 */
export function EraseAtlas({
  access,
  doc,
  onBack,
}: {
  access: AtlasAccess
  doc: Y.Doc | null
  onBack: () => void
}) {
  const { t } = useTranslation()
  const control = useAccessControl()
  const [step, setStep] = useState<Step>('start')
  const [saved, setSaved] = useState<'yes' | 'no-doc' | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const focus = useRef<HTMLElement | null>(null)
  // Each step puts the focus on its safe choice: Enter or a second tap never deletes by accident.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the step moves the focus
  useEffect(() => focus.current?.focus(), [step])

  async function saveFile() {
    if (!doc) {
      setSaved('no-doc')
      return
    }
    // The last copy before the atlas is gone: with the plan and its versions.
    const { value: json } = await withPlan(access, (plan) =>
      JSON.stringify(buildAtlasFile(doc, access.title, new Date(), plan)),
    )
    const url = URL.createObjectURL(new Blob([json], { type: 'application/json' }))
    const link = document.createElement('a')
    link.href = url
    link.download = atlasFileName(access.title)
    link.rel = 'noopener'
    document.body.append(link)
    link.click()
    link.remove()
    setTimeout(() => URL.revokeObjectURL(url), 60_000)
    noteExport(access.id, access.token, 'atlas-file')
    setSaved('yes')
  }

  async function erase() {
    setBusy(true)
    setError(null)
    try {
      await eraseAtlas(access.id, access.token)
      control.refuse('erased')
    } catch (err) {
      const reason =
        err instanceof ApiFailure && err.status === 410
          ? null
          : err instanceof ApiFailure && err.status !== 0
            ? t('access.links.serverProblem')
            : t('status.offline')
      if (reason === null) control.refuse('erased')
      else setError(t('rights.erase.failed', { reason }))
      setBusy(false)
    }
  }

  if (step === 'start') {
    return (
      <div className="erase-atlas stack">
        <p>{t('rights.erase.intro')}</p>
        <p>{t('rights.erase.saveFirst')}</p>
        <div className="actions">
          <button
            type="button"
            className="button primary"
            ref={(el) => {
              focus.current = el
            }}
            onClick={() => void saveFile()}
          >
            <Download aria-hidden="true" /> {t('rights.erase.saveFile')}
          </button>
        </div>
        {saved && (
          <p className={saved === 'yes' ? 'with-icon' : 'error-text'} role="status">
            {saved === 'yes' && <Check aria-hidden="true" className="ok-icon" />}{' '}
            {saved === 'yes' ? t('rights.erase.saved') : t('rights.erase.noFile')}
          </p>
        )}
        <div className="actions">
          <button type="button" className="button" onClick={onBack}>
            <ArrowLeft aria-hidden="true" /> {t('rights.erase.back')}
          </button>
          <button type="button" className="button" onClick={() => setStep('first')}>
            {t('rights.erase.next')} <ArrowRight aria-hidden="true" />
          </button>
        </div>
      </div>
    )
  }

  const first = step === 'first'
  return (
    <fieldset className="link-question erase-question" data-step={step}>
      <legend>
        {first ? t('rights.erase.question1', { title: access.title }) : t('rights.erase.question2')}
      </legend>
      <p>{first ? t('rights.erase.text1') : t('rights.erase.text2')}</p>
      {busy && <p role="status">{t('rights.erase.busy')}</p>}
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      <div className="actions">
        <button
          type="button"
          className="button"
          ref={(el) => {
            focus.current = el
          }}
          onClick={onBack}
          disabled={busy}
        >
          {t('rights.erase.keep')}
        </button>
        <button
          type="button"
          className="button danger"
          onClick={() => (first ? setStep('second') : void erase())}
          disabled={busy}
        >
          <Trash2 aria-hidden="true" /> {first ? t('rights.erase.yes1') : t('rights.erase.yes2')}
        </button>
      </div>
    </fieldset>
  )
}
