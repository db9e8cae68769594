import { describe, expect, it } from 'vitest'
import { japaneseAnalyzerLoaded, NEGATION } from '../../search/japanese.server'
import { rerank } from '../../search/rerank.server'
import { termStatistics, type TermStatistics } from '../../search/statistics'
import { queryTerms, terms } from '../../search/text'

type Doc = { id: string; type: string; statistics: TermStatistics }

/** FAQs ranked for a query as search ranks its candidates: BM25 over the analysed terms with the query's weights. */
function ranked(query: string, faqs: Record<string, string>): string[] {
	const docs: Doc[] = Object.entries(faqs).map(([id, title]) => ({ id, type: 'faq', ...termStatistics({ title, phrasings: [], body: '', answers: [] }) }))
	const weights = queryTerms(query)
	const df = new Map([...weights.keys()].map((term) => [term, docs.filter((doc) => doc.statistics.counts.includes(` ${term}:`)).length]))
	return rerank([...weights.keys()], docs, { documents: docs.length, df }, undefined, weights).map((doc) => doc.id)
}

// The expected FAQ is never the first: candidates' order counts a little in the ranking.
const FAQS = {
	contact: 'お問い合わせ方法を教えてください。どうすればいいですか',
	server: 'サーバの稼働状況',
	twoStep: '2段階認証を有効にする',
	login: 'ログインできない場合',
	password: 'パスワードを再設定する',
	address: '請求書の宛名を変更する',
	cancelInvite: '送信済みの招待の取り消し',
	card: '登録しているクレジットカードを変更する',
	invoices: '過去の請求書をダウンロードする',
}

