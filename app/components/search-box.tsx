import { Form, Link, useFetcher, useNavigate } from '@remix-run/react'
import { useEffect, useId, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { SearchHit } from '#search/request'
import { SEARCH_QUERY_MAX } from '~/utils/limits'
import { DegradedSearchNotice } from './search-notice'

type Suggestions = { q: string; hits: SearchHit[]; degraded: boolean }

/** The search box in every page's header: suggestions as you type, Enter for the full results. */
export function SearchBox({ initialQuery = '' }: { initialQuery?: string }) {
	const { t } = useTranslation()
	const fetcher = useFetcher<Suggestions>()
	const navigate = useNavigate()
	const [query, setQuery] = useState(initialQuery)
	const [open, setOpen] = useState(false)
	const [active, setActive] = useState(-1)
	const listId = useId()
	const timer = useRef<ReturnType<typeof setTimeout>>()

	useEffect(() => setQuery(initialQuery), [initialQuery])

	function onChange(value: string) {
		setQuery(value)
		setActive(-1)
		clearTimeout(timer.current)
		if (value.trim().length === 0) {
			setOpen(false)
			return
		}
		timer.current = setTimeout(() => {
			fetcher.load(`/resources/search-suggest?q=${encodeURIComponent(value.trim())}`)
			setOpen(true)
		}, 150)
	}

	const hits = open && fetcher.data && query.trim() ? fetcher.data.hits : []

	function onKeyDown(event: React.KeyboardEvent<HTMLInputElement>) {
		if (event.key === 'ArrowDown' && hits.length > 0) {
			event.preventDefault()
			setActive((i) => (i + 1) % hits.length)
		} else if (event.key === 'ArrowUp' && hits.length > 0) {
			event.preventDefault()
			setActive((i) => (i <= 0 ? hits.length - 1 : i - 1))
		} else if (event.key === 'Enter' && active >= 0 && hits[active]) {
			event.preventDefault()
			setOpen(false)
			navigate(hits[active]!.url)
		} else if (event.key === 'Escape') {
			setOpen(false)
		}
	}

	return (
		<Form method="get" action="/search" className="search-box" role="search" aria-label={t('Site search')} onSubmit={() => setOpen(false)}>
			<input
				type="search"
				name="q"
				value={query}
				onChange={(e) => onChange(e.target.value)}
				onKeyDown={onKeyDown}
				onBlur={() => setTimeout(() => setOpen(false), 150)}
				onFocus={() => query.trim() && setOpen(true)}
				placeholder={t('Search questions and answers')}
				aria-label={t('Search')}
				autoComplete="off"
				role="combobox"
				aria-expanded={hits.length > 0}
				aria-controls={listId}
				maxLength={SEARCH_QUERY_MAX}
			/>
			{hits.length > 0 ? (
				<ul className="suggestions" id={listId} role="listbox" aria-label={t('Suggestions')}>
					{hits.map((hit, i) => (
						<li key={`${hit.type}-${hit.id}`} role="option" aria-selected={i === active} className={i === active ? 'active' : undefined}>
							<Link to={hit.url} onClick={() => setOpen(false)}>
								<span className="suggestion-title" dangerouslySetInnerHTML={{ __html: hit.highlightedTitle }} />
								{/* An FAQ and the thread it was made from often share a title: curated help says what it is. */}
								<span className="suggestion-badges">
									{hit.type === 'question' ? null : <span className="badge type">{t(`type.${hit.type}`)}</span>}
									{hit.type === 'question' && hit.solved ? <span className="badge solved">{t('Solved')}</span> : null}
								</span>
							</Link>
						</li>
					))}
					{fetcher.data?.degraded ? (
						<li className="see-all">
							<DegradedSearchNotice />
						</li>
					) : null}
					<li className="see-all">
						<Link to={`/search?q=${encodeURIComponent(query.trim())}`} onClick={() => setOpen(false)}>
							{t('See all results')}
						</Link>
					</li>
				</ul>
			) : null}
		</Form>
	)
}
