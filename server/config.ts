import { resolve } from 'node:path'
import { z } from 'zod'

const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const

/** Log levels, least to most severe; `silent` logs nothing. */
export type LogLevel = (typeof LOG_LEVELS)[number]

const port = z
  .string()
  .regex(/^\d+$/, 'must be a whole number from 0 to 65535')
  .transform(Number)
  .refine((n) => n <= 65535, 'must be a whole number from 0 to 65535')

const milliseconds = (max: number) =>
  z
    .string()
    .regex(/^\d+$/, `must be a whole number of milliseconds from 0 to ${max}`)
    .transform(Number)
    .refine((n) => n <= max, `must be a whole number of milliseconds from 0 to ${max}`)

const nonEmpty = z.string().trim().min(1, 'must not be empty')

const EnvSchema = z
  .object({
    PORT: port.default(8787),
    HOST: nonEmpty.default('127.0.0.1'),
    DATA_DIR: nonEmpty.default('./data'),
    CLIENT_DIR: nonEmpty.default('./dist/client'),
    LOG_LEVEL: z
      .enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` })
      .default('info'),
    SAVE_DEBOUNCE_MS: milliseconds(1000).default(200),
    SAVE_MAX_WAIT_MS: milliseconds(1000).default(700),
  })
  .refine((env) => env.SAVE_DEBOUNCE_MS <= env.SAVE_MAX_WAIT_MS, {
    path: ['SAVE_DEBOUNCE_MS'],
    message: 'must not be larger than SAVE_MAX_WAIT_MS',
  })

/** The server's settings, read once from the environment at start-up. */
export interface Config {
  port: number
  host: string
  /** Absolute path of the embedded storage. */
  dataDir: string
  /** Absolute path of the built client. */
  clientDir: string
  logLevel: LogLevel
  /** Quiet time after an edit before the atlas is saved. */
  saveDebounceMs: number
  /** Longest an edit waits to be saved while edits keep coming. */
  saveMaxWaitMs: number
}

/** Thrown by `loadConfig` with a message meant for the person starting the server. */
export class ConfigError extends Error {
  override name = 'ConfigError'
}

/** Parses and validates the environment; relative paths resolve against `cwd`. */
export function loadConfig(
  env: Record<string, string | undefined>,
  cwd: string = process.cwd(),
): Config {
  // An empty variable means "not set", as in most shells' `VAR= command`.
  const present = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ''),
  )
  const parsed = EnvSchema.safeParse(present)
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = issue.path.join('.') || 'environment'
      const given = typeof issue.path[0] === 'string' ? present[issue.path[0]] : undefined
      return `  ${name}${given === undefined ? '' : ` (got "${given}")`}: ${issue.message}`
    })
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`)
  }
  const e = parsed.data
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: resolve(cwd, e.DATA_DIR),
    clientDir: resolve(cwd, e.CLIENT_DIR),
    logLevel: e.LOG_LEVEL,
    saveDebounceMs: e.SAVE_DEBOUNCE_MS,
    saveMaxWaitMs: e.SAVE_MAX_WAIT_MS,
  }
}
