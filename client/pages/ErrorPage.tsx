import { Home, RefreshCw, Trash2, TriangleAlert, WifiOff } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import type { AccessProblem } from '../access/access'
import { LanguageSwitch } from '../components/LanguageSwitch'
import { EasyReadSwitch } from '../easyRead/EasyReadSwitch'

/** Why an atlas could not be opened. */
export type AtlasProblem = AccessProblem

/** A calm full page that says what went wrong and what to do next. */
export function ErrorPage({ problem }: { problem: AtlasProblem | 'not-found' }) {
  const { t } = useTranslation()
  const title =
    problem === 'bad-link'
      ? t('error.badLinkTitle')
      : problem === 'offline-unknown'
        ? t('error.offlineUnknownTitle')
        : problem === 'erased'
          ? t('rights.erased.title')
          : t('error.notFoundTitle')
  const text =
    problem === 'bad-link'
      ? t('error.badLinkText')
      : problem === 'offline-unknown'
        ? t('error.offlineUnknownText')
        : problem === 'erased'
          ? t('rights.erased.text')
          : null
  const Icon =
    problem === 'offline-unknown' ? WifiOff : problem === 'erased' ? Trash2 : TriangleAlert
  return (
    <div className="page">
      <header className="page-header">
        <h1>{t('app.name')}</h1>
        <div className="header-switches">
          <EasyReadSwitch />
          <LanguageSwitch />
        </div>
      </header>
      {/* A deleted atlas is news, not an alarm: said politely to screen readers. */}
      <main
        className="card error-card"
        role={problem === 'erased' ? 'status' : 'alert'}
        data-problem={problem}
      >
        <Icon aria-hidden="true" size={48} />
        <h2>{title}</h2>
        {text && <p>{text}</p>}
        <div className="actions">
          {problem === 'offline-unknown' && (
            <button type="button" className="button" onClick={() => window.location.reload()}>
              <RefreshCw aria-hidden="true" /> {t('error.retry')}
            </button>
          )}
          <a className="button primary" href="/">
            <Home aria-hidden="true" /> {t('error.home')}
          </a>
        </div>
      </main>
    </div>
  )
}

/** Any address the app does not know. */
export function NotFoundPage() {
  return <ErrorPage problem="not-found" />
}
