import type { TFunction } from 'i18next'
import type { AlertKind, LifecyclePhase } from '#db/schema'
import type { EventChannel, FeedbackReason } from '~/utils/limits'

/**
 * Words for the insights that both the pages and the CSV files use, so a
 * download says exactly what the screen says. Keys are i18n keys.
 */

/** Accounts and tutorials share the lifecycle phases. */
export const phaseLabels: Record<LifecyclePhase, string> = {
	onboarding: 'Onboarding',
	adoption: 'Adoption',
	expansion: 'Expansion',
}

export const channelLabels: Record<EventChannel, string> = {
	community: 'Community site',
	widget: 'Help widget (in the product)',
}

export const alertLabels: Record<AlertKind, string> = {
	self_resolution_drop: 'Self-resolution fell by over 20 points week over week',
	onboarding_stalled: 'Onboarding stalled for 14 days',
	unanswered_questions: '3+ questions unanswered after 48 hours',
}

export type AlertForText = { kind: AlertKind; detail: Record<string, unknown> }

const asNumber = (value: unknown) => (typeof value === 'number' ? value : 0)
const day = (value: unknown) => (typeof value === 'string' ? value.slice(0, 10) : '')

/** One sentence with the numbers behind an alert (see alerts.server.ts for the details recorded). */
export function alertDetail(t: TFunction, alert: AlertForText): string {
	const { detail } = alert
	switch (alert.kind) {
		case 'self_resolution_drop':
			return t('Self-resolution {{lastWeek}}% the week before, {{thisWeek}}% last week', {
				lastWeek: Math.round(asNumber(detail.lastWeek) * 100),
				thisWeek: Math.round(asNumber(detail.thisWeek) * 100),
			})
		case 'onboarding_stalled':
			return detail.lastStepAt
				? t('{{completed}} of {{members}} members finished onboarding; last step done on {{day}}', {
						completed: asNumber(detail.completed),
						members: asNumber(detail.members),
						day: day(detail.lastStepAt),
					})
				: t('{{completed}} of {{members}} members finished onboarding; no step done yet', {
						completed: asNumber(detail.completed),
						members: asNumber(detail.members),
					})
		case 'unanswered_questions':
			return t('{{n}} questions waiting; the oldest was asked on {{day}}', { n: asNumber(detail.questions), day: day(detail.oldestAskedAt) })
	}
}

export const questionStatusLabels = {
	solved: 'Solved',
	answered: 'Answered',
	closed: 'Closed as duplicate',
	unanswered: 'Unanswered',
} as const

/** What a reader can answer to "What was missing?", in the order the feedback widget offers it. */
export const feedbackReasonOptions = [
	['not_my_problem', 'It is about a different problem'],
	['unclear', 'Hard to understand'],
	['outdated', 'Out of date'],
	['did_not_work', 'I tried it and it did not work'],
	['other', 'Something else'],
] as const satisfies ReadonlyArray<readonly [FeedbackReason, string]>

export const feedbackReasonLabels: Record<string, string> = Object.fromEntries(feedbackReasonOptions)
