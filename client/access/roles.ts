import { BriefcaseBusiness, Eye, type LucideIcon, Pencil, Signpost } from 'lucide-react'
import type { Role } from '../../shared/api/atlases'

/** The pictogram beside each role's word, wherever a role is shown. */
export const ROLE_ICONS: Record<Role, LucideIcon> = {
  edit: Pencil,
  view: Eye,
  procesbegeleider: Signpost,
  professional: BriefcaseBusiness,
}

/** The roles in the order the link list and the choice of a new link show them. */
export const ROLES_IN_ORDER: readonly Role[] = ['edit', 'view', 'procesbegeleider', 'professional']
