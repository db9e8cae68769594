import http from 'node:http'
import sharp from 'sharp'
import { sessionCookie } from '../support/factories'
import { baseUrl, createUser, expect, signIn, test, unique } from './support'

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
	// Lists show the screenshot's thumbnail beside the question.
	await page.goto('/questions')
	const thumbnail = page.getByTestId('question-summary').filter({ hasText: title }).locator('img.summary-thumbnail')
	await expect(thumbnail).toHaveAttribute('src', /^\/attachments\/[0-9a-f-]{36}\/thumbnail$/)
	await expect.poll(() => thumbnail.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(320)
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

/** Streams up to 1 GB to the upload as a member would, until the server answers; how much it took and what it said. */
function streamUpload(cookie: string): Promise<{ status: number; body: string; sent: number }> {
	const url = new URL('/resources/attachments', baseUrl())
	return new Promise((resolve, reject) => {
		let sent = 0
		let answered = false
		const request = http.request(url, { method: 'POST', headers: { Cookie: `kz_session=${cookie}`, Origin: url.origin, 'Content-Type': 'multipart/form-data; boundary=x', 'Transfer-Encoding': 'chunked' } }, (response) => {
			answered = true
			let body = ''
			response.on('data', (chunk: Buffer) => (body += chunk.toString()))
			response.on('end', () => {
				request.destroy()
				resolve({ status: response.statusCode ?? 0, body, sent })
			})
		})
		request.on('error', (error) => (answered ? undefined : reject(error)))
		const chunk = Buffer.alloc(256 * 1024, 0x41)
		const write = () => {
			while (!answered && sent < 1024 * 1024 * 1024) {
				sent += chunk.length
				if (!request.write(chunk)) return void request.once('drain', write)
			}
		}
		request.write('--x\r\nContent-Disposition: form-data; name="file"; filename="huge.png"\r\nContent-Type: image/png\r\n\r\n')
		write()
	})
}

test('attachments are served with a safe type, and a 1 GB upload is cut off early with the reason', async ({ page }) => {
	const member = await createUser('member')
	await signIn(page, member)
	const form = page.request.post('/resources/attachments', { headers: { Origin: baseUrl() }, multipart: { file: { name: 'notes.html', mimeType: 'text/html', buffer: Buffer.from('<p>hi</p> and text\n') } } })
	expect((await form).status()).toBe(415)
	const log = await page.request.post('/resources/attachments', { headers: { Origin: baseUrl() }, multipart: { file: { name: 'sync.log', mimeType: 'text/html', buffer: Buffer.from('sync failed <script>alert(1)</script>\n') } } })
	expect(log.status()).toBe(201)
	const { url } = (await log.json()) as { url: string }
	const served = await page.request.get(url)
	const headers = served.headersArray().map(({ name, value }) => [name.toLowerCase(), value])
	expect(headers.filter(([name]) => name === 'content-security-policy')).toEqual([['content-security-policy', "default-src 'none'; sandbox"]])
	expect(served.headers()).toMatchObject({ 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff', 'content-disposition': "attachment; filename*=UTF-8''sync.log" })
	expect((await page.request.get('/attachments/not-an-id/x.png')).status()).toBe(404)

	const started = Date.now()
	const answer = await streamUpload(await sessionCookie(member))
	expect(answer.status).toBe(413)
	expect(JSON.parse(answer.body)).toEqual({ error: 'The file is too large: images can have at most 10 MB' })
	expect(answer.sent).toBeLessThan(64 * 1024 * 1024)
	expect(Date.now() - started).toBeLessThan(15_000)
})
