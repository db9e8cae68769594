import { useTranslation } from 'react-i18next'

/** Shown wherever search results appear while they come from the PostgreSQL fallback (Meilisearch unreachable). */
export function DegradedSearchNotice() {
	const { t } = useTranslation()
	return (
		<p className="search-degraded" role="status" data-testid="search-degraded">
			{t('Search is running in a reduced mode; results may be less relevant.')}
		</p>
	)
}
