import { useFetcher } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import type { PageInfo } from '~/utils/paging'
import { Pager } from './pager'
import { FormError } from './form'
import { resultErrors, type FormResult } from '~/utils/form'

export type LearnedPhrasing = { id: number; phrasing: string; count: number; active: boolean; teachers: string[] }

/**
 * Staff view: what signed-in people searched before this content solved their
 * problem, who they are, and whether it already counts in search; each can be
 * removed. Paged by `?phrasings=`.
 */
export function LearnedPhrasings({ phrasings: { items: phrasings, page } }: { phrasings: { items: LearnedPhrasing[]; page: PageInfo } }) {
	const { t } = useTranslation()
	return (
		<section className="learned-phrasings card" data-testid="learned-phrasings">
			<h3>{t('Learned from searches')}</h3>
			{phrasings.length === 0 ? (
				<p className="muted">{t('No search has led here and solved a problem yet.')}</p>
			) : (
				<ul className="plain-list">
					{phrasings.map((phrasing) => (
						<PhrasingRow key={phrasing.id} phrasing={phrasing} />
					))}
				</ul>
			)}
			<Pager info={page} param="phrasings" label={t('Pages of learned phrasings')} />
		</section>
	)
}

function PhrasingRow({ phrasing }: { phrasing: LearnedPhrasing }) {
	const { t } = useTranslation()
	const fetcher = useFetcher<{ ok?: boolean; result?: FormResult['result'] }>()
	if (fetcher.data?.ok) return null
	return (
		<li>
			“{phrasing.phrasing}” <span className="muted">× {phrasing.count}</span>{' '}
			<span className="muted" data-testid="phrasing-teachers">
				{t('taught by {{names}}', { names: phrasing.teachers.join(', ') })}
			</span>{' '}
			{phrasing.active ? null : <span className="badge">{t('not in search yet')}</span>}{' '}
			<fetcher.Form method="post" action="/resources/learned-phrasings" className="inline-form">
				<input type="hidden" name="id" value={phrasing.id} />
				<button type="submit" className="link-button" aria-label={t('Remove “{{phrasing}}”', { phrasing: phrasing.phrasing })}>
					{t('Remove')}
				</button>
			</fetcher.Form>
			<FormError errors={resultErrors(fetcher.data?.result)} inline />
		</li>
	)
}
