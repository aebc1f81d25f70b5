import { UserRound } from 'lucide-react'

/** Pictogram of the person tool (toolbar and menus). */
export function PersonToolIcon() {
  return (
    <div className="tlui-icon" aria-hidden="true" style={{ backgroundColor: 'transparent' }}>
      <UserRound size={18} strokeWidth={2.25} />
    </div>
  )
}
