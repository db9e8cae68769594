import { defineConfig } from '@playwright/test'

// `npm test` (tests/run.ts) starts PostgreSQL and Meilisearch, builds the app and
// passes DATABASE_URL, MEILI_* and E2E_PORT; the web server below reads them.
const port = Number(process.env.E2E_PORT || 3105)
const baseURL = `http://127.0.0.1:${port}`
// Workers load this file too: keep the URL in the environment they inherit.
process.env.E2E_BASE_URL = baseURL

const passThrough = ['DATABASE_URL', 'MEILI_URL', 'MEILI_MASTER_KEY', 'MEILI_INDEX_PREFIX', 'KIZUNA_DEMO_CONTENT', 'KIZUNA_DATA_DIR', 'KIZUNA_BUILD_DIR', 'KIZUNA_RATE_LIMITS', 'KIZUNA_ALLOW_PRIVATE_URLS'] as const
const serverEnv: Record<string, string> = { PORT: String(port), HOST: '127.0.0.1', NODE_ENV: 'production' }
for (const name of passThrough) {
	const value = process.env[name]
	if (value !== undefined) serverEnv[name] = value
}

export default defineConfig({
	testDir: 'tests/e2e',
	// Separate output lets several runs share a checkout (see KIZUNA_TEST_REPORTS in tests/run.ts).
	outputDir: process.env.KIZUNA_TEST_REPORTS ? `${process.env.KIZUNA_TEST_REPORTS}/test-results` : 'test-results',
	workers: 1,
	fullyParallel: false,
	forbidOnly: !!process.env.CI,
	retries: process.env.CI ? 1 : 0,
	timeout: 30_000,
	expect: { timeout: 10_000 },
	// tests/run.ts adds the JSON report with --reporter=list,json.
	reporter: 'list',
	use: {
		baseURL: process.env.E2E_BASE_URL,
		launchOptions: {
			executablePath: '/usr/bin/chromium',
			args: [
				'--headless',
				'--no-sandbox',
				'--disable-gpu',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync',
				'--no-first-run',
			],
		},
		trace: 'retain-on-failure',
		locale: 'en-US',
	},
	projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
	webServer: {
		command: 'npx tsx app/server/main.ts',
		url: `${baseURL}/healthz`,
		env: serverEnv,
		timeout: 120_000,
		reuseExistingServer: false,
		stdout: 'pipe',
		stderr: 'pipe',
		gracefulShutdown: { signal: 'SIGTERM', timeout: 10_000 },
	},
})
