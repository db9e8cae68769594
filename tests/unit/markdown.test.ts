import { describe, expect, it } from 'vitest'
import { markdownToText, renderMarkdown } from '~/markdown/markdown.server'

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
