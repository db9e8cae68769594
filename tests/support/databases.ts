import postgres from 'postgres'

/**
 * A database of its own for one test worker, cloned from the migrated template that
 * `npm test` prepares (tests/run.ts): `CREATE DATABASE … TEMPLATE` copies its files
 * instead of running every migration again. A worker keeps its
 * database for every file it runs; creating it again is a no-op.
 */
export async function cloneDatabase(templateUrl: string, name: string): Promise<string> {
	if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Invalid database name: ${name}`)
	const template = new URL(templateUrl)
	const maintenance = new URL(template)
	maintenance.pathname = '/postgres'
	const admin = postgres(maintenance.toString(), { max: 1, onnotice: () => {} })
	try {
		await admin.unsafe(`CREATE DATABASE "${name}" TEMPLATE "${template.pathname.slice(1)}"`)
	} catch (error) {
		// 42P04: this worker made it for an earlier file.
		if ((error as { code?: string }).code !== '42P04') throw error
	} finally {
		await admin.end({ timeout: 2 })
	}
	const url = new URL(template)
	url.pathname = `/${name}`
	return url.toString()
}

/** Migrates the template the workers clone, then disconnects: PostgreSQL copies only a database nobody is connected to. */
export async function migrateTemplate(templateUrl: string) {
	const { connectDatabase, closeDatabase } = await import('../../db/client.server')
	await connectDatabase({ databaseUrl: templateUrl, dataDir: '.' })
	await closeDatabase()
}
