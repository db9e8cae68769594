import { Webhook } from 'standardwebhooks'
import { RECEIVER_FAILURE, signatureOf, startWebhookReceiver } from '../support/webhook-receiver'
import { askQuestion, createUser, expect, signIn, test, unique, openAdminPage } from './support'

test('an admin registers a webhook, sees a failed delivery in the log and retries it', async ({ page }) => {
	// Fails the first delivery, accepts the rest.
	const receiver = await startWebhookReceiver([500, 200], `/hooks/${unique('kizuna')}`)
	try {
		await signIn(page, await createUser('admin'))
		await openAdminPage(page, 'Webhooks')
		await expect(page.getByRole('heading', { level: 1, name: 'Webhooks' })).toBeVisible()

		await page.getByLabel('Payload URL').fill('ftp://files.example.com')
		await page.getByLabel('Secret').fill('short')
		await page.getByRole('button', { name: 'Add webhook' }).click()
		await expect(page.getByText('Enter a full URL starting with http:// or https://')).toBeVisible()
		await expect(page.getByText('The secret needs at least 16 characters; leave it empty to generate one')).toBeVisible()
		await expect(page.getByText('Choose at least one event')).toBeVisible()

		await page.getByLabel('Payload URL').fill(receiver.url)
		await page.getByLabel('Secret').fill('')
		await page.getByRole('checkbox', { name: /question\.created/ }).check()
		await page.getByRole('button', { name: 'Add webhook' }).click()
		await expect(page.getByText('Copy its secret now: it will not be shown again.')).toBeVisible()
		const secret = (await page.getByTestId('webhook-secret').textContent())!.trim()
		expect(secret).toMatch(/^whsec_/)
		const row = page.getByTestId('webhook').filter({ hasText: receiver.url })
		await expect(row.getByText('Enabled')).toBeVisible()

		const title = `How do I archive a finished board ${unique('wh')}`
		await askQuestion(page, { title, body: 'Our finished boards clutter the sidebar.' })

		// The worker sends within seconds; the receiver fails the first attempt.
		await expect.poll(() => receiver.requests.length, { timeout: 15_000 }).toBeGreaterThanOrEqual(1)
		const first = receiver.requests[0]!
		expect(first.headers['x-kizuna-event']).toBe('question.created')
		expect(first.headers['x-kizuna-signature']).toBe(signatureOf(first, secret))
		expect(JSON.parse(first.body).data.question.title).toBe(title)

		await page.goto('/admin/webhooks')
		await row.getByRole('link', { name: 'Delivery log' }).click()
		const delivery = page.getByTestId('delivery').filter({ hasText: 'question.created' })
		await expect(delivery).toHaveCount(1)
		await expect(delivery).toContainText('Pending')
		await expect(delivery).toContainText('500')
		await expect(delivery).toContainText(RECEIVER_FAILURE)
		// The page shows the Standard Webhooks secret, and the reference library verifies the delivery with it.
		await page.getByText('Standard Webhooks secret').click()
		const standardSecret = (await page.getByTestId('standard-webhook-secret').textContent())!.trim()
		expect(new Webhook(standardSecret).verify(first.body, first.headers as Record<string, string>)).toMatchObject({ event: 'question.created' })

		await delivery.getByRole('button', { name: 'Retry now' }).click()
		// The log refreshes itself while a delivery is pending.
		await expect(delivery).toContainText('Delivered', { timeout: 15_000 })
		await expect(delivery).toContainText('200')
		await expect(delivery.getByRole('button', { name: 'Retry now' })).toHaveCount(0)
		expect(receiver.requests).toHaveLength(2)
		expect(receiver.requests[1]!.body).toBe(first.body)

		// Leaves no webhook behind for the specs that run after this one.
		await page.getByRole('link', { name: 'Webhooks', exact: true }).first().click()
		page.once('dialog', (dialog) => dialog.accept())
		await row.getByRole('button', { name: 'Delete' }).click()
		await expect(row).toHaveCount(0)
	} finally {
		await receiver.close()
	}
})

test('members and CS staff cannot open the webhooks page', async ({ browser }) => {
	for (const role of ['member', 'cs'] as const) {
		const page = await (await browser.newContext()).newPage()
		await signIn(page, await createUser(role))
		await expect(page.locator('a[href="/admin/webhooks"]')).toHaveCount(0)
		const response = await page.goto('/admin/webhooks')
		expect(response?.status()).toBe(403)
		await expect(page.getByText('You are not allowed to see this page.')).toBeVisible()
	}
})
