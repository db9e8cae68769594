import { useFetcher } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { FormError } from './form'
import { resultErrors, type FormResult } from '~/utils/form'

type Props = {
	postType: 'question' | 'answer'
	postId: number
	score: number
	mine: 'up' | 'down' | null
	canVote: boolean
	signedIn: boolean
}

/** Up/down voting; pressing your current vote again withdraws it. */
export function VoteButtons({ postType, postId, score, mine, canVote, signedIn }: Props) {
	const { t } = useTranslation()
	const fetcher = useFetcher<{ score?: number; vote?: 'up' | 'down' | 'none'; result?: FormResult['result'] }>()
	const pending = fetcher.formData?.get('value') as 'up' | 'down' | 'none' | undefined
	const current = pending ? (pending === 'none' ? null : pending) : fetcher.data?.vote ? (fetcher.data.vote === 'none' ? null : fetcher.data.vote) : mine
	const shownScore = fetcher.data?.score ?? score
	const disabled = !canVote
	const title = !signedIn ? t('Sign in to vote') : !canVote ? t('You cannot vote on your own post') : undefined
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
