import { parse, type Info } from 'csv-parse/sync'
import { db } from '#db/client.server'
import { DomainError } from '~/utils/errors.server'
import { readInputFile } from '~/utils/files.server'
import { domainOwners, releaseDomains, upsertAccount } from './accounts.server'
import { accountFieldsSchema, type AccountFields } from './validation'
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


type ValidRow = { row: number; fields: AccountFields }

/** Checks every row on its own: the number of values, control characters and the fields. */
function readRows(rows: Array<{ record: string[]; info: Info }>, columns: Map<Column, number>) {
	const valid: ValidRow[] = []
	const errors: AccountImportReport['errors'] = []
	for (const { record, info } of rows) {
		// Spreadsheets export rows of empty cells after the data.
		if (record.every((value) => value === '')) continue
		const row = startLine(record, info)
		if (record.length !== ACCOUNT_COLUMNS.length) {
			errors.push({ row, reason: `has ${record.length} values, the header has ${ACCOUNT_COLUMNS.length} columns` })
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
			errors.push({ row, reason: `${issue.path.join('.')}: ${issue.message}` })
			continue
		}
		valid.push({ row, fields: parsed.data })
	}
	return { valid, errors }
}

/**
 * What would only fail on insert: a CRM id or a domain twice in the file, and a
 * domain that another account keeps. A domain may move between two accounts of
 * the file, since their old domains are released before any row is written.
 */
async function findConflicts(valid: ValidRow[]) {
	const errors: AccountImportReport['errors'] = []
	const idRows = new Map<string, number>()
	const domainRows = new Map<string, number>()
	for (const { row, fields } of valid) {
		const earlier = idRows.get(fields.externalId)
		if (earlier !== undefined) errors.push({ row, reason: `externalId: ${fields.externalId} is also on row ${earlier}` })
		else idRows.set(fields.externalId, row)
		const repeated = fields.domains.filter((domain) => domainRows.has(domain))
		if (repeated.length > 0) errors.push({ row, reason: `domains: ${repeated.map((domain) => `${domain} is also on row ${domainRows.get(domain)}`).join('; ')}` })
		for (const domain of fields.domains) if (!domainRows.has(domain)) domainRows.set(domain, row)
	}
	const owners = await domainOwners([...domainRows.keys()])
	const taken = new Map<number, string[]>()
	for (const { row, fields } of valid) {
		for (const domain of fields.domains) {
			const owner = owners.get(domain)
			// Owned by an account that the file leaves without it: released first, so it is free.
			if (!owner || owner.externalId === fields.externalId || idRows.has(owner.externalId)) continue
			taken.set(row, [...(taken.get(row) ?? []), `${domain} (${owner.name}, ${owner.externalId})`])
		}
	}
	for (const [row, domains] of taken) errors.push({ row, reason: `Already used by another account: ${domains.join('; ')}` })
	return errors
}

/** A row the database refused while writing (a concurrent change): everything is rolled back. */
class RowRefused extends Error {
	constructor(
		readonly row: number,
		readonly reason: string,
	) {
		super(reason)
	}
}

/**
 * Creates or updates accounts by externalId from CSV text, all or nothing: the
 * whole file is checked first (CSV syntax, header, every row, and conflicts
 * within the file and with the database), and if any row is refused nothing is
 * written and every refused row is reported. Otherwise all rows are written in
 * one transaction. Reasons never include SQL.
 */
export async function importAccountsCsv(text: string): Promise<AccountImportReport> {
	const [header, ...rows] = parseCsv(text)
	if (!header) throw new DomainError('invalid', `The file is empty: ${expected}`)
	const columns = readHeader(header.record)
	const { valid, errors } = readRows(rows, columns)
	errors.push(...(await findConflicts(valid)))
	const refused = (list: AccountImportReport['errors']) => {
		const sorted = [...list].sort((a, b) => a.row - b.row)
		return { created: 0, updated: 0, invalid: new Set(sorted.map((error) => error.row)).size, attached: 0, errors: sorted }
	}
	if (errors.length > 0) return refused(errors)
	const report: AccountImportReport = { created: 0, updated: 0, invalid: 0, attached: 0, errors: [] }
	try {
		await db.transaction(async (tx) => {
			await releaseDomains(
				tx,
				valid.map(({ fields }) => fields),
			)
			for (const { row, fields } of valid) {
				try {
					const saved = await upsertAccount(tx, fields)
					report[saved.created ? 'created' : 'updated'] += 1
					report.attached += saved.attached
				} catch (error) {
					if (error instanceof DomainError) throw new RowRefused(row, error.message)
					const code = (error as { code?: unknown }).code
					throw new RowRefused(row, `could not be saved${typeof code === 'string' ? ` (database error ${code})` : ''}; nothing was imported`)
				}
			}
		})
	} catch (error) {
		if (error instanceof RowRefused) return refused([{ row: error.row, reason: error.reason }])
		throw error
	}
	return report
}

export async function importAccountsFromFile(file: string): Promise<AccountImportReport> {
	return importAccountsCsv(await readInputFile(file))
}
