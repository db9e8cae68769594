import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { startOidcProvider } from '../support/oidc-provider'
import { createUser, expect, freePort, startServer, test } from './support'

/**
 * Staff sign in with their company's identity provider: a real OpenID Connect
 * provider (oidc-provider, its development login page) and a Kizuna of its own
 * configured for it, on this worker's database.
 */
test('a CS person signs in with the company identity provider and lands where they were going', async ({ page }) => {
	test.setTimeout(120_000)
	const port = await freePort()
	const site = `http://127.0.0.1:${port}`
	const provider = await startOidcProvider({ clientId: 'kizuna-e2e', clientSecret: 'e2e-provider-secret', redirectUri: `${site}/auth/oidc/callback` })
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kizuna-oidc-'))
	const passOn = ['DATABASE_URL', 'MEILI_URL', 'MEILI_MASTER_KEY', 'MEILI_INDEX_PREFIX', 'KIZUNA_BUILD_DIR', 'KIZUNA_RATE_LIMITS'].map((name) => [name, process.env[name]])
	const server = await startServer({
		...Object.fromEntries(passOn),
		KIZUNA_DATA_DIR: dataDir,
		KIZUNA_DEMO_CONTENT: 'off',
		PORT: String(port),
		KIZUNA_PUBLIC_URL: site,
		KIZUNA_OIDC_ISSUER: provider.issuer,
		KIZUNA_OIDC_CLIENT_ID: 'kizuna-e2e',
		KIZUNA_OIDC_CLIENT_SECRET: 'e2e-provider-secret',
		KIZUNA_OIDC_NAME: 'Example Workspace of Kizuna Holdings International',
	})
	try {
		const cs = await createUser('cs')
		// On a phone, the provider's long name wraps rather than widening the page.
		await page.setViewportSize({ width: 390, height: 800 })
		await page.goto(`${site}/signin?redirectTo=${encodeURIComponent('/insights')}`)
		const button = page.getByRole('button', { name: 'Sign in with Example Workspace of Kizuna Holdings International' })
		await expect(button).toBeVisible()
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
		await button.click()
		// The provider's own pages: any password signs in there; then it asks to share the address.
		await page.locator('input[name="login"]').fill(cs.email.toUpperCase())
		await page.locator('input[name="password"]').fill('anything')
		await page.getByRole('button', { name: 'Sign-in' }).click()
		await page.getByRole('button', { name: 'Continue' }).click()
		await expect(page).toHaveURL(`${site}/insights`)
		// On a phone the header's menu holds the signed-in person's links.
		await page.locator('label', { hasText: 'Menu' }).click()
		await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible()
		await expect(page.getByText(cs.displayName, { exact: true })).toBeVisible()

		// Coming back through the same callback (the browser's back button, a shared link) does not sign anyone in.
		const replay = await page.request.get(`${site}/auth/oidc/callback?state=used&code=x`)
		expect(replay.status()).toBe(400)
		expect(await replay.text()).toContain('This sign-in link is not valid')
	} finally {
		await server.stop()
		await provider.stop()
		fs.rmSync(dataDir, { recursive: true, force: true })
	}
})
