import { Keyboard } from 'lucide-react'
import { Fragment, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useActions } from 'tldraw'
import { Dialog } from '../components/Dialog'
import { ReadAloud } from '../components/ReadAloud'
import { useEasyRead } from '../easyRead/state'
import type { nl } from '../i18n/nl'

type Row = keyof typeof nl.shortcuts.rows

/** The keyboard's ways through the atlas, in the order a newcomer needs them. */
const ROWS: ReadonlyArray<{ id: Row; keys: string[] }> = [
  { id: 'tab', keys: ['Tab', 'Shift+Tab'] },
  { id: 'enter', keys: ['Enter'] },
  { id: 'escape', keys: ['Esc'] },
  { id: 'mapTab', keys: ['Tab'] },
  { id: 'arrows', keys: ['←', '↑', '→', '↓'] },
  { id: 'newPerson', keys: ['Shift+P'] },
  { id: 'newEvent', keys: ['Shift+J'] },
  { id: 'connect', keys: ['Enter'] },
  { id: 'maps', keys: ['Alt+→', 'Alt+←'] },
  { id: 'help', keys: ['?'] },
]

/** The first group moves through the screen and the map; the second makes things and changes maps. */
const HALF = 5

/**
 * The list of the atlas's keys and keyboard ways in, with a way on to tldraw's own full list.
 * Closing it puts the keyboard back where it was when it opened.
 */
export function ShortcutsDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation()
  const actions = useActions()
  // Read at the first render, before the dialog takes the focus.
  const [opener] = useState(() => document.activeElement as HTMLElement | null)
  useEffect(() => () => opener?.focus(), [opener])
  const tldrawList = actions['open-kbd-shortcuts']
  const easy = useEasyRead()
  return (
    <Dialog title={t('shortcuts.title')} onClose={onClose} className="shortcuts-dialog">
      <div className="stack shortcuts">
        <p>{t('shortcuts.intro')}</p>
        {easy && (
          <ReadAloud
            text={[
              t('shortcuts.intro'),
              // Arrow signs are not words a voice can say: that row is read by what it does.
              ...ROWS.map((row) =>
                row.id === 'arrows'
                  ? t(`shortcuts.rows.${row.id}`)
                  : `${row.keys.join(` ${t('shortcuts.or')} `)}: ${t(`shortcuts.rows.${row.id}`)}`,
              ),
            ].join(' ')}
          />
        )}
        {/* Two groups side by side, so the whole list fits a laptop's screen without scrolling. */}
        <div className="shortcuts-groups">
          {[ROWS.slice(0, HALF), ROWS.slice(HALF)].map((rows) => (
            <table key={rows[0]?.id} className="shortcuts-table">
              <thead>
                <tr>
                  <th scope="col">{t('shortcuts.keysHeading')}</th>
                  <th scope="col">{t('shortcuts.whatHeading')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={row.id} data-shortcut={row.id}>
                    <td>
                      {row.keys.map((key, i) => (
                        <Fragment key={key}>
                          {i > 0 && row.id !== 'arrows' && ` ${t('shortcuts.or')} `}
                          <kbd>{key}</kbd>
                        </Fragment>
                      ))}
                    </td>
                    <td>{t(`shortcuts.rows.${row.id}`)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ))}
        </div>
        {tldrawList && (
          <button
            type="button"
            className="button"
            onClick={() => {
              onClose()
              tldrawList.onSelect('dialog')
            }}
          >
            <Keyboard aria-hidden="true" size={20} /> {t('shortcuts.all')}
          </button>
        )}
      </div>
    </Dialog>
  )
}
