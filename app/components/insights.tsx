import { Form, Link, NavLink, useLocation, useSearchParams } from '@remix-run/react'
import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { AlertKind } from '#db/schema'
import type { CsvTable } from '~/insights/csv.server'
import type { InputProblem } from '~/insights/dashboard.server'
import { alertDetail, alertLabels, channelLabels } from '~/insights/labels'
import type { ChannelRow, overview, Summary } from '~/insights/metrics.server'
import type { PageInfo } from '~/utils/paging'
import { ColumnHeads, figures } from './column-heads'
import { FormError, plainField, TextField } from './form'
import { Pager } from './pager'
import { RelativeTime } from './relative-time'
import { numberFormat, relativeTimeFormat } from '~/utils/intl'

const intlLocale = (language: string) => (language === 'ja' ? 'ja-JP' : 'en-US')

function useFormats() {
	const { t, i18n } = useTranslation()
	const locale = intlLocale(i18n.language)
	const count = numberFormat(locale)
	const percent = numberFormat(locale, { style: 'percent', maximumFractionDigits: 0 })
	const duration = (minutes: number) =>
		minutes < 60
			? t('{{n}} min', { n: minutes })
			: minutes < 48 * 60
				? t('{{n}} h', { n: count.format(Math.round(minutes / 6) / 10) })
				: t('{{n}} days', { n: count.format(Math.round(minutes / 144) / 10) })
	return { t, count, percent, duration }
}

/** A figure nothing could be measured for (e.g. a rate with no journeys). */
function NotMeasured() {
	const { t } = useTranslation()
	return (
		<span title={t('Nothing to measure in this period')}>
			—<span className="visually-hidden">{t('Nothing to measure in this period')}</span>
		</span>
	)
}

export function Rate({ value }: { value: number | null }) {
	const { percent } = useFormats()
	return value === null ? <NotMeasured /> : <>{percent.format(value)}</>
}

export function NumberCell({ value }: { value: number }) {
	const { count } = useFormats()
	return <td className="number">{count.format(value)}</td>
}

/** How long ago something happened, from hours computed on the server (so both renders agree). */
export function Age({ hours }: { hours: number }) {
	const { i18n } = useTranslation()
	const relative = relativeTimeFormat(intlLocale(i18n.language), { numeric: 'always' })
	return <>{hours < 48 ? relative.format(-hours, 'hour') : relative.format(-Math.floor(hours / 24), 'day')}</>
}

/** Overview, accounts, product and host pages, keeping the chosen dates when moving between them. */
export function InsightsNav() {
	const { t } = useTranslation()
	const [params] = useSearchParams()
	const dates = new URLSearchParams([...params].filter(([name, value]) => (name === 'from' || name === 'to') && value !== ''))
	const query = dates.size > 0 ? `?${dates.toString()}` : ''
	return (
		<nav className="tabs insights-nav" aria-label={t('Insights')}>
			<NavLink to={`/insights${query}`} end className={({ isActive }) => (isActive ? 'tab active' : 'tab')}>
				{t('Overview')}
			</NavLink>
			<NavLink to={`/insights/accounts${query}`} className={({ isActive }) => (isActive ? 'tab active' : 'tab')}>
				{t('Accounts')}
			</NavLink>
			<NavLink to={`/insights/product${query}`} className={({ isActive }) => (isActive ? 'tab active' : 'tab')}>
				{t('Product')}
			</NavLink>
			<NavLink to={`/insights/pages${query}`} className={({ isActive }) => (isActive ? 'tab active' : 'tab')}>
				{t('Host pages')}
			</NavLink>
		</nav>
	)
}

/** A card with a heading and its CSV download, holding a table (and its pages), or a sentence when there is nothing to list. */
export function TableSection({
	id,
	title,
	table,
	account,
	hint,
	empty,
	children,
	page,
}: {
	id: string
	title: string
	table: CsvTable
	account?: string
	hint?: string
	empty: string | null
	children: ReactNode
	/** For a paged table; the CSV download still has every row. `page.param` names its page in the address. */
	page?: { info: PageInfo; param?: string; label: string }
}) {
	return (
		<section className="card insights-section" aria-labelledby={id}>
			<div className="section-heading">
				<h2 id={id}>{title}</h2>
				<CsvLink table={table} account={account} />
			</div>
			{hint ? <p className="hint">{hint}</p> : null}
			{empty !== null ? (
				<p className="muted">{empty}</p>
			) : (
				<div className="table-scroll">
					<table className="data-table">{children}</table>
				</div>
			)}
			{page ? <Pager info={page.info} param={page.param} label={page.label} /> : null}
		</section>
	)
}

