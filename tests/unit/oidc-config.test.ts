import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../app/config.server'

const oidc = (issuer: string) => ({ KIZUNA_OIDC_ISSUER: issuer, KIZUNA_OIDC_CLIENT_ID: 'kizuna', KIZUNA_OIDC_CLIENT_SECRET: 'secret' })
const refusal = 'KIZUNA_OIDC_ISSUER: must be an https URL (plain http only on localhost, 127.0.0.1 or ::1)'

describe('the OpenID Connect issuer', () => {
	it('must be https, so codes and tokens never travel readable', () => {
		expect(loadConfig(oidc('https://accounts.google.com')).KIZUNA_OIDC_ISSUER).toBe('https://accounts.google.com')
		expect(() => loadConfig(oidc('http://accounts.google.com'))).toThrow(refusal)
		expect(() => loadConfig(oidc('http://idp.internal:8080/realms/staff'))).toThrow(refusal)
		// Looks local, is not: the host is what counts.
		expect(() => loadConfig(oidc('http://localhost.evil.test'))).toThrow(refusal)
		expect(() => loadConfig(oidc('ftp://localhost/'))).toThrow(refusal)
	})

	it('may be plain http on this machine, as for a provider in the tests', () => {
		for (const issuer of ['http://localhost:9000', 'http://127.0.0.1:9000/oidc', 'http://[::1]:9000']) expect(loadConfig(oidc(issuer)).KIZUNA_OIDC_ISSUER).toBe(issuer)
	})
})
