import {
  Baby,
  Briefcase,
  Dumbbell,
  Glasses,
  HandHeart,
  Heart,
  House,
  type LucideIcon,
  Music,
  PawPrint,
  School,
  Star,
  UserRound,
} from 'lucide-react'
import type { Pictogram } from '../../../../shared/schema/person'

/** The bundled icon of each pictogram a person can have. */
export const PICTOGRAM_ICONS: Record<Pictogram, LucideIcon> = {
  person: UserRound,
  child: Baby,
  elder: Glasses,
  heart: Heart,
  home: House,
  work: Briefcase,
  school: School,
  sport: Dumbbell,
  music: Music,
  pet: PawPrint,
  care: HandHeart,
  star: Star,
}
