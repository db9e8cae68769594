import crypto from 'node:crypto'
import postgres from 'postgres'
import { beforeEach, describe, expect, it } from 'vitest'
import { createQuestion } from '../../app/community/questions.server'
import { questionSchema } from '../../app/community/validation'
import { runPendingJobs } from '../../app/jobs/worker.server'
import { updateVocabulary } from '../../app/knowledge/vocabulary.server'
import { searchContent } from '../../search/query.server'
import { getVocabulary, synonymGroups, vocabularySchema } from '../../search/vocabulary.server'
import { person } from '../support/factories'
import { resetData } from '../support/reset'

const search = (q: string) => searchContent({ q, limit: 5 }, { userId: null, visitorId: 'v', record: false })

describe('search vocabulary', () => {
	beforeEach(async () => {
		await resetData()
		await updateVocabulary(await person('admin'), vocabularySchema.parse({ synonyms: '', stopWords: '' }))
	})

	it('applies synonyms and stop words at once', async () => {
		const { id } = await createQuestion(await person(), questionSchema.parse({ title: 'Where is my invoice?', body: 'I cannot find last month’s invoice.' }))
		await runPendingJobs()
		expect((await search('receipt')).total).toBe(0)
		const cs = await person('cs')
		await updateVocabulary(cs, vocabularySchema.parse({ synonyms: 'invoice, receipt, 請求書', stopWords: 'please' }))
		expect((await search('receipt')).hits[0]?.id).toBe(id)
		expect((await search('請求書')).hits[0]?.id).toBe(id)
		expect(await getVocabulary()).toMatchObject({ synonyms: [['invoice', 'receipt', '請求書']], stopWords: ['please'] })
	})

	it('reaches this process when another process saves it, within its notification', async () => {
		await synonymGroups()
		// Another process: its own connection and transaction, announcing as db/changes.server.ts does there.
		const other = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} })
		try {
			await other.begin(async (tx) => {
				await tx`update search_vocabulary set synonyms = ${JSON.stringify([['invoice', 'bill']])}::jsonb where id = 1`
				await tx`select pg_notify('kizuna_changes', ${`vocabulary:${crypto.randomUUID()}`})`
			})
		} finally {
			await other.end()
		}
		const deadline = Date.now() + 1_000
		while (JSON.stringify(await synonymGroups()) !== JSON.stringify([['invoice', 'bill']])) {
			if (Date.now() > deadline) throw new Error('The other process\'s synonyms did not arrive within a second')
			await new Promise((resolve) => setTimeout(resolve, 20))
		}
	})

	it('lets only staff change it, and explains bad lines', async () => {
		await expect(updateVocabulary(await person('member'), vocabularySchema.parse({ synonyms: 'a, b' }))).rejects.toMatchObject({ status: 403 })
		const parsed = vocabularySchema.safeParse({ synonyms: 'lonely' })
		expect(parsed.success).toBe(false)
		expect(parsed.error!.issues[0]!.message).toBe('Each synonym line needs at least two terms separated by commas')
	})
})