export function CsvLink({ table, account }: { table: CsvTable; account?: string }) {
	const { t } = useTranslation()
	const location = useLocation()
	const params = new URLSearchParams(location.search)
	if (account !== undefined) params.set('account', account)
	const query = params.size > 0 ? `?${params.toString()}` : ''
	return (
		<a className="button small" href={`/insights/export/${table}.csv${query}`} download>
			{t('Download CSV')}
		</a>
	)
}

type Period = { from: string; to: string; days: number; account: { externalId: string; name: string } | null }

/**
 * The period (and any filters) a page shows. Fields start from the address, so
 * a mistyped date stays in its field next to the message about it.
 */
export function PeriodForm({ period, problem, children }: { period: Period; problem: InputProblem | null; children?: ReactNode }) {
	const { t } = useTranslation()
	const [params] = useSearchParams()
	const location = useLocation()
	const fieldErrors = problem?.fieldErrors ?? {}
	const message = problem ? (Object.keys(fieldErrors).length > 0 ? 'Please correct the highlighted fields.' : problem.message) : undefined
	const dateField = (name: 'from' | 'to', label: string) => (
		<TextField field={plainField(name, fieldErrors[name], `period-${name}`)} label={label} type="date" defaultValue={params.get(name) ?? period[name]} />
	)
	return (
		<Form method="get" className="insights-filters" key={location.search}>
			<FormError errors={message ? [message] : undefined} />
			{problem ? (
				<p className="notice period-fallback" role="status">
					{t('Showing {{from}} to {{to}} instead.', { from: period.from, to: period.to })}
				</p>
			) : null}
			<div className="insights-filter-row">
				{dateField('from', t('From'))}
				{dateField('to', t('To'))}
				{children}
				<button type="submit" className="button primary">
					{t('Show')}
				</button>
			</div>
		</Form>
	)
}

type Format = 'count' | 'rate' | 'minutes'
/** Which way is good news; null when more is neither good nor bad (e.g. searches). */
type Better = 'up' | 'down' | null
type Tile = { label: string; value: number | null; format: Format; better: Better; weekly?: { current: number | null; previous: number | null }; note?: string }

function Change({ tile }: { tile: Tile }) {
	const { t, count } = useFormats()
	if (!tile.weekly) return null
	const { current, previous } = tile.weekly
	if (current === null || previous === null) return <dd className="figure-change">{t('No week-over-week comparison yet')}</dd>
	const difference = current - previous
	if (difference === 0)
		return (
			<dd className="figure-change neutral">
				<span aria-hidden>→</span> {t('No change week over week')}
			</dd>
		)
	const direction = difference > 0 ? 'up' : 'down'
	const tone = tile.better === null ? 'neutral' : direction === tile.better ? 'good' : 'bad'
	const sign = difference > 0 ? '+' : '−'
	const amount =
		tile.format === 'rate'
			? t('{{n}} pts', { n: `${sign}${count.format(Math.abs(Math.round(difference * 100)))}` })
			: previous === 0
				? t('up from 0')
				: `${sign}${count.format(Math.abs(Math.round((difference / previous) * 100)))}%`
	return (
		<dd className={`figure-change ${tone}`}>
			<span aria-hidden>{direction === 'up' ? '↑' : '↓'}</span> {amount}{' '}
			<span className="muted">{t('week over week')}</span>
		</dd>
	)
}

function FigureValue({ tile }: { tile: Tile }) {
	const { count, duration } = useFormats()
	if (tile.value === null) return <NotMeasured />
	if (tile.format === 'rate') return <Rate value={tile.value} />
	if (tile.format === 'minutes') return <>{duration(tile.value)}</>
	return <>{count.format(tile.value)}</>
}

type Figures = Awaited<ReturnType<typeof overview>>

