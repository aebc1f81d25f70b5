import { BookOpen, Eye, FolderOpen, Pencil, Plus } from 'lucide-react'
import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useLocation } from 'wouter'
import { atlasPath, MAX_TITLE_LENGTH } from '../../shared/api/atlases'
import { LanguageSwitch } from '../components/LanguageSwitch'
import { ApiFailure, createAtlas } from '../lib/api'
import { listRecentAtlases, rememberAtlas } from '../lib/recentAtlases'
import { createSampleAtlas } from '../lib/sampleAtlas'

/** Start screen: make an atlas for a client, or open one this device has seen. */
export function HomePage() {
  const { t, i18n } = useTranslation()
  const [, navigate] = useLocation()
  const [name, setName] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const recent = listRecentAtlases()
  const [sampleBusy, setSampleBusy] = useState(false)
  const [sampleError, setSampleError] = useState<string | null>(null)

  async function openSample() {
    setSampleBusy(true)
    setSampleError(null)
    try {
      const title = t('content.sample.title')
      const created = await createSampleAtlas(title)
      rememberAtlas({
        id: created.id,
        title,
        role: 'edit',
        editToken: created.editToken,
        viewToken: created.viewToken,
      })
      navigate(atlasPath(created.id))
    } catch (err) {
      const reason =
        err instanceof ApiFailure && err.status !== 0 ? err.message : t('status.offline')
      setSampleError(t('content.sample.failed', { reason }))
      setSampleBusy(false)
    }
  }

  async function onSubmit(e: FormEvent) {
    e.preventDefault()
    const clientName = name.trim()
    if (!clientName) {
      setError(t('home.nameRequired'))
      return
    }
    setBusy(true)
    setError(null)
    try {
      const title = t('home.titlePrefix', { name: clientName }).slice(0, MAX_TITLE_LENGTH)
      const created = await createAtlas({ title })
      rememberAtlas({
        id: created.id,
        title,
        role: 'edit',
        editToken: created.editToken,
        viewToken: created.viewToken,
      })
      navigate(atlasPath(created.id))
    } catch (err) {
      const reason =
        err instanceof ApiFailure && err.status !== 0 ? err.message : t('status.offline')
      setError(t('home.createFailed', { reason }))
      setBusy(false)
    }
  }

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1>{t('app.name')}</h1>
          <p className="tagline">{t('app.tagline')}</p>
        </div>
        <LanguageSwitch />
      </header>
      <main className="home">
        <section className="card" aria-labelledby="new-atlas">
          <h2 id="new-atlas">
            <Plus aria-hidden="true" /> {t('home.newAtlas')}
          </h2>
          <form onSubmit={onSubmit} noValidate>
            <label htmlFor="client-name">{t('home.clientName')}</label>
            <input
              id="client-name"
              name="client-name"
              value={name}
              maxLength={80}
              autoComplete="off"
              placeholder={t('home.clientNameHint')}
              onChange={(e) => setName(e.target.value)}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? 'create-error' : undefined}
            />
            <button type="submit" className="button primary" disabled={busy}>
              <Plus aria-hidden="true" /> {busy ? t('home.creating') : t('home.create')}
            </button>
            {error && (
              <p id="create-error" className="error-text" role="alert">
                {error}
              </p>
            )}
          </form>
        </section>
        <section className="card stack" aria-labelledby="sample-atlas">
          <h2 id="sample-atlas">
            <BookOpen aria-hidden="true" /> {t('content.sample.button')}
          </h2>
          <p className="muted">{t('content.sample.intro')}</p>
          <button
            type="button"
            className="button"
            disabled={sampleBusy}
            onClick={openSample}
            aria-describedby={sampleError ? 'sample-error' : undefined}
          >
            <BookOpen aria-hidden="true" />{' '}
            {sampleBusy ? t('content.sample.busy') : t('content.sample.title')}
          </button>
          {sampleError && (
            <p id="sample-error" className="error-text" role="alert">
              {sampleError}
            </p>
          )}
        </section>
        <section className="card" aria-labelledby="recent-atlases">
          <h2 id="recent-atlases">
            <FolderOpen aria-hidden="true" /> {t('home.recent')}
          </h2>
          {recent.length === 0 ? (
            <p className="muted">{t('home.recentEmpty')}</p>
          ) : (
            <ul className="atlas-list">
              {recent.map((atlas) => (
                <li key={atlas.id}>
                  <a className="atlas-link" href={atlasPath(atlas.id)}>
                    <span className="atlas-title">{atlas.title}</span>
                    <span className="atlas-meta">
                      {atlas.editToken ? (
                        <>
                          <Pencil aria-hidden="true" size={18} /> {t('home.roleEdit')}
                        </>
                      ) : (
                        <>
                          <Eye aria-hidden="true" size={18} /> {t('home.roleView')}
                        </>
                      )}
                      {' · '}
                      {t('home.lastOpened', {
                        date: new Date(atlas.lastOpened).toLocaleDateString(i18n.language),
                      })}
                    </span>
                  </a>
                </li>
              ))}
            </ul>
          )}
        </section>
      </main>
    </div>
  )
}
