import { json } from '@remix-run/node'

export const methodNotAllowed = (allowed: string) =>
	json({ error: `Method not allowed; use ${allowed}` }, { status: 405, headers: { Allow: allowed } })
