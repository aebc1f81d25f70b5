import {
  ArrowLeft,
  CalendarDays,
  Eye,
  GitCompareArrows,
  History,
  RefreshCw,
  RotateCcw,
  X,
} from 'lucide-react'
import { useCallback, useEffect, useId, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type {
  HistoryComparison,
  HistoryList,
  SnapshotContent,
  SnapshotInfo,
} from '../../shared/api/history'
import type { AtlasAccess } from '../access/access'
import { ScreenLink } from '../components/ScreenLink'
import { EasyReadSwitch } from '../easyRead/EasyReadSwitch'
import { ApiFailure } from '../lib/api'
import { compareSnapshot, listSnapshots, readSnapshot, restoreSnapshot } from './api'
import '../plan/plan.css'
import './history.css'

/** The words that say why a history call failed. */
function useFailure(): (error: unknown) => string {
  const { t } = useTranslation()
  return useCallback(
    (error: unknown) => {
      if (error instanceof ApiFailure && error.status === 0) return t('history.offline')
      if (error instanceof ApiFailure && error.status === 403) return t('history.onlyEdit')
      return t('history.other')
    },
    [t],
  )
}

/** A day as a heading ("zaterdag 6 december 2026"), and a time of day ("14:05"). */
function dayOf(at: string, language: string): string {
  return new Intl.DateTimeFormat(language, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  }).format(new Date(at))
}
function timeOf(at: string, language: string): string {
  return new Intl.DateTimeFormat(language, { hour: '2-digit', minute: '2-digit' }).format(
    new Date(at),
  )
}

/** The snapshots by day, newest day first (they come newest first). */
function byDay(snapshots: SnapshotInfo[], language: string): [string, SnapshotInfo[]][] {
  const days = new Map<string, SnapshotInfo[]>()
  for (const s of snapshots) {
    const day = dayOf(s.at, language)
    days.set(day, [...(days.get(day) ?? []), s])
  }
  return [...days]
}

/**
 * "Geschiedenis" (`/atlas/<id>/geschiedenis`, edit links): the moments the server kept of the
 * maps, day by day; one of them in words, what changed since, and putting a person or the whole
 * atlas back (as a new change that every device gets).
 */
export function HistoryScreen({ access }: { access: AtlasAccess }) {
  const { t, i18n } = useTranslation()
  const failure = useFailure()
  const [list, setList] = useState<HistoryList | null>(null)
  const [problem, setProblem] = useState<string | null>(null)
  const [open, setOpen] = useState<string | null>(null)
  const [loads, setLoads] = useState(0)
  const reload = useCallback(() => setLoads((n) => n + 1), [])
  const editor = access.role === 'edit'

  // biome-ignore lint/correctness/useExhaustiveDependencies: `loads` asks for a new list
  useEffect(() => {
    if (!editor) return
    let live = true
    setProblem(null)
    listSnapshots(access)
      .then((l) => live && setList(l))
      .catch((error) => live && setProblem(failure(error)))
    return () => {
      live = false
    }
  }, [access, editor, failure, loads])

  const shown = list?.snapshots.find((s) => s.id === open) ?? null
  return (
    <div className="plan-screen history-screen" data-testid="history-screen">
      <header className="plan-header">
        <ScreenLink atlasId={access.id} screen="maps" className="button">
          <ArrowLeft aria-hidden="true" size={20} /> {t('history.toMaps')}
        </ScreenLink>
        <h1>
          <History aria-hidden="true" size={30} /> {t('history.title')}
        </h1>
        <div className="plan-tools">
          <p className="history-atlas">{access.title}</p>
          <EasyReadSwitch />
        </div>
      </header>
      <main className="plan-main">
        {!editor ? (
          <p className="readonly-banner plan-readonly" role="status">
            <Eye aria-hidden="true" size={20} /> {t('history.onlyEdit')}
          </p>
        ) : (
          <>
            <div className="plan-block history-intro">
              <p>{t('history.intro')}</p>
              {list && <p className="muted">{t('history.kept', { count: list.keepDays })}</p>}
            </div>
            {problem && (
              <div className="plan-block" role="alert">
                <p>{t('history.loadFailed', { reason: problem })}</p>
                <button type="button" className="button" onClick={reload}>
                  <RefreshCw aria-hidden="true" /> {t('history.retry')}
                </button>
              </div>
            )}
            {!list && !problem && (
              <p role="status" className="muted">
                {t('history.loading')}
              </p>
            )}
            {list && list.snapshots.length === 0 && <p className="muted">{t('history.none')}</p>}
            {shown && (
              <SnapshotView
                key={shown.id}
                access={access}
                snapshot={shown}
                onClose={() => setOpen(null)}
                onRestored={reload}
              />
            )}
            {list && list.snapshots.length > 0 && (
              <section
                className="plan-block"
                aria-labelledby="history-list"
                data-testid="history-list"
              >
                <h2 id="history-list">{t('history.list')}</h2>
                {byDay(list.snapshots, i18n.language).map(([day, snapshots]) => (
                  <div key={day} className="history-day">
                    <h3>
                      <CalendarDays aria-hidden="true" /> {day}
                    </h3>
                    <ul className="history-moments">
                      {snapshots.map((s) => (
                        <Moment
                          key={s.id}
                          snapshot={s}
                          day={day}
                          open={open === s.id}
                          onToggle={() => setOpen(open === s.id ? null : s.id)}
                        />
                      ))}
                    </ul>
                  </div>
                ))}
              </section>
            )}
          </>
        )}
      </main>
    </div>
  )
}

