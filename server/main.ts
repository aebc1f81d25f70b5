import { ConfigError, loadConfig } from './config'
import { createLogger, errorKind } from './log'
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

try {
  const server = await startServer(config, log)
  process.stdout.write(`Netwerkatlas listening on ${server.url}\n`)

  const shutdown = (signal: string) => {
    log.info('shutting down', { signal })
    server.close().then(
      () => process.exit(0),
      (error) => {
        log.error('shutdown failed', { error: errorKind(error) })
        process.exit(1)
      },
    )
  }
  process.once('SIGINT', () => shutdown('SIGINT'))
  process.once('SIGTERM', () => shutdown('SIGTERM'))
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
