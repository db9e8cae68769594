import { useFetcher, useLocation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'

type Target = { kind: 'question'; questionId: number } | { kind: 'tag'; tag: string }

/**
 * Follow / Unfollow for a question or a tag. With JavaScript the button turns at
 * once; without, the form posts and comes back to this page.
 */
export function FollowButton({ target, following }: { target: Target; following: boolean }) {
	const { t } = useTranslation()
	const fetcher = useFetcher<{ following?: boolean }>()
	const location = useLocation()
	const pending = fetcher.formData?.get('following')
	const now = pending !== undefined && pending !== null ? pending === 'true' : (fetcher.data?.following ?? following)
	const label = target.kind === 'tag' ? (now ? t('Unfollow tag') : t('Follow tag')) : now ? t('Unfollow') : t('Follow')
	return (
		<fetcher.Form method="post" action="/resources/follow" className="follow-button inline-form">
			<input type="hidden" name="kind" value={target.kind} />
			{target.kind === 'question' ? <input type="hidden" name="questionId" value={target.questionId} /> : <input type="hidden" name="tag" value={target.tag} />}
			<input type="hidden" name="following" value={now ? 'false' : 'true'} />
			<input type="hidden" name="redirectTo" value={`${location.pathname}${location.search}`} />
			<button type="submit" className={now ? 'button small active' : 'button small'} aria-pressed={now}>
				{label}
			</button>
		</fetcher.Form>
	)
}
