import { fileURLToPath } from 'node:url'
import { build } from 'vite'

/** Vitest global setup for browser tests: builds the real client once, as `npm start` does. */
export default async function buildClient(): Promise<void> {
  await build({
    configFile: fileURLToPath(new URL('../../vite.config.ts', import.meta.url)),
    logLevel: 'warn',
  })
}
