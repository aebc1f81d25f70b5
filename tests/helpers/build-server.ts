import { buildServer } from '../../server/build'
import { TEST_SERVER_DIR } from './server'

/**
 * Vitest global setup for integration tests: builds the server as `npm start` does, into its
 * own folder, so the tests that start it as a separate process run the built JavaScript.
 */
export default async function buildTestServer(): Promise<void> {
  await buildServer(TEST_SERVER_DIR)
}
