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
