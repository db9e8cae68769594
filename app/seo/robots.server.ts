import { absoluteUrl } from '~/utils/seo'

/**
 * Pages that are only someone's own or staff's (they need signing in, or act on a
 * link from a mail), the API and the pages' data endpoints. Search results stay
 * open: Lighthouse counts a page robots.txt blocks as not indexable, and a search
 * for a product's error message is a landing page of its own.
 */
const disallowed = ['/admin', '/insights', '/settings', '/notifications', '/api/', '/resources/', '/signout', '/sso/', '/auth/', '/unsubscribe/', '/verify-email', '/reset-password/', '/invitations/', '/questions/ask', '/faq/new', '/faq/manage', '/tutorials/new']

export function robotsTxt(site: string): string {
	return ['User-agent: *', ...disallowed.map((path) => `Disallow: ${path}`), 'Allow: /', '', `Sitemap: ${absoluteUrl(site, '/sitemap.xml')}`, ''].join('\n')
}
