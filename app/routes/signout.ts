import { redirect, type ActionFunctionArgs } from '@remix-run/node'
import { endSession } from '~/auth/session.server'

export async function action({ request, context }: ActionFunctionArgs) {
	return redirect('/', { headers: { 'Set-Cookie': await endSession(request.headers.get('cookie'), context.secure) } })
}

export const loader = () => redirect('/')
