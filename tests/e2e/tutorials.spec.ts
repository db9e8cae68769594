import { createUser, expect, signIn, signUp, test, unique } from './support'

test('CS publish an onboarding tutorial; a customer works through it from the home checklist', async ({ browser }) => {
	const title = `Connect your calendar ${unique('t')}`
	// With an admin in place, the customer's sign-up below makes a member, not the site's first admin.
	await createUser('admin')

	const staff = await (await browser.newContext()).newPage()
	await signIn(staff, await createUser('cs'))
	await staff.goto('/tutorials')
	await staff.getByRole('link', { name: 'New tutorial' }).click()
	await staff.getByLabel('Title', { exact: true }).fill(title)
	await staff.getByLabel('Summary').fill('See your Tsumiki due dates in Google Calendar.')
	await staff.getByLabel('Estimated minutes').fill('3')
	await expect(staff.getByLabel('Customer phase')).toHaveValue('onboarding')

	await staff.getByLabel('Step 1 title').fill('Open the integrations')
	await staff.getByLabel('Step 1 instructions').fill('Go to **Settings → Integrations**.')
	await staff.getByRole('button', { name: 'Add step' }).click()
	await expect(staff.getByLabel('Step 2 title')).toBeFocused()
	await staff.getByLabel('Step 2 title').fill('Subscribe to the feed')
	await staff.getByLabel('Step 2 instructions').fill('Copy the iCal link into your calendar.')
	// Moving a step carries what was typed with it.
	await staff.getByRole('button', { name: 'Move step 2 up' }).click()
	await expect(staff.getByLabel('Step 1 title')).toHaveValue('Subscribe to the feed')
	await staff.getByRole('button', { name: 'Move step 1 down' }).click()
	await expect(staff.getByLabel('Step 1 title')).toHaveValue('Open the integrations')
	await staff.getByRole('button', { name: 'Add step' }).click()
	await staff.getByRole('button', { name: 'Remove step 3' }).click()
	await expect(staff.getByTestId('step-editor')).toHaveCount(2)
	await staff.getByRole('button', { name: 'Create tutorial' }).click()

	await expect(staff.getByRole('heading', { level: 1, name: title })).toBeVisible()
	await expect(staff.locator('.thread-meta').getByText('Draft')).toBeVisible()
	await expect(staff.getByTestId('tutorial-step')).toHaveCount(2)
	await expect(staff.getByTestId('tutorial-step').first().locator('strong')).toHaveText('Settings → Integrations')
	await staff.getByRole('button', { name: 'Publish' }).click()
	await expect(staff.getByRole('button', { name: 'Unpublish' })).toBeVisible()
	await expect(staff.locator('.thread-meta').getByText('Draft')).toHaveCount(0)
	const tutorialUrl = new URL(staff.url()).pathname

	const visitor = await (await browser.newContext()).newPage()
	await visitor.goto(tutorialUrl)
	await expect(visitor.getByTestId('tutorial-step')).toHaveCount(2)
	await expect(visitor.getByRole('link', { name: 'Sign in to track your progress' })).toBeVisible()
	await expect(visitor.getByRole('button', { name: 'Done' })).toHaveCount(0)

	const customer = await (await browser.newContext()).newPage()
	await signUp(customer)
	await customer.goto('/')
	const item = customer.getByTestId('onboarding-checklist').getByTestId('checklist-item').filter({ hasText: title })
	await expect(item).toContainText('Not done')
	await expect(item).toContainText('0/2')
	await item.getByRole('link', { name: title }).click()

	const progress = customer.getByTestId('tutorial-progress')
	const bar = customer.getByRole('progressbar')
	await expect(progress).toHaveText('0 of 2 steps done')
	await expect(customer.getByRole('button', { name: 'Unpublish' })).toHaveCount(0)
	await expect(bar).toHaveAttribute('aria-valuemax', '2')
	const steps = customer.getByTestId('tutorial-step')
	// Each click's save is awaited: a reload while it is still on its way cancels it.
	const toggle = (step: number) =>
		Promise.all([customer.waitForResponse((response) => response.request().method() === 'POST'), steps.nth(step).getByRole('button', { name: 'Done' }).click()])
	await toggle(0)
	await expect(progress).toHaveText('1 of 2 steps done')
	await expect(bar).toHaveAttribute('aria-valuenow', '1')
	await expect(steps.nth(0).getByRole('button', { name: 'Done' })).toHaveAttribute('aria-pressed', 'true')
	await expect(customer.getByText('Tutorial complete')).toHaveCount(0)

	await toggle(1)
	await expect(progress).toHaveText('2 of 2 steps done')
	await expect(bar).toHaveAttribute('aria-valuenow', '2')
	await expect(customer.getByText('Tutorial complete')).toBeVisible()

	// Un-checking works too, and what is checked survives a reload.
	await toggle(1)
	await expect(progress).toHaveText('1 of 2 steps done')
	await customer.reload()
	await expect(progress).toHaveText('1 of 2 steps done')
	await toggle(1)
	await expect(progress).toHaveText('2 of 2 steps done')
	await customer.reload()
	await expect(progress).toHaveText('2 of 2 steps done')
	await expect(customer.getByText('Tutorial complete')).toBeVisible()

	await customer.goto('/')
	await expect(item).toContainText('2/2')
	await expect(item).not.toContainText('Not done')
	await customer.goto('/tutorials')
	await expect(customer.getByTestId('tutorial-card').filter({ hasText: title })).toContainText('Completed')
})
