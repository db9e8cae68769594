import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { Bar, BarChart, CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts'
import type { DailyPoint } from '~/insights/metrics.server'
import { CsvLink, NumberCell, Rate } from './insights'
import { ColumnHeads, figures } from './column-heads'

// Fixed sizes: recharts cannot measure a container on the server. Recharts 3
// draws only after hydration (its layout lives in effects), so the server sends
// an empty box of the same size and the numbers are in the table below.
const WIDTH = 480
const HEIGHT = 200
const MARGIN = { top: 8, right: 12, bottom: 0, left: 0 }

/** "2026-10-13" → "10/13": the axis has room for the month and day only. */
const shortDay = (day: string) => `${Number(day.slice(5, 7))}/${Number(day.slice(8, 10))}`

function ChartFigure({ caption, children }: { caption: string; children: ReactNode }) {
	return (
		<figure className="chart">
			<figcaption>{caption}</figcaption>
			<div className="chart-canvas">{children}</div>
		</figure>
	)
}

function DailyBars({ data, dataKey, name, caption }: { data: DailyPoint[]; dataKey: 'journeys' | 'questions' | 'zeroResultSearches'; name: string; caption: string }) {
	return (
		<ChartFigure caption={caption}>
			<BarChart width={WIDTH} height={HEIGHT} data={data} margin={MARGIN}>
				<CartesianGrid strokeDasharray="3 3" vertical={false} />
				<XAxis dataKey="day" tickFormatter={shortDay} minTickGap={16} />
				<YAxis allowDecimals={false} width={36} />
				<Tooltip />
				<Bar dataKey={dataKey} name={name} fill="var(--accent)" isAnimationActive={false} />
			</BarChart>
		</ChartFigure>
	)
}

/** The four daily charts of a period, with the same numbers as a table and as CSV. */
export function DailyCharts({ days, account }: { days: DailyPoint[]; account?: string }) {
	const { t } = useTranslation()
	const rates = days.map((day) => ({ day: day.day, rate: day.selfResolutionRate === null ? null : Math.round(day.selfResolutionRate * 100) }))
	return (
		<section className="card insights-section">
			<div className="section-heading">
				<h2>{t('Day by day')}</h2>
				<CsvLink table="daily" account={account} />
			</div>
			<div className="chart-grid">
				<DailyBars data={days} dataKey="journeys" name={t('Help journeys')} caption={t('Help journeys per day')} />
				<ChartFigure caption={t('Self-resolution rate per day (%)')}>
					<LineChart width={WIDTH} height={HEIGHT} data={rates} margin={MARGIN}>
						<CartesianGrid strokeDasharray="3 3" vertical={false} />
						<XAxis dataKey="day" tickFormatter={shortDay} minTickGap={16} />
						<YAxis domain={[0, 100]} unit="%" width={48} />
						<Tooltip />
						<Line dataKey="rate" name={t('Self-resolution rate')} unit="%" stroke="var(--solved)" strokeWidth={2} dot={false} connectNulls isAnimationActive={false} />
					</LineChart>
				</ChartFigure>
				<DailyBars data={days} dataKey="questions" name={t('Questions asked')} caption={t('Questions asked per day')} />
				<DailyBars data={days} dataKey="zeroResultSearches" name={t('Zero-result searches')} caption={t('Zero-result searches per day')} />
			</div>
			<details className="chart-numbers">
				<summary>{t('The same numbers as a table')}</summary>
				<div className="table-scroll">
					<table className="data-table">
						<ColumnHeads columns={[t('Day'), figures(t('Help journeys')), figures(t('Self-resolution rate')), figures(t('Questions asked')), figures(t('Zero-result searches'))]} />
						<tbody>
							{days.map((day) => (
								<tr key={day.day}>
									<th scope="row">{day.day}</th>
									<NumberCell value={day.journeys} />
									<td className="number">
										<Rate value={day.selfResolutionRate} />
									</td>
									<NumberCell value={day.questions} />
									<NumberCell value={day.zeroResultSearches} />
								</tr>
							))}
						</tbody>
					</table>
				</div>
			</details>
		</section>
	)
}
