import sharp from 'sharp'
import { createUser, expect, signIn, test, unique } from './support'

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n')

test('a screenshot picked in the ask form shows in the thread, and a PDF becomes a download link', async ({ page }) => {
	await signIn(page, await createUser('member'))
	await page.goto('/questions/ask')
	const title = `Export shows an error dialog ${unique('q')}`
	await page.getByLabel('Title').fill(title)
	const details = page.getByLabel('Details')
	await details.fill('This is what I see when I click Export:\n')

	const screenshot = await sharp({ create: { width: 1200, height: 800, channels: 3, background: '#e33' } }).png().toBuffer()
	const chooser = page.waitForEvent('filechooser')
	await page.getByRole('button', { name: 'Attach image or file' }).click()
	await (await chooser).setFiles([
		{ name: 'error dialog.png', mimeType: 'image/png', buffer: screenshot },
		{ name: 'report.pdf', mimeType: 'application/pdf', buffer: PDF },
	])
	await expect(details).toHaveValue(/!\[error-dialog\.png\]\(\/attachments\/[0-9a-f-]{36}\/error-dialog\.png#1200x800\)/)
	await expect(details).toHaveValue(/\[report\.pdf\]\(\/attachments\/[0-9a-f-]{36}\/report\.pdf\)/)
	await expect(details).not.toHaveValue(/Uploading/)
	await expect(page.getByTestId('body-preview').locator('img[alt="error-dialog.png"]')).toBeVisible()

	await page.getByRole('button', { name: 'Post your question' }).click()
	await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible()
	const image = page.locator('.markdown img[alt="error-dialog.png"]')
	await image.scrollIntoViewIfNeeded()
	await expect(image).toHaveAttribute('width', '1200')
	await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1200)

	const download = page.waitForEvent('download')
	await page.getByRole('link', { name: 'report.pdf' }).click()
	expect((await download).suggestedFilename()).toBe('report.pdf')
})

test('a pasted screenshot is attached at the caret, and a file that is not what its name says is refused with the reason', async ({ page }) => {
	await signIn(page, await createUser('member'))
	await page.goto('/questions/ask')
	const details = page.getByLabel('Details')
	await details.fill('Before  after')
	await details.evaluate((textarea: HTMLTextAreaElement) => textarea.setSelectionRange(7, 7))

	const png = (await sharp({ create: { width: 40, height: 30, channels: 3, background: '#36c' } }).png().toBuffer()).toString('base64')
	await details.evaluate((textarea: HTMLTextAreaElement, base64: string) => {
		const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))
		const data = new DataTransfer()
		data.items.add(new File([bytes], 'image.png', { type: 'image/png' }))
		textarea.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }))
	}, png)
	await expect(details).toHaveValue(/^Before !\[image\.png\]\(\/attachments\/[0-9a-f-]{36}\/image\.png#40x30\) after$/)

	const chooser = page.waitForEvent('filechooser')
	await page.getByRole('button', { name: 'Attach image or file' }).click()
	await (await chooser).setFiles([{ name: 'cat.png', mimeType: 'image/png', buffer: Buffer.from('<html><script>alert(1)</script></html>') }])
	await expect(page.getByRole('alert').filter({ hasText: 'cat.png' })).toHaveText('cat.png: Only images (PNG, JPEG, GIF, WebP), PDFs and plain text or log files can be attached')
	await expect(details).not.toHaveValue(/cat\.png|Uploading/)
})
