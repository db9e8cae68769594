import type { Settings } from 'meilisearch'

/** One index holds every kind of help content, so that a single query ranks them together. */
export const CONTENT_INDEX = 'content'

export const contentIndexSettings: Settings = {
	searchableAttributes: ['title', 'phrasings', 'tags', 'category', 'body', 'answers'],
	displayedAttributes: ['*'],
	filterableAttributes: [
		'type',
		'tags',
		'category',
		'solved',
		'answered',
		'language',
		// Documents made with an older analysis are found and re-indexed (sync.server.ts).
		'analyzer',
		// Only for counting documents per term (rerank.server.ts): equality, nothing more.
		{ attributePatterns: ['terms'], features: { facetSearch: false, filter: { equality: true, comparison: false } } },
	],
	sortableAttributes: ['createdAt', 'score', 'frequency'],
	rankingRules: ['words', 'typo', 'proximity', 'attribute', 'typeRank:desc', 'sort', 'exactness', 'frequency:desc', 'score:desc'],
	// Without explicit locales Meilisearch guesses per field and often takes short
	// Japanese (kanji-heavy) text for Chinese, which segments it wrongly.
	localizedAttributes: [{ attributePatterns: ['*'], locales: ['jpn', 'eng'] }],
	typoTolerance: { enabled: true, minWordSizeForTypos: { oneTypo: 4, twoTypos: 8 } },
	faceting: { maxValuesPerFacet: 100 },
	pagination: { maxTotalHits: 1000 },
}
