import { FileText, X } from 'lucide-react'
import { useEffect, useId, useLayoutEffect, useMemo, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { type Editor, type TLRecord, useEditor, useValue } from 'tldraw'
import type * as Y from 'yjs'
import type { AtlasContent } from '../../../shared/domain/content'
import { instrumentOfPage } from '../../../shared/schema/pages'
import { ReadAloud } from '../../components/ReadAloud'
import { presenceIdFor } from '../../sync/presence'
import { atlasContentOf } from '../pages/useAtlasContent'
import { useKeysStayHere } from '../people/useKeysStayHere'
import { type Change, changeSentences, changesIn, mergeChanges } from './changes'
import { describeMap, mapTextToSpeech, type Words } from './describe'
import './mapText.css'

/** Longest a change of the atlas waits before the map in words is read again. */
const READ_EVERY_MS = 300

/**
 * The atlas's structured content, read again at most every READ_EVERY_MS while it changes: a drag
 * changes the store at every frame, and the words need not follow each one.
 */
function useLiveContent(editor: Editor): AtlasContent {
  const [content, setContent] = useState(() => atlasContentOf(editor))
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null
    const read = () => {
      timer = null
      setContent(atlasContentOf(editor))
    }
    const stop = editor.store.listen(
      () => {
        timer ??= setTimeout(read, READ_EVERY_MS)
      },
      { scope: 'document' },
    )
    read()
    return () => {
      stop()
      if (timer) clearTimeout(timer)
    }
  }, [editor])
  return content
}

/** Changes from other devices are said once they have been quiet this long… */
const SAY_AFTER_QUIET_MS = 1500
/** …or this long after the first of them, whichever comes first. */
const SAY_AT_MOST_AFTER_MS = 5000
/** Sentences kept in the log (a screen reader says each one as it is added). */
const KEEP_SENTENCES = 5

/**
 * What other devices change (people, relations and events added, removed or renamed), in
 * sentences with the name of who did it. Yjs says which device wrote what (its client id, the
 * same as its presence id); a removal writes nothing new, so it is put to the one other device
 * present, or to "someone".
 */
function useChangesByOthers(
  editor: Editor,
  doc: Y.Doc | null,
  words: Words,
): Array<{ key: number; text: string }> {
  const [log, setLog] = useState<Array<{ key: number; text: string }>>([])
  const wordsRef = useRef(words)
  wordsRef.current = words
  useEffect(() => {
    if (!doc) return
    // Names are kept after a device leaves: its last changes may still be on their way.
    const names = new Map<number, string>()
    const remember = (record: TLRecord) => {
      if (record.typeName !== 'instance_presence') return
      const client = Number(record.id.slice('instance_presence:'.length))
      if (Number.isFinite(client)) names.set(client, record.userName)
    }
    for (const record of editor.store.query.records('instance_presence').get()) remember(record)
    const stopPresence = editor.store.listen(
      ({ changes }) => {
        for (const record of Object.values(changes.added)) remember(record)
        for (const [, record] of Object.values(changes.updated)) remember(record)
      },
      { scope: 'presence' },
    )

    let writers = new Set<number>()
    const onTransaction = (transaction: Y.Transaction) => {
      if (transaction.local) return
      for (const [client, clock] of transaction.afterState) {
        if (client !== doc.clientID && clock > (transaction.beforeState.get(client) ?? 0))
          writers.add(client)
      }
    }
    doc.on('afterTransaction', onTransaction)

    const author = (): string | null => {
      const present = [...names.keys()].filter((c) => editor.store.has(presenceIdFor(c)))
      const only = writers.size === 1 ? [...writers][0] : present.length === 1 ? present[0] : null
      return only === null || only === undefined ? null : (names.get(only) ?? null)
    }

    let pending: Change[] = []
    let quiet: ReturnType<typeof setTimeout> | null = null
    let atMost: ReturnType<typeof setTimeout> | null = null
    let key = 0
    const say = () => {
      if (quiet) clearTimeout(quiet)
      if (atMost) clearTimeout(atMost)
      quiet = atMost = null
      const sentences = changeSentences(pending, wordsRef.current)
      pending = []
      if (sentences.length === 0) return
      key += 1
      const text = sentences.join(' ')
      setLog((before) => [...before, { key, text }].slice(-KEEP_SENTENCES))
    }
    const stopChanges = editor.store.listen(
      ({ changes }) => {
        const nameOf = (id: string) => {
          const person = (editor.store.get(id as TLRecord['id']) ??
            changes.removed[id as TLRecord['id']]) as { name?: unknown } | undefined
          return typeof person?.name === 'string' ? person.name : ''
        }
        const found = changesIn(changes, nameOf, author())
        writers = new Set()
        if (found.length === 0) return
        pending = mergeChanges(pending, found)
        if (quiet) clearTimeout(quiet)
        quiet = setTimeout(say, SAY_AFTER_QUIET_MS)
        atMost ??= setTimeout(say, SAY_AT_MOST_AFTER_MS)
      },
      { source: 'remote', scope: 'document' },
    )
    return () => {
      stopPresence()
      stopChanges()
      doc.off('afterTransaction', onTransaction)
      if (quiet) clearTimeout(quiet)
      if (atMost) clearTimeout(atMost)
    }
  }, [editor, doc])
  return log
}