/** One kept moment: its time, why it was kept, who had edited, and a button to look at it. */
function Moment({
  snapshot,
  day,
  open,
  onToggle,
}: {
  snapshot: SnapshotInfo
  day: string
  open: boolean
  onToggle: () => void
}) {
  const { t, i18n } = useTranslation()
  const time = timeOf(snapshot.at, i18n.language)
  const names = snapshot.editors.map((e) =>
    e.label === null ? t('history.stoppedLink') : e.label || t('access.links.firstLink'),
  )
  return (
    <li className="history-moment" data-testid="history-moment" data-reason={snapshot.reason}>
      <span className="history-moment-words">
        <strong>{t('history.at', { time })}</strong>
        <span>{t(`history.reasons.${snapshot.reason}`)}</span>
        {names.length > 0 && (
          <span className="muted">{t('history.by', { names: names.join(', ') })}</span>
        )}
      </span>
      <button
        type="button"
        className="button"
        aria-expanded={open}
        aria-label={t('history.openHint', { day, time })}
        onClick={onToggle}
      >
        <Eye aria-hidden="true" /> {t('history.open')}
      </button>
    </li>
  )
}

/** What a restore asks once before it happens: one person, or the whole atlas. */
type Asking = { kind: 'person'; id: string; name: string } | { kind: 'all' }

