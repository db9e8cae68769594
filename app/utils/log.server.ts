import { AsyncLocalStorage } from 'node:async_hooks'
import crypto from 'node:crypto'
import pino, { type DestinationStream, type Level, type Logger } from 'pino'
import { singleton } from './singleton.server'

/**
 * The one logger of the server, the worker and the CLI: one JSON object a line
 * (pino), so a log collector reads fields rather than parsing prose. Each line of
 * a request carries its `requestId`, from the request's scope (AsyncLocalStorage),
 * so domain code logs without being handed anything. Failures carry their stack
 * under `err`; refusals (404s and other 4xx) are one line with no stack.
 */
export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const
export type LogLevel = (typeof logLevels)[number]

/** What every line written in a scope carries: a request's id, or the CLI command a server runs. */
export type LogScope = { requestId?: string; command?: string }
// One per process: the Remix build has its own copy of this module (see singleton.server.ts), and its lines must see the server's scope.
const scope = singleton('log-scope', () => new AsyncLocalStorage<LogScope>())

/** Runs `run` with every line it logs (and everything it awaits) carrying `fields`. */
export const inLogScope = <T>(fields: LogScope, run: () => T): T => scope.run(fields, run)
/** The current request's id, when there is one. */
export const currentRequestId = () => scope.getStore()?.requestId

const levelFrom = (value: string | undefined): LogLevel => (logLevels as readonly string[]).includes(value ?? '') ? (value as LogLevel) : 'info'

/**
 * Lines go to stdout, except in the CLI: its stdout is the command's output (a new
 * API token is its last line), so it sends them to stderr (`logTo`).
 */
const output = singleton('log-output', (): { target: DestinationStream } => ({ target: pino.destination({ dest: 1, sync: true }) }))

export const log: Logger = singleton('log', () =>
	pino(
		{
			level: levelFrom(process.env.LOG_LEVEL),
			base: { pid: process.pid },
			timestamp: pino.stdTimeFunctions.isoTime,
			formatters: { level: (label) => ({ level: label }) },
			mixin: () => scope.getStore() ?? {},
		},
		{ write: (line: string) => output.target.write(line) },
	),
)

/** Where lines go from now on: stdout (1), stderr (2), or a stream (tests read the lines). */
export function logTo(target: 1 | 2 | DestinationStream) {
	output.target = typeof target === 'number' ? pino.destination({ dest: target, sync: true }) : target
}

/** An incoming X-Request-Id worth keeping: printable, no spaces or quotes, bounded. */
const WELL_FORMED_ID = /^[\w.:@/+=-]{1,128}$/

/**
 * The id a request's lines carry: the one a trusted proxy (KIZUNA_TRUSTED_PROXIES)
 * sent, so a line here joins the proxy's, else a new one. A client's own header is
 * not believed: it could make its lines look like someone else's.
 */
export function requestIdFor(incoming: string | undefined, fromTrustedProxy: boolean): string {
	return fromTrustedProxy && incoming && WELL_FORMED_ID.test(incoming) ? incoming : crypto.randomUUID()
}

/** Levels for a request's summary line: failures are errors, refusals informational. */
export const levelOfStatus = (status: number): Level => (status >= 500 ? 'error' : 'info')
