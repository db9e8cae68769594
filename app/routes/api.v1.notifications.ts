import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { requireApiActor } from '~/auth/api.server'
import { linkFromOutside } from '~/config.server'
import { i18nFor } from '~/i18n/i18n'
import { notificationTitle } from '~/notifications/describe'
import { recentNotifications } from '~/notifications/notifications.server'
import { notificationListQuery } from '~/notifications/validation'
import { methodNotAllowed } from '~/utils/api.server'
import { apiResponse, parseInput } from '~/utils/http.server'

/** The caller's newest notifications; `url` is absolute when KIZUNA_PUBLIC_URL is set, as in webhooks and mail. */
export async function loader({ request, context }: LoaderFunctionArgs) {
	return apiResponse(context, async () => {
		const actor = requireApiActor(context)
		const { limit } = parseInput(notificationListQuery, Object.fromEntries(new URL(request.url).searchParams))
		const { unread, items } = await recentNotifications(actor, limit)
		const { t } = i18nFor(context.locale)
		return json({
			unread,
			notifications: items.map((item) => ({
				id: item.id,
				type: item.type,
				read: item.read,
				createdAt: item.createdAt.toISOString(),
				title: notificationTitle(t, item),
				url: linkFromOutside(item.url),
			})),
		})
	})
}

export const action = ({ context }: ActionFunctionArgs) => methodNotAllowed(context, 'GET')
