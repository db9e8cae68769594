import type { LoaderFunctionArgs } from '@remix-run/node'
import { i18nFor, translateRefusal } from '~/i18n/i18n'
import { contentDisposition, csvFileSchema, exportTable } from '~/insights/csv.server'
import { DomainError } from '~/utils/errors.server'

/** `/insights/export/<table>.csv` with the same query string as the page the table is on. */
export async function loader({ params, request, context }: LoaderFunctionArgs) {
	const table = csvFileSchema.safeParse(params.file)
	if (!table.success) throw new Response('Not found', { status: 404 })
	const url = new URL(request.url)
	const { t } = i18nFor(context.locale)
	try {
		const file = await exportTable(context.actor, table.data, url.searchParams, t, url.origin)
		return new Response(file.body, {
			headers: {
				'Content-Type': 'text/csv; charset=utf-8',
				'Content-Disposition': contentDisposition(file.filename),
				// Customer figures: never kept by a shared cache.
				'Cache-Control': 'private, no-store',
			},
		})
	} catch (error) {
		if (error instanceof DomainError) {
			// A field's own message reads better on its own than the summary that names the field.
			const message = Object.values(error.fieldErrors)[0] ?? error.message
			return new Response(translateRefusal(context.locale, message), { status: error.status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })
		}
		throw error
	}
}
