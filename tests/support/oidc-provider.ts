import http from 'node:http'
import type net from 'node:net'
import Provider from 'oidc-provider'

/**
 * A real OpenID Connect provider (`oidc-provider`) on a free loopback port, with its
 * development login and consent pages: any login name signs in, and the account's
 * email is that name. `unverified:<email>` is an account whose provider has not
 * verified its address; `entra:<email>` one whose provider says so as Entra ID
 * does (no `email_verified`, `xms_edov: true`).
 */
export async function startOidcProvider(client: { clientId: string; clientSecret: string; redirectUri: string }, options: { claimsInIdToken?: boolean } = {}) {
	const server = http.createServer()
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
	const issuer = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`
	const provider = new Provider(issuer, {
		clients: [{ client_id: client.clientId, client_secret: client.clientSecret, redirect_uris: [client.redirectUri], grant_types: ['authorization_code'], response_types: ['code'] }],
		claims: { openid: ['sub'], email: ['email', 'email_verified', 'xms_edov'], profile: ['name'] },
		cookies: { keys: ['kizuna-test-provider-cookies'] },
		features: { devInteractions: { enabled: true } },
		// By default the scopes' claims (email) are only at the userinfo endpoint; some providers (Google) put them in the ID token.
		conformIdTokenClaims: !options.claimsInIdToken,
		ttl: { Interaction: 600, Session: 600, Grant: 600, AccessToken: 600, IdToken: 600 },
		async findAccount(_ctx, id) {
			const [, kind = 'verified', email = id] = /^(?:(unverified|entra):)?(.*)$/.exec(id) ?? []
			const verified = kind === 'entra' ? { xms_edov: true } : { email_verified: kind === 'verified' }
			return { accountId: id, claims: () => ({ sub: id, email, ...verified, name: email.split('@')[0] }) }
		},
	})
	// Its warnings about development-only settings are expected here.
	provider.on('server_error', (_ctx, error) => console.error(error))
	server.on('request', provider.callback())
	return {
		issuer,
		stop: () => new Promise<void>((resolve) => {
			server.closeAllConnections()
			server.close(() => resolve())
		}),
	}
}

/**
 * Goes through the provider's development pages as a browser would (cookies kept
 * per name, forms submitted) from the authorization URL until it redirects back to
 * `redirectUri`; returns that callback URL with its code and state.
 */
export async function signInAtProvider(authorizationUrl: string, redirectUri: string, login: string): Promise<URL> {
	const jar = new Map<string, string>()
	let url = authorizationUrl
	let body: URLSearchParams | undefined
	for (let step = 0; step < 12; step++) {
		const response = await fetch(url, {
			method: body ? 'POST' : 'GET',
			body,
			redirect: 'manual',
			headers: { cookie: [...jar].map(([name, value]) => `${name}=${value}`).join('; '), ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
		})
		for (const cookie of response.headers.getSetCookie()) {
			const [pair] = cookie.split(';')
			const [name, value] = pair!.split('=') as [string, string]
			if (value === '' || /expires=Thu, 01 Jan 1970/i.test(cookie)) jar.delete(name)
			else jar.set(name, value)
		}
		body = undefined
		const location = response.headers.get('location')
		if (location) {
			const next = new URL(location, url)
			if (next.href.startsWith(redirectUri)) return next
			url = next.href
			continue
		}
		const html = await response.text()
		const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1]
		const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1]
		if (!action || !prompt) throw new Error(`The provider answered ${response.status} without a form:\n${html.slice(0, 2000)}`)
		url = new URL(action.replaceAll('&amp;', '&'), url).href
		body = new URLSearchParams(prompt === 'login' ? { prompt, login, password: 'any' } : { prompt })
	}
	throw new Error('The provider did not send the browser back')
}
