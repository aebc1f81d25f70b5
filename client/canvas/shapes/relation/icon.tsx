import { Spline } from 'lucide-react'

/** Pictogram of the relation tool (toolbar and menus). */
export function RelationToolIcon() {
  return (
    <div className="tlui-icon" aria-hidden="true" style={{ backgroundColor: 'transparent' }}>
      <Spline size={18} strokeWidth={2.25} />
    </div>
  )
}
