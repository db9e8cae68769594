import type { Token } from 'marked'
import { lexWithinLimits } from './limits'
import type { MentionToken } from './mention-syntax'

/** At most this many people are notified from one post: a post listing a hundred names is not a way to page everyone. */
export const MAX_MENTIONS = 10

type Nested = Token & { tokens?: Token[]; items?: Token[]; header?: Array<{ tokens: Token[] }>; rows?: Array<Array<{ tokens: Token[] }>> }

function collect(tokens: Token[], found: Set<string>, cap: number) {
	for (const token of tokens as Nested[]) {
		if (found.size >= cap) return
		if (token.type === 'mention') found.add((token as unknown as MentionToken).handle)
		if (token.tokens) collect(token.tokens, found, cap)
		if (token.items) collect(token.items, found, cap)
		if (token.header) for (const cell of token.header) collect(cell.tokens, found, cap)
		if (token.rows) for (const row of token.rows) for (const cell of row) collect(cell.tokens, found, cap)
	}
}

/**
 * The handles mentioned in a post, lower-case, in order, without repeats, at most
 * `cap`; none inside code or a link's text, none in Markdown beyond the limits
 * (which saving refuses), exactly as rendering links them.
 */
export function mentionedHandles(markdown: string, cap = MAX_MENTIONS): string[] {
	const lexed = lexWithinLimits(markdown)
	if (!lexed.ok) return []
	const found = new Set<string>()
	collect(lexed.tokens, found, cap)
	return [...found]
}
