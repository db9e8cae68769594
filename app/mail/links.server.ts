import { linkFromOutside, loadConfig } from '~/config.server'

/**
 * An absolute link to a page of this site, for mail: mail is read elsewhere, so a
 * path will not do. KIZUNA_PUBLIC_URL says where the site is served (set it in
 * production); without it, this machine at its port, which is right only on it.
 */
export function mailLink(path: string, env: Record<string, string | undefined> = process.env): string {
	return linkFromOutside(path, { KIZUNA_PUBLIC_URL: env.KIZUNA_PUBLIC_URL ?? `http://localhost:${loadConfig(env).PORT}` })
}
