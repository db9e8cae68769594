import { parse, type Info } from 'csv-parse/sync'
import { db } from '#db/client.server'
import { DomainError } from '~/utils/errors.server'
import { readInputFile } from '~/utils/files.server'
import { upsertAccount } from './accounts.server'
import { accountFieldsSchema } from './validation'
import { safeParseInput } from '~/utils/input'

export const ACCOUNT_COLUMNS = ['externalId', 'name', 'plan', 'size', 'industry', 'phase', 'domains'] as const
type Column = (typeof ACCOUNT_COLUMNS)[number]

export type AccountImportReport = {
	created: number
	updated: number
	invalid: number
	/** Existing members attached to an account because their email domain matched. */
	attached: number
	/** `row` is the line of the file the row starts on; the header is line 1. */
	errors: Array<{ row: number; reason: string }>
}

const expected = `the header row needs the columns ${ACCOUNT_COLUMNS.join(', ')}`

/** Which value of a row belongs to which column; the columns may come in any order. */
function readHeader(header: string[]): Map<Column, number> {
	const positions = new Map<Column, number>()
	for (const [index, raw] of header.entries()) {
		const column = ACCOUNT_COLUMNS.find((name) => name.toLowerCase() === raw.toLowerCase())
		if (!column) throw new DomainError('invalid', `Unknown column "${raw}": ${expected}`)
		if (positions.has(column)) throw new DomainError('invalid', `The column ${column} appears twice`)
		positions.set(column, index)
	}
	const missing = ACCOUNT_COLUMNS.filter((column) => !positions.has(column))
	if (missing.length > 0) throw new DomainError('invalid', `Missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}: ${expected}`)
	return positions
}

function parseCsv(text: string) {
	try {
		// With `info`, csv-parse returns each record with where it was read; its types do not say so.
		return parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true, trim: true, info: true }) as unknown as Array<{ record: string[]; info: Info }>
	} catch (error) {
		throw new DomainError('invalid', `The file is not valid CSV: ${(error as Error).message}`)
	}
}

// csv-parse reports the line a record ends on; quoted values may span lines.
const startLine = (record: string[], info: Info) => info.lines - record.reduce((lines, value) => lines + (value.match(/\n/g)?.length ?? 0), 0)

/**
 * Creates or updates accounts by externalId from CSV text, one transaction per
 * row, so valid rows load even when others are refused. Whether the file as a
 * whole can be read (CSV syntax, header) is checked before any row is written.
 */
export async function importAccountsCsv(text: string): Promise<AccountImportReport> {
	const [header, ...rows] = parseCsv(text)
	if (!header) throw new DomainError('invalid', `The file is empty: ${expected}`)
	const columns = readHeader(header.record)
	const report: AccountImportReport = { created: 0, updated: 0, invalid: 0, attached: 0, errors: [] }
	for (const { record, info } of rows) {
		// Spreadsheets export rows of empty cells after the data.
		if (record.every((value) => value === '')) continue
		const row = startLine(record, info)
		const refuse = (reason: string) => {
			report.invalid += 1
			report.errors.push({ row, reason })
		}
		if (record.length !== ACCOUNT_COLUMNS.length) {
			refuse(`has ${record.length} values, the header has ${ACCOUNT_COLUMNS.length} columns`)
			continue
		}
		const value = (column: Column) => record[columns.get(column)!]!
		const parsed = safeParseInput(accountFieldsSchema, {
			externalId: value('externalId'),
			name: value('name'),
			plan: value('plan'),
			size: value('size'),
			industry: value('industry'),
			phase: value('phase').toLowerCase(),
			domains: value('domains'),
		})
		if (!parsed.success) {
			const issue = parsed.error.issues[0]!
			refuse(`${issue.path.join('.')}: ${issue.message}`)
			continue
		}
		try {
			const saved = await db.transaction((tx) => upsertAccount(tx, parsed.data))
			report[saved.created ? 'created' : 'updated'] += 1
			report.attached += saved.attached
		} catch (error) {
			if (!(error instanceof DomainError)) throw error
			refuse(error.message)
		}
	}
	return report
}

export async function importAccountsFromFile(file: string): Promise<AccountImportReport> {
	return importAccountsCsv(await readInputFile(file))
}
