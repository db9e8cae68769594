import { eq } from 'drizzle-orm'
import { beforeEach, describe, expect, it } from 'vitest'
import { isNotNull } from 'drizzle-orm'
import { faqs } from '../../db/schema'
import { acceptAnswer, createAnswer, createQuestion, getQuestionThread } from '../../app/community/questions.server'
import { closeAsDuplicate } from '../../app/community/duplicates.server'
import { questionSchema } from '../../app/community/validation'
import { runPendingJobs } from '../../app/jobs/worker.server'
import { moderatePost } from '../../app/moderation/moderation.server'
import { createCategory, listCategories, moveCategory, updateCategory } from '../../app/knowledge/faq-categories.server'
import { faqHistory } from '../../app/knowledge/faq-revisions.server'
import { faqSchema } from '../../app/knowledge/validation'
import {
	createFaq,
	faqCategoryPage,
	faqFromQuestion,
	faqOverview,
	getFaqForEdit,
	getFaqPage,
	makeFaqFromQuestion,
	moveFaq,
	recordFaqView,
	restoreFaqRevision,
	setFaqPublished,
	updateFaq,
} from '../../app/knowledge/faqs.server'
import { seedDemoFaqs } from '../../app/demo/faqs.server'
import { db } from '../../db/client.server'
import { questions } from '../../db/schema'
import { searchContent } from '../../search/query.server'
import { person } from '../support/factories'
import { refusal } from '../support/refusal'
import { resetData } from '../support/reset'

const anonymous = { userId: null, visitorId: 'test-visitor', record: false }
const search = (q: string, extra: Partial<Parameters<typeof searchContent>[0]> = {}) => searchContent({ q, limit: 10, ...extra }, anonymous)

const faqInput = (overrides: Record<string, unknown> = {}) =>
	faqSchema.parse({
		title: 'How do I change the invoice address?',
		body: 'Open **Settings → Billing → Company details** and edit the address.',
		category: 'Billing',
		tags: 'billing, invoices',
		language: 'en',
		...overrides,
	})

