import { CalendarPlus } from 'lucide-react'

/** Pictogram of the event tool (toolbar and menus). */
export function EventToolIcon() {
  return (
    <div className="tlui-icon" aria-hidden="true" style={{ backgroundColor: 'transparent' }}>
      <CalendarPlus size={18} strokeWidth={2.25} />
    </div>
  )
}
