/** Messages of the app on the device: working without a network, and new versions. Dutch first, English second. */
export const offlineMessages = {
  nl: {
    lastSynced: 'Bijgewerkt met de server: {{date}}',
    neverSynced: 'Nog niet bijgewerkt met de server',
    homeOffline: 'Geen verbinding. De atlassen op dit apparaat kun je gewoon openen.',
    noNewAtlas:
      'Zonder verbinding kun je geen nieuwe atlas maken. De server maakt de links. Probeer het opnieuw als je weer verbinding hebt.',
    update: {
      available: 'Er is een nieuwe versie.',
      load: 'Nieuwe versie laden',
      later: 'Later',
      afterMeeting: 'Laad de nieuwe versie na de bijeenkomst.',
      afterSync: 'Laad de nieuwe versie als je wijzigingen bij de server zijn.',
      tooOld: 'Deze versie is te oud. Laad de nieuwe versie.',
      serverOlder:
        'De server heeft nog een oudere versie. Je kunt kijken, maar nog niets veranderen.',
      partMissing: 'Er is een nieuwe versie. Laad de pagina opnieuw om dit te gebruiken.',
    },
  },
  en: {
    lastSynced: 'Brought up to date with the server: {{date}}',
    neverSynced: 'Not yet brought up to date with the server',
    homeOffline: 'No connection. You can still open the atlases on this device.',
    noNewAtlas:
      'Without a connection you cannot make a new atlas. The server makes the links. Try again when you have a connection.',
    update: {
      available: 'There is a new version.',
      load: 'Load the new version',
      later: 'Later',
      afterMeeting: 'Load the new version after the meeting.',
      afterSync: 'Load the new version once your changes have reached the server.',
      tooOld: 'This version is too old. Load the new version.',
      serverOlder:
        'The server still has an older version. You can look, but not change anything yet.',
      partMissing: 'There is a new version. Load the page again to use this.',
    },
  },
}