/** One moment in words, what changed since, and putting back. */
function SnapshotView({
  access,
  snapshot,
  onClose,
  onRestored,
}: {
  access: AtlasAccess
  snapshot: SnapshotInfo
  onClose: () => void
  onRestored: () => void
}) {
  const { t, i18n } = useTranslation()
  const failure = useFailure()
  const headingId = useId()
  const [content, setContent] = useState<SnapshotContent['content'] | null>(null)
  const [diff, setDiff] = useState<HistoryComparison | null>(null)
  const [problem, setProblem] = useState<string | null>(null)
  const [asking, setAsking] = useState<Asking | null>(null)
  const [busy, setBusy] = useState(false)
  const [done, setDone] = useState<string | null>(null)
  const [compared, setCompared] = useState(0)
  const confirmRef = useRef<HTMLButtonElement>(null)
  // The question takes the focus, so a keyboard or screen reader user answers it at once.
  useEffect(() => {
    if (asking) confirmRef.current?.focus()
  }, [asking])

  useEffect(() => {
    let live = true
    readSnapshot(access, snapshot.id)
      .then((s) => live && setContent(s.content))
      .catch((error) => live && setProblem(failure(error)))
    return () => {
      live = false
    }
  }, [access, snapshot.id, failure])
  // biome-ignore lint/correctness/useExhaustiveDependencies: `compared` asks again after a restore
  useEffect(() => {
    let live = true
    compareSnapshot(access, snapshot.id)
      .then((d) => live && setDiff(d))
      .catch((error) => live && setProblem(failure(error)))
    return () => {
      live = false
    }
  }, [access, snapshot.id, failure, compared])

  const nameOf = (p: { name: string }) => p.name.trim() || t('history.unnamed')
  const names = (ps: { name: string }[]) => ps.map(nameOf).join(', ')
  const relationNames = (rs: { from: { name: string }; to: { name: string } }[]) =>
    rs.map((r) => t('history.relation', { from: nameOf(r.from), to: nameOf(r.to) })).join(', ')

  const restore = async (ask: Asking) => {
    setBusy(true)
    setDone(null)
    try {
      await restoreSnapshot(access, snapshot.id, ask.kind === 'person' ? ask.id : undefined)
      setDone(
        ask.kind === 'person' ? t('history.donePerson', { name: ask.name }) : t('history.doneAll'),
      )
      setAsking(null)
      setCompared((n) => n + 1)
      onRestored()
    } catch (error) {
      setDone(t('history.failed', { reason: failure(error) }))
    } finally {
      setBusy(false)
    }
  }

  const day = dayOf(snapshot.at, i18n.language)
  const time = timeOf(snapshot.at, i18n.language)
  const same =
    diff !== null &&
    diff.persons.added.length +
      diff.persons.removed.length +
      diff.persons.moved.length +
      diff.relations.added.length +
      diff.relations.removed.length ===
      0
  return (
    <article
      className="plan-block history-view"
      aria-labelledby={headingId}
      data-testid="history-view"
    >
      <div className="history-view-head">
        <h2 id={headingId}>{t('history.viewTitle', { day, time })}</h2>
        <button type="button" className="button" onClick={onClose}>
          <X aria-hidden="true" /> {t('history.close')}
        </button>
      </div>
      {problem && (
        <p role="alert" className="history-problem">
          {t('history.loadFailed', { reason: problem })}
        </p>
      )}
      {done && (
        <p role="status" className="history-done" data-testid="history-done">
          {done}
        </p>
      )}
      {content && (
        <section aria-label={t('history.past')} data-testid="history-then">
          <h3>{t('history.past')}</h3>
          <p>
            <strong>{t('history.persons', { count: content.persons.length })}</strong>
            {': '}
            {content.persons.length > 0 ? names(content.persons) : t('history.nobody')}
          </p>
          <p>
            <strong>{t('history.relations', { count: content.relations.length })}</strong>
            {content.relations.length > 0 && `: ${relationNames(content.relations)}`}
          </p>
          <p>
            <strong>{t('history.events', { count: content.events.length })}</strong>
            {content.events.length > 0 && `: ${content.events.map((e) => e.title).join(', ')}`}
          </p>
        </section>
      )}
      {diff && (
        <section aria-label={t('history.compare')} data-testid="history-compare">
          <h3>
            <GitCompareArrows aria-hidden="true" /> {t('history.compare')}
          </h3>
          {same && <p>{t('history.same')}</p>}
          {diff.persons.added.length > 0 && (
            <p>{t('history.added', { names: names(diff.persons.added) })}</p>
          )}
          {diff.persons.removed.length > 0 && (
            <>
              <p>{t('history.removed', { names: names(diff.persons.removed) })}</p>
              <ul className="history-putback">
                {diff.persons.removed.map((p) => (
                  <li key={p.id}>
                    <button
                      type="button"
                      className="button"
                      disabled={busy}
                      onClick={() => setAsking({ kind: 'person', id: p.id, name: nameOf(p) })}
                    >
                      <RotateCcw aria-hidden="true" />{' '}
                      {t('history.putBackPerson', { name: nameOf(p) })}
                    </button>
                  </li>
                ))}
              </ul>
            </>
          )}
          {diff.persons.moved.length > 0 && (
            <p>{t('history.moved', { names: names(diff.persons.moved) })}</p>
          )}
          {diff.relations.added.length > 0 && (
            <p>{t('history.relationsAdded', { names: relationNames(diff.relations.added) })}</p>
          )}
          {diff.relations.removed.length > 0 && (
            <p>{t('history.relationsRemoved', { names: relationNames(diff.relations.removed) })}</p>
          )}
          {!same && (
            <button
              type="button"
              className="button"
              disabled={busy}
              onClick={() => setAsking({ kind: 'all' })}
            >
              <RotateCcw aria-hidden="true" /> {t('history.putBackAll')}
            </button>
          )}
        </section>
      )}
      {asking && (
        <div className="confirm" role="alert" data-testid="history-confirm">
          <p>
            {asking.kind === 'person'
              ? t('history.askPerson', { name: asking.name })
              : t('history.askAll')}
          </p>
          <button type="button" className="button" ref={confirmRef} onClick={() => setAsking(null)}>
            {t('history.no')}
          </button>
          <button
            type="button"
            className="button primary"
            disabled={busy}
            onClick={() => restore(asking)}
          >
            <RotateCcw aria-hidden="true" /> {t('history.yes')}
          </button>
        </div>
      )}
    </article>
  )
}