/** The period's figures; the arrows compare the period's last 7 days with the 7 before. */
export function FigureTiles({ figures, week }: { figures: Figures; week: { current: Summary; previous: Summary } }) {
	const { t, count } = useFormats()
	const weekly = (key: Exclude<keyof Summary, 'byChannel'>) => ({ current: week.current[key], previous: week.previous[key] })
	const tiles: Tile[] = [
		{ label: t('Help journeys'), value: figures.journeys, format: 'count', better: 'up', weekly: weekly('journeys') },
		{ label: t('Self-resolved'), value: figures.selfResolved, format: 'count', better: 'up', weekly: weekly('selfResolved') },
		{ label: t('Escalated to a question'), value: figures.escalated, format: 'count', better: 'down', weekly: weekly('escalated') },
		{ label: t('Self-resolution rate'), value: figures.selfResolutionRate, format: 'rate', better: 'up', weekly: weekly('selfResolutionRate') },
		{ label: t('Deflections'), value: figures.deflections, format: 'count', better: 'up', weekly: weekly('deflections') },
		{ label: t('Searches'), value: figures.searches, format: 'count', better: null, weekly: weekly('searches') },
		{ label: t('Zero-result searches'), value: figures.zeroResultSearches, format: 'count', better: 'down', weekly: weekly('zeroResultSearches') },
		{ label: t('Questions asked'), value: figures.questionsAsked, format: 'count', better: null, weekly: weekly('questionsAsked') },
		{ label: t('Questions answered'), value: figures.questionsAnswered, format: 'count', better: 'up', weekly: weekly('questionsAnswered') },
		{ label: t('Answered within 24 hours'), value: figures.answerRate24h, format: 'rate', better: 'up', weekly: weekly('answerRate24h') },
		{ label: t('Median time to first answer'), value: figures.medianFirstAnswerMinutes, format: 'minutes', better: 'down', weekly: weekly('medianFirstAnswerMinutes') },
		{ label: t('Acceptance rate'), value: figures.acceptanceRate, format: 'rate', better: 'up' },
		{
			label: t('Answers by customers'),
			value: figures.customerAnswerShare,
			format: 'rate',
			better: 'up',
			note: t('{{customers}} by customers, {{staff}} by staff', { customers: count.format(figures.answersByCustomers), staff: count.format(figures.answersByStaff) }),
		},
		{
			label: t('Found helpful'),
			value: figures.helpfulShare,
			format: 'rate',
			better: 'up',
			weekly: weekly('helpfulShare'),
			note: t('{{yes}} helpful, {{no}} not helpful', { yes: count.format(figures.helpfulVotes), no: count.format(figures.notHelpfulVotes) }),
		},
		// Completion is where members stand today, not something a week changes on its own.
		{ label: t('Onboarding completion'), value: figures.onboardingCompletionRate, format: 'rate', better: 'up' },
	]
	return (
		<dl className="figure-tiles">
			{tiles.map((tile) => (
				<div key={tile.label} className="figure-tile" data-testid="figure">
					<dt>{tile.label}</dt>
					<dd className="figure-value">
						<FigureValue tile={tile} />
					</dd>
					{tile.note ? <dd className="figure-note">{tile.note}</dd> : null}
					<Change tile={tile} />
				</div>
			))}
		</dl>
	)
}

/** Help journeys per channel: the community site and the help widget in the product. */
export function ChannelTable({ channels }: { channels: ChannelRow[] }) {
	const { t } = useTranslation()
	return (
		<section className="card insights-section" aria-labelledby="channels-heading">
			<h2 id="channels-heading">{t('By channel')}</h2>
			<p className="hint">{t('Where people looked for help: on the community site, or in the help widget inside the product.')}</p>
			<div className="table-scroll">
				<table className="data-table">
					<ColumnHeads
						columns={[t('Channel'), figures(t('Help journeys')), figures(t('Self-resolved')), figures(t('Self-resolution rate')), figures(t('Escalated')), figures(t('Deflections'))]}
					/>
					<tbody>
						{channels.map((row) => (
							<tr key={row.channel} data-testid={`channel-${row.channel}`}>
								<th scope="row">{t(channelLabels[row.channel])}</th>
								<NumberCell value={row.journeys} />
								<NumberCell value={row.selfResolved} />
								<td className="number">
									<Rate value={row.selfResolutionRate} />
								</td>
								<NumberCell value={row.escalated} />
								<NumberCell value={row.deflections} />
							</tr>
						))}
					</tbody>
				</table>
			</div>
		</section>
	)
}

type AlertItem = {
	id: number
	kind: AlertKind
	detail: Record<string, unknown>
	raisedAt: string
	account: { externalId: string; name: string; csm: string | null }
}

export const accountInsightsUrl = (externalId: string) => `/insights/accounts/${encodeURIComponent(externalId)}`

/** Open alerts; on an account's own page the account's name is left out. */
export function AlertList({ alerts, showAccount }: { alerts: AlertItem[]; showAccount: boolean }) {
	const { t } = useTranslation()
	if (alerts.length === 0) return <p className="muted">{t('No open alerts.')}</p>
	return (
		<ul className="alert-list">
			{alerts.map((alert) => (
				<li key={alert.id} className={`alert-item ${alert.kind}`} data-testid="alert">
					{showAccount ? (
						<Link to={accountInsightsUrl(alert.account.externalId)} className="alert-account">
							{alert.account.name}
						</Link>
					) : null}
					<strong className="alert-kind">{t(alertLabels[alert.kind])}</strong>
					<span className="alert-detail">{alertDetail(t, alert)}</span>
					<span className="muted">
						{t('Raised')} <RelativeTime iso={alert.raisedAt} />
						{showAccount ? ` · ${alert.account.csm ?? t('No CSM')}` : null}
					</span>
				</li>
			))}
		</ul>
	)
}
