import { redirect, type ActionFunctionArgs } from '@remix-run/node'
import { serialize } from 'cookie'
import { isLocale, LOCALE_COOKIE } from '~/i18n/locales'
import { setLanguage } from '~/people/settings.server'
import { safeRedirect } from '~/utils/redirect'

/**
 * Remembers the chosen language for a year (the browser's language applies until
 * then), and for a signed-in person on their account, which every device follows.
 */
export async function action({ request, context }: ActionFunctionArgs) {
	const form = await request.formData()
	const locale = form.get('locale')
	const back = safeRedirect(form.get('redirectTo'))
	if (!isLocale(locale)) return redirect(back)
	if (context.actor) await setLanguage(context.actor, locale)
	return redirect(back, {
		headers: {
			'Set-Cookie': serialize(LOCALE_COOKIE, locale, { path: '/', sameSite: 'lax', secure: context.secure, maxAge: 60 * 60 * 24 * 365 }),
		},
	})
}

export const loader = () => redirect('/')
