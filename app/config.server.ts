import path from 'node:path'
import { z } from 'zod'

const schema = z.object({
	PORT: z.coerce.number().int().min(0).max(65535).default(3000),
	HOST: z.string().default('0.0.0.0'),
	KIZUNA_DATA_DIR: z.string().default('./data'),
	DATABASE_URL: z.string().url().optional(),
	MEILI_URL: z.string().url().optional(),
	MEILI_MASTER_KEY: z.string().optional(),
	MEILI_INDEX_PREFIX: z.string().regex(/^[a-z0-9_]*$/).default(''),
	KIZUNA_DEMO_CONTENT: z.enum(['on', 'off']).default('on'),
	KIZUNA_PUBLIC_URL: z.string().url().optional(),
	/** Only for local testing: webhooks may then point at this machine and the private network (see app/utils/outbound.server.ts). */
	KIZUNA_ALLOW_PRIVATE_URLS: z.enum(['true', 'false']).default('false'),
	NODE_ENV: z.string().default('production'),
})

export type Config = z.infer<typeof schema> & { dataDir: string }

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
	const parsed = schema.safeParse(env)
	if (!parsed.success) {
		const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)
		throw new Error(`Invalid configuration:\n  ${problems.join('\n  ')}`)
	}
	return { ...parsed.data, dataDir: path.resolve(parsed.data.KIZUNA_DATA_DIR) }
}

/**
 * A link to a page of this site for use outside it (webhook payloads): absolute
 * when KIZUNA_PUBLIC_URL says where the site is served, else the path.
 */
export function linkFromOutside(path: string, env: Record<string, string | undefined> = process.env): string {
	const base = env.KIZUNA_PUBLIC_URL
	return base ? new URL(path.replace(/^\/+/, ''), base.endsWith('/') ? base : `${base}/`).toString() : path
}
