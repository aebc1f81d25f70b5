import { MessageCircleQuestion } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { useMeeting } from '../context'

/** The client's questions for the plan, from the basisposter, in their order. */
export function QuestionsStep() {
  const { t } = useTranslation()
  const { content } = useMeeting()
  const questions = content.questions.filter((q) => q.text.trim())
  if (questions.length === 0) {
    return (
      <div className="meeting-empty">
        <p>{t('meeting.questions.none')}</p>
        <p className="muted">{t('meeting.questions.noneHint')}</p>
      </div>
    )
  }
  return (
    <ol className="meeting-questions" data-testid="meeting-questions">
      {questions.map((q) => (
        <li key={q.id}>
          <MessageCircleQuestion aria-hidden="true" />
          <span>{q.text}</span>
        </li>
      ))}
    </ol>
  )
}
