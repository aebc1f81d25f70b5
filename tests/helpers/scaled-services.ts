import type { TestProject } from 'vitest/node'
import { startPostgres, startRedis } from './services'

declare module 'vitest' {
  export interface ProvidedContext {
    /** The throw-away PostgreSQL cluster of this run (each test file makes its own database). */
    postgresUrl: string
    /** The throw-away redis-server of this run. */
    redisUrl: string
  }
}

/**
 * Vitest global setup for the scaled-mode tests: one throw-away PostgreSQL and one redis-server
 * for the run, stopped (and their files removed) after it.
 */
export default async function startScaledServices(
  project: TestProject,
): Promise<() => Promise<void>> {
  const postgres = await startPostgres()
  let redis: Awaited<ReturnType<typeof startRedis>>
  try {
    redis = await startRedis()
  } catch (error) {
    await postgres.remove()
    throw error
  }
  project.provide('postgresUrl', postgres.url)
  project.provide('redisUrl', redis.url)
  return async () => {
    await Promise.all([postgres.remove(), redis.stop()])
  }
}
