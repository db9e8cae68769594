import { cli, expect, signInWithForm, test, unique } from './support'

// The other specs make people and tokens in-process; staff accounts are made with the CLI (README, "Command line").
test('a staff account and an API token made on the command line work on the site', async ({ page, request }) => {
	const email = `${unique('staff')}@example.test`
	expect(await cli('user:create', '--email', email, '--password', 'correct horse battery', '--role', 'cs', '--name', 'Kenji from CS')).toContain(`Created cs ${email}`)
	const token = (await cli('token:create', '--email', email, '--name', 'Nightly export')).trim().split('\n').at(-1)!
	const summary = await request.get('/api/v1/insights/summary', { headers: { Authorization: `Bearer ${token}` } })
	expect(summary.status()).toBe(200)

	await signInWithForm(page, { email, password: 'correct horse battery' })
	await expect(page.getByText('Kenji from CS', { exact: true })).toBeVisible()
	await expect(page.getByRole('link', { name: 'Insights' })).toBeVisible()
	// The person finds the token under its name, already used, to revoke it when the export stops.
	await page.goto('/settings/tokens')
	const row = page.getByTestId('api-token').filter({ has: page.getByRole('rowheader', { name: 'Nightly export' }) })
	await expect(row).toBeVisible()
	await expect(row).not.toContainText('Never')
})
