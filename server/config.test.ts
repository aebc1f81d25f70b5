import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from './config'
import { DEFAULT_SYNC_LIMITS } from './sync/limits'

describe('loadConfig', () => {
  it('has defaults for everything', () => {
    expect(loadConfig({}, '/srv/app')).toEqual({
      port: 8787,
      host: '127.0.0.1',
      dataDir: '/srv/app/data',
      clientDir: '/srv/app/dist/client',
      logLevel: 'info',
      saveDebounceMs: 200,
      saveMaxWaitMs: 700,
      roomIdleMs: 10_000,
      saveRetryMaxMs: 30_000,
      encryptionKey: null,
      limits: DEFAULT_SYNC_LIMITS,
      accessLogDays: 365,
      history: { intervalMs: 3_600_000, keepDays: 90, maxSnapshots: 500 },
      http: { headersTimeoutMs: 10_000, requestTimeoutMs: 60_000 },
      volume: {
        atlasCreationsPerMinute: 10,
        importsPerMinute: 5,
        maxImportRecords: 100_000,
        minFreeDiskBytes: 100 * 1024 * 1024,
        addressBlockRefusals: 60,
        addressBlockSeconds: 60,
      },
      publicUrl: null,
      trustProxy: false,
      scaled: null,
      announcedSchema: null,
    })
  })

  it('is in the scaled mode with both DATABASE_URL and REDIS_URL, and refuses one alone', () => {
    const databaseUrl = 'postgres://atlas:geheim-wachtwoord@db.example.nl:5432/netwerkatlas'
    const redisUrl = 'redis://:ander-wachtwoord@redis.example.nl:6379'
    expect(loadConfig({ DATABASE_URL: databaseUrl, REDIS_URL: redisUrl }).scaled).toEqual({
      databaseUrl,
      redisUrl,
    })
    expect(() => loadConfig({ DATABASE_URL: databaseUrl })).toThrow(
      'REDIS_URL: is not set, but DATABASE_URL is: the scaled mode needs both',
    )
    expect(() => loadConfig({ REDIS_URL: redisUrl })).toThrow(
      'DATABASE_URL: is not set, but REDIS_URL is: the scaled mode needs both',
    )
    for (const env of [
      { DATABASE_URL: 'mysql://atlas:geheim-wachtwoord@db', REDIS_URL: redisUrl },
      { DATABASE_URL: databaseUrl, REDIS_URL: 'http://:ander-wachtwoord@redis' },
    ]) {
      let message = ''
      try {
        loadConfig(env)
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError)
        message = (error as Error).message
      }
      expect(message).toMatch(/_URL: must be an address such as/)
      // An address holds a password: never repeated back.
      expect(message).not.toContain('wachtwoord')
    }
  })

  it('reads an encryption key as hex or base64, and refuses another without repeating it', () => {
    const key = Buffer.alloc(32, 7)
    expect(loadConfig({ ATLAS_ENCRYPTION_KEY: key.toString('hex') }).encryptionKey).toEqual(key)
    expect(loadConfig({ ATLAS_ENCRYPTION_KEY: key.toString('base64') }).encryptionKey).toEqual(key)
    for (const bad of [
      'geheim-wachtwoord',
      key.subarray(0, 16).toString('hex'),
      `${key.toString('hex')}00`,
    ]) {
      let message = ''
      try {
        loadConfig({ ATLAS_ENCRYPTION_KEY: bad })
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError)
        message = (error as Error).message
      }
      expect(message).toMatch(
        /ATLAS_ENCRYPTION_KEY: must be 32 bytes as 64 hex digits or as base64/,
      )
      expect(message).not.toContain(bad)
    }
  })

  it('reads the limits on making atlases and the public address', () => {
    const config = loadConfig({
      ATLAS_CREATIONS_PER_MINUTE: '2',
      IMPORTS_PER_MINUTE: '3',
      MAX_IMPORT_RECORDS: '4',
      MIN_FREE_DISK_MB: '0',
      ADDRESS_BLOCK_REFUSALS: '0',
      ADDRESS_BLOCK_SECONDS: '5',
      PUBLIC_URL: 'https://atlas.example.nl',
    })
    expect(config.volume).toEqual({
      atlasCreationsPerMinute: 2,
      importsPerMinute: 3,
      maxImportRecords: 4,
      minFreeDiskBytes: 0,
      addressBlockRefusals: 0,
      addressBlockSeconds: 5,
    })
    expect(config.publicUrl).toBe('https://atlas.example.nl')
    expect(() => loadConfig({ PUBLIC_URL: 'ftp://atlas.example.nl' })).toThrow(
      'PUBLIC_URL (got "ftp://atlas.example.nl"): must be an http:// or https:// address',
    )
    expect(() => loadConfig({ MIN_FREE_DISK_MB: '-1' })).toThrow('MIN_FREE_DISK_MB')
  })

  it('reads every limit', () => {
    const config = loadConfig({
      MAX_UPDATE_STRUCTS: '10',
      UPDATE_STRUCTS_PER_MINUTE: '12',
      MAX_UPDATE_DELETE_RANGES: '11',
      MAX_DOCUMENT_BYTES: '1000',
      SYNC_ANSWERS_PER_MINUTE: '2',
      PRESENCE_QUERIES_PER_MINUTE: '3',
      PRESENCE_UPDATES_PER_SECOND: '4',
      MAX_PRESENCE_BYTES: '500',
      MAX_SEND_BUFFER_BYTES: '2000',
      PRESENCE_SKIP_BUFFER_BYTES: '100',
      JOIN_TIMEOUT_MS: '1500',
      MAX_BYTES_BEFORE_JOIN: '64',
      MAX_CONNECTIONS_PER_ATLAS: '5',
      MAX_CONNECTIONS_PER_ADDRESS: '6',
      MAX_OPEN_ROOMS: '7',
      REFUSAL_COOL_DOWN_MS: '8',
      REFUSAL_COOL_DOWN_MAX_MS: '9',
      HTTP_HEADERS_TIMEOUT_MS: '1000',
      HTTP_REQUEST_TIMEOUT_MS: '2000',
      TRUST_PROXY: 'true',
    })
    expect(config.limits).toEqual({
      maxUpdateStructs: 10,
      updateStructsPerMinute: 12,
      maxUpdateDeleteRanges: 11,
      maxDocumentBytes: 1000,
      syncAnswersPerMinute: 2,
      presenceQueriesPerMinute: 3,
      presenceUpdatesPerSecond: 4,
      maxPresenceBytes: 500,
      maxSendBufferBytes: 2000,
      presenceSkipBufferBytes: 100,
      joinTimeoutMs: 1500,
      maxBytesBeforeJoin: 64,
      maxConnectionsPerAtlas: 5,
      maxConnectionsPerAddress: 6,
      maxOpenRooms: 7,
      refusalCoolDownMs: 8,
      refusalCoolDownMaxMs: 9,
    })
    expect(config.http).toEqual({ headersTimeoutMs: 1000, requestTimeoutMs: 2000 })
    expect(config.trustProxy).toBe(true)
  })

  it('reads the environment; 0 means any free port; empty means unset', () => {
    const config = loadConfig(
      { PORT: '0', HOST: '0.0.0.0', DATA_DIR: '/var/lib/atlas', LOG_LEVEL: 'warn', CLIENT_DIR: '' },
      '/x',
    )
    expect(config).toMatchObject({
      port: 0,
      host: '0.0.0.0',
      dataDir: '/var/lib/atlas',
      clientDir: '/x/dist/client',
      logLevel: 'warn',
    })
  })

  it.each([
    [{ PORT: 'abc' }, /PORT \(got "abc"\): must be a whole number/],
    [{ PORT: '70000' }, /PORT/],
    [{ PORT: '-1' }, /PORT/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL \(got "loud"\): must be one of/],
    [{ HOST: '   ' }, /HOST \(got " {3}"\): must not be empty/],
    [{ SAVE_DEBOUNCE_MS: '900', SAVE_MAX_WAIT_MS: '500' }, /SAVE_DEBOUNCE_MS.*SAVE_MAX_WAIT_MS/],
    [{ SAVE_MAX_WAIT_MS: '5000' }, /SAVE_MAX_WAIT_MS/],
    [
      { MAX_UPDATE_STRUCTS: '0' },
      /MAX_UPDATE_STRUCTS \(got "0"\): must be a whole number of at least 1/,
    ],
    [{ JOIN_TIMEOUT_MS: '2.5' }, /JOIN_TIMEOUT_MS/],
    [
      { MAX_DOCUMENT_BYTES: '2000', MAX_SEND_BUFFER_BYTES: '1000' },
      /MAX_SEND_BUFFER_BYTES.*MAX_DOCUMENT_BYTES/,
    ],
    [{ PRESENCE_SKIP_BUFFER_BYTES: '99999999999' }, /PRESENCE_SKIP_BUFFER_BYTES/],
    [{ HTTP_HEADERS_TIMEOUT_MS: '70000' }, /HTTP_HEADERS_TIMEOUT_MS.*HTTP_REQUEST_TIMEOUT_MS/],
    [{ REFUSAL_COOL_DOWN_MS: '5000', REFUSAL_COOL_DOWN_MAX_MS: '10' }, /REFUSAL_COOL_DOWN_MS/],
    [{ TRUST_PROXY: 'yes' }, /TRUST_PROXY \(got "yes"\): must be true or false/],
  ])('refuses %o with a readable message', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError)
    expect(() => loadConfig(env)).toThrow(message)
  })
})
