import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createFaq, setFaqPublished } from '../../app/knowledge/faqs.server'
import { faqSchema } from '../../app/knowledge/validation'
import { runPendingJobs } from '../../app/jobs/worker.server'
import type { RequestContext } from '../../app/server/context'
import { closeSearchApiServers, searchApiServer } from '../support/search-api'
import { listJobs } from '../../db/queue.server'
import { indexName, searchClient } from '../../search/client.server'
import { applySearchVocabulary } from '../../search/sync.server'
import { CONTENT_INDEX } from '../../search/settings'
import { person } from '../support/factories'
import { resetData } from '../support/reset'

const context = (): RequestContext => ({ actor: null, authVia: null, visitorId: crypto.randomUUID(), locale: 'ja', secure: false, clientIp: '127.0.0.1', cspNonce: '' })

afterEach(closeSearchApiServers)

/** GET /api/v1/search behind Express, as app/server/main.ts serves it. */
async function searchApiServerFor() {
	const base = await searchApiServer(context)
	return async (q: string) => {
		const response = await fetch(`${base}/api/v1/search?q=${encodeURIComponent(q)}`)
		expect(response.status).toBe(200)
		return ((await response.json()) as { hits: Array<{ id: number; type: string; externalId: string | null }> }).hits
	}
}

async function publishedFaq(title: string, body: string) {
	const cs = await person('cs')
	const faq = await createFaq(cs, faqSchema.parse({ title, body, tags: '', language: 'ja' }))
	await setFaqPublished(cs, faq.id, true)
	return faq.id
}

describe('Japanese search', () => {
	beforeEach(resetData)

	it('finds the FAQ first for a long, polite question in other words than the FAQ’s', async () => {
		const address = await publishedFaq('請求書の宛名を変更する', '**設定 → 請求** で宛名を変更すると、次回以降の請求書に反映されます。')
		await publishedFaq('請求書をダウンロードする', '**設定 → 請求 → 請求履歴** から、過去の請求書を PDF でダウンロードできます。')
		// Written the way the question is put, not what it is about.
		await publishedFaq('ご意見・ご要望をお送りいただけますでしょうか', '思っていることや教えていただきたいことがあれば、どこからでもお送りいただけます。いつでもお気軽にどうぞ。')
		const signIn = await publishedFaq('サインインできない場合', 'メールアドレスとパスワードを確かめてから、もう一度お試しください。')
		const twoStep = await publishedFaq('2段階認証を有効にする', '**プロフィール → セキュリティ** で認証アプリを登録すると、確認コードが求められます。')
		await runPendingJobs()
		const search = await searchApiServerFor()
		const hits = await search('請求書の宛名を会社名に変えようと思っているのですが、どこで設定すればいいのか教えていただけますでしょうか。')
		expect(hits[0]).toMatchObject({ type: 'faq', id: address })
		// A synonym (Sudachi), a kanji number, half-width katakana and dialect.
		expect((await search('ログインできなくて困っています。どうしたらいいでしょうか'))[0]).toMatchObject({ type: 'faq', id: signIn })
		expect((await search('二段階認証を使いたいんですけど、どうしたらいいですか？'))[0]).toMatchObject({ type: 'faq', id: twoStep })
		expect((await search('ﾛｸﾞｲﾝできへんねんけど、なんでなん？'))[0]).toMatchObject({ type: 'faq', id: signIn })
	})

	it('finds the FAQ for a question typed all in kana, whose words the FAQ writes in kanji', async () => {
		const cancel = await publishedFaq('招待を取り消す', '**メンバー → 招待中** から、送った招待を取り消せます。')
		await publishedFaq('メンバーを招待する', '**メンバー → 招待** からメールアドレスを入力して招待を送ります。')
		await publishedFaq('請求書をダウンロードする', '**設定 → 請求 → 請求履歴** から、過去の請求書を PDF でダウンロードできます。')
		await runPendingJobs()
		const search = await searchApiServerFor()
		expect((await search('しょうたいをとりけしたい'))[0]).toMatchObject({ type: 'faq', id: cancel })
	})

	it('answers a whole question pasted with its background, up to 500 characters, and refuses a longer one with the reason', async () => {
		const address = await publishedFaq('請求書の宛名を変更する', '**設定 → 請求** で宛名を変更すると、次回以降の請求書に反映されます。')
		await publishedFaq('請求書をダウンロードする', '**設定 → 請求 → 請求履歴** から、過去の請求書を PDF でダウンロードできます。')
		await runPendingJobs()
		const background = 'いつもお世話になっております。先月から経理の担当が変わりまして、社内の決まりで請求書の宛名は部署名ではなく正式な会社名にしてほしいと言われています。前任者が設定した内容がそのまま残っているようで、どこを触ればいいのか分からず困っています。管理者の権限はもらっていて、ほかの設定画面は一通り見てみたのですが、それらしい項目が見当たりませんでした。'
		const question = `${background}請求書の宛名を会社名に変えるには、どこで設定すればいいのでしょうか。お忙しいところ恐れ入りますが、教えていただけますと助かります。`
		expect(question.length).toBeGreaterThan(200)
		const search = await searchApiServerFor()
		expect((await search(question))[0]).toMatchObject({ type: 'faq', id: address })
		const base = await searchApiServer(context)
		const tooLong = await fetch(`${base}/api/v1/search?q=${encodeURIComponent('あ'.repeat(501))}`)
		expect(tooLong.status).toBe(400)
		expect(await tooLong.json()).toEqual({ error: '検索語は500文字以内にしてください' })
	})

	it('re-indexes documents made with an older analysis when the indexes are ensured', async () => {
		const id = await publishedFaq('パスワードを再設定する', 'ログイン画面の **パスワードをお忘れですか？** から再設定できます。')
		await runPendingJobs()
		const index = searchClient().index(indexName(CONTENT_INDEX))
		// As an index written before the analysis had a version.
		await index.updateDocuments([{ id: `faq-${id}`, analyzer: null }]).waitTask()
		await applySearchVocabulary()
		expect((await listJobs('search-index')).filter((job) => job.state === 'created').map((job) => job.data)).toEqual([{ type: 'faq', id }])
		await runPendingJobs()
		expect((await index.getDocument(`faq-${id}`)).analyzer).toBeGreaterThan(0)
	})
})
