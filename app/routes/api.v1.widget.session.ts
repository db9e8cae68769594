import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { z } from 'zod'
import { loadConfig } from '~/config.server'
import { communityOrigin, ssoConfig } from '~/sso/config.server'
import { MAX_TOKEN_LENGTH } from '~/sso/jwt.server'
import { methodNotAllowed } from '~/utils/api.server'
import { apiResponse, parseInput, readJsonBody } from '~/utils/http.server'
import { identifyPanel } from '~/widget/panel.server'

const body = z.object({
	token: z.string({ required_error: 'token is required: the single sign-on JWT' }).min(1, 'token is required: the single sign-on JWT').max(MAX_TOKEN_LENGTH, 'The sign-in token is too long'),
})

/** `Kizuna('identify', jwt)`: the panel trades the product's token for a panel session it keeps in memory. */
export async function action({ request, context }: ActionFunctionArgs) {
	return apiResponse(context, async () => {
		if (request.method !== 'POST') return methodNotAllowed(context, 'POST')
		const input = parseInput(body, await readJsonBody(request))
		const session = await identifyPanel(input.token, {
			keys: ssoConfig(),
			audience: communityOrigin(loadConfig().KIZUNA_PUBLIC_URL, request.url),
			fallbackLocale: context.locale,
			clientIp: context.clientIp,
		})
		return json(session, {
			status: 201,
			headers: { 'Cache-Control': 'no-store' },
		})
	})
}

export const loader = ({ context }: LoaderFunctionArgs) => methodNotAllowed(context, 'POST')
