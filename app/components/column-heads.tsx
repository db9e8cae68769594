/** A column heading: its words, and whether the column holds figures (right-aligned like their cells). */
export type Column = string | { label: string; figures: true }

export const figures = (label: string): Column => ({ label, figures: true })

/** The heading row of a data table, so every table sets scope and alignment alike. */
export function ColumnHeads({ columns }: { columns: Column[] }) {
	return (
		<thead>
			<tr>
				{columns.map((column) =>
					typeof column === 'string' ? (
						<th key={column} scope="col">
							{column}
						</th>
					) : (
						<th key={column.label} scope="col" className="number">
							{column.label}
						</th>
					),
				)}
			</tr>
		</thead>
	)
}
