import { Link } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { RelativeTime } from './relative-time'

export type QuestionSummaryData = {
	id: number
	title: string
	url: string
	tags: string[]
	author: { id: string; displayName: string }
	createdAt: string
	score: number
	answerCount: number
	meToo: number
	views: number
	solved: boolean
	/** Set when the question was closed as a duplicate: its original (no link while that FAQ is unpublished). */
	duplicateOf?: { title: string | null; url: string | null } | null
	/** Marks the title for screen readers and fonts; lists may mix languages. */
	language?: string
	/** The first attached screenshot's thumbnail, when the question shows one. */
	thumbnail?: string | null
}

export function QuestionSummary({ question }: { question: QuestionSummaryData }) {
	const { t } = useTranslation()
	return (
		<li className="question-summary" data-testid="question-summary">
			<div className="stats">
				<span>{t('{{count}} votes', { count: question.score })}</span>
				<span className={question.solved ? 'answers solved' : question.answerCount > 0 ? 'answers answered' : 'answers'}>
					{question.solved ? '✓ ' : ''}
					{t('{{count}} answers', { count: question.answerCount })}
				</span>
				<span>{t('{{count}} views', { count: question.views })}</span>
				{question.meToo > 0 ? <span className="me-too-count">{t('{{count}} have this too', { count: question.meToo })}</span> : null}
			</div>
			<div className="summary-main">
				<h3 lang={question.language}>
					{question.duplicateOf ? <DuplicateBadge original={question.duplicateOf} /> : null}
					<Link to={question.url}>{question.title}</Link>
				</h3>
				{question.thumbnail ? <img className="summary-thumbnail" src={question.thumbnail} alt="" width={64} height={64} loading="lazy" decoding="async" /> : null}
				<div className="summary-meta">
					<TagList tags={question.tags} />
					<span className="byline">
						<Link to={`/users/${question.author.id}`}>{question.author.displayName}</Link> · <RelativeTime iso={question.createdAt} />
					</span>
				</div>
			</div>
		</li>
	)
}

export function TagList({ tags }: { tags: string[] }) {
	return (
		<ul className="tags">
			{tags.map((tag) => (
				<li key={tag}>
					<Link to={`/questions?tag=${encodeURIComponent(tag)}`} className="tag">
						{tag}
					</Link>
				</li>
			))}
		</ul>
	)
}

/** Marks a question closed as a duplicate in a list; it links to the original that answers it. */
export function DuplicateBadge({ original }: { original: { title: string | null; url: string | null } }) {
	const { t } = useTranslation()
	const label = original.title ? t('Duplicate of: {{title}}', { title: original.title }) : undefined
	return original.url ? (
		<Link to={original.url} className="badge duplicate" title={label} aria-label={label} data-testid="duplicate-badge">
			{t('Duplicate')}
		</Link>
	) : (
		<span className="badge duplicate" data-testid="duplicate-badge">
			{t('Duplicate')}
		</span>
	)
}
