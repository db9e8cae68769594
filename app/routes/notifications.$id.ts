import { redirect, type LoaderFunctionArgs } from '@remix-run/node'
import { requireSignedIn } from '~/auth/pages.server'
import { openNotification } from '~/notifications/notifications.server'
import { pageError, routeId } from '~/utils/http.server'

/** Opening a notification from the bell's page (or a mail): marks it read and goes where it points. Only its owner can. */
export async function loader({ params, request, context }: LoaderFunctionArgs) {
	const actor = requireSignedIn(context, request)
	const url = await openNotification(actor, routeId(params.id)).catch(pageError)
	return redirect(url)
}
