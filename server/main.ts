import { ConfigError, loadConfig } from './config'
import { createLogger, errorKind, errorSite } from './log'
import { startServer } from './server'

let config: ReturnType<typeof loadConfig>
try {
  config = loadConfig(process.env)
} catch (error) {
  if (!(error instanceof ConfigError)) throw error
  process.stderr.write(`${error.message}\n`)
  process.exit(1)
}

const log = createLogger(config.logLevel)

/** Longest a shutdown after an uncaught exception may take before the process exits anyway. */
const FATAL_SHUTDOWN_MS = 10_000

try {
  const server = await startServer(config, log)
  process.stdout.write(`Netwerkatlas listening on ${server.url}\n`)

  let exitCode = 0
  let stopping = false
  const shutdown = (reason: string) => {
    if (stopping) return
    stopping = true
    log.info('shutting down', { reason })
    server.close().then(
      () => process.exit(exitCode),
      (error) => {
        log.error('shutdown failed', { error: errorKind(error) })
        process.exit(1)
      },
    )
  }
  process.once('SIGINT', () => shutdown('SIGINT'))
  process.once('SIGTERM', () => shutdown('SIGTERM'))

  // Policy for what no boundary caught (ARCHITECTURE.md, "Invariants"): logged by kind and
  // place, never by message. An exception thrown through a library's callback leaves state we
  // cannot vouch for: save what the rooms hold and exit 1 for the supervisor to restart us.
  process.on('uncaughtException', (error) => {
    log.error('uncaught exception', { error: errorKind(error), at: errorSite(error) })
    exitCode = 1
    setTimeout(() => process.exit(1), FATAL_SHUTDOWN_MS).unref()
    shutdown('uncaught exception')
  })
  // A rejection nobody awaited ended its own operation at an await; what it changed belongs to
  // one request, socket or atlas, so the others go on.
  process.on('unhandledRejection', (reason) => {
    log.error('unhandled rejection', { error: errorKind(reason), at: errorSite(reason) })
  })
} catch (error) {
  const code = (error as { code?: string }).code
  const reason =
    code === 'EADDRINUSE'
      ? `port ${config.port} on ${config.host} is already in use`
      : code === 'EACCES'
        ? `no permission to listen on ${config.host}:${config.port} or to use ${config.dataDir}`
        : error instanceof Error
          ? error.message
          : String(error)
  process.stderr.write(`Netwerkatlas could not start: ${reason}\n`)
  process.exit(1)
}