describe('Japanese analysis', () => {
	it('loads the dictionary only for Japanese text', () => {
		terms('How do I export invoices?')
		expect(japaneseAnalyzerLoaded()).toBe(false)
		terms('請求書')
		expect(japaneseAnalyzerLoaded()).toBe(true)
	})

	it('finds the dictionary form of a verb however it is inflected', () => {
		const words = terms('宛名を変えようと思っている')
		expect(words).toContain('変える')
		expect(terms('宛名を変えれば')).toContain('変える')
		expect(terms('宛名を変えた')).toContain('変える')
		// と思っている is how the question is put, not what it is about.
		expect(words).not.toContain('思う')
		expect(words).not.toContain('いる')
	})

	it('reads half-width katakana as full-width, and a final long-vowel mark as optional', () => {
		expect(terms('ﾊﾟｽﾜｰﾄﾞ')).toEqual(terms('パスワード'))
		expect(terms('サーバー')).toEqual(terms('サーバ'))
		expect(ranked('サーバーが落ちている', FAQS)[0]).toBe('server')
	})

	it('finds a word typed in hiragana that the FAQ writes in katakana or kanji', () => {
		expect(ranked('ろぐいん', FAQS)[0]).toBe('login')
		expect(ranked('ぐーぐるで ろぐいん', FAQS)[0]).toBe('login')
		expect(terms('申込')).toEqual(expect.arrayContaining(terms('申し込み').filter((t) => !t.startsWith('~') && t !== '申し込み')))
	})

	it('finds words typed in kana that the dictionary reads as other words', () => {
		// せいきゅうしょ comes out as せい + き + ゅうしょ…, しょうたいをとりけしたい as し + an unknown piece.
		expect(ranked('せいきゅうしょをだうんろーどしたい', FAQS)[0]).toBe('invoices')
		expect(ranked('しょうたいをとりけしたい', FAQS)[0]).toBe('cancelInvite')
		// A loanword in hiragana is read as katakana, and counts as the word itself.
		expect(queryTerms('くれじっとかーど変えたい').get('クレジットカード')).toBe(1)
		expect(ranked('くれじっとかーど変えたい', FAQS)[0]).toBe('card')
		// Even where the dictionary found words in it (げす + と).
		expect(queryTerms('げすと招待のやりかた').get('ゲスト')).toBe(1)
		// A polite phrase in kana is no word typed in kana.
		const polite = '宛名を変えたいのですが、どうすればいいですか'
		expect([...queryTerms(polite).keys()].filter((term) => /^[ぁ-ん]+$/u.test(term) && !terms(polite).includes(term))).toEqual([])
		expect(queryTerms('期限が近くなったら教えてくれる機能ないん？').has('ナイン')).toBe(false)
		// Even where the dictionary read every piece as a word of its own (りょう + しゅうしょ).
		expect(ranked('りょうしゅうしょ欲しいんですけど', { ...FAQS, receipt: '領収書を発行する' })[0]).toBe('receipt')
		// A katakana word the dictionary does not know is its own reading.
		expect(terms('ガントチャートを表示する')).toContain('がんとちゃーと')
		expect(ranked('がんとちゃーとってどこから見れますか', { ...FAQS, gantt: 'ガントチャートを表示する' })[0]).toBe('gantt')
		// Pieces of kana are guesses, counted only at query time: a document's terms stay its words.
		expect(terms('しょうたいをとりけしたい')).not.toContain('しょうたい')
	})

	it('meets a verb and the noun made of it (取り消したい, 取り消し)', () => {
		expect(terms('招待を取り消したい')).toEqual(expect.arrayContaining(['取り消す', '取り消し', 'とりけし']))
		expect(terms('年払いに切り替える')).toContain('切り替え')
		expect(ranked('招待を取り消したい', FAQS)[0]).toBe('cancelInvite')
		// A simple verb's stem is no noun of its own: 消す does not also count as 消し.
		expect(terms('ボードを消す')).not.toContain('消し')
	})

	it('matches compounds by their parts, and kanji numbers as digits', () => {
		expect(terms('二段階認証')).toContain('2段階認証')
		expect(terms('二段階認証')).toEqual(expect.arrayContaining(['段階', '認証']))
		expect(ranked('二段階認証を設定したい', FAQS)[0]).toBe('twoStep')
		expect(ranked('認証を有効にしたい', FAQS)[0]).toBe('twoStep')
	})

	it('does not let request and politeness phrases decide', () => {
		const words = terms('請求書の宛名を変えたいのですが、どうすればいいですか？教えてください。')
		for (const phrase of ['する', 'いい', '教える', 'くださる', 'です']) expect(words).not.toContain(phrase)
		expect(ranked('請求書の宛名を変えたいのですが、どうすればいいですか？教えてください。', FAQS)[0]).toBe('address')
		// Potential forms of asking, and Kansai いい.
		expect(terms('手順を教えていただけますか。送ってもらえますか。それでええ？')).toEqual(terms('手順 送る'))
	})

	it('weighs synonyms and readings below the words typed', () => {
		const weights = queryTerms('サインインできない')
		expect(weights.get('サインイン')).toBe(1)
		expect(weights.get('ログイン')).toBeGreaterThan(0)
		expect(weights.get('ログイン')).toBeLessThan(1)
		expect(ranked('サインインできません', FAQS)[0]).toBe('login')
	})

	it('tells a problem from a how-to on the same subject by the negation', () => {
		const notifications = { off: 'プッシュ通知をオフにするには', missing: 'プッシュ通知が届かない場合は' }
		expect(ranked('スマホに通知が来ないんだけど', notifications)[0]).toBe('missing')
		expect(ranked('通知が鳴らへんねんけど', notifications)[0]).toBe('missing')
		// Asking politely, or whether one can, is no problem.
		expect(terms('通知の設定方法を教えていただけませんか')).not.toContain(NEGATION)
		expect(terms('通知をオフにできませんか')).not.toContain(NEGATION)
	})

	it('meets a potential form and the verb it is made from (戻せますか, 戻す)', () => {
		expect(terms('どこから戻せますか')).toContain('戻す')
		expect(terms('招待を取り消せますか')).toEqual(expect.arrayContaining(['取り消す', '取り消し']))
		// 変える is no potential: there is no verb 変う.
		expect(terms('宛名を変える')).not.toContain('変う')
		expect(ranked('アーカイブしたボードってどこから戻せますか', { archive: 'ボードをアーカイブするには', restore: 'アーカイブしたボードを元に戻すには' })[0]).toBe('restore')
	})

	it('meets words that share a kanji, for little (宛先 and 宛名)', () => {
		expect(ranked('宛先を直したいんですが', FAQS)[0]).toBe('address')
		expect(queryTerms('宛先').get('宛')).toBeLessThan(queryTerms('宛先').get('宛先')!)
		// A compound's parts bring no kanji of their own: the whole has them once.
		expect(terms('請求書').filter((term) => term === '請').length).toBe(1)
	})

	it('counts the reading of a word written in kanji for less than a word typed in kana', () => {
		// 異動 and 移動 sound the same: an FAQ about moving boards is no answer about a transfer.
		expect(ranked('担当者が異動になる', { move: '担当者のボードを移動する', transfer: '異動した担当者のアカウント' })[0]).toBe('transfer')
		expect(queryTerms('異動').get('いどう')).toBeLessThan(queryTerms('ろぐいん').get('ろぐいん')!)
	})

	it('expands a word the dictionary marks ambiguous for less than a sure synonym (消す → 削除)', () => {
		// Sudachi marks 消す (a light, a fire, a file…) ambiguous in 削除's group; サインイン is sure for ログイン.
		expect(queryTerms('消す').get('削除')).toBeGreaterThan(0)
		expect(queryTerms('消す').get('削除')).toBeLessThan(queryTerms('サインイン').get('ログイン')!)
		expect(ranked('写真を消したい', { add: '写真を追加するには', remove: '写真を削除するには' })[0]).toBe('remove')
	})
})
