import { CalendarDays, CalendarX, Users } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import type { AtlasAccess } from '../access/access'
import { ScreenLink } from '../components/ScreenLink'
import { useSyncedDoc } from '../sync/useSyncedDoc'
import { useBasisteam, useMeetingWords, useRememberBasisteam } from './useBasisteam'

// The maps do not need the plan: when the server withholds it (privétijd), the link just says
// "Basisteam" and the maps go on.
const ignoreRefusal = () => {}

/**
 * The atlas bar's way to the basisteam: "Volgende basisteam: 12 maart", a gentle warning when the
 * team has no next date, or just "Basisteam" before there is a team.
 */
export function NextBasisteamLink({ access }: { access: AtlasAccess }) {
  const { t } = useTranslation()
  const plan = useSyncedDoc(access, 'plan', ignoreRefusal)
  const team = useBasisteam(plan.doc)
  const words = useMeetingWords()
  useRememberBasisteam(access.id, team, plan.synced)
  const warning = team.exists && !team.next
  return (
    <ScreenLink
      atlasId={access.id}
      screen="basisteam"
      className="button team-next-link"
      title={warning ? t('basisteam.noNext') : t('basisteam.buttonHint')}
      data-testid="basisteam-button"
      data-warning={warning ? 'true' : undefined}
    >
      {team.next ? (
        <>
          <CalendarDays aria-hidden="true" size={20} />{' '}
          {t('basisteam.next', { date: words.short(team.next.startsAt) })}
        </>
      ) : warning ? (
        <>
          <CalendarX aria-hidden="true" size={20} /> {t('basisteam.button')}
          <span className="visually-hidden"> {t('basisteam.noNext')}</span>
        </>
      ) : (
        <>
          <Users aria-hidden="true" size={20} /> {t('basisteam.button')}
        </>
      )}
    </ScreenLink>
  )
}
