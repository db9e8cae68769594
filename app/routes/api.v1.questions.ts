import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { z } from 'zod'
import { createQuestion, listQuestions } from '~/community/questions.server'
import { questionSchema } from '~/community/validation'
import { apiResponse, parseInput, readJsonBody } from '~/utils/http.server'
import { methodNotAllowed } from '~/utils/api.server'
import { requireApiActor } from '~/auth/api.server'
import { apiLanguageScope, langParamSchema } from '~/utils/content-language'
import { TAG_PATTERN } from '~/utils/limits'

export async function action({ request, context }: ActionFunctionArgs) {
	return apiResponse(context, async () => {
		if (request.method !== 'POST') return methodNotAllowed(context, 'GET, POST')
		requireApiActor(context)
		const input = parseInput(questionSchema, await readJsonBody(request))
		return json(await createQuestion(context.actor, input), { status: 201 })
	})
}

const listSchema = z.object({
	sort: z.enum(['newest', 'active', 'unanswered', 'solved', 'frequent'], { errorMap: () => ({ message: 'sort must be one of: newest, active, unanswered, solved, frequent' }) }).default('newest'),
	tag: z.string().regex(TAG_PATTERN, 'tag must be a tag name').optional(),
	lang: langParamSchema,
	page: z.coerce.number({ invalid_type_error: 'page must be a number' }).int().min(1, 'page must be between 1 and 10000').max(10_000, 'page must be between 1 and 10000').default(1),
})

/** The question list as the site shows it; `lang` picks one language (every language when left out). */
export async function loader({ request, context }: LoaderFunctionArgs) {
	return apiResponse(context, async () => {
		const params = parseInput(listSchema, Object.fromEntries(new URL(request.url).searchParams))
		return json(await listQuestions({ sort: params.sort, tag: params.tag, page: params.page, languages: apiLanguageScope(params.lang) }))
	})
}
