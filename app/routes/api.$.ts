import { json } from '@remix-run/node'

const unknown = () => json({ error: 'No such API endpoint' }, { status: 404 })
export const loader = unknown
export const action = unknown
