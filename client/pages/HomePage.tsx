import { BookOpen, Eye, FileUp, FolderOpen, Pencil, Plus } from 'lucide-react'
import { type ChangeEvent, type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useLocation } from 'wouter'
import { atlasPath, MAX_TITLE_LENGTH } from '../../shared/api/atlases'
import { LanguageSwitch } from '../components/LanguageSwitch'
import { ApiFailure, createAtlas, importAtlasFile } from '../lib/api'
import { listRecentAtlases, rememberAtlas } from '../lib/recentAtlases'
import { createSampleAtlas } from '../lib/sampleAtlas'

/** Keeps a just-created atlas and both its secrets on this device. */
function rememberCreated(
  created: { id: string; editToken: string; viewToken: string },
  title: string,
): void {
  rememberAtlas({
    id: created.id,
    title,
    role: 'edit',
    editToken: created.editToken,
    viewToken: created.viewToken,
  })
}

/** The server's own message, or `offline` when the server was not reached. */
function failureReason(err: unknown, offline: string): string {
  return err instanceof ApiFailure && err.status !== 0 ? err.message : offline
}

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
      rememberCreated(created, title)
      navigate(atlasPath(created.id))
    } catch (err) {
      setSampleError(
        t('content.sample.failed', { reason: failureReason(err, t('status.offline')) }),
      )
      setSampleBusy(false)
    }
  }

  const [fileBusy, setFileBusy] = useState(false)
  const [fileError, setFileError] = useState<string | null>(null)
  const [imported, setImported] = useState<{ id: string; skipped: number } | null>(null)

  async function openFile(e: ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0]
    e.target.value = ''
    if (!file) return
    setFileBusy(true)
    setFileError(null)
    setImported(null)
    try {
      const created = await importAtlasFile(await file.text())
      rememberCreated(created, created.title)
      if (created.skipped.length === 0) {
        navigate(atlasPath(created.id))
        return
      }
      setImported({ id: created.id, skipped: created.skipped.length })
    } catch (err) {
      if (err instanceof ApiFailure && err.status === 400) setFileError(t('atlasFile.damaged'))
      else if (err instanceof ApiFailure && err.status === 413)
        setFileError(t('atlasFile.tooLarge'))
      else {
        setFileError(t('atlasFile.failed', { reason: failureReason(err, t('status.offline')) }))
      }
    }
    setFileBusy(false)
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
      rememberCreated(created, title)
      navigate(atlasPath(created.id))
    } catch (err) {
      setError(t('home.createFailed', { reason: failureReason(err, t('status.offline')) }))
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
        <section className="card stack" aria-labelledby="atlas-file">
          <h2 id="atlas-file">
            <FileUp aria-hidden="true" /> {t('atlasFile.open')}
          </h2>
          <p className="muted">{t('atlasFile.openIntro')}</p>
          <label className="button" aria-disabled={fileBusy || undefined}>
            <FileUp aria-hidden="true" /> {fileBusy ? t('atlasFile.busy') : t('atlasFile.choose')}
            <input
              type="file"
              className="visually-hidden"
              accept=".netwerkatlas,.json,application/json"
              disabled={fileBusy}
              onChange={openFile}
              data-testid="open-atlas-file"
            />
          </label>
          {fileError && (
            <p className="error-text" role="alert">
              {fileError}
            </p>
          )}
          {imported && (
            <div role="status" className="stack">
              <p>{t('atlasFile.skipped', { count: imported.skipped })}</p>
              <a className="button primary" href={atlasPath(imported.id)}>
                {t('atlasFile.openAtlas')}
              </a>
            </div>
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
