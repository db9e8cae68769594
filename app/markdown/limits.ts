import { Lexer, Marked, type MarkedOptions, type Token, type TokensList } from 'marked'
import type { ZodString } from 'zod'
import { attachmentIdsIn } from './attachments'
import { mentionSyntax } from './mention-syntax'

/**
 * How much Markdown one post may ask the renderer to do. marked recurses once per
 * nesting level and matches some inline delimiters in quadratic or cubic time, so
 * a short hostile post could overflow its stack or stall a process. Measured with
 * `npm run bench:markdown` (marked 16.4.2, best of five runs on this shared 2-core
 * machine; a single run under load took up to 3× longer):
 *
 * - `>` × 3,000 (or `- ` × 5,000): "Maximum call stack size exceeded", the thread answered 500.
 * - One paragraph of `*a` × 15,000: 230 ms; `_a` × 15,000: 1,170 ms.
 * - `[a](` × 800: 565 ms, and cubic: × 1,600 took 10 s, × 6,000 (a 30 KB post) minutes.
 * - A normal 30,000-character post (headings, lists, code, links): 16 ms.
 *
 * Within these limits the check costs under 3 ms, posts beyond them are refused (or
 * shown as text) in under 1 ms, and the costliest posts that pass (30,000 characters
 * of paragraphs each just within a limit) render in 17–34 ms, about twice a normal
 * post of that length. One paragraph at the limit costs 2 ms (`_a ` × 200).
 */
export const MARKDOWN_LIMITS = {
	/** Characters; the forms, the API and the import refuse longer text with their own messages. */
	length: 30_000,
	/** Block quotes and lists inside each other. */
	depth: 20,
	/** `*`, `_` and `~` in one paragraph (or heading, list item, table cell); `_` inside a short word does not count. */
	emphasis: 200,
	/** `*`, `_` and `~` in the whole text: paragraphs each just within `emphasis` would add up. */
	emphasisTotal: 2_000,
	/** `[` in one paragraph: each can start a link whose end marked searches for. */
	brackets: 50,
	/** Backticks in one paragraph. */
	backticks: 200,
	/** Different uploaded attachments (images and files) one post shows: a post is not a file share. */
	attachments: 10,
} as const

export const markdownLimitMessages = {
	length: 'The text can have at most 30,000 characters',
	depth: 'Quotes and lists can be nested at most 20 levels deep',
	emphasis: 'A paragraph can use *, _ and ~ at most 200 times',
	emphasisTotal: 'The text can use *, _ and ~ at most 2,000 times',
	brackets: 'A paragraph can have at most 50 [ brackets (links and images)',
	backticks: 'A paragraph can have at most 200 backticks (`)',
	attachments: 'A post can include at most 10 attachments (images and files)',
} as const satisfies Record<keyof typeof MARKDOWN_LIMITS, string>

export type MarkdownLimit = keyof typeof MARKDOWN_LIMITS

/**
 * The deepest nesting of quotes and lists any line can open, over-estimated from
 * each line's own markers (`>`, `-`, `*`, `+`, `1.`, `1)`) plus its indentation,
 * before and between them (each level of a nested list is indented by at least
 * two columns). Checking it first keeps marked's recursion bounded; should marked
 * still overflow its stack, the renderer catches that and shows the text.
 */
export function nestingDepth(markdown: string): number {
	let deepest = 0
	let start = 0
	while (start <= markdown.length) {
		const end = markdown.indexOf('\n', start)
		const stop = end === -1 ? markdown.length : end
		let i = start
		let columns = 0
		while (i < stop && (markdown[i] === ' ' || markdown[i] === '\t')) {
			columns += markdown[i] === '\t' ? 4 : 1
			i++
		}
		let markers = 0
		for (;;) {
			const c = markdown[i]
			let next = i
			if (c === '>') next = i + 1
			else if (c === '-' || c === '*' || c === '+') next = isBlank(markdown, i + 1, stop) ? i + 1 : i
			else if (c !== undefined && c >= '0' && c <= '9') {
				let j = i
				while (j < stop && j - i < 9 && markdown[j]! >= '0' && markdown[j]! <= '9') j++
				if ((markdown[j] === '.' || markdown[j] === ')') && isBlank(markdown, j + 1, stop)) next = j + 1
			}
			if (next === i || i >= stop) break
			markers++
			i = next
			// One space belongs to the marker; more indent what follows into a deeper list (`>   - b`).
			let gap = 0
			while (i < stop && (markdown[i] === ' ' || markdown[i] === '\t')) {
				gap += markdown[i] === '\t' ? 4 : 1
				i++
			}
			columns += Math.max(0, gap - 1)
		}
		if (markers > 0) deepest = Math.max(deepest, markers + Math.floor(columns / 2))
		if (end === -1) break
		start = end + 1
	}
	return deepest
}

