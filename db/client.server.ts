import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js'
import { migrate } from 'drizzle-orm/postgres-js/migrator'
import postgres from 'postgres'
import { loadConfig } from '~/config.server'
import { DATABASE_UNAVAILABLE, DomainError } from '~/utils/errors.server'
import { singleton } from '~/utils/singleton.server'
import { listenForChanges, stopListening, useLocalChanges } from './changes.server'
import * as schema from './schema'

export type Database = PostgresJsDatabase<typeof schema>
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0]
/** Either the database or an open transaction: domain functions accept both. */
export type Queryable = Database | Transaction

type Embedded = { dumpDataDir: (compression: 'gzip') => Promise<Blob>; exec: (query: string) => Promise<unknown> }
type Connection = { db: Database; sql: postgres.Sql; close: () => Promise<void>; embedded?: Embedded }

const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations')

/** Where the embedded database keeps its files. */
export const embeddedDataPath = (dataDir: string) => path.join(dataDir, 'pglite')

/**
 * Opens PostgreSQL: the server at DATABASE_URL, or an embedded PGlite in the data
 * dir served over the Postgres wire protocol on loopback, so that the whole app
 * talks to both through the same driver (postgres.js).
 */
async function open(options: { databaseUrl?: string; dataDir: string }): Promise<Connection> {
	if (options.databaseUrl) {
		const sql = postgres(options.databaseUrl, { max: 10, onnotice: () => {} })
		return { sql, db: drizzle(sql, { schema }), close: () => sql.end({ timeout: 5 }) }
	}
	const { PGlite } = await import('@electric-sql/pglite')
	const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket')
	const dir = embeddedDataPath(options.dataDir)
	fs.mkdirSync(dir, { recursive: true })
	// Shared buffers are part of PGlite's WebAssembly memory, which never shrinks: its default 128 MB
	// made the database 260 MB of the server's memory with the demo content, 16 MB makes it 155 MB;
	// pages it does not keep are read from the OS's file cache.
	const sharedBuffers = `${Math.round(loadConfig().KIZUNA_PGLITE_SHARED_BUFFERS / 1024)}kB`
	const pglite = await PGlite.create(dir, { startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${sharedBuffers}`] })
	const server = new PGLiteSocketServer({ db: pglite, host: '127.0.0.1', port: 0 })
	await server.start()
	const port = Number(new URL(`postgres://${server.getServerConn()}`).port)
	// PGlite serves one connection; a single pooled connection keeps every
	// transaction on it intact.
	const sql = postgres({ host: '127.0.0.1', port, database: 'postgres', username: 'postgres', max: 1, onnotice: () => {} })
	return {
		sql,
		db: drizzle(sql, { schema }),
		embedded: pglite,
		close: async () => {
			await sql.end({ timeout: 5 })
			await server.stop()
			await pglite.close()
		},
	}
}

const state = singleton('db', () => ({ connection: null as Connection | null }))

export async function connectDatabase(options: { databaseUrl?: string; dataDir: string }) {
	if (state.connection) return state.connection
	const connection = await open(options)
	await migrate(connection.db, { migrationsFolder })
	state.connection = connection
	if (options.databaseUrl) await listenForChanges(options.databaseUrl)
	else useLocalChanges()
	return connection
}

export async function closeDatabase() {
	const connection = state.connection
	state.connection = null
	await stopListening()
	await connection?.close()
}

function connection(): Connection {
	// Not yet, or closed for a moment (a restore swapping the embedded database): an outage to requests (503), not a failure.
	if (!state.connection) throw new DomainError('unavailable', DATABASE_UNAVAILABLE, {}, 30)
	return state.connection
}

/** The application's database handle (after connectDatabase). */
export const db: Database = new Proxy({} as Database, {
	get(_target, property) {
		const target = connection().db as unknown as Record<PropertyKey, unknown>
		const value = target[property]
		return typeof value === 'function' ? (value as Function).bind(target) : value
	},
})

/** The postgres.js pool under `db`, for libraries that send their own SQL (the rate limiter). */
export function rawSql(): postgres.Sql {
	return connection().sql
}

/** The embedded PGlite database itself, for its backup; null with DATABASE_URL. */
export function embeddedDatabase(): Embedded | null {
	return connection().embedded ?? null
}

export async function pingDatabase() {
	await connection().sql`select 1`
}
