import type { ReactNode } from 'react'
import { useLocation } from 'wouter'
import { type AtlasScreen, screenUrl } from '../lib/screens'

/**
 * A link to another screen of the same atlas (the maps, the plan, the meeting). Following it keeps
 * the page's link in the fragment; the link's own address holds only the path, so the page's
 * markup never holds a secret.
 */
export function ScreenLink({
  atlasId,
  screen,
  children,
  ...props
}: {
  atlasId: string
  screen: AtlasScreen
  children: ReactNode
  className?: string
  title?: string
  'data-testid'?: string
  'data-warning'?: string
}) {
  const [, navigate] = useLocation()
  return (
    <a
      {...props}
      href={screenUrl(atlasId, screen, '')}
      onClick={(e) => {
        e.preventDefault()
        navigate(screenUrl(atlasId, screen, window.location.hash))
      }}
    >
      {children}
    </a>
  )
}
