import { absoluteUrl, htmlToText } from './seo'

/**
 * schema.org structured data for search engines' rich results (Google's QAPage,
 * FAQPage and breadcrumbs; HowTo for other engines). Built from what the page shows
 * the reader, so the page's own filtering (moderation, drafts) already applies;
 * callers pass only what everyone sees.
 */
type Json = Record<string, unknown>
type Author = { id: string; displayName: string }

/** People have a profile page; the import's system user (id `system`, not a UUID) has none to link to. */
const PROFILE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const person = (site: string, author: Author): Json => ({
	'@type': 'Person',
	name: author.displayName,
	...(PROFILE_ID.test(author.id) ? { url: absoluteUrl(site, `/users/${author.id}`) } : {}),
})

type ThreadAnswer = { bodyHtml: string; createdAt: string; url: string; accepted: boolean; votes: { up: number }; author: Author }
type Thread = { title: string; bodyHtml: string; createdAt: string; url: string; votes: { up: number }; author: Author; answers: ThreadAnswer[] }

/**
 * A question with its answers: the accepted one as `acceptedAnswer`, the others as
 * `suggestedAnswer`. Search engines take a QAPage only with an answer, so a thread
 * without one has none.
 */
export function qaPage(site: string, thread: Thread): Json | null {
	if (thread.answers.length === 0) return null
	const answer = (item: ThreadAnswer): Json => ({
		'@type': 'Answer',
		text: htmlToText(item.bodyHtml),
		dateCreated: item.createdAt,
		upvoteCount: item.votes.up,
		url: absoluteUrl(site, item.url),
		author: person(site, item.author),
	})
	const accepted = thread.answers.find((item) => item.accepted)
	const suggested = thread.answers.filter((item) => !item.accepted)
	return {
		'@context': 'https://schema.org',
		'@type': 'QAPage',
		mainEntity: {
			'@type': 'Question',
			name: thread.title,
			text: htmlToText(thread.bodyHtml) || thread.title,
			answerCount: thread.answers.length,
			dateCreated: thread.createdAt,
			upvoteCount: thread.votes.up,
			url: absoluteUrl(site, thread.url),
			author: person(site, thread.author),
			...(accepted ? { acceptedAnswer: answer(accepted) } : {}),
			...(suggested.length > 0 ? { suggestedAnswer: suggested.map(answer) } : {}),
		},
	}
}

/** One FAQ article: a question and its answer. */
export function faqPage(site: string, faq: { title: string; bodyHtml: string; url: string; updatedAt: string; language: string }): Json {
	return {
		'@context': 'https://schema.org',
		'@type': 'FAQPage',
		inLanguage: faq.language,
		url: absoluteUrl(site, faq.url),
		dateModified: faq.updatedAt,
		mainEntity: [{ '@type': 'Question', name: faq.title, acceptedAnswer: { '@type': 'Answer', text: htmlToText(faq.bodyHtml) } }],
	}
}

type Tutorial = { title: string; summary: string; url: string; language: string; estimatedMinutes: number; updatedAt: string; steps: Array<{ title: string; html: string }> }

export function howTo(site: string, tutorial: Tutorial): Json {
	return {
		'@context': 'https://schema.org',
		'@type': 'HowTo',
		name: tutorial.title,
		description: tutorial.summary || tutorial.title,
		inLanguage: tutorial.language,
		url: absoluteUrl(site, tutorial.url),
		dateModified: tutorial.updatedAt,
		totalTime: `PT${tutorial.estimatedMinutes}M`,
		step: tutorial.steps.map((step, i) => ({
			'@type': 'HowToStep',
			position: i + 1,
			name: step.title,
			text: htmlToText(step.html) || step.title,
			// The page's own anchors (app/routes/tutorials.$id.($slug).tsx).
			url: absoluteUrl(site, `${tutorial.url}#step-${i + 1}`),
		})),
	}
}

/** Where the page sits: each crumb a name and the path it links to; the last one is the page itself. */
export function breadcrumbs(site: string, crumbs: Array<{ name: string; path: string }>): Json {
	return {
		'@context': 'https://schema.org',
		'@type': 'BreadcrumbList',
		itemListElement: crumbs.map((crumb, i) => ({ '@type': 'ListItem', position: i + 1, name: crumb.name, item: absoluteUrl(site, crumb.path) })),
	}
}
