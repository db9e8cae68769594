import { defineConfig } from '@playwright/test'

// `npm test` (tests/run.ts) starts PostgreSQL and Meilisearch, migrates the template
// database and builds the app; each worker then starts its own server on a clone of
// that database (the `kizuna` fixture in tests/e2e/support.ts), so there is no shared webServer.
export default defineConfig({
	testDir: 'tests/e2e',
	// Separate output lets several runs share a checkout (see KIZUNA_TEST_REPORTS in tests/run.ts).
	outputDir: process.env.KIZUNA_TEST_REPORTS ? `${process.env.KIZUNA_TEST_REPORTS}/test-results` : 'test-results',
	// One per core: while a test runs, its browser and its worker's server keep a core busy.
	workers: 2,
	// Files, not single tests, are spread over the workers: the tests of a file share
	// its beforeAll fixtures (the fuzz suite's, the degraded server).
	fullyParallel: false,
	forbidOnly: !!process.env.CI,
	retries: process.env.CI ? 1 : 0,
	timeout: 30_000,
	expect: { timeout: 10_000 },
	// tests/run.ts adds the JSON report with --reporter=list,json.
	reporter: 'list',
	use: {
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
})
