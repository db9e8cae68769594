import crypto from 'node:crypto'
import postgres from 'postgres'
import { beforeEach, describe, expect, it } from 'vitest'
import type { Actor } from '../../app/auth/permissions.server'
import { closeAsDuplicate } from '../../app/community/duplicates.server'
import { acceptAnswer, createAnswer, updateQuestion } from '../../app/community/questions.server'
import { questionSchema } from '../../app/community/validation'
import { setCategoryTranslation, updateCategory } from '../../app/knowledge/faq-categories.server'
import { createFaq, createFaqTranslation, getFaqPage, makeFaqFromQuestion, setFaqPublished } from '../../app/knowledge/faqs.server'
import { categorySchema, categoryTranslationSchema, faqSchema } from '../../app/knowledge/validation'
import { loader as homeLoader } from '../../app/routes/_index'
import { loader as questionsLoader } from '../../app/routes/questions._index'
import { loader as faqListLoader } from '../../app/routes/faq._index'
import { loader as threadLoader } from '../../app/routes/questions.$id.($slug)'
import { loader as tagsLoader } from '../../app/routes/tags._index'
import type { RequestContext } from '../../app/server/context'
import { person, question } from '../support/factories'
import { resetData } from '../support/reset'

/**
 * What every reader sees alike is kept per process (db/shared-reads.server.ts): a change
 * must show on the next signed-in page view, made here or by another process.
 */
const context = (actor: Actor): RequestContext => ({ actor, authVia: 'session', visitorId: crypto.randomUUID(), locale: 'en', secure: false, clientIp: '127.0.0.1', cspNonce: 'n' })
const args = (actor: Actor, url: string, params: Record<string, string> = {}) => ({ request: new Request(`http://127.0.0.1${url}`), params, context: context(actor) })
type Data<T extends (...a: never[]) => unknown> = Exclude<Awaited<ReturnType<T>>, Response>

const home = async (actor: Actor) => (await homeLoader(args(actor, '/'))) as Data<typeof homeLoader>
const tagList = async (actor: Actor) => ((await tagsLoader(args(actor, '/tags'))) as Data<typeof tagsLoader>).tags.map((tag) => tag.name)
const faqList = async (actor: Actor) => (await faqListLoader(args(actor, '/faq'))) as Data<typeof faqListLoader>

/** Another process: its own connection and transaction, announcing as db/changes.server.ts does there. */
async function elsewhere(write: (tx: postgres.TransactionSql) => Promise<unknown>) {
	const other = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} })
	try {
		await other.begin(async (tx) => {
			await write(tx)
			await tx`select pg_notify('kizuna_changes', ${`pages:${crypto.randomUUID()}`})`
		})
	} finally {
		await other.end()
	}
}

/** Polls (no sleeping test): another process's change arrives by notification. */
async function eventually(check: () => Promise<boolean>, timeoutMs = 5_000) {
	const deadline = Date.now() + timeoutMs
	while (!(await check())) {
		if (Date.now() > deadline) throw new Error('Not within the deadline')
		await new Promise((resolve) => setTimeout(resolve, 20))
	}
}

