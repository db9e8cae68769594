import fs from 'node:fs'
import { createFaq, recordFaqView, setFaqPublished } from '../../app/knowledge/faqs.server'
import { faqSchema } from '../../app/knowledge/validation'
import { recordActivity } from '../../app/insights/events.server'
import { apiToken, createUser, expect, importAccounts, runJobs, signIn, test, unique } from './support'

test('CS sees on /insights/pages the product pages where an account’s people needed help in the widget, and each channel on the overview', async ({ browser, request }) => {
	const externalId = unique('crm')
	const domain = `${externalId}.example.test`
	const name = `Tsubaki Retail ${externalId}`
	await importAccounts(`externalId,name,plan,size,industry,phase,domains\n${externalId},${name},growth,50,retail,adoption,${domain}\n`)
	const member = await createUser('member', `${unique('aoi')}@${domain}`)
	const cs = await createUser('cs')
	const billing = `/app/${externalId}/settings/billing`
	const reports = `/app/${externalId}/reports`

	// On the billing page the widget's search and an FAQ opened in the panel; on the reports page "Contact support".
	const faq = await createFaq(cs, faqSchema.parse({ title: `Change the card we pay with ${externalId}`, body: 'Billing → Card → Replace.', language: 'en' }))
	await setFaqPublished(cs, faq.id, true)
	const searched = await request.get(`/api/v1/search?q=card&channel=widget&page=${encodeURIComponent(`${billing}?tab=card`)}`, { headers: { Authorization: `Bearer ${await apiToken(member)}` } })
	expect(searched.status()).toBe(200)
	await recordFaqView(faq.id, { actor: member, visitorId: null, place: { channel: 'widget', page: billing } })
	await recordActivity({ actor: member, visitorId: null, place: { channel: 'widget', page: reports } }, { type: 'support_contacted' })
	await runJobs()

	const page = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage()
	await signIn(page, cs)
	await page.goto('/insights')
	await page.getByRole('navigation', { name: 'Insights' }).getByRole('link', { name: 'Host pages' }).click()
	await expect(page.getByRole('heading', { level: 1, name: 'Host pages' })).toBeVisible()
	await page.getByLabel('Account').fill(externalId)
	await page.getByRole('button', { name: 'Show' }).click()
	await expect(page.getByRole('heading', { level: 1, name: `Host pages for ${name}` })).toBeVisible()
	const rows = page.getByTestId('host-page')
	await expect(rows).toHaveCount(2)
	// Same number of journeys: the page where someone escalated comes first.
	await expect(rows.nth(0).getByRole('rowheader')).toHaveText(reports)
	await expect(rows.nth(0).getByRole('cell')).toHaveText(['1', '0%', '1'])
	await expect(rows.nth(1).getByRole('rowheader')).toHaveText(billing)
	await expect(rows.nth(1).getByRole('cell')).toHaveText(['1', '100%', '0'])
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)

	const download = page.waitForEvent('download')
	await page.getByRole('link', { name: 'Download CSV' }).click()
	const file = await download
	expect(file.suggestedFilename()).toMatch(new RegExp(`^kizuna_pages_${externalId}_.*\\.csv$`))
	const lines = fs.readFileSync(await file.path(), 'utf8').replace('\uFEFF', '').trim().split('\r\n')
	expect(lines).toEqual(['Host page,Help journeys,Self-resolution rate (%),Escalated', `${reports},1,0,1`, `${billing},1,100,0`])

	// The overview of the account, from the navigation (which keeps the dates, not the account).
	await page.goto(`/insights?account=${externalId}`)
	await expect(page.getByTestId('channel-widget').getByRole('cell')).toHaveText(['2', '1', '50%', '1', '0'])
	await expect(page.getByTestId('channel-community').getByRole('cell')).toHaveText(['0', '0', '—Nothing to measure in this period', '0', '0'])
	await page.goto(`/insights/accounts/${externalId}`)
	await expect(page.getByTestId('channel-widget').getByRole('cell').first()).toHaveText('2')
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
})
