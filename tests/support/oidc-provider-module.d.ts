// oidc-provider ships no types (its @types package trails its versions): the part the tests use.
declare module 'oidc-provider' {
	import type { IncomingMessage, ServerResponse } from 'node:http'
	type Account = { accountId: string; claims: () => Record<string, unknown> }
	export default class Provider {
		constructor(issuer: string, configuration: Record<string, unknown> & { findAccount: (ctx: unknown, id: string) => Promise<Account> })
		on(event: 'server_error', listener: (ctx: unknown, error: Error) => void): void
		callback(): (req: IncomingMessage, res: ServerResponse) => void
	}
}
