import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { Pager } from '~/components/pager'
import { RelativeTime } from '~/components/relative-time'
import { personTrustLevel } from '~/moderation/trust.server'
import { trustLevelLabels } from '~/moderation/validation'
import { getProfile } from '~/people/profiles.server'
import { pageError } from '~/utils/http.server'
import { readPage } from '~/utils/paging'
import { seoMeta } from '~/utils/seo'

export const meta: MetaFunction<typeof loader> = (args) =>
	seoMeta(args, (t) => ({ title: args.data?.displayName ?? t('Profile'), description: args.data ? t('Questions and answers by {{name}}', { name: args.data.displayName }) : undefined, type: 'website' }))

export async function loader({ params, request }: LoaderFunctionArgs) {
	const search = new URL(request.url).searchParams
	const profile = await getProfile(params.id ?? '', { questions: readPage(search, 'questions'), answers: readPage(search, 'answers') }).catch(pageError)
	return { ...profile, trust: await personTrustLevel(profile.id) }
}

export default function Profile() {
	const { t } = useTranslation()
	const person = useLoaderData<typeof loader>()
	return (
		<section className="card profile">
			<h1>{person.displayName}</h1>
			<p className="muted">
				@{person.handle}
				{person.role !== 'member' ? <span className="badge role">{t(`role.${person.role}`)}</span> : null}
				{/* Staff carry their role instead; members show what others' votes and acceptances earned them. */}
				{person.trust !== 'staff' ? (
					<span className="badge trust" title={t('Trust level')} data-testid="profile-trust">
						{t(trustLevelLabels[person.trust])}
					</span>
				) : null}{' '}
				· {t('Member since')} <RelativeTime iso={person.memberSince} />
			</p>
			<p data-testid="profile-stats">
				{t('{{count}} questions', { count: person.questions.total })} · {t('{{count}} answers', { count: person.answers.total })} ·{' '}
				{t('{{count}} accepted answers', { count: person.acceptedAnswers })}
			</p>
			<h2>{t('Questions')}</h2>
			{person.questions.items.length === 0 ? (
				<p className="muted">{t('No questions yet.')}</p>
			) : (
				<ul className="profile-list" data-testid="profile-questions">
					{person.questions.items.map((q) => (
						<li key={q.id}>
							<Link to={q.url}>{q.title}</Link> <span className="muted">· {q.solved ? `✓ ${t('Solved')} · ` : ''}{t('{{count}} answers', { count: q.answerCount })} · <RelativeTime iso={q.createdAt} /></span>
						</li>
					))}
				</ul>
			)}
			<Pager info={person.questions} param="questions" label={t('Pages of questions')} />
			<h2>{t('Answers')}</h2>
			{person.answers.items.length === 0 ? (
				<p className="muted">{t('No answers yet.')}</p>
			) : (
				<ul className="profile-list" data-testid="profile-answers">
					{person.answers.items.map((a) => (
						<li key={a.id}>
							<Link to={a.url}>{a.questionTitle}</Link> <span className="muted">· {a.accepted ? `✓ ${t('Accepted')} · ` : ''}{t('{{count}} votes', { count: a.score })} · <RelativeTime iso={a.createdAt} /></span>
						</li>
					))}
				</ul>
			)}
			<Pager info={person.answers} param="answers" label={t('Pages of answers')} />
		</section>
	)
}
