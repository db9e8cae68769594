/** A readable slug from a title; Japanese and other non-Latin titles keep their words. */
export function slugify(title: string): string {
	const slug = title
		.normalize('NFKC')
		.toLowerCase()
		.replace(/[^\p{L}\p{N}]+/gu, '-')
		.replace(/^-+|-+$/g, '')
		.slice(0, 60)
		.replace(/-+$/g, '')
	return slug || 'question'
}

export const questionUrl = (q: { id: number; slug: string }) => `/questions/${q.id}/${encodeURIComponent(q.slug)}`
/** The sign-in page, coming back to `returnTo` (a path on this site) afterwards. */
export const signInUrl = (returnTo: string) => `/signin?redirectTo=${encodeURIComponent(returnTo)}`
export const answerUrl = (q: { id: number; slug: string }, answerId: number) => `${questionUrl(q)}#answer-${answerId}`
export const faqUrl = (faq: { id: number; slug: string }) => `/faq/${faq.id}/${encodeURIComponent(faq.slug)}`
export const tutorialUrl = (tutorial: { id: number; slug: string }) => `/tutorials/${tutorial.id}/${encodeURIComponent(tutorial.slug)}`

const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]'])

/**
 * Whether this URL may be used as it is for sign-in traffic or a framing origin: https,
 * or plain http to this machine (a provider or product in the tests). Anywhere else
 * codes, tokens and sessions would travel readable.
 */
export function isSecureOrLoopback(url: string | URL): boolean {
	const parsed = typeof url === 'string' ? URL.parse(url) : url
	return parsed !== null && (parsed.protocol === 'https:' || (parsed.protocol === 'http:' && loopbackHosts.has(parsed.hostname)))
}