describe('FAQs', () => {
	beforeEach(resetData)

	it('lets staff create a draft that only staff can see, and refuses everyone else', async () => {
		const cs = await person('cs')
		const member = await person()
		expect((await refusal(createFaq(member, faqInput()))).status).toBe(403)
		expect((await refusal(createFaq(null, faqInput()))).status).toBe(401)

		const { id, url } = await createFaq(cs, faqInput())
		expect(url).toBe(`/faq/${id}/how-do-i-change-the-invoice-address`)
		const page = await getFaqPage(id, cs)
		expect(page).toMatchObject({ published: false, tags: ['billing', 'invoices'], category: { name: 'Billing', url: '/faq/c/billing' }, permissions: { manage: true } })
		expect(page.bodyHtml).toContain('<strong>Settings → Billing → Company details</strong>')
		expect((await refusal(getFaqPage(id, member))).status).toBe(404)
		expect((await refusal(getFaqPage(id, null))).status).toBe(404)
		expect((await refusal(getFaqForEdit(member, id))).status).toBe(403)
		expect((await refusal(setFaqPublished(member, id, true))).status).toBe(403)
	})

	it('indexes an FAQ only while it is published, in English and Japanese', async () => {
		const cs = await person('cs')
		const english = await createFaq(cs, faqInput({ title: 'Why was my credit card declined?', body: 'Card payments fail when 3-D Secure is not completed.' }))
		const japanese = await createFaq(cs, faqInput({ title: 'クレジットカードの決済が失敗します', body: '3Dセキュア認証が完了していない場合、決済が失敗します。', language: 'ja' }))
		await runPendingJobs()
		expect((await search('credit card declined')).total).toBe(0)
		expect((await search('決済')).total).toBe(0)

		await setFaqPublished(cs, english.id, true)
		await setFaqPublished(cs, japanese.id, true)
		await runPendingJobs()
		expect((await search('credit card declined')).hits[0]).toMatchObject({ id: english.id, type: 'faq', category: 'Billing', url: english.url })
		expect((await search('決済')).hits.map((h) => h.id)).toEqual([japanese.id])
		expect((await getFaqPage(english.id, null)).published).toBe(true)

		await setFaqPublished(cs, english.id, false)
		await runPendingJobs()
		expect((await search('credit card declined')).total).toBe(0)
		expect((await refusal(getFaqPage(english.id, null))).status).toBe(404)
	})

	it('keeps a revision for every save, shows word diffs and restores an older version as a new revision', async () => {
		const cs = await person('cs')
		const admin = await person('admin')
		const { id } = await createFaq(cs, faqInput())
		await updateFaq(admin, id, faqInput({ body: 'Open **Settings → Billing → Company details** and change the billing address.', tags: 'billing' }))
		await setFaqPublished(cs, id, true)

		let history = await faqHistory(cs, id)
		expect(history.revisions.map((r) => r.number)).toEqual([3, 2, 1])
		const [published, edited, first] = history.revisions
		expect(first!.changes).toBeNull()
		expect(published!.changes).toMatchObject({ published: true, body: null, title: null })
		expect(published!.current).toBe(true)
		expect(edited!.editor).toBe(admin.displayName)
		const body = edited!.changes!.body!
		expect(body.filter((p) => p.change === 'removed').map((p) => p.text.trim())).toContain('edit')
		expect(body.filter((p) => p.change === 'added').map((p) => p.text).join(' ')).toContain('change')
		expect(edited!.changes!.tags!.some((p) => p.change === 'removed' && p.text.includes('invoices'))).toBe(true)
		expect((await refusal(faqHistory(await person(), id))).status).toBe(403)

		await restoreFaqRevision(cs, id, first!.id)
		history = await faqHistory(cs, id)
		expect(history.revisions).toHaveLength(4)
		expect(history.revisions[0]).toMatchObject({ current: true, published: true, body: faqInput().body, tags: ['billing', 'invoices'] })
		const page = await getFaqPage(id, null)
		expect(page.published).toBe(true)
		expect(page.tags).toEqual(['billing', 'invoices'])

		const other = await createFaq(cs, faqInput({ title: 'Another FAQ about invoices' }))
		expect((await refusal(restoreFaqRevision(cs, other.id, first!.id))).status).toBe(404)
	})

	it('files FAQs under categories picked or typed, in an order staff can change', async () => {
		const cs = await person('cs')
		const member = await person()
		const a = await createFaq(cs, faqInput({ title: 'First billing question' }))
		const b = await createFaq(cs, faqInput({ title: 'Second billing question', category: 'billing' }))
		const c = await createFaq(cs, faqInput({ title: 'Third billing question', category: '  BILLING ' }))
		const loose = await createFaq(cs, faqInput({ title: 'An FAQ without a category', category: '' }))
		expect((await listCategories()).map((cat) => cat.name)).toEqual(['Billing'])

		const titles = async () => (await faqCategoryPage('billing', cs)).faqs.map((f) => f.id)
		expect(await titles()).toEqual([a.id, b.id, c.id])
		await moveFaq(cs, c.id, 'up')
		expect(await titles()).toEqual([a.id, c.id, b.id])
		await moveFaq(cs, a.id, 'up')
		expect(await titles()).toEqual([a.id, c.id, b.id])
		await moveFaq(cs, a.id, 'down')
		expect(await titles()).toEqual([c.id, a.id, b.id])
		expect((await refusal(moveFaq(member, a.id, 'down'))).status).toBe(403)

		// Moving to another category puts the FAQ at its end.
		await updateFaq(cs, c.id, faqInput({ title: 'Third billing question', category: 'Accounts' }))
		await updateFaq(cs, loose.id, faqInput({ title: 'An FAQ without a category', category: 'Accounts' }))
		expect((await faqCategoryPage('accounts', cs)).faqs.map((f) => f.id)).toEqual([c.id, loose.id])

		await createCategory(cs, { name: 'Getting started', description: 'First steps' })
		expect((await refusal(createCategory(cs, { name: 'getting STARTED', description: '' }))).fieldErrors.name).toBe('A category with this name already exists')
		expect((await refusal(createCategory(member, { name: 'Mine', description: '' }))).status).toBe(403)
		const order = async () => (await listCategories()).map((cat) => cat.name)
		expect(await order()).toEqual(['Billing', 'Accounts', 'Getting started'])
		const started = (await listCategories()).find((cat) => cat.name === 'Getting started')!
		await moveCategory(cs, started.id, 'up')
		await moveCategory(cs, started.id, 'up')
		expect(await order()).toEqual(['Getting started', 'Billing', 'Accounts'])
		const renamed = await updateCategory(cs, started.id, { name: 'Getting started with Tsumiki', description: 'First steps' })
		expect(renamed.slug).toBe('getting-started-with-tsumiki')
	})

	it('lists categories with their published FAQs for everyone, drafts and empty categories for staff', async () => {
		const cs = await person('cs')
		const published = await createFaq(cs, faqInput({ title: 'A published billing FAQ' }))
		await setFaqPublished(cs, published.id, true)
		await createFaq(cs, faqInput({ title: 'A draft billing FAQ' }))
		const loose = await createFaq(cs, faqInput({ title: 'A published FAQ without category', category: '' }))
		await setFaqPublished(cs, loose.id, true)
		await createFaq(cs, faqInput({ title: 'A draft FAQ without category', category: '' }))
		await createCategory(cs, { name: 'Empty', description: '' })

		const forMember = await faqOverview(await person())
		expect(forMember.permissions.manage).toBe(false)
		expect(forMember.groups.map((g) => [g.category?.name ?? null, g.faqs.map((f) => f.title)])).toEqual([
			['Billing', ['A published billing FAQ']],
			[null, ['A published FAQ without category']],
		])
		const forStaff = await faqOverview(cs)
		expect(forStaff.groups.map((g) => [g.category?.name ?? null, g.faqs.map((f) => [f.title, f.published])])).toEqual([
			['Billing', [['A published billing FAQ', true], ['A draft billing FAQ', false]]],
			['Empty', []],
			[null, [['A published FAQ without category', true], ['A draft FAQ without category', false]]],
		])
		expect((await refusal(faqCategoryPage('no-such-category', null))).status).toBe(404)
	})

	it('counts views of the page', async () => {
		const cs = await person('cs')
		const { id } = await createFaq(cs, faqInput())
		await recordFaqView(id, { actor: null, visitorId: 'reader' })
		await recordFaqView(id, { actor: null, visitorId: 'reader' })
		expect((await getFaqPage(id, cs)).views).toBe(2)
	})

	it('re-indexes the FAQs of a renamed category', async () => {
		const cs = await person('cs')
		const { id } = await createFaq(cs, faqInput())
		await setFaqPublished(cs, id, true)
		await runPendingJobs()
		const [billing] = await listCategories()
		await updateCategory(cs, billing!.id, { name: 'Payments', description: '' })
		await runPendingJobs()
		expect((await search('invoice address', { category: 'Payments' })).hits.map((h) => h.id)).toEqual([id])
	})

	it('refuses an FAQ from a solved question closed as a duplicate, and its page offers none', async () => {
		const cs = await person('cs')
		const asker = await person()
		const original = await createQuestion(asker, questionSchema.parse({ title: 'Invoices show the old company name', body: 'Our invoices still carry the name we had last year.', tags: 'billing' }))
		const duplicate = await createQuestion(asker, questionSchema.parse({ title: 'Change the name printed on invoices', body: 'Finance wants the new company name on invoices.', tags: 'billing' }))
		const answer = await createAnswer(cs, duplicate.id, 'Settings → Billing → Company details.')
		await acceptAnswer(asker, duplicate.id, answer.id)
		expect((await getQuestionThread(duplicate.id, cs)).permissions.makeFaq).toBe(true)

		await closeAsDuplicate(cs, duplicate.id, { type: 'question', id: original.id })
		const refused = await refusal(makeFaqFromQuestion(cs, duplicate.id))
		expect(refused.status).toBe(409)
		expect(refused.message).toBe('A question closed as a duplicate cannot become an FAQ: make it from the original')
		expect((await getQuestionThread(duplicate.id, cs)).permissions.makeFaq).toBe(false)
		expect(await faqFromQuestion(duplicate.id, cs)).toBeNull()
	})

	it('makes no FAQ from an accepted answer others cannot read, saying why, and offers no button for it', async () => {
		const [cs, admin, asker, helper] = [await person('cs'), await person('admin'), await person(), await person()]
		const question = await createQuestion(asker, questionSchema.parse({ title: 'Change the invoice address', body: 'Accounting wants another address.' }))
		const answer = await createAnswer(helper, question.id, 'Private account details the answer should never have had.')
		await acceptAnswer(asker, question.id, answer.id)
		expect((await getQuestionThread(question.id, cs)).permissions.makeFaq).toBe(true)
		await moderatePost(cs, { type: 'answer', id: answer.id }, 'hide', 'Leaks account details')
		for (const state of ['hidden', 'deleted']) {
			if (state === 'deleted') await moderatePost(admin, { type: 'answer', id: answer.id }, 'delete', 'Leaks account details')
			expect(await refusal(makeFaqFromQuestion(cs, question.id))).toMatchObject({
				status: 409,
				message: 'The accepted answer is waiting for review, hidden or deleted: only an answer everyone can read can become an FAQ',
			})
			expect((await getQuestionThread(question.id, cs)).permissions.makeFaq).toBe(false)
		}
		expect(await db.select().from(faqs)).toEqual([])
	})

	it('makes no FAQ from a question others cannot read: its title would be published with it', async () => {
		const [cs, asker, helper] = [await person('cs'), await person(), await person()]
		const question = await createQuestion(asker, questionSchema.parse({ title: 'Customer name and contract number in the title', body: 'Posted by mistake.' }))
		const answer = await createAnswer(helper, question.id, 'Open the billing settings.')
		await acceptAnswer(asker, question.id, answer.id)
		await moderatePost(cs, { type: 'question', id: question.id }, 'hide', 'Names a customer')
		expect(await refusal(makeFaqFromQuestion(cs, question.id))).toMatchObject({
			status: 409,
			message: 'This question is waiting for review, hidden or deleted: only a question everyone can read can become an FAQ',
		})
		expect((await getQuestionThread(question.id, cs)).permissions.makeFaq).toBe(false)
		expect(await db.select().from(faqs)).toEqual([])
	})

	it('turns a solved thread into a draft FAQ, once', async () => {
		const cs = await person('cs')
		const asker = await person()
		const question = await createQuestion(asker, questionSchema.parse({ title: '請求書の宛名を変更したい', body: '経理から請求書の宛名を変更してほしいと言われました。', tags: 'billing, 請求書' }))
		expect((await refusal(makeFaqFromQuestion(cs, question.id))).message).toBe('Only a solved question can become an FAQ')
		const answer = await createAnswer(cs, question.id, '**設定 → 請求 → 会社情報** から変更できます。')
		await acceptAnswer(asker, question.id, answer.id)
		expect((await refusal(makeFaqFromQuestion(asker, question.id))).status).toBe(403)

		const made = await makeFaqFromQuestion(cs, question.id)
		expect(made.created).toBe(true)
		const draft = await getFaqForEdit(cs, made.id)
		expect(draft).toMatchObject({ title: '請求書の宛名を変更したい', body: '**設定 → 請求 → 会社情報** から変更できます。', tags: 'billing, 請求書', language: 'ja', published: false, category: '' })
		expect((await faqHistory(cs, made.id)).revisions).toHaveLength(1)
		expect(await makeFaqFromQuestion(cs, question.id)).toMatchObject({ id: made.id, created: false })

		expect(await faqFromQuestion(question.id, asker)).toBeNull()
		expect(await faqFromQuestion(question.id, cs)).toMatchObject({ id: made.id, published: false })
		await setFaqPublished(cs, made.id, true)
		expect(await faqFromQuestion(question.id, null)).toMatchObject({ id: made.id, published: true, url: made.url })
		expect((await getFaqPage(made.id, cs)).source?.title).toBe('請求書の宛名を変更したい')

		const english = await createQuestion(asker, questionSchema.parse({ title: 'Change the invoice address', body: 'Finance wants another address on invoices.' }))
		const reply = await createAnswer(cs, english.id, 'Settings → Billing → Company details.')
		await acceptAnswer(asker, english.id, reply.id)
		expect((await getFaqForEdit(cs, (await makeFaqFromQuestion(cs, english.id)).id)).language).toBe('en')

		// The language recorded on the question stands, even when its text would be detected as another.
		const chosen = await createQuestion(asker, questionSchema.parse({ title: 'What does 請求書 mean on the invoice?', body: 'The invoice says 請求書 at the top.', language: 'en' }))
		const explained = await createAnswer(cs, chosen.id, 'It means "invoice".')
		await acceptAnswer(asker, chosen.id, explained.id)
		expect((await getFaqForEdit(cs, (await makeFaqFromQuestion(cs, chosen.id)).id)).language).toBe('en')
	})

	it('presets a made FAQ with the thread\'s language and the category FAQs sharing its tags are in', async () => {
		const cs = await person('cs')
		const asker = await person()
		const publish = async (title: string, category: string, tags: string) => setFaqPublished(cs, (await createFaq(cs, faqSchema.parse({ title, body: 'An answer long enough.', category, tags, language: 'en' }))).id, true)
		await publish('Change the invoice address', 'Billing', 'billing')
		await publish('Pay by bank transfer', 'Billing', 'billing, payments')
		await publish('Invoices for a second workspace', 'Account', 'billing, workspaces')
		await publish('Reset two-factor authentication', 'Account', 'security')
		const solvedThread = async (input: { title: string; body: string; tags: string; language?: string }) => {
			const { id } = await createQuestion(asker, questionSchema.parse(input))
			const answer = await createAnswer(cs, id, 'Settings → Billing → Company details.')
			await acceptAnswer(asker, id, answer.id)
			return getFaqForEdit(cs, (await makeFaqFromQuestion(cs, id)).id)
		}
		expect(await solvedThread({ title: 'Gantt chart PDF export', body: 'ガントチャートをPDFで書き出すと請求書の列が消えます。', tags: 'billing, reports', language: 'ja' })).toMatchObject({ language: 'ja', category: 'Billing' })
		expect(await solvedThread({ title: 'Export a Gantt chart', body: 'The PDF export drops a column.', tags: 'reports' })).toMatchObject({ language: 'en', category: '' })

		const recorded = await createQuestion(asker, questionSchema.parse({ title: 'Workspace invoices', body: 'Where are the invoices of our second workspace?', tags: 'workspaces' }))
		await db.update(questions).set({ language: 'ja' }).where(eq(questions.id, recorded.id))
		const answer = await createAnswer(cs, recorded.id, '設定 → 請求 から確認できます。')
		await acceptAnswer(asker, recorded.id, answer.id)
		expect(await getFaqForEdit(cs, (await makeFaqFromQuestion(cs, recorded.id)).id)).toMatchObject({ language: 'ja', category: 'Account' })
	})

	it('explains what is wrong with the FAQ form', () => {
		const result = faqSchema.safeParse({ title: 'Hi', body: '', category: 'x', tags: 'BAD!tag', language: 'fr' })
		expect(result.success).toBe(false)
		const messages = Object.fromEntries(result.error!.issues.map((i) => [i.path.join('.'), i.message]))
		expect(messages).toEqual({
			title: 'The title needs at least 5 characters',
			body: 'The answer needs at least 5 characters',
			category: 'The category name needs at least 2 characters',
			tags: 'Tags can only contain letters, numbers and hyphens (up to 30 characters each)',
			language: 'Choose English or Japanese',
		})
		expect(faqInput({ category: '   ' }).category).toBeNull()
	})

	it('seeds demo FAQs in both languages, published and searchable', async () => {
		await db.transaction((tx) => seedDemoFaqs(tx))
		const overview = await faqOverview(null)
		expect(overview.groups).toHaveLength(4)
		const all = overview.groups.flatMap((g) => g.faqs)
		expect(all.filter((f) => f.language === 'en')).toHaveLength(7)
		expect(all.filter((f) => f.language === 'ja')).toHaveLength(8)
		// Categories are named per language, and some FAQs are linked translations of one another.
		expect((await faqOverview(null, { reader: 'ja', languages: { language: 'ja', all: false } })).groups.map((g) => g.category?.name)).toEqual(['はじめに', '請求', 'アカウントとSSO', '連携'])
		expect((await db.select().from(faqs).where(isNotNull(faqs.translationOfId))).length).toBe(3)
		expect((await faqHistory(await person('cs'), all[0]!.id)).revisions).toHaveLength(1)
		await runPendingJobs()
		expect((await search('invoices PDF', { type: 'faq' })).total).toBeGreaterThan(0)
		expect((await search('文字化け', { type: 'faq' })).total).toBeGreaterThan(0)
	})
})
