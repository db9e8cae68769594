import { describe, expect, it } from 'vitest'
import { htmlToText, privateMeta, seoMeta, truncate } from '../../app/utils/seo'
import { breadcrumbs, qaPage } from '../../app/utils/structured-data'

const site = 'https://help.example.com/'
const args = (locale: 'en' | 'ja', pathname = '/faq', rootSite: string | null = site) => ({
	location: { pathname, search: '?sort=newest' },
	matches: [{ id: 'root', data: { locale, site: rootSite } }],
})

type Tag = Record<string, unknown>
const find = (tags: Tag[], key: string, value: string) => tags.find((tag) => tag[key] === value)

describe('page meta', () => {
	it('titles and describes the page in the reader’s language, with absolute canonical and Open Graph URLs', () => {
		const en = seoMeta(args('en'), (t) => ({ title: t('Questions') })) as Tag[]
		expect(en[0]).toEqual({ title: 'Questions · Kizuna' })
		expect(find(en, 'name', 'description')).toEqual({ name: 'description', content: 'Find answers, ask the community, and learn the product.' })
		// The query (a list's sort) is not part of the canonical URL unless the page says so.
		expect(find(en, 'rel', 'canonical')).toEqual({ tagName: 'link', rel: 'canonical', href: 'https://help.example.com/faq' })
		expect(find(en, 'property', 'og:url')).toMatchObject({ content: 'https://help.example.com/faq' })
		expect(find(en, 'property', 'og:locale')).toMatchObject({ content: 'en_US' })

		const ja = seoMeta(args('ja'), (t) => ({ title: t('Questions'), home: true })) as Tag[]
		expect(ja[0]).toEqual({ title: 'Kizuna · 質問' })
		expect(find(ja, 'name', 'description')!.content).toBe('答えを探し、コミュニティに質問し、製品の使い方を学べます。')
		expect(find(ja, 'property', 'og:locale')).toMatchObject({ content: 'ja_JP' })
	})

	it('keeps private pages out of search engines: noindex, no canonical, no structured data', () => {
		const tags = privateMeta(args('en'), (t) => t('Settings')) as Tag[]
		expect(find(tags, 'name', 'robots')).toEqual({ name: 'robots', content: 'noindex' })
		expect(find(tags, 'rel', 'canonical')).toBeUndefined()
		const withData = seoMeta(args('en'), () => ({ title: 'Draft', noindex: true, jsonLd: (base) => [breadcrumbs(base, [{ name: 'Draft', path: '/faq/1/draft' }])] })) as Tag[]
		expect(withData.some((tag) => 'script:ld+json' in tag)).toBe(false)
	})

	it('names every translation with hreflang and x-default on the English one, only when there is more than one', () => {
		const one = seoMeta(args('en'), () => ({ title: 'FAQ', alternates: [{ language: 'ja', url: '/faq/2/ja' }] })) as Tag[]
		expect(one.filter((tag) => 'hrefLang' in tag)).toEqual([])
		const two = seoMeta(args('ja'), () => ({ title: 'FAQ', alternates: [{ language: 'ja', url: '/faq/2/ja' }, { language: 'en', url: '/faq/1/en' }] })) as Tag[]
		expect(two.filter((tag) => 'hrefLang' in tag)).toEqual([
			{ tagName: 'link', rel: 'alternate', hrefLang: 'ja', href: 'https://help.example.com/faq/2/ja' },
			{ tagName: 'link', rel: 'alternate', hrefLang: 'en', href: 'https://help.example.com/faq/1/en' },
			{ tagName: 'link', rel: 'alternate', hrefLang: 'x-default', href: 'https://help.example.com/faq/1/en' },
		])
	})

	it('writes no absolute URL without the site’s base URL (root data missing)', () => {
		const tags = seoMeta(args('en', '/faq', null), () => ({ title: 'FAQ', jsonLd: (base) => [breadcrumbs(base, [])] })) as Tag[]
		expect(tags.some((tag) => 'href' in tag || 'script:ld+json' in tag || tag.property === 'og:url')).toBe(false)
	})
})

describe('text for descriptions and structured data', () => {
	it('turns rendered HTML into one line of text, entities decoded', () => {
		expect(htmlToText('<p>Use <strong>Export</strong> &amp; wait.</p><ul><li>One</li><li>Two&#x27;s</li></ul><pre><code>a &lt; b</code></pre>')).toBe("Use Export & wait. One Two's a < b")
		expect(htmlToText('<p>&bogus; &#0; text</p>')).toBe('&bogus; &#0; text')
	})

	it('cuts at a word, or anywhere in Japanese, with an ellipsis', () => {
		expect(truncate('short')).toBe('short')
		expect(truncate('alpha beta gamma delta epsilon', 20)).toBe('alpha beta gamma…')
		expect(truncate('請求書をダウンロードする方法を教えてください', 10)).toBe('請求書をダウンロー…')
		expect([...truncate('😀'.repeat(200))].length).toBe(155)
	})
})

describe('QAPage', () => {
	const author = { id: '0a1b2c3d-0000-4000-8000-000000000001', displayName: 'Aoi' }
	const thread = { title: 'How?', bodyHtml: '<p>Body</p>', createdAt: '2026-01-01T00:00:00.000Z', url: '/questions/1/how', votes: { up: 2 }, author, answers: [] as Array<{ bodyHtml: string; createdAt: string; url: string; accepted: boolean; votes: { up: number }; author: typeof author }> }

	it('is left out for a thread without answers, which search engines would refuse', () => {
		expect(qaPage(site, thread)).toBeNull()
	})

	it('links authors to their profiles, except the import’s system user, who has none', () => {
		const answered = { ...thread, answers: [{ bodyHtml: '<p>Like this</p>', createdAt: '2026-01-02T00:00:00.000Z', url: '/questions/1/how#answer-3', accepted: false, votes: { up: 0 }, author: { id: 'system', displayName: 'Kizuna import' } }] }
		const data = qaPage(site, answered) as { mainEntity: Record<string, any> }
		expect(data.mainEntity.author).toEqual({ '@type': 'Person', name: 'Aoi', url: `${site}users/${author.id}` })
		expect(data.mainEntity.suggestedAnswer[0].author).toEqual({ '@type': 'Person', name: 'Kizuna import' })
		expect(data.mainEntity.acceptedAnswer).toBeUndefined()
	})
})
