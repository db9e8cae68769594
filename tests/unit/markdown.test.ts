import { describe, expect, it } from 'vitest'
import { markdownLimitProblem, markdownToText, renderMarkdown } from '~/markdown/markdown.server'

describe('renderMarkdown', () => {
	it('renders GitHub-flavoured Markdown', () => {
		const html = renderMarkdown('**bold** and `code`\n\n- one\n- two\n\n~~old~~')
		expect(html).toContain('<strong>bold</strong>')
		expect(html).toContain('<code>code</code>')
		expect(html).toContain('<li>one</li>')
		expect(html).toContain('<del>old</del>')
	})

	it('never lets script through', () => {
		const attacks = [
			'<script>alert(1)</script>',
			'[click](javascript:alert(1))',
			'<img src=x onerror="alert(1)">',
			'<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
			'![x](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)',
			'<div onclick="alert(1)">hi</div>',
			'<iframe src="https://evil.example"></iframe>',
		]
		for (const attack of attacks) {
			const html = renderMarkdown(attack)
			expect(html).not.toMatch(/<script/i)
			expect(html).not.toMatch(/javascript:/i)
			expect(html).not.toMatch(/\son\w+=/i)
			expect(html).not.toMatch(/(href|src)="data:/i)
			expect(html).not.toMatch(/<iframe/i)
		}
	})

	it('keeps safe links and marks them nofollow', () => {
		const html = renderMarkdown('[docs](https://docs.example.com/a)')
		expect(html).toContain('href="https://docs.example.com/a"')
		expect(html).toContain('rel="nofollow ugc noopener"')
	})

	it('shows escaped script as text', () => {
		expect(renderMarkdown('<script>x</script>')).toContain('&lt;script&gt;')
	})
})

describe('markdownToText', () => {
	it('strips Markdown and HTML to searchable text', () => {
		expect(markdownToText('# 請求書\n\n**CSV** を <b>出力</b> & 保存')).toBe('請求書 CSV を 出力 & 保存')
	})
})

describe('Markdown limits', () => {
	const deepQuote = '>'.repeat(3000) + ' x'
	const deepList = '- '.repeat(1500) + 'x'
	const stars = '*a'.repeat(15_000)
	const links = '[a]('.repeat(6000)

	it('refuses nesting deeper than 20 levels, naming the limit', () => {
		expect(markdownLimitProblem(deepQuote)).toBe('Quotes and lists can be nested at most 20 levels deep')
		expect(markdownLimitProblem(deepList)).toBe('Quotes and lists can be nested at most 20 levels deep')
		const indented = Array.from({ length: 25 }, (_, i) => `${'  '.repeat(i)}- level ${i + 1}`).join('\n')
		expect(markdownLimitProblem(indented)).toBe('Quotes and lists can be nested at most 20 levels deep')
		expect(markdownLimitProblem(`${'> '.repeat(20)}fine`)).toBeNull()
		const listInQuote = Array.from({ length: 25 }, (_, i) => `>${' '.repeat(2 * i + 1)}- level ${i + 2}`).join('\n')
		expect(markdownLimitProblem(listInQuote)).toBe('Quotes and lists can be nested at most 20 levels deep')
	})

	it('refuses paragraphs that would make marked slow, naming the limit', () => {
		expect(markdownLimitProblem(stars)).toBe('A paragraph can use *, _ and ~ at most 200 times')
		expect(markdownLimitProblem(links)).toBe('A paragraph can have at most 50 [ brackets (links and images)')
		expect(markdownLimitProblem('`a'.repeat(300))).toBe('A paragraph can have at most 200 backticks (`)')
		expect(markdownLimitProblem(`${'**a** '.repeat(50)}\n\n`.repeat(11))).toBe('The text can use *, _ and ~ at most 2,000 times')
	})

	it('accepts ordinary posts, code blocks included', () => {
		const code = '```python\n' + 'my_long_variable_name = other_value * factor_one * factor_two\n'.repeat(100) + '```'
		expect(markdownLimitProblem(`# Title\n\nSome **bold** and _italic_ text with [a link](https://example.com).\n\n${code}\n\n- one\n  - two\n    - three`)).toBeNull()
		const identifiers = 'Set max_retry_count, retry_backoff_ms and https://example.com/a_b_c_d in config_file_name. '.repeat(40)
		expect(markdownLimitProblem(identifiers)).toBeNull()
		expect(markdownLimitProblem('a_b'.repeat(10_000))).toBe('A paragraph can use *, _ and ~ at most 200 times')
	})

	it('shows Markdown beyond the limits as escaped text, quickly and without throwing', () => {
		for (const markdown of [deepQuote, deepList, stars, links, `<script>alert(1)</script>\n\n${deepQuote}`]) {
			const html = renderMarkdown(markdown)
			const text = markdownToText(markdown)
			// The fastest of three: with test files in parallel on two cores one run can wait
			// for the CPU (133 ms once); a parser blow-up is slow every time.
			const timings = [1, 2, 3].map(() => {
				const started = performance.now()
				renderMarkdown(markdown)
				markdownToText(markdown)
				return performance.now() - started
			})
			expect(Math.min(...timings)).toBeLessThan(50)
			expect(html.startsWith('<p>')).toBe(true)
			expect(html).not.toMatch(/<script|<blockquote/)
			expect(text.length).toBeGreaterThan(0)
		}
		expect(renderMarkdown(`<b>hi</b>\n\n${deepQuote}`)).toContain('<p>&lt;b&gt;hi&lt;/b&gt;</p>')
	})
})
