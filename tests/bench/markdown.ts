/**
 * `npm run bench:markdown`: times the Markdown renderer on hostile and normal posts,
 * with marked alone (what rendering cost before the limits) next to the bounded
 * renderer and the check run on save. The figures are quoted in app/markdown/limits.ts.
 */
import { Marked } from 'marked'
import { MARKDOWN_LIMITS, markdownLimitProblem } from '~/markdown/limits'
import { markdownToText, renderMarkdown } from '~/markdown/markdown.server'

const unbounded = new Marked({ gfm: true, breaks: true, async: false })

function normalPost(length: number) {
	let text = ''
	for (let i = 0; text.length < length; i++) {
		text += `## Section ${i}\n\nSome **bold** text with \`code\` and a [link](https://example.com/${i}) and _emphasis_ here, about invoices and CSV exports.\n\n- item one\n- item two with *stars*\n  - nested\n\n\`\`\`js\nconst total = price * quantity * rate;\n\`\`\`\n\n> quoted line\n\n`
	}
	return text.slice(0, length)
}

/** Paragraphs that each stay just within one inline limit, filling a whole post. */
const atLimit = (unit: string, perParagraph: number) => {
	const paragraph = unit.repeat(Math.floor(perParagraph / [...unit].filter((c) => '*_~[`'.includes(c)).length))
	return `${paragraph}\n\n`.repeat(Math.floor(MARKDOWN_LIMITS.length / (paragraph.length + 2)))
}

const cases: Array<[string, string, { skipUnbounded?: boolean }?]> = [
	['> × 3,000', '>'.repeat(3000)],
	['nested list × 1,500', '- '.repeat(1500) + 'x'],
	['*a × 15,000', '*a'.repeat(15_000)],
	['_a × 15,000', '_a'.repeat(15_000)],
	['[a]( × 800', '[a]('.repeat(800)],
	['[a]( × 6,000 (30 KB)', '[a]('.repeat(6000), { skipUnbounded: true }],
	['normal post, 30,000 characters', normalPost(30_000)],
	['"_a " paragraphs at the limit', atLimit('_a ', MARKDOWN_LIMITS.emphasis)],
	['"_a " paragraphs, 2,000 in all', atLimit('_a ', MARKDOWN_LIMITS.emphasis).slice(0, 6_000)],
	['"[a](" paragraphs at the limit', atLimit('[a](', MARKDOWN_LIMITS.brackets)],
	['"`a" paragraphs at the limit', atLimit('`a ', MARKDOWN_LIMITS.backticks)],
	['quotes 20 deep', `${'> '.repeat(MARKDOWN_LIMITS.depth)}x\n`.repeat(500)],
]

function time(run: () => unknown): string {
	// The best of five runs: the machine is shared, and the slowest runs measure its load.
	let best = Infinity
	try {
		run()
		for (let i = 0; i < 5; i++) {
			const started = performance.now()
			run()
			best = Math.min(best, performance.now() - started)
		}
	} catch (error) {
		return (error as Error).name
	}
	return `${best.toFixed(1)} ms`
}

console.log(['case', 'marked alone', 'check on save', 'renderMarkdown', 'markdownToText', 'refused with'].join(' | '))
for (const [name, markdown, options] of cases) {
	console.log(
		[
			name,
			options?.skipUnbounded ? 'not run (minutes)' : time(() => unbounded.parse(markdown)),
			time(() => markdownLimitProblem(markdown)),
			time(() => renderMarkdown(markdown)),
			time(() => markdownToText(markdown)),
			markdownLimitProblem(markdown) ?? '-',
		].join(' | '),
	)
}
