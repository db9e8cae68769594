import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { cruise, type ICruiseResult, type IViolation } from 'dependency-cruiser'
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options'
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config'
import { afterAll, describe, expect, it } from 'vitest'

// The layers and their rules are declared in .dependency-cruiser.cjs (README, "Architecture");
// `npm run lint:layers` runs the same check from the command line.
const root = path.resolve(import.meta.dirname, '../..')
const sources = ['app', 'db', 'search', 'tests']

function describeViolation(violation: IViolation): string {
	const cycle = violation.cycle?.length ? ` (cycle: ${[violation.from, ...violation.cycle.map((step) => step.name)].join(' → ')})` : ''
	return `${violation.rule.name}: ${violation.from} → ${violation.to}${cycle}`
}

/** Every import in `baseDir` that breaks a rule, resolved with that directory's tsconfig.json. */
async function violations(baseDir: string): Promise<string[]> {
	const options = await extractDepcruiseOptions(path.join(root, '.dependency-cruiser.cjs'))
	const tsConfig = path.join(baseDir, 'tsconfig.json')
	const result = await cruise(sources, { ...options, baseDir, tsConfig: { fileName: tsConfig } }, {}, { tsConfig: extractTSConfig(tsConfig) })
	return (result.output as ICruiseResult).summary.violations.map(describeViolation).sort()
}

describe('layers', () => {
	it('has no import that breaks the layers, no cycle and no product code importing tests or benchmarks', async () => {
		expect(await violations(root)).toEqual([])
	})

	describe('the rules', () => {
		// A project with one import of each kind the rules refuse, and imports they allow,
		// resolved through the project's own path aliases.
		const fixture = fs.mkdtempSync(path.join(os.tmpdir(), 'kizuna-layers-'))
		afterAll(() => fs.rmSync(fixture, { recursive: true, force: true }))
		const files: Record<string, string> = {
			'app/utils/errors.server.ts': `export const fail = 1`,
			'app/utils/session.ts': `import { can } from '~/auth/permissions.server'\nexport const s = can`,
			'app/auth/permissions.server.ts': `import { fail } from '~/utils/errors.server'\nexport const can = fail`,
			'app/auth/users.server.ts': `import { accountFor } from '~/accounts/accounts.server'\nexport const user = accountFor`,
			'app/accounts/accounts.server.ts': `import { can } from '~/auth/permissions.server'\nexport const accountFor = can`,
			'app/insights/labels.ts': `import { Widget } from '~/components/widget'\nexport const labels = Widget`,
			'app/insights/bench.ts': `import { startPostgres } from '../../tests/support/postgres'\nexport const bench = startPostgres`,
			'app/components/widget.tsx': `import { labels } from '~/insights/labels'\nimport { find } from '#search/query.server'\nexport const Widget = [labels, find]`,
			'app/routes/page.tsx': `import { user } from '~/auth/users.server'\nimport { nothing } from '~/nowhere'\nexport const page = [user, nothing]`,
			'db/schema.ts': `import { fail } from '~/utils/errors.server'\nexport const table = fail`,
			'db/seed.server.ts': `import { user } from '~/auth/users.server'\nexport const seed = user`,
			'search/query.server.ts': `import { table } from '#db/schema'\nimport { can } from '~/auth/permissions.server'\nimport { rank } from './rank'\nexport const find = [table, can, rank]`,
			'search/rank.ts': `import { find } from './query.server'\nexport const rank = find`,
			'tests/support/postgres.ts': `export const startPostgres = 1`,
			'tests/bench/seed.ts': `import { table } from '#db/schema'\nexport const seedBench = table`,
			'tests/unit/page.test.ts': `import { page } from '../../app/routes/page'\nimport { seedBench } from '../bench/seed'\nexport const t = [page, seedBench]`,
		}
		for (const [file, text] of Object.entries(files)) {
			fs.mkdirSync(path.join(fixture, path.dirname(file)), { recursive: true })
			fs.writeFileSync(path.join(fixture, file), `${text}\n`)
		}
		const { compilerOptions } = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.json'), 'utf8'))
		fs.writeFileSync(path.join(fixture, 'tsconfig.json'), JSON.stringify({ compilerOptions: { baseUrl: compilerOptions.baseUrl, paths: compilerOptions.paths } }))

		it('refuse upward imports, cycles, tests and benchmarks in product code, and imports that resolve nowhere', async () => {
			expect(await violations(fixture)).toEqual([
				'benchmarks-stay-apart: tests/unit/page.test.ts → tests/bench/seed.ts',
				'capabilities-import-no-pages: app/insights/labels.ts → app/components/widget.tsx',
				'db-imports-only-foundations: db/seed.server.ts → app/auth/users.server.ts',
				'foundations-import-nothing-above: app/utils/session.ts → app/auth/permissions.server.ts',
				'imports-resolve: app/routes/page.tsx → ~/nowhere',
				'no-circular-folders: app/accounts → app/auth (cycle: app/accounts → app/auth → app/accounts)',
				'no-circular-folders: app/auth → app/accounts (cycle: app/auth → app/accounts → app/auth)',
				'no-circular-folders: app/auth → app/utils (cycle: app/auth → app/utils → app/auth)',
				'no-circular-folders: app/components → app/insights (cycle: app/components → app/insights → app/components)',
				'no-circular-folders: app/insights → app/components (cycle: app/insights → app/components → app/insights)',
				'no-circular-folders: app/utils → app/auth (cycle: app/utils → app/auth → app/utils)',
				'no-circular: app/components/widget.tsx → app/insights/labels.ts (cycle: app/components/widget.tsx → app/insights/labels.ts → app/components/widget.tsx)',
				'no-circular: search/query.server.ts → search/rank.ts (cycle: search/query.server.ts → search/rank.ts → search/query.server.ts)',
				'product-imports-no-tests: app/insights/bench.ts → tests/support/postgres.ts',
				'search-imports-only-db-and-foundations: search/query.server.ts → app/auth/permissions.server.ts',
			])
		})
	})
})
