import type { Actor } from '~/auth/permissions.server'
import { limit } from '~/auth/rate-limit.server'
import { DomainError } from '~/utils/errors.server'
import { markdownLimitProblem, renderMarkdown } from '~/markdown/markdown.server'

/** Where the editor asks for its preview. */
export const PREVIEW_PATH = '/resources/markdown-preview'

/**
 * Only signed-in people get a preview. The server also asks this before reading
 * an anonymous request's body (app/server/guards.ts refuseAnonymousPreview).
 */
export function requirePreviewer(actor: Actor | null): Actor {
	if (!actor) throw new DomainError('unauthorized', 'Sign in to see a preview')
	return actor
}

/**
 * The editor's live preview. Rendering is the costliest thing an anonymous request
 * could ask for, so only signed-in people get it, rate limited per person, and
 * Markdown that saving would refuse is refused here with the same reason.
 */
export async function previewMarkdown(actor: Actor | null, markdown: string): Promise<string> {
	await limit('preview', requirePreviewer(actor).id)
	const problem = markdownLimitProblem(markdown)
	if (problem) throw new DomainError('invalid', problem)
	return renderMarkdown(markdown)
}
