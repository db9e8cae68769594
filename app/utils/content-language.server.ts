import { eq, sql, type AnyColumn, type SQL } from 'drizzle-orm'
import type { LanguageScope } from './content-language'

/** The condition of a list in this scope (undefined: every language). */
export const languageCondition = (column: AnyColumn, scope: LanguageScope): SQL | undefined =>
	scope.language !== null && !scope.all ? eq(column, scope.language) : undefined

/** The first ordering of a list in this scope: the reader's language before the others when showing all. */
export const languageFirst = (column: AnyColumn, scope: LanguageScope): SQL[] =>
	scope.language !== null && scope.all ? [sql`(${column} = ${scope.language}) desc`] : []
