import { json, type LoaderFunctionArgs } from '@remix-run/node'
import { translateRefusal } from '~/i18n/i18n'

const unknown = ({ context }: LoaderFunctionArgs) => json({ error: translateRefusal(context.locale, 'No such API endpoint') }, { status: 404 })
export const loader = unknown
export const action = unknown
