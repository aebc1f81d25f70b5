import { accessMessages } from './access'
import { basisteamMessages } from './basisteam'
import type { Catalogue } from './catalogue'
import { contentMessages } from './content'
import { easyReadMessages } from './easyRead'
import { exportDialogMessages } from './exportDialog'
import { historyMessages } from './history'
import { mapsMessages } from './maps'
import { mapTextMessages } from './mapText'
import { meetingMessages } from './meeting'
import { offlineMessages } from './offline'
import { peopleMessages } from './people'
import { planMessages } from './plan'
import { rightsMessages } from './rights'
import { shortcutsMessages } from './shortcuts'

/** English: the second language. */
export const en: Catalogue = {
  people: peopleMessages.en,
  maps: mapsMessages.en,
  content: contentMessages.en,
  exportDialog: exportDialogMessages.en,
  access: accessMessages.en,
  rights: rightsMessages.en,
  plan: planMessages.en,
  meeting: meetingMessages.en,
  basisteam: basisteamMessages.en,
  mapText: mapTextMessages.en,
  shortcuts: shortcutsMessages.en,
  history: historyMessages.en,
  offline: offlineMessages.en,
  easyRead: easyReadMessages.en,
  app: {
    name: 'Netwerkatlas',
    tagline: 'Draw your network together. Make a plan together.',
    language: 'Language',
  },
  home: {
    newAtlas: 'Make a new atlas',
    clientName: 'Name of the client',
    clientNameHint: 'For example: Sanne',
    titlePrefix: 'Atlas of {{name}}',
    create: 'Make the atlas',
    creating: 'Making the atlas…',
    recent: 'Atlases on this device',
    recentEmpty: 'You have not opened an atlas on this device yet.',
    open: 'Open',
    lastOpened: 'Last opened: {{date}}',
    nameRequired: 'Please fill in a name first.',
    createFailed: 'Making the atlas did not work. {{reason}}',
  },
  atlas: {
    loading: 'Opening the atlas…',
    home: 'Back to start',
    /** tldraw's tools named in the app's words. */
    tools: {
      select: 'Choose',
      note: 'Sticky note',
    },
    shortcuts: 'The atlas',
  },
  status: {
    online: 'Connected',
    onlineHint: 'Everything is saved and shared.',
    syncing: 'Updating…',
    syncingHint: 'Your work is being shared with the others.',
    offline: 'No connection',
    offlineCalm: 'No connection. You can just carry on; everything is kept.',
    unsaved: 'Not saved on the server',
    unsavedHint: 'Your work stays kept on this device. The server keeps trying.',
  },
  syncNotice: {
    updateRefused:
      'The server does not take a change from this device. What you do now stays on this device.',
    documentFull: 'The atlas is full. What you do now stays on this device.',
    busy: 'The server is busy. You can carry on. We will try again soon.',
    skipped_one: 'One thing in the atlas cannot be shown. The rest works as usual.',
    skipped_other: '{{count}} things in the atlas cannot be shown. The rest works as usual.',
  },
  share: {
    button: 'Share',
    copy: 'Copy link',
    copied: 'Copied',
    copyFailed: 'Copying did not work. Select the link and copy it yourself.',
    qr: 'Scan this code with a tablet or phone.',
    close: 'Close',
    careful: 'Only share a link with people the client trusts.',
  },
  name: {
    title: 'What is your name?',
    intro: 'The others see your name next to your pointer.',
    label: 'Your name',
    save: 'Done',
    change: 'Change name',
    you: 'You: {{name}}',
  },
  error: {
    badLinkTitle: 'This link does not work',
    badLinkText:
      'The link is wrong, or it was withdrawn. Ask the person who sent it for a new link.',
    offlineUnknownTitle: 'No connection',
    offlineUnknownText: 'This atlas is not on this device yet. Try again when you are online.',
    retry: 'Try again',
    notFoundTitle: 'This page does not exist',
    home: 'Back to start',
    storageFailed:
      'The atlas cannot be kept on this device. You can go on working while connected.',
  },
  atlasFile: {
    open: 'Open atlas file',
    openIntro:
      'Do you have an atlas file (.netwerkatlas) or an image made with Netwerkatlas? Choose it, and you get a new atlas with everything in it.',
    choose: 'Choose a file',
    dropHere: 'Or drag the file onto this page.',
    dropRelease: 'Let go of the file to open it',
    busy: 'Opening…',
    skipped_one: 'The atlas is open. 1 item could not be read and is left out.',
    skipped_other: 'The atlas is open. {{count}} items could not be read and are left out.',
    imported: 'Done. A new atlas was made: {{title}}.',
    openAtlas: 'Go to the atlas',
    damaged:
      'This file cannot be opened. It is not an atlas file, or it is damaged. Nothing was changed.',
    noAtlasInImage:
      "There is no atlas in this image. Only images made with 'Keep the atlas in the image' can be opened here. Nothing was changed.",
    tooLarge: 'This file is too large. Nothing was changed.',
    failed: 'Opening did not work. {{reason}}',
  },
  /** Why the server made no new atlas now (too many at once, a full disk, busy). */
  newAtlasRefused: {
    tooMany: 'Many atlases were just made from this network. Wait a minute and try again.',
    diskFull:
      'The server is almost full. No new atlas fits now. The atlases already there are still saved. Ask the administrator for help.',
    busy: 'The server is still busy with other files. Try again in a minute.',
  },
  pageMenu: {
    button: 'Maps',
    others: 'Other pages',
    delete: 'Delete page {{name}}',
    deleteTitle: 'Delete page {{name}}?',
    deleteText_one: 'There is 1 thing on this page. It goes away, for everyone.',
    deleteText_other: 'There are {{count}} things on this page. They go away, for everyone.',
    keep: 'No, keep',
    deleteYes: 'Yes, delete',
  },
  deletion: {
    persons_one: '1 person',
    persons_other: '{{count}} people',
    relations_one: '1 relation',
    relations_other: '{{count}} relations',
    events_one: '1 event',
    events_other: '{{count}} events',
    drawings_one: '1 drawing',
    drawings_other: '{{count}} drawings',
    list: '{{first}} and {{last}}',
    title: 'Delete {{what}}?',
    text: 'They leave this map, for everyone. You can put them back afterwards.',
    textPersons:
      'They leave this map, for everyone. The people stay in the People list. You can put everything back afterwards.',
    keep: 'No, keep',
    yes: 'Yes, delete',
    done: 'Deleted {{what}}.',
    putBack: 'Put back',
  },
  privateTime: {
    title: 'Private time: the family is talking',
    text: 'The client and his network are talking on their own now. This page comes back by itself when private time is over.',
  },
}