const isBlank = (text: string, at: number, stop: number) => at >= stop || text[at] === ' ' || text[at] === '\t'

function count(text: string, characters: string): number {
	let n = 0
	for (let i = 0; i < text.length; i++) if (characters.includes(text[i]!)) n++
	return n
}

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u

/**
 * `*`, `_` and `~` that marked has to try as emphasis. An underscore inside a word
 * (snake_case_names, URLs) cannot open or close emphasis and costs little while the
 * word is short: 30,000 characters of 100-character words full of them render in
 * 7 ms. Inside one long word they still cost (`a_b` × 10,000: 330 ms), so they count there.
 */
function emphasisMarks(text: string): number {
	let n = 0
	for (const [word] of text.matchAll(/\S+/g)) {
		const short = word.length <= 100
		for (let i = 0; i < word.length; i++) {
			const c = word[i]
			if (c === '*' || c === '~') n++
			else if (c === '_' && !(short && i > 0 && i < word.length - 1 && LETTER_OR_DIGIT.test(word[i - 1]!) && LETTER_OR_DIGIT.test(word[i + 1]!))) n++
		}
	}
	return n
}

/** The first inline limit a paragraph's source goes over. */
function inlineProblem(source: string): MarkdownLimit | null {
	if (emphasisMarks(source) > MARKDOWN_LIMITS.emphasis) return 'emphasis'
	if (count(source, '[') > MARKDOWN_LIMITS.brackets) return 'brackets'
	if (count(source, '`') > MARKDOWN_LIMITS.backticks) return 'backticks'
	return null
}

type InlineQueue = Array<{ src: string; tokens: Token[] }>

/** How the whole app reads Markdown: GitHub-flavoured, single line breaks kept, `@handle` mentions. */
export const markdownOptions: MarkedOptions = new Marked({ gfm: true, breaks: true, async: false }, { extensions: [mentionSyntax] }).defaults

export type BoundedLex = { ok: true; tokens: TokensList } | { ok: false; limit: MarkdownLimit }

/**
 * marked's block phase, run only once the nesting depth is known to be bounded
 * (it recurses once per level), then every paragraph's inline source checked
 * before the inline phase (where the cost is). It reads the lexer's inline queue,
 * which marked's types mark private: this is `Lexer.lex` of marked 16.4.2 (pinned)
 * split in two.
 */
function blockPhase(markdown: string): { ok: true; lexer: Lexer; tokens: TokensList; queue: InlineQueue } | { ok: false; limit: MarkdownLimit } {
	if (markdown.length > MARKDOWN_LIMITS.length) return { ok: false, limit: 'length' }
	if (attachmentIdsIn(markdown).length > MARKDOWN_LIMITS.attachments) return { ok: false, limit: 'attachments' }
	const source = markdown.replace(/\r\n?/g, '\n')
	if (nestingDepth(source) > MARKDOWN_LIMITS.depth) return { ok: false, limit: 'depth' }
	const lexer = new Lexer(markdownOptions)
	const tokens = lexer.tokens as TokensList
	lexer.blockTokens(source, tokens)
	const queue = (lexer as unknown as { inlineQueue: InlineQueue }).inlineQueue
	let emphasis = 0
	for (const item of queue) {
		const limit = inlineProblem(item.src)
		if (limit) return { ok: false, limit }
		emphasis += emphasisMarks(item.src)
	}
	if (emphasis > MARKDOWN_LIMITS.emphasisTotal) return { ok: false, limit: 'emphasisTotal' }
	return { ok: true, lexer, tokens, queue }
}

/** marked's tokens for this Markdown, or the limit it goes over. */
export function lexWithinLimits(markdown: string): BoundedLex {
	const block = blockPhase(markdown)
	if (!block.ok) return block
	for (const item of block.queue) block.lexer.inlineTokens(item.src, item.tokens)
	block.queue.length = 0
	return { ok: true, tokens: block.tokens }
}

/** Why this Markdown is refused on save, or null when it is within every limit. */
export function markdownLimitProblem(markdown: string): string | null {
	const block = blockPhase(markdown)
	return block.ok ? null : markdownLimitMessages[block.limit]
}

/** Adds the Markdown limits to a text field's schema: the message names the limit that was passed. */
export function withinMarkdownLimits(schema: ZodString) {
	return schema.superRefine((markdown, ctx) => {
		const problem = markdownLimitProblem(markdown)
		if (problem) ctx.addIssue({ code: 'custom', message: problem })
	})
}
