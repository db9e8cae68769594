import { describe, expect, it } from 'vitest'
import { rerank, type Frequencies } from '../../search/rerank.server'
import { termStatistics } from '../../search/statistics'
import { terms } from '../../search/text'

type Thread = { type: string; id: string; title: string; answers: string[]; phrasings?: string[] }

const filler = (words: number) => Array.from({ length: words }, (_, i) => `word${i % 97}`).join(' ')

function scorable(thread: Thread) {
	const { statistics } = termStatistics({ title: thread.title, body: thread.title, phrasings: thread.phrasings ?? [], answers: thread.answers })
	return { ...thread, statistics }
}

/** Document frequencies as Meilisearch would count them, in an index of `documents` where every other term is common. */
function frequencies(documents: number, counts: Record<string, number>): Frequencies {
	return { documents, df: new Map(Object.entries(counts)) }
}

const order = (query: string, threads: Thread[], df: Frequencies) => rerank([...new Set(terms(query))], threads.map(scorable), df).map((t) => t.id)

describe('rerank', () => {
	it('puts the thread whose title names the topic above one whose title shares only a rare, incidental word of the question', () => {
		const threads: Thread[] = [
			// Meilisearch's first: its title has the question's rarest word, which is not what the question is about.
			{ type: 'question', id: 'incidental', title: 'Add a brother or sister to your family', answers: [`Open family settings. ${filler(150)}`] },
			{ type: 'question', id: 'topic', title: 'Delete a Facebook account', answers: [`Open the settings and choose delete. ${filler(150)}`] },
		]
		const df = frequencies(1000, { brother: 1, facebook: 60, account: 200, delet: 120 })
		expect(order('My brother wants to delete his Facebook account', threads, df)).toEqual(['topic', 'incidental'])
	})

	it('does not let long answers discount a thread whose title says more of the query', () => {
		const threads: Thread[] = [
			{ type: 'question', id: 'short answers', title: 'Strikethrough text', answers: ['Put two tildes around the words.'] },
			{ type: 'question', id: 'long answers', title: 'Strikethrough text on GitHub', answers: [filler(600), filler(600), filler(600)] },
		]
		const df = frequencies(1000, { strikethrough: 3, text: 150, github: 40 })
		expect(order('strikethrough text on github', threads, df)).toEqual(['long answers', 'short answers'])
	})

	it('keeps Meilisearch’s order between threads that match alike', () => {
		const threads: Thread[] = [
			{ type: 'question', id: 'first', title: 'Export a board to CSV', answers: ['Menu, then export.'] },
			{ type: 'question', id: 'second', title: 'Export a board to CSV', answers: ['Menu, then export.'] },
		]
		const df = frequencies(100, { export: 5, board: 10, csv: 3 })
		expect(order('export board csv', threads, df)).toEqual(['first', 'second'])
	})

	it('ranks a thread by the learned phrasing that says the same as the query', () => {
		const threads: Thread[] = [
			{ type: 'question', id: 'other', title: 'Archive mail in Gmail', answers: ['Press e to archive.'] },
			{ type: 'question', id: 'learned', title: 'Where does archived mail go?', answers: ['To All Mail.'], phrasings: ['find my archived gmail messages again'] },
		]
		const df = frequencies(100, { archiv: 10, gmail: 40, messag: 30, find: 20, mail: 25 })
		expect(order('find archived gmail messages', threads, df)).toEqual(['learned', 'other'])
	})

	it('does not let the learned phrasings of another thread on the same topic outweigh the title that answers a long question', () => {
		const threads: Thread[] = [
			// Taught with other people's questions about the workspace: they share the long question's topic words, not its request.
			{
				type: 'faq',
				id: 'topic',
				title: 'Switch between workspaces',
				answers: [],
				phrasings: ['our company workspace members cannot see the new board', 'members of the company workspace left and came back'],
			},
			{ type: 'faq', id: 'answer', title: 'Delete members who left the company from the workspace', answers: [] },
		]
		const df = frequencies(200, { compani: 30, workspac: 40, member: 40, left: 20, delet: 25, board: 50, month: 30, account: 40, still: 30 })
		const question = 'Members who left our company last month still have workspace accounts, how do I delete them?'
		expect(order(question, threads, df)[0]).toBe('answer')
		// A short question that says what the learned phrasing says still finds it.
		expect(order('company workspace members cannot see board', threads, df)[0]).toBe('topic')
	})

	it('finds the thread with the word a question misspells', () => {
		const threads: Thread[] = [
			{ type: 'question', id: 'plan', title: 'Change your billing plan', answers: ['Open the billing settings.'] },
			{ type: 'question', id: 'address', title: 'Change your billing address', answers: ['Open the billing settings.'] },
		]
		// No document has "adress": it is "address" misspelt.
		const df = frequencies(100, { chang: 30, bill: 10, plan: 5, address: 5 })
		expect(order('change billing adress', threads, df)).toEqual(['address', 'plan'])
	})

	it('finds the thread whose title has a longer word the question’s word begins', () => {
		const threads: Thread[] = [
			{ type: 'question', id: 'tables', title: 'Tables with GitHub Markdown', answers: ['Use pipes between cells.'] },
			{ type: 'question', id: 'strikethrough', title: 'Strikethrough with GitHub Markdown', answers: ['Put tildes around it.'] },
		]
		const df = frequencies(100, { strike: 2, strikethrough: 2, github: 20, markdown: 10, tabl: 5 })
		expect(order('strike github markdown', threads, df)).toEqual(['strikethrough', 'tables'])
	})

	it('finds the thread with a part of a word no thread has', () => {
		const threads: Thread[] = [
			{ type: 'question', id: 'size', title: 'Display mail size in Gmail', answers: ['Search for larger:10M.'] },
			{ type: 'question', id: 'reply', title: 'Search Gmail for mails without a reply', answers: ['Use a filter.'] },
		]
		const df = frequencies(100, { mail: 30, gmail: 40, size: 5, repli: 5, search: 30, filter: 10, larger: 3 })
		expect(order('unreplied mails in gmail', threads, df)).toEqual(['reply', 'size'])
	})

	it('still ranks by the words when a word’s count is above the total it was counted against', () => {
		const threads: Thread[] = [
			{ type: 'question', id: 'import', title: 'Import a board', answers: ['From a CSV file.'] },
			{ type: 'question', id: 'export', title: 'Export a board', answers: ['From the menu.'] },
		]
		// The counts are cached one by one, so a word counted after the index grew can exceed an older total.
		expect(order('export', threads, frequencies(10, { export: 50 }))).toEqual(['export', 'import'])
	})
})
