import type { AddressInfo } from 'node:net'
import express from 'express'
import type { RequestContext } from '../../app/server/context'
import { searchApi } from '../../app/server/search-api'

const servers: Array<ReturnType<ReturnType<typeof express>['listen']>> = []

/**
 * `GET /api/v1/search` behind Express, as app/server/main.ts serves it: each request's
 * context from `contextOf`, the proxies given trusted. Resolves to the server's address;
 * `closeSearchApiServers` (in `afterEach`) closes every server started.
 */
export async function searchApiServer(contextOf: (req: express.Request) => RequestContext, trustProxy?: unknown): Promise<string> {
	const app = express()
	if (trustProxy !== undefined) app.set('trust proxy', trustProxy)
	app.use((req, res, next) => {
		res.locals.context = contextOf(req)
		next()
	})
	app.all('/api/v1/search', searchApi)
	const server = app.listen(0, '127.0.0.1')
	await new Promise((resolve) => server.once('listening', resolve))
	servers.push(server)
	return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

export async function closeSearchApiServers() {
	await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))))
}
