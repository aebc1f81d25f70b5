/**
 * The two modes as the real process reads them: the scaled mode needs PostgreSQL and Redis both,
 * and one without the other stops the server with a clear message before it listens.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { makeDataDir, removeDir, spawnServer } from '../helpers/server'

const dirs: string[] = []
afterEach(async () => {
  await Promise.all(dirs.splice(0).map(removeDir))
})

describe('starting with one service of the scaled mode only', () => {
  it.each([
    [{ DATABASE_URL: 'postgres://atlas:geheim-wachtwoord@127.0.0.1:1/netwerkatlas' }, 'REDIS_URL'],
    [{ REDIS_URL: 'redis://:geheim-wachtwoord@127.0.0.1:1' }, 'DATABASE_URL'],
  ])('%o: exits 1 and names the missing one, never the password', async (env, missing) => {
    const dir = await makeDataDir()
    dirs.push(dir)
    const started = spawnServer(dir, env)
    await expect(started).rejects.toThrow(/server exited \(code 1, signal null\) before listening/)
    await expect(started).rejects.toThrow(
      `${missing}: is not set, but ${missing === 'REDIS_URL' ? 'DATABASE_URL' : 'REDIS_URL'} is: the scaled mode needs both`,
    )
    await expect(started).rejects.not.toThrow('wachtwoord')
  })
})
