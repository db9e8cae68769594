import { useTranslation } from 'react-i18next'
import type { ContentLanguage, LifecyclePhase } from '#db/schema'

export const phaseDescriptions: Record<LifecyclePhase, string> = {
	onboarding: 'First steps to get your team up and running.',
	adoption: 'Make the product part of how your team works every day.',
	expansion: 'Roll out to more teams and use the advanced features.',
}

export const languageLabels: Record<ContentLanguage, string> = {
	en: 'English',
	ja: 'Japanese',
}

/** Estimated time, language and (for staff) draft state of a tutorial. */
export function TutorialMeta({
	tutorial,
}: {
	tutorial: { estimatedMinutes: number; language: ContentLanguage; published: boolean }
}) {
	const { t, i18n } = useTranslation()
	return (
		<span className="tutorial-meta">
			{tutorial.published ? null : <span className="badge draft">{t('Draft')}</span>}
			<span>⏱ {t('{{minutes}} min', { minutes: tutorial.estimatedMinutes })}</span>
			{tutorial.language === i18n.language ? null : <span className="badge">{t(languageLabels[tutorial.language])}</span>}
		</span>
	)
}

/** A person's progress through a tutorial, as a bar and as "N of M steps done". */
export function TutorialProgressBar({ done, total }: { done: number; total: number }) {
	const { t } = useTranslation()
	const text = t('{{done}} of {{total}} steps done', { done, total })
	const complete = total > 0 && done === total
	return (
		<div className={complete ? 'tutorial-progress complete' : 'tutorial-progress'}>
			<div
				className="progress-track"
				role="progressbar"
				aria-label={t('Tutorial progress')}
				aria-valuemin={0}
				aria-valuemax={total}
				aria-valuenow={done}
				aria-valuetext={text}
			>
				<div className="progress-fill" style={{ width: `${total > 0 ? Math.round((done / total) * 100) : 0}%` }} />
			</div>
			<p className="progress-text" data-testid="tutorial-progress">
				{text}
			</p>
			{/* Always rendered, so screen readers announce completion when the text appears. */}
			<p className="tutorial-complete" role="status">
				{complete ? `✓ ${t('Tutorial complete')}` : ''}
			</p>
		</div>
	)
}
