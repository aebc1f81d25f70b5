import type { LogLevel } from './config'

/** Values a log line may carry: ids, roles, counts, durations. Never tokens or content. */
export type LogFields = Record<string, string | number | boolean | undefined>

/** A structured logger writing one line per event. */
export interface Logger {
  debug(event: string, fields?: LogFields): void
  info(event: string, fields?: LogFields): void
  warn(event: string, fields?: LogFields): void
  error(event: string, fields?: LogFields): void
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 }

function quote(value: string | number | boolean): string {
  const s = String(value)
  return /^[^\s"=]+$/.test(s) ? s : JSON.stringify(s)
}

/** Formats `<ISO time> <level> <event> key=value …`. */
export function formatLogLine(
  level: string,
  event: string,
  fields: LogFields = {},
  now = new Date(),
): string {
  const parts = [now.toISOString(), level, event]
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) parts.push(`${key}=${quote(value)}`)
  }
  return parts.join(' ')
}

/** A logger that writes lines at or above `level` to `write` (stdout by default). */
export function createLogger(
  level: LogLevel,
  write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): Logger {
  const at =
    (l: Exclude<LogLevel, 'silent'>) =>
    (event: string, fields?: LogFields): void => {
      if (RANK[l] >= RANK[level]) write(formatLogLine(l, event, fields))
    }
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }
}

/** The short description of an error that is safe to log: its name or code, never its data. */
export function errorKind(error: unknown): string {
  if (error && typeof error === 'object') {
    const code = (error as { code?: unknown }).code
    if (typeof code === 'string') return code
    const name = (error as { name?: unknown }).name
    if (typeof name === 'string') return name
  }
  return typeof error
}

/**
 * Where an error was thrown: its first stack frame (function, file, line), relative to the
 * working directory. The message is left out, since it may quote the data that failed.
 */
export function errorSite(error: unknown): string | undefined {
  if (!(error instanceof Error) || typeof error.stack !== 'string') return undefined
  let header: string
  try {
    header = String(error)
  } catch {
    return undefined
  }
  // Frames follow the header; a message that changed since the stack was taken is not skipped
  // safely, so then nothing is said.
  if (!error.stack.startsWith(header)) return undefined
  const frame = error.stack
    .slice(header.length)
    .split('\n')
    .find((line) => line.startsWith('    at '))
  if (!frame) return undefined
  const cwd = process.cwd()
  return frame.slice('    at '.length).replaceAll(`file://${cwd}/`, '').replaceAll(`${cwd}/`, '')
}

/** Longest path a log line carries; a longer one is cut (it is made up by whoever sent it). */
const MAX_LOGGED_PATH = 120

/** A request path as it may be logged: never the query, at most `MAX_LOGGED_PATH` characters. */
export function loggedPath(path: string): string {
  return path.length > MAX_LOGGED_PATH ? `${path.slice(0, MAX_LOGGED_PATH)}…` : path
}
