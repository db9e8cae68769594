import { redirect, type LoaderFunctionArgs } from '@remix-run/node'
import { personByHandle } from '~/notifications/mentions.server'

/** Where a rendered `@handle` links: the person's profile, found by handle (rendering cannot ask the database). */
export async function loader({ params }: LoaderFunctionArgs) {
	const handle = params.handle ?? ''
	const id = /^[a-z0-9_]{2,32}$/.test(handle) ? await personByHandle(handle) : null
	if (!id) throw new Response('Not found', { status: 404 })
	return redirect(`/users/${encodeURIComponent(id)}`)
}
