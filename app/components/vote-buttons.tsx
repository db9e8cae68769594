import { Link, useFetcher, useLocation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { FormError } from './form'
import { resultErrors, type FormResult } from '~/utils/form'
import { signInUrl } from '~/utils/urls'

type Props = {
	postType: 'question' | 'answer'
	postId: number
	score: number
	mine: 'up' | 'down' | null
	canVote: boolean
	signedIn: boolean
}

/** Up/down voting; pressing your current vote again withdraws it. Visitors get links to sign in that bring them back to this post. */
export function VoteButtons({ postType, postId, score, mine, canVote, signedIn }: Props) {
	const { t } = useTranslation()
	const location = useLocation()
	const fetcher = useFetcher<{ score?: number; vote?: 'up' | 'down' | 'none'; result?: FormResult['result'] }>()
	if (!signedIn) {
		const signIn = signInUrl(`${location.pathname}${location.search}${postType === 'answer' ? `#answer-${postId}` : ''}`)
		return (
			<div className="votes" data-testid={`votes-${postType}-${postId}`}>
				<Link to={signIn} className="vote up" aria-label={t('Sign in to vote up')} title={t('Sign in to vote')}>
					▲
				</Link>
				<span className="score" aria-label={t('Score')}>
					{score}
				</span>
				<Link to={signIn} className="vote down" aria-label={t('Sign in to vote down')} title={t('Sign in to vote')}>
					▼
				</Link>
			</div>
		)
	}
	const pending = fetcher.formData?.get('value') as 'up' | 'down' | 'none' | undefined
	const current = pending ? (pending === 'none' ? null : pending) : fetcher.data?.vote ? (fetcher.data.vote === 'none' ? null : fetcher.data.vote) : mine
	const shownScore = fetcher.data?.score ?? score
	const disabled = !canVote
	const title = !canVote ? t('You cannot vote on your own post') : undefined
	return (
		<fetcher.Form method="post" className="votes" data-testid={`votes-${postType}-${postId}`}>
			<input type="hidden" name="intent" value="vote" />
			<input type="hidden" name="postType" value={postType} />
			<input type="hidden" name="postId" value={postId} />
			<button
				type="submit"
				name="value"
				value={current === 'up' ? 'none' : 'up'}
				className={current === 'up' ? 'vote up active' : 'vote up'}
				aria-pressed={current === 'up'}
				aria-label={t('Vote up')}
				title={title ?? t('Vote up')}
				disabled={disabled}
			>
				▲
			</button>
			<span className="score" aria-label={t('Score')}>
				{shownScore}
			</span>
			<button
				type="submit"
				name="value"
				value={current === 'down' ? 'none' : 'down'}
				className={current === 'down' ? 'vote down active' : 'vote down'}
				aria-pressed={current === 'down'}
				aria-label={t('Vote down')}
				title={title ?? t('Vote down')}
				disabled={disabled}
			>
				▼
			</button>
			<FormError errors={resultErrors(fetcher.data?.result)} inline />
		</fetcher.Form>
	)
}
