import { atlasPath } from '../../shared/api/atlases'

/** The screens of one atlas: the maps, the plan, the meeting, the basisteam, the history. */
export type AtlasScreen = 'maps' | 'plan' | 'meeting' | 'basisteam' | 'history'

/** The path of each screen after the atlas's own path. */
const SCREEN_PATHS: Record<AtlasScreen, string> = {
  maps: '',
  plan: '/plan',
  meeting: '/bijeenkomst',
  basisteam: '/basisteam',
  history: '/geschiedenis',
}

/**
 * The address of a screen of an atlas with `hash` (the secret of this page's link) as its
 * fragment: the secret never leaves the address bar, whichever screen it is on.
 */
export function screenUrl(id: string, screen: AtlasScreen, hash: string): string {
  return `${atlasPath(id)}${SCREEN_PATHS[screen]}${hash}`
}
