import { Cloud, CloudAlert, CloudOff, RefreshCw } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { useHoldUpdate } from '../pwa/serviceWorker'
import type { SyncConnection } from '../sync/useSyncedDoc'

/** What the user needs to know about the connection, in four states. */
export type ConnectionState = SyncConnection

/** The worse of two connections: a screen of two documents is only "connected" when both are. */
export function worstConnection(a: ConnectionState, b: ConnectionState): ConnectionState {
  const order: ConnectionState[] = ['offline', 'unsaved', 'syncing', 'online']
  return order[Math.min(order.indexOf(a), order.indexOf(b))] ?? 'offline'
}

const ICONS = { online: Cloud, syncing: RefreshCw, offline: CloudOff, unsaved: CloudAlert } as const

/**
 * Always-visible connection state, in plain words with a pictogram. Offline, the reassurance that
 * work goes on and is kept is on the screen for everyone (someone who fears losing his work reads
 * it there), and screen readers hear that same text once. Otherwise a longer hint is a tooltip
 * and is read after the short words.
 */
export function ConnectionStatus({ state }: { state: ConnectionState }) {
  const { t } = useTranslation()
  // Not in step with the server: edits may still wait to be sent, so a new version waits too.
  useHoldUpdate(state === 'online' ? null : 'unsent')
  const Icon = ICONS[state]
  if (state === 'offline') {
    return (
      <output className="connection connection-offline" data-state={state} aria-live="polite">
        <Icon aria-hidden="true" size={20} />
        <span>{t('status.offlineCalm')}</span>
      </output>
    )
  }
  const hint = t(`status.${state}Hint`)
  return (
    <output
      className={`connection connection-${state}`}
      data-state={state}
      title={hint}
      aria-live="polite"
    >
      <Icon aria-hidden="true" size={20} />
      <span>{t(`status.${state}`)}</span>
      <span className="visually-hidden">. {hint}</span>
    </output>
  )
}
