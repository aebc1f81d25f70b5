import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from './config'

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
    })
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
  ])('refuses %o with a readable message', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError)
    expect(() => loadConfig(env)).toThrow(message)
  })
})