/** Space between the open list and the panels and edges around it (px). */
const GAP = 8
/** Room kept free below the open list for the toolbar (px). */
const TOOLBAR_ROOM = 80

/** Widest the open list gets (px): lines a reader can follow. */
const LIST_MAX_WIDTH = 720

/** Where the open list stands on the screen (px). */
interface ListPlace {
  top: number
  left: number
  width: number
}

/**
 * Where the open list goes: below the panels at the top of the screen (this bar and the sharing
 * bar, which wraps on a narrow screen) and beside the people list when there is room, so it covers
 * none of their buttons.
 */
function useListPlace(editor: Editor, open: boolean): ListPlace | undefined {
  const [place, setPlace] = useState<ListPlace>()
  useLayoutEffect(() => {
    if (!open) return
    const container = editor.getContainer()
    const measure = () => {
      const rects = (selector: string) =>
        [...container.querySelectorAll(selector)].map((e) => e.getBoundingClientRect())
      const top = Math.max(0, ...rects('.atlas-bar, .map-text-bar').map((r) => r.bottom))
      const beside = Math.max(0, ...rects('.atlas-left').map((r) => r.right))
      const screen = window.innerWidth
      const width = Math.min(LIST_MAX_WIDTH, screen - 2 * GAP)
      // Centred, unless that would cover the people list and there is room beside it.
      const centred = (screen - width) / 2
      const left = Math.min(Math.max(centred, beside + GAP), screen - width - GAP)
      setPlace({ top: Math.round(top + GAP), left: Math.round(left), width: Math.round(width) })
    }
    measure()
    const resizes = new ResizeObserver(measure)
    for (const e of container.querySelectorAll('.atlas-bar, .map-text-bar, .atlas-left'))
      resizes.observe(e)
    window.addEventListener('resize', measure)
    return () => {
      resizes.disconnect()
      window.removeEventListener('resize', measure)
    }
  }, [editor, open])
  return place
}

/**
 * The current map in words, for a screen reader (a region "Kaart in tekst", hidden from sight
 * until its button shows it as a list in large type), with a speaker button; and a polite live
 * region with what other devices change. Built from the structured content, so it says what the
 * map means, not how it is drawn. (What is chosen, tldraw's own live region says: the person
 * shape describes itself with `describePersonOnCanvas`.)
 */
export function MapTextPanel({ doc }: { doc: Y.Doc | null }) {
  const { t, i18n } = useTranslation()
  const editor = useEditor()
  const [open, setOpen] = useState(false)
  const headingId = useId()
  const bodyId = useId()
  const body = useKeysStayHere<HTMLDivElement>()
  const instrument = useValue('instrument', () => instrumentOfPage(editor.getCurrentPageId()), [
    editor,
  ])
  const content = useLiveContent(editor)
  const words = useMemo<Words>(() => ({ t, language: i18n.language }), [t, i18n.language])
  const text = useMemo(
    () => (instrument ? describeMap(content, instrument, words) : null),
    [content, instrument, words],
  )
  const changes = useChangesByOthers(editor, doc, words)
  const place = useListPlace(editor, open)

  return (
    // One element in the top panel (the panels' free-area measures read its children): the
    // bar with the list below it, and the live region, out of sight inside it.
    <div className="map-text">
      {text && (
        <section aria-labelledby={headingId} data-open={open}>
          <div className="map-text-bar">
            <button
              type="button"
              className="button map-text-toggle"
              aria-expanded={open}
              aria-controls={bodyId}
              title={open ? t('mapText.hide') : t('mapText.show')}
              onClick={() => setOpen(!open)}
            >
              {open ? (
                <X aria-hidden="true" size={20} />
              ) : (
                <FileText aria-hidden="true" size={20} />
              )}
              {open ? t('mapText.hide') : t('mapText.show')}
            </button>
            {/* Another map, another text: the voice stops when the map changes. */}
            <ReadAloud key={instrument} text={mapTextToSpeech(text)} />
          </div>
          <div
            id={bodyId}
            ref={body}
            className={open ? 'map-text-body' : 'map-text-body visually-hidden'}
            style={
              open && place
                ? {
                    top: place.top,
                    left: place.left,
                    width: place.width,
                    maxHeight: `calc(100vh - ${place.top + TOOLBAR_ROOM}px)`,
                  }
                : undefined
            }
            data-testid="map-text"
          >
            <h2 id={headingId}>{t('mapText.region')}</h2>
            <h3>{text.title}</h3>
            {text.intro.map((line) => (
              <p key={line}>{line}</p>
            ))}
            {text.sections.map((section) => (
              <div key={section.heading}>
                <h4>{section.heading}</h4>
                <ul>
                  {section.lines.map((line, i) => (
                    // Two people can have the same name: the position keeps the keys apart.
                    // biome-ignore lint/suspicious/noArrayIndexKey: lines have no id of their own
                    <li key={i}>{line}</li>
                  ))}
                </ul>
              </div>
            ))}
          </div>
        </section>
      )}
      <div className="visually-hidden" role="log" data-testid="change-announcements">
        {changes.map((entry) => (
          <p key={entry.key}>{entry.text}</p>
        ))}
      </div>
    </div>
  )
}
