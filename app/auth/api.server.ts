import { type ActionFunctionArgs, type AppLoadContext } from '@remix-run/node'
import { methodNotAllowed } from '~/utils/api.server'
import { DomainError, notFound } from '~/utils/errors.server'
import { apiResponse, idParam } from '~/utils/http.server'
import type { Actor } from './permissions.server'

/** API writes need a token (or a signed-in browser session): 401 otherwise. */
export function requireApiActor(context: AppLoadContext): Actor {
	if (!context.actor) throw new DomainError('unauthorized', 'Authentication required: send Authorization: Bearer <token>')
	return context.actor
}

/**
 * `POST /api/v1/questions/:id/…`: refuses other methods, an id that cannot be a
 * question (404 before asking for a token, as for a missing question) and
 * anonymous callers, then runs the write as the caller.
 */
export function questionWrite(run: (actor: Actor, questionId: number, request: Request) => Promise<Response>) {
	return ({ request, params, context }: ActionFunctionArgs) =>
		apiResponse(context, async () => {
			if (request.method !== 'POST') return methodNotAllowed(context, 'POST')
			const id = idParam.safeParse(params.id)
			if (!id.success) throw notFound('Question')
			return run(requireApiActor(context), id.data, request)
		})
}
