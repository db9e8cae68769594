import { json } from '@remix-run/node'
import { pingDatabase } from '#db/client.server'
import { pingSearch } from '#search/client.server'

async function check(run: () => Promise<unknown>): Promise<string | null> {
	try {
		await Promise.race([run(), new Promise((_, reject) => setTimeout(() => reject(new Error('timed out')), 3000))])
		return null
	} catch (error) {
		return error instanceof Error ? error.message : String(error)
	}
}

export async function loader() {
	const [database, search] = await Promise.all([check(pingDatabase), check(pingSearch)])
	if (!database && !search) return json({ status: 'ok' }, { headers: { 'Cache-Control': 'no-store' } })
	const failing = { ...(database ? { database } : {}), ...(search ? { meilisearch: search } : {}) }
	return json({ status: 'unavailable', failing }, { status: 503, headers: { 'Cache-Control': 'no-store' } })
}
