import { useEffect, useState } from 'react'
import { type TLStore, useValue } from 'tldraw'
import type * as Y from 'yjs'
import {
  type Agreement,
  type PlanQuestion,
  planHashInput,
  readAgreements,
  readServerPart,
  type ServerPart,
} from '../../shared/plan/layout'
import type { AtlasPerson } from '../../shared/schema/person'
import type { AtlasQuestion } from '../../shared/schema/poster'
import { useDocValue } from '../sync/useSyncedDoc'
import { EMPTY_SERVER_PART, type PlanHeading, type PlanPerson, type PlanView } from './planView'

const collator = new Intl.Collator('nl', { sensitivity: 'base', numeric: true })
const NO_AGREEMENTS: Agreement[] = []

/** The basisposter's questions in the order every reader uses (sort key, then id), as the server hashes them. */
function questionsOf(store: TLStore): PlanHeading[] {
  const records = store.query.records('question').get() as AtlasQuestion[]
  return records
    .map(({ id, text, index }) => ({ id: id as string, text, index }))
    .sort((a, b) => (a.index === b.index ? (a.id < b.id ? -1 : 1) : a.index < b.index ? -1 : 1))
}

function personsOf(store: TLStore): PlanPerson[] {
  const records = store.query.records('person').get() as AtlasPerson[]
  return records
    .map(({ id, name, pictogram, photo, isClient }) => ({ id, name, pictogram, photo, isClient }))
    .sort(
      (a, b) =>
        Number(b.isClient) - Number(a.isClient) ||
        collator.compare(a.name, b.name) ||
        (a.id < b.id ? -1 : 1),
    )
}

/**
 * The plan as its screens show it, live: the questions and persons from the atlas's store (re-read
 * only when a question or a person changes), the agreements and the server's part from the plan
 * document. `title` names the plan when the atlas has no client yet.
 */
export function usePlanView(store: TLStore | null, planDoc: Y.Doc | null, title: string): PlanView {
  const questions = useValue('plan questions', () => (store ? questionsOf(store) : []), [store])
  const persons = useValue('plan persons', () => (store ? personsOf(store) : []), [store])
  const agreements = useDocValue(planDoc, readAgreements, NO_AGREEMENTS)
  const server = useDocValue<ServerPart>(planDoc, readServerPart, EMPTY_SERVER_PART)
  const client = persons.find((p) => p.isClient)
  return { name: client?.name.trim() || title, questions, agreements, persons, server }
}

/**
 * The hex SHA-256 of the plan as shown (`planHashInput`): what an approval is tied to. Null where
 * the browser has no Web Crypto (a page not opened over https or on this computer).
 */
export async function planHash(
  questions: PlanQuestion[],
  agreements: Agreement[],
): Promise<string | null> {
  const subtle = globalThis.crypto?.subtle
  if (!subtle) return null
  const bytes = new TextEncoder().encode(planHashInput(questions, agreements))
  const digest = new Uint8Array(await subtle.digest('SHA-256', bytes))
  return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('')
}

/**
 * The hash of the plan as this page shows it, computed again at every change; null until it is
 * known (or where it cannot be computed), and null again while a change is being hashed, so an
 * approval is never sent with the hash of an older plan than the one on screen.
 */
export function usePlanHash(view: Pick<PlanView, 'questions' | 'agreements'>): string | null {
  const { questions, agreements } = view
  const [hash, setHash] = useState<{ of: unknown[]; value: string | null } | null>(null)
  useEffect(() => {
    let live = true
    void planHash(questions, agreements).then((value) => {
      if (live) setHash({ of: [questions, agreements], value })
    })
    return () => {
      live = false
    }
  }, [questions, agreements])
  return hash && hash.of[0] === questions && hash.of[1] === agreements ? hash.value : null
}
