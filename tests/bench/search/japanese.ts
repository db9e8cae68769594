/**
 * The Japanese dev set (tests/bench/search/japanese/): FAQs in the style of a SaaS help
 * centre (`faqs-*.json`) and colloquial customer questions labelled with the FAQs that
 * answer them (`queries-*.json`). Loaded and checked here for `npm run eval:search`.
 */
import fs from 'node:fs'
import path from 'node:path'

export type JapaneseFaq = { id: string; category?: string; question: string; answer: string }
export type JapaneseQuery = { query: string; relevant: string[] }
export type JapaneseSet = { faqs: JapaneseFaq[]; queries: JapaneseQuery[] }

const readList = <T>(dir: string, prefix: string, key: string): T[] =>
	fs
		.readdirSync(dir)
		.filter((name) => name.startsWith(prefix) && name.endsWith('.json'))
		.sort()
		.flatMap((name) => {
			const list = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8'))[key]
			if (!Array.isArray(list)) throw new Error(`${name}: expected {"${key}": [...]}`)
			return list as T[]
		})

/** Every FAQ and query of the set; throws on a duplicate id, an empty query or a label naming no FAQ. */
export function loadJapaneseSet(dir = process.env.JAPANESE_DEV_DIR ?? path.resolve('tests/bench/search/japanese')): JapaneseSet {
	if (!fs.existsSync(dir)) throw new Error(`No Japanese dev set at ${dir} (JAPANESE_DEV_DIR names another folder)`)
	const faqs = readList<JapaneseFaq>(dir, 'faqs-', 'faqs')
	const queries = readList<JapaneseQuery>(dir, 'queries-', 'queries')
	const ids = new Set<string>()
	for (const faq of faqs) {
		if (!faq.id || !faq.question?.trim() || !faq.answer?.trim()) throw new Error(`Japanese dev set: FAQ ${JSON.stringify(faq.id)} needs an id, a question and an answer`)
		if (ids.has(faq.id)) throw new Error(`Japanese dev set: the FAQ id ${faq.id} is used twice`)
		ids.add(faq.id)
	}
	for (const q of queries) {
		if (!q.query?.trim() || !Array.isArray(q.relevant) || q.relevant.length === 0) throw new Error(`Japanese dev set: ${JSON.stringify(q)} needs a query and at least one relevant FAQ`)
		const unknown = q.relevant.filter((id) => !ids.has(id))
		if (unknown.length > 0) throw new Error(`Japanese dev set: "${q.query}" names FAQs that do not exist: ${unknown.join(', ')}`)
	}
	return { faqs, queries }
}
