import { useTranslation } from 'react-i18next'
import { AccessControlContext } from '../access/control'
import { PrivateTimeWaiting } from '../access/PrivateTimeWaiting'
import { useAtlasAccess } from '../access/useAtlasAccess'
import { BasisteamScreen } from '../basisteam/BasisteamScreen'
import { AtlasCanvas } from '../canvas/AtlasCanvas'
import { HistoryScreen } from '../history/HistoryScreen'
import type { AtlasScreen } from '../lib/screens'
import { MeetingScreen } from '../meeting/MeetingScreen'
import { PlanScreen } from '../plan/PlanScreen'
import { ErrorPage } from './ErrorPage'

/**
 * An atlas's screen (the maps, the plan, the meeting, the basisteam, the history): resolves the link (`client/access/`), then shows the
 * screen; a professional's page shows the waiting screen during privétijd instead.
 */
export function AtlasPage({ id, screen = 'maps' }: { id: string; screen?: AtlasScreen }) {
  const { t } = useTranslation()
  const { state, control, retry } = useAtlasAccess(id)

  if (state.kind === 'problem') return <ErrorPage problem={state.problem} />
  if (state.kind === 'private-time')
    return <PrivateTimeWaiting atlasId={state.id} token={state.token} onEnded={retry} />
  if (state.kind === 'loading') {
    return (
      <div className="page loading" role="status">
        {t('atlas.loading')}
      </div>
    )
  }
  return (
    <AccessControlContext.Provider value={control}>
      {screen === 'plan' ? (
        <PlanScreen access={state.access} />
      ) : screen === 'meeting' ? (
        <MeetingScreen access={state.access} />
      ) : screen === 'basisteam' ? (
        <BasisteamScreen access={state.access} />
      ) : screen === 'history' ? (
        <HistoryScreen access={state.access} />
      ) : (
        <AtlasCanvas access={state.access} />
      )}
    </AccessControlContext.Provider>
  )
}