describe('reads shared by every reader', () => {
	beforeEach(resetData)

	it('shows a question’s new tags on the next home and tag list view, and another process’s at its notification', async () => {
		const asker = await person('member', 'Asker')
		const reader = await person('member', 'Reader')
		const posted = await question(asker, { title: 'How do I export a board to CSV?', tags: ['export'] })
		expect((await home(reader)).tags.map((tag) => tag.name)).toEqual(['export'])
		expect(await tagList(reader)).toEqual(['export'])
		await updateQuestion(asker, posted.id, questionSchema.parse({ title: 'How do I export a board to CSV?', body: 'What happens when I try this?', tags: ['csv'] }))
		expect((await home(reader)).tags.map((tag) => tag.name)).toEqual(['csv'])
		expect(await tagList(reader)).toEqual(['csv'])
		await elsewhere((tx) => tx`update questions set state = 'hidden' where id = ${posted.id}`)
		await eventually(async () => (await tagList(reader)).length === 0)
		expect((await home(reader)).tags).toEqual([])
	})

	it('shows a new question and an edit on the next view of the home page and the lists, and another process’s at its notification', async () => {
		const asker = await person('member', 'Asker')
		const reader = await person('member', 'Reader')
		const titles = async () => {
			const front = await home(reader)
			const list = (await questionsLoader(args(reader, '/questions?tag=export'))) as Data<typeof questionsLoader>
			return [front.unanswered.map((item) => item.title), list.items.map((item) => item.title)]
		}
		expect(await titles()).toEqual([[], []])
		const posted = await question(asker, { title: 'How do I export a board to CSV?', tags: ['export'] })
		expect(await titles()).toEqual([['How do I export a board to CSV?'], ['How do I export a board to CSV?']])
		await updateQuestion(asker, posted.id, questionSchema.parse({ title: 'How do I export a board to a spreadsheet?', body: 'What happens when I try this?', tags: ['export'] }))
		expect(await titles()).toEqual([['How do I export a board to a spreadsheet?'], ['How do I export a board to a spreadsheet?']])
		await elsewhere((tx) => tx`update questions set title = 'Exporting a board (changed elsewhere)' where id = ${posted.id}`)
		await eventually(async () => JSON.stringify(await titles()) === JSON.stringify([['Exporting a board (changed elsewhere)'], ['Exporting a board (changed elsewhere)']]))
	})

	it('shows a renamed or translated FAQ category on the next view, and another process’s at its notification', async () => {
		const cs = await person('cs')
		const reader = await person('member', 'Reader')
		const faq = await createFaq(cs, faqSchema.parse({ title: 'How do I change the invoice address?', body: 'Open the billing settings.', category: 'Billing', language: 'en' }))
		await setFaqPublished(cs, faq.id, true)
		const names = async () => (await home(reader)).knowledge.categories.map((category) => category.name)
		expect(await names()).toEqual(['Billing'])
		const [group] = (await faqList(reader)).groups
		const id = group!.category!.id
		await updateCategory(cs, id, categorySchema.parse({ name: 'Invoices' }))
		expect(await names()).toEqual(['Invoices'])
		expect((await faqList(reader)).groups[0]!.category!.name).toBe('Invoices')
		await setCategoryTranslation(cs, id, categoryTranslationSchema.parse({ language: 'ja', name: '請求書' }))
		expect((await faqList(cs)).groups[0]!.category!.translations).toEqual([{ language: 'ja', name: '請求書', description: '' }])
		await elsewhere((tx) => tx`update faq_categories set name = 'Payments' where id = ${id}`)
		await eventually(async () => (await names())[0] === 'Payments')
		expect((await faqList(reader)).groups[0]!.category!.name).toBe('Payments')
	})

	it('offers a newly published translation on the article’s next view, and drops one another process unpublished', async () => {
		const cs = await person('cs')
		const reader = await person('member', 'Reader')
		const faq = await createFaq(cs, faqSchema.parse({ title: 'How do I change the invoice address?', body: 'Open the billing settings.', language: 'en' }))
		await setFaqPublished(cs, faq.id, true)
		const languages = async () => (await getFaqPage(faq.id, reader)).translations.map((translation) => translation.language)
		expect(await languages()).toEqual([])
		const japanese = await createFaqTranslation(cs, faq.id, 'ja')
		expect((await getFaqPage(faq.id, cs)).group.map((member) => member.language)).toEqual(['en', 'ja'])
		await setFaqPublished(cs, japanese.id, true)
		expect(await languages()).toEqual(['ja'])
		await elsewhere((tx) => tx`update faqs set published = false where id = ${japanese.id}`)
		await eventually(async () => (await languages()).length === 0)
	})

	it('links a thread to the FAQ made from it on the next view: staff at once, readers once it is published', async () => {
		const cs = await person('cs')
		const asker = await person('member', 'Asker')
		const reader = await person('member', 'Reader')
		const posted = await question(asker, { title: 'How do I change the invoice address?' })
		const answer = await createAnswer(cs, posted.id, 'Open the billing settings.')
		await acceptAnswer(asker, posted.id, answer.id)
		const linked = async (viewer: Actor) => ((await threadLoader(args(viewer, posted.url, { id: String(posted.id), slug: posted.url.split('/').at(-1)! }))) as Data<typeof threadLoader>).faq
		expect(await linked(cs)).toBeNull()
		const made = await makeFaqFromQuestion(cs, posted.id)
		expect(await linked(cs)).toMatchObject({ id: made.id, published: false })
		expect(await linked(reader)).toBeNull()
		await setFaqPublished(cs, made.id, true)
		expect(await linked(reader)).toMatchObject({ id: made.id, published: true })
	})

	it('lists a question closed into a thread on its next view, and drops one another process reopened', async () => {
		const cs = await person('cs')
		const asker = await person('member', 'Asker')
		const reader = await person('member', 'Reader')
		const original = await question(asker, { title: 'How do I export a board to CSV?' })
		const copy = await question(asker, { title: 'Can I get my board as a spreadsheet?' })
		const also = async () => {
			const data = (await threadLoader(args(reader, original.url, { id: String(original.id), slug: original.url.split('/').at(-1)! }))) as Data<typeof threadLoader>
			return data.duplicates.duplicates.map((item) => item.title)
		}
		expect(await also()).toEqual([])
		await closeAsDuplicate(cs, copy.id, { type: 'question', id: original.id })
		expect(await also()).toEqual(['Can I get my board as a spreadsheet?'])
		await elsewhere((tx) => tx`update questions set duplicate_of_question_id = null, closed_at = null where id = ${copy.id}`)
		await eventually(async () => (await also()).length === 0)
	})
})
