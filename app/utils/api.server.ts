import { json, type AppLoadContext } from '@remix-run/node'
import { translateRefusal } from '~/i18n/i18n'

export const methodNotAllowed = (context: AppLoadContext, allowed: string) =>
	json({ error: translateRefusal(context.locale, `Method not allowed; use ${allowed}`) }, { status: 405, headers: { Allow: allowed } })
