import { beforeEach, describe, expect, it } from 'vitest'
import { createQuestion } from '../../app/community/questions.server'
import { questionSchema } from '../../app/community/validation'
import { runPendingJobs } from '../../app/jobs/worker.server'
import { updateVocabulary } from '../../app/knowledge/vocabulary.server'
import { searchContent } from '../../search/query.server'
import { getVocabulary, vocabularySchema } from '../../search/vocabulary.server'
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

	it('lets only staff change it, and explains bad lines', async () => {
		await expect(updateVocabulary(await person('member'), vocabularySchema.parse({ synonyms: 'a, b' }))).rejects.toMatchObject({ status: 403 })
		const parsed = vocabularySchema.safeParse({ synonyms: 'lonely' })
		expect(parsed.success).toBe(false)
		expect(parsed.error!.issues[0]!.message).toBe('Each synonym line needs at least two terms separated by commas')
	})
})
