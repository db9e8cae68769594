import { json, type LoaderFunctionArgs, type ActionFunctionArgs } from '@remix-run/node'
import { accountFiltersSchema, accountRows, countAccounts } from '~/insights/metrics.server'
import { insightsRequest } from '~/insights/range.server'
import { methodNotAllowed } from '~/utils/api.server'
import { apiResponse, parseInput } from '~/utils/http.server'
import { apiPagingSchema, sliceOf } from '~/utils/paging'

export async function loader({ request, context }: LoaderFunctionArgs) {
	return apiResponse(context, async () => {
		const params = new URL(request.url).searchParams
		const range = await insightsRequest(context.actor, params)
		const filters = parseInput(accountFiltersSchema, Object.fromEntries(params))
		const slice = sliceOf(parseInput(apiPagingSchema, Object.fromEntries(params)))
		const [total, accounts] = await Promise.all([countAccounts(range, filters), accountRows(range, filters, slice)])
		return json({
			total,
			...(slice ? { page: slice.page, limit: slice.limit } : {}),
			accounts: accounts.map(({ externalId, name, plan, phase, members, activeMembers, journeys, selfResolutionRate, questionsAsked, unanswered, onboardingCompletionRate }) => ({
				externalId,
				name,
				plan,
				phase,
				members,
				activeMembers,
				journeys,
				selfResolutionRate,
				questionsAsked,
				unanswered,
				onboardingCompletionRate,
			})),
		})
	})
}

export const action = ({ context }: ActionFunctionArgs) => methodNotAllowed(context, 'GET')
