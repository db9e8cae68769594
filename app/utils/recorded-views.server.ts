import { AsyncLocalStorage } from 'node:async_hooks'
import { singleton } from './singleton.server'

/** A page view a loader recorded: what the page cache records again for each reader it serves the page to. */
export type RecordedView = { type: 'question' | 'faq' | 'tutorial'; id: number; fromAskForm: boolean }

// On globalThis: the Remix build has its own copy of this module (see singleton.server.ts).
const scope = singleton('recorded-views', () => new AsyncLocalStorage<RecordedView[]>())

/** Runs a page render and collects the views its loaders recorded (app/server/page-cache.ts). */
export async function collectingViews<T>(render: () => Promise<T>): Promise<{ result: T; views: RecordedView[] }> {
	const views: RecordedView[] = []
	const result = await scope.run(views, render)
	return { result, views }
}

/** Called by the event recorder for each content view: noted only while a render is collected. */
export function noteView(view: RecordedView) {
	scope.getStore()?.push(view)
}
