import { eq } from 'drizzle-orm'
import { db } from '#db/client.server'
import { users, type ContentLanguage } from '#db/schema'
import type { Actor } from '~/auth/permissions.server'
import { limit } from '~/auth/rate-limit.server'
import { startPanelSession } from '~/auth/session.server'
import { createQuestion, getQuestionThread, recordQuestionView } from '~/community/questions.server'
import type { QuestionInput } from '~/community/validation'
import { recordActivity, recordContentView } from '~/insights/events.server'
import { getFaqPage, recordFaqView } from '~/knowledge/faqs.server'
import { getTutorial, onboardingChecklist, setStepDone } from '~/knowledge/tutorials.server'
import type { JwtKeys } from '~/sso/jwt.server'
import { signInWithJwt } from '~/sso/sign-in.server'
import type { Locale } from '~/i18n/locales'
import { DomainError, notFound } from '~/utils/errors.server'
import { pagePath, type EventPlace } from '~/utils/event-place'
import { escapeHtml } from './panel-page.server'
import { normalizeOrigin } from './rules'
import { widgetSettings } from './settings.server'

/** Someone in the panel: who (person or visitor, and from which address) and on which page of the product. */
export type PanelViewer = {
	actor: Actor | null
	visitorId: string
	clientIp: string
	place: EventPlace & { channel: 'widget' }
}

/**
 * What the panel's limits count: the person, or a visitor's address. A visitor id is
 * whatever the client sends (a request without one gets a new one), so counting it
 * would let anyone record as many views and events as they send requests.
 */
const limitKey = (viewer: PanelViewer) => (viewer.actor ? viewer.actor.id : `address:${viewer.clientIp}`)

/**
 * `Kizuna('identify', jwt)`: the product's single sign-on token (verified and spent
 * exactly as on /sso/jwt, the person created or updated the same way) becomes a panel
 * session the panel keeps in memory (see startPanelSession for why not a cookie).
 * Counted against `ssoAddress` before any verification.
 */
export async function identifyPanel(
	token: string,
	options: {
		keys: JwtKeys
		audience: string
		fallbackLocale: Locale
		clientIp: string
	},
	now = new Date()
) {
	await limit('ssoAddress', options.clientIp)
	const signedIn = await signInWithJwt(token, options.keys, { fallbackLocale: options.fallbackLocale, audience: options.audience }, now)
	const session = await startPanelSession(signedIn.userId, now)
	const [person] = await db.select({ displayName: users.displayName, locale: users.locale }).from(users).where(eq(users.id, signedIn.userId))
	return {
		token: session.token,
		expiresAt: session.expiresAt.toISOString(),
		displayName: person!.displayName,
		locale: person!.locale,
	}
}

export type PanelArticleType = 'faq' | 'tutorial' | 'question'

/**
 * An FAQ, tutorial or solved thread as the panel shows it (its HTML, rendered when
 * saved), counted as a view from the widget on the viewer's page. Only what everyone
 * may read: drafts and held or hidden threads are "not found" here even for staff.
 */
export async function panelArticle(viewer: PanelViewer, type: PanelArticleType, id: number, reader: ContentLanguage) {
	await limit('widgetView', limitKey(viewer))
	if (type === 'faq') {
		const faq = await getFaqPage(id, viewer.actor, reader)
		if (!faq.published) throw notFound('FAQ')
		await recordFaqView(id, viewer)
		return {
			type,
			id,
			title: faq.title,
			url: faq.url,
			html: faq.bodyHtml,
			steps: [],
		}
	}
	if (type === 'tutorial') {
		const tutorial = await getTutorial(id, viewer.actor)
		if (!tutorial.published) throw notFound('Tutorial')
		await recordContentView(viewer, { type: 'tutorial', id })
		return {
			type,
			id,
			title: tutorial.title,
			url: tutorial.url,
			html: `<p>${escapeHtml(tutorial.summary)}</p>`,
			steps: tutorial.steps.map((step) => ({
				id: step.id,
				title: step.title,
				html: step.html,
				done: step.done,
			})),
		}
	}
	const thread = await getQuestionThread(id, viewer.actor)
	if (thread.notice !== null) throw notFound('Question')
	const readable = thread.answers.filter((item) => item.notice === null)
	const answer = readable.find((item) => item.accepted) ?? readable[0]
	await recordQuestionView(id, viewer)
	return {
		type,
		id,
		title: thread.title,
		url: thread.url,
		html: thread.bodyHtml + (answer ? `<hr>${answer.bodyHtml}` : ''),
		steps: [],
	}
}


/** The person's onboarding checklist in their language, with progress; empty for visitors. */
export async function panelChecklist(actor: Actor | null, language: ContentLanguage) {
	if (!actor) return []
	const items = await onboardingChecklist(actor.id, { language, all: false })
	return items.map((item) => ({
		id: item.id,
		title: item.title,
		url: item.url,
		progress: item.progress,
	}))
}

export const panelStepDone = (viewer: PanelViewer, tutorialId: number, stepId: number, done: boolean) => setStepDone(viewer.actor, tutorialId, stepId, done, viewer.place)

/** "Ask the community" from the panel: the question counts as an escalation on the viewer's page. */
export const panelAsk = (viewer: PanelViewer, input: QuestionInput, now = new Date()) => createQuestion(viewer.actor, input, now, viewer.place)

/**
 * "Ask the community" opened or "Contact support" followed, recorded with the page.
 * `support_contacted` answers the admin's link (refused when there is none).
 */
export async function recordPanelEvent(viewer: PanelViewer, type: 'ask_form_opened' | 'support_contacted') {
	await limit('widgetEvent', limitKey(viewer))
	if (type === 'support_contacted') {
		const { supportLink } = await widgetSettings()
		if (!supportLink) throw new DomainError('not_found', 'This community has no support link')
		await recordActivity(viewer, { type })
		return { supportLink }
	}
	await recordActivity(viewer, { type })
	return { supportLink: null }
}

/**
 * The host page's origin the panel may talk to: `?origin=` normalised, when it is this
 * community or on the admin's allow list; no `?origin=` (the panel opened directly) is
 * null. Any other is refused, so the panel never posts to a site nobody allowed.
 */
export function panelHostOrigin(origin: string | undefined, self: string, allowedOrigins: readonly string[]): string | null {
	if (origin === undefined) return null
	const host = normalizeOrigin(origin)
	if (host === null || (host !== self && !allowedOrigins.includes(host))) throw new DomainError('forbidden', 'This site may not embed the help panel of this community.')
	return host
}

/**
 * The viewer of a panel request: `?page=` is the host page it was made on (path only);
 * `preview=1` marks the panel framed by the community itself, not recorded (EventPlace).
 */
export const panelViewer = (who: { actor: Actor | null; visitorId: string; clientIp: string }, params: URLSearchParams): PanelViewer => ({
	actor: who.actor,
	visitorId: who.visitorId,
	clientIp: who.clientIp,
	place: { channel: 'widget', page: pagePath(params.get('page')), ...(params.get('preview') === '1' ? { preview: true as const } : {}) },
})
