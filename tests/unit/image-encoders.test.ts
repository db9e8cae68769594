import { describe, expect, it } from 'vitest'
import { withEncoder } from '../../app/attachments/images.server'
import { translateRefusal } from '../../app/i18n/i18n'
import { refusal } from '../support/refusal'

describe('image re-encoding', () => {
	it('runs at most two at once in a process, queues a few more in order, and refuses the rest with 503 and a reason', async () => {
		let running = 0
		let most = 0
		const order: number[] = []
		const releases: Array<() => void> = []
		const work = (n: number) =>
			withEncoder(async () => {
				running++
				most = Math.max(most, running)
				await new Promise<void>((release) => releases.push(release))
				order.push(n)
				running--
			})
		const accepted = Array.from({ length: 10 }, (_, n) => work(n))
		const refused = await refusal(work(10))
		expect([refused.status, refused.message]).toEqual([503, 'Many images are being processed right now. Try again in a minute.'])
		expect(translateRefusal('ja', refused.message)).toBe('ただいま多くの画像を処理しています。1分ほどしてからもう一度お試しください。')
		while (order.length < 10) {
			await new Promise((resolve) => setImmediate(resolve))
			releases.splice(0).forEach((release) => release())
		}
		await Promise.all(accepted)
		expect(most).toBe(2)
		expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
		// The slots are free again once the queue has drained.
		expect(await withEncoder(async () => 'done')).toBe('done')
	})
})
