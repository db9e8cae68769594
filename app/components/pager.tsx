import { Link, useLocation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import type { PageInfo } from '~/utils/paging'
import { numberFormat } from '~/utils/intl'

/**
 * Previous/next links under a paged list, keeping the rest of the address
 * (filters, dates, other lists' pages). `param` names this list's page.
 */
export function Pager({ info, param = 'page', label }: { info: PageInfo; param?: string; label?: string }) {
	const { t, i18n } = useTranslation()
	const location = useLocation()
	if (info.pageCount <= 1) return null
	const to = (page: number) => {
		const params = new URLSearchParams(location.search)
		if (page === 1) params.delete(param)
		else params.set(param, String(page))
		const query = params.toString()
		return `${location.pathname}${query ? `?${query}` : ''}`
	}
	const count = numberFormat(i18n.language === 'ja' ? 'ja-JP' : 'en-US')
	const first = (info.page - 1) * info.pageSize + 1
	const last = Math.min(info.page * info.pageSize, info.total)
	return (
		<nav className="pagination" aria-label={label ?? t('Pages')} data-testid="pager">
			{info.page > 1 ? (
				<Link to={to(info.page - 1)} rel="prev" preventScrollReset>
					{t('Previous')}
				</Link>
			) : null}
			<span>
				{t('Page {{page}} of {{count}}', { page: count.format(info.page), count: count.format(info.pageCount) })}{' '}
				<span className="muted">({t('{{first}}–{{last}} of {{total}}', { first: count.format(first), last: count.format(last), total: count.format(info.total) })})</span>
			</span>
			{info.page < info.pageCount ? (
				<Link to={to(info.page + 1)} rel="next" preventScrollReset>
					{t('Next')}
				</Link>
			) : null}
		</nav>
	)
}
