import { accessMessages } from './access'
import { basisteamMessages } from './basisteam'
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

/** Dutch: the default language. Plain words (B1), short sentences. */
export const nl = {
  people: peopleMessages.nl,
  maps: mapsMessages.nl,
  content: contentMessages.nl,
  exportDialog: exportDialogMessages.nl,
  access: accessMessages.nl,
  rights: rightsMessages.nl,
  plan: planMessages.nl,
  meeting: meetingMessages.nl,
  basisteam: basisteamMessages.nl,
  mapText: mapTextMessages.nl,
  shortcuts: shortcutsMessages.nl,
  history: historyMessages.nl,
  offline: offlineMessages.nl,
  easyRead: easyReadMessages.nl,
  app: {
    name: 'Netwerkatlas',
    tagline: 'Teken samen je netwerk. Maak samen een plan.',
    language: 'Taal',
  },
  home: {
    newAtlas: 'Nieuwe atlas maken',
    clientName: 'Naam van de klant',
    clientNameHint: 'Bijvoorbeeld: Sanne',
    titlePrefix: 'Atlas van {{name}}',
    create: 'Maak de atlas',
    creating: 'Bezig met maken…',
    recent: 'Atlassen op dit apparaat',
    recentEmpty: 'Je hebt op dit apparaat nog geen atlas geopend.',
    open: 'Openen',
    lastOpened: 'Laatst geopend: {{date}}',
    nameRequired: 'Vul eerst een naam in.',
    createFailed: 'Het maken is niet gelukt. {{reason}}',
  },
  atlas: {
    loading: 'De atlas wordt geopend…',
    home: 'Naar het begin',
    /** tldraw's tools named in the app's words. */
    tools: {
      select: 'Kiezen',
      note: 'Plakbriefje',
    },
    shortcuts: 'De atlas',
  },
  status: {
    online: 'Verbonden',
    onlineHint: 'Alles is bewaard en gedeeld.',
    syncing: 'Bezig met bijwerken…',
    syncingHint: 'Je werk wordt gedeeld met de anderen.',
    offline: 'Geen verbinding',
    offlineCalm: 'Geen verbinding. Je kunt gewoon doorgaan; alles wordt bewaard.',
    unsaved: 'Niet bewaard op de server',
    unsavedHint: 'Je werk blijft bewaard op dit apparaat. De server probeert het steeds opnieuw.',
  },
  syncNotice: {
    updateRefused:
      'De server neemt een wijziging van dit apparaat niet aan. Wat je nu doet, blijft op dit apparaat.',
    documentFull: 'De atlas is vol. Wat je nu doet, blijft op dit apparaat.',
    busy: 'De server is even druk. Je kunt doorgaan. We proberen het zo weer.',
    skipped_one: 'Eén ding in de atlas kan niet getoond worden. De rest werkt gewoon.',
    skipped_other: '{{count}} dingen in de atlas kunnen niet getoond worden. De rest werkt gewoon.',
  },
  share: {
    button: 'Delen',
    copy: 'Kopieer link',
    copied: 'Gekopieerd',
    copyFailed: 'Kopiëren lukt niet. Selecteer de link en kopieer hem zelf.',
    qr: 'Scan deze code met een tablet of telefoon.',
    close: 'Sluiten',
    careful: 'Deel een link alleen met mensen die de klant vertrouwt.',
  },
  name: {
    title: 'Hoe heet jij?',
    intro: 'De anderen zien jouw naam bij jouw pijltje.',
    label: 'Jouw naam',
    save: 'Klaar',
    change: 'Naam veranderen',
    you: 'Jij: {{name}}',
  },
  error: {
    badLinkTitle: 'Deze link werkt niet',
    badLinkText:
      'De link is niet goed, of hij is ingetrokken. Vraag de persoon die hem stuurde om een nieuwe link.',
    offlineUnknownTitle: 'Geen verbinding',
    offlineUnknownText:
      'Deze atlas staat nog niet op dit apparaat. Probeer het opnieuw als er internet is.',
    retry: 'Opnieuw proberen',
    notFoundTitle: 'Deze pagina bestaat niet',
    home: 'Naar het begin',
    storageFailed:
      'De atlas kan niet op dit apparaat worden bewaard. Je kunt wel verder werken als er verbinding is.',
  },
  atlasFile: {
    open: 'Atlasbestand openen',
    openIntro:
      'Heb je een atlasbestand (.netwerkatlas) of een afbeelding die met Netwerkatlas is gemaakt? Kies het bestand. Je krijgt dan een nieuwe atlas met alles wat erin staat.',
    choose: 'Kies een bestand',
    dropHere: 'Of sleep het bestand naar deze pagina.',
    dropRelease: 'Laat het bestand los om het te openen',
    busy: 'Bezig met openen…',
    skipped_one: 'De atlas is geopend. 1 onderdeel kon niet worden gelezen. Dat staat er niet in.',
    skipped_other:
      'De atlas is geopend. {{count}} onderdelen konden niet worden gelezen. Die staan er niet in.',
    imported: 'Gelukt. Er is een nieuwe atlas gemaakt: {{title}}.',
    openAtlas: 'Naar de atlas',
    damaged:
      'Dit bestand kan niet worden geopend. Het is geen atlasbestand, of het is beschadigd. Er is niets veranderd.',
    noAtlasInImage:
      "In deze afbeelding zit geen atlas. Alleen afbeeldingen die met 'Atlas in de afbeelding bewaren' zijn gemaakt, kun je hier openen. Er is niets veranderd.",
    tooLarge: 'Dit bestand is te groot. Er is niets veranderd.',
    failed: 'Het openen is niet gelukt. {{reason}}',
  },
  /** Why the server made no new atlas now (too many at once, a full disk, busy). */
  newAtlasRefused: {
    tooMany:
      'Er zijn net veel atlassen gemaakt vanaf dit netwerk. Wacht een minuut en probeer het opnieuw.',
    diskFull:
      'De server is bijna vol. Er kan nu geen nieuwe atlas bij. De atlassen die er al zijn, worden wel bewaard. Vraag de beheerder om hulp.',
    busy: 'De server is nog bezig met andere bestanden. Probeer het over een minuut opnieuw.',
  },
  pageMenu: {
    button: 'Kaarten',
    others: 'Andere pagina’s',
    delete: 'Pagina {{name}} verwijderen',
    deleteTitle: 'Pagina {{name}} verwijderen?',
    deleteText_one: 'Op deze pagina staat 1 ding. Dat gaat weg, voor iedereen.',
    deleteText_other: 'Op deze pagina staan {{count}} dingen. Die gaan weg, voor iedereen.',
    keep: 'Nee, bewaren',
    deleteYes: 'Ja, verwijderen',
  },
  deletion: {
    persons_one: '1 persoon',
    persons_other: '{{count}} personen',
    relations_one: '1 relatie',
    relations_other: '{{count}} relaties',
    events_one: '1 gebeurtenis',
    events_other: '{{count}} gebeurtenissen',
    drawings_one: '1 tekening',
    drawings_other: '{{count}} tekeningen',
    list: '{{first}} en {{last}}',
    title: '{{what}} verwijderen?',
    text: 'Ze gaan weg van deze kaart, voor iedereen. Daarna kun je ze nog terugzetten.',
    textPersons:
      'Ze gaan weg van deze kaart, voor iedereen. De personen blijven in de lijst Mensen. Daarna kun je alles nog terugzetten.',
    keep: 'Nee, bewaren',
    yes: 'Ja, verwijderen',
    done: '{{what}} verwijderd.',
    putBack: 'Terugzetten',
  },
  privateTime: {
    title: 'Privétijd: de familie overlegt',
    text: 'De klant en zijn netwerk praten nu even alleen. Deze pagina komt vanzelf terug als de privétijd voorbij is.',
  },
} as const
