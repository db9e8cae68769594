import { json, type LoaderFunctionArgs } from '@remix-run/node'
import { z } from 'zod'
import { suggestAccounts } from '~/insights/dashboard.server'
import { apiResponse, parseInput } from '~/utils/http.server'

const schema = z.object({ q: z.string().max(100, 'Type at most 100 characters').default('') })

/** Accounts matching what staff type into the insights account filter. */
export async function loader({ request, context }: LoaderFunctionArgs) {
	return apiResponse(context, async () => {
		const { q } = parseInput(schema, { q: new URL(request.url).searchParams.get('q') ?? undefined })
		return json({ accounts: await suggestAccounts(context.actor, q) })
	})
}
