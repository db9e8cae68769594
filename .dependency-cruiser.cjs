// The layers of Kizuna, lowest first (README, "Architecture"). A module imports from
// its own layer and the layers below it, never from one above. Checked in `npm test`
// (tests/unit/layers.test.ts) and by `npm run lint:layers`.

// Foundations: what every layer may use, because it needs no database, no search and
// no domain rule: helpers and HTTP adapters, translations, the configuration, content
// URLs and the Markdown renderer (search documents are built from its text).
const foundations = '^app/(utils|i18n|markdown)/|^app/config[.]server[.]ts$'
// The schema, migrations and connection.
const database = '^db/'
// Index settings, documents, sync and queries over what db/ holds.
const search = '^search/'
// Pages and the process that serves them: routes, components, the Remix entries and
// the Express server with its CLI.
const top = '^app/(routes|components|server|styles)/|^app/(root|entry[.]client|entry[.]server)[.]tsx$'
// Every other folder of app/ is a capability (auth, accounts, community, knowledge,
// insights, webhooks, jobs, demo): domain rules, each checking the permission table.
const capabilities = '^app/[^/]+/'
const tests = '^tests/'
const benchmarks = '^tests/bench/'

const either = (...patterns) => patterns.join('|')

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
	forbidden: [
		{
			name: 'foundations-import-nothing-above',
			comment: 'Foundations work without a database, search or any capability, so any layer can use them.',
			severity: 'error',
			from: { path: foundations },
			to: { path: either(database, search, capabilities, top), pathNot: foundations },
		},
		{
			name: 'db-imports-only-foundations',
			comment: 'db/ owns the schema and the connection; search, capabilities and pages build on it. Whatever writes through domain modules (the demo seed) lives in app/.',
			severity: 'error',
			from: { path: database },
			to: { path: either(search, capabilities, top), pathNot: foundations },
		},
		{
			name: 'search-imports-only-db-and-foundations',
			comment: 'search/ indexes what db/ holds; who may do what is decided by the capabilities above it.',
			severity: 'error',
			from: { path: search },
			to: { path: either(capabilities, top), pathNot: foundations },
		},
		{
			name: 'capabilities-import-no-pages',
			comment: 'Domain modules serve routes, components and the server; words that pages and domain modules share live in a capability.',
			severity: 'error',
			from: { path: capabilities, pathNot: either(foundations, top) },
			to: { path: top },
		},
		{
			name: 'no-circular',
			comment: 'Modules that import each other have no order in which they can be read, tested or loaded.',
			severity: 'error',
			from: {},
			to: { circular: true },
		},
		{
			name: 'no-circular-folders',
			comment: 'Capabilities depend on each other in one direction: auth (the permission table) is used by all and uses none of them.',
			severity: 'error',
			scope: 'folder',
			from: { path: '^(app|db|search)/' },
			to: { path: '^(app|db|search)/', circular: true },
		},
		{
			name: 'product-imports-no-tests',
			comment: 'tests/ is not deployed.',
			severity: 'error',
			from: { pathNot: tests },
			to: { path: tests },
		},
		{
			name: 'benchmarks-stay-apart',
			comment: 'Benchmarks and the relevance evaluation live in tests/bench/, and nothing else depends on them.',
			severity: 'error',
			from: { pathNot: benchmarks },
			to: { path: benchmarks },
		},
		{
			name: 'imports-resolve',
			comment: 'An import the check cannot resolve (a new path alias, a typo) would leave its layer unchecked.',
			severity: 'error',
			from: {},
			to: { couldNotResolve: true },
		},
	],
	options: {
		// Packages are leaves. They stay in the graph rather than being excluded, so an
		// import that resolves nowhere is still seen (and refused by imports-resolve).
		doNotFollow: { path: 'node_modules' },
		// Type-only imports count: they tie a module to the layer it names all the same.
		tsPreCompilationDeps: true,
		// ~/, #db/ and #search/ are resolved through tsconfig.json's paths.
		tsConfig: { fileName: 'tsconfig.json' },
		enhancedResolveOptions: {
			exportsFields: ['exports'],
			conditionNames: ['import', 'require', 'node', 'default', 'types'],
			extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'],
		},
	},
}
