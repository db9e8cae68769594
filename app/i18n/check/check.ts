import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { JavascriptLexer, JsxLexer } from 'i18next-parser'
import ts from 'typescript'

/**
 * The translation check behind `npm run i18n:check` and tests/unit/translations.test.ts.
 *
 * Keys are the English text. i18next-parser's lexers find the keys passed to
 * `t()` (and `// t('…')` hints in comments). Refusals written on the server are
 * keys too, translated where they are shown, so the messages given to
 * `DomainError`, `notFound()`, `translateRefusal()` and zod (`message:`, `.min(n, '…')`…) are
 * extracted from their positions here. A key is used if it is extracted, matches
 * a key built in a template (`t(\`role.${role}\`)`), or is written as a string
 * literal anywhere (labels held in tables and passed to `t(label)` later).
 */

export type SourceFile = { path: string; text: string }
type Definition = { key: string; file: string; line: number; value: string }
type Extracted = { file: string; plural: boolean }

/** Plural suffixes i18next adds to a key used with `count` (en needs one/other, ja other). */
const PLURAL = /_(zero|one|two|few|many|other)$/

/** A key that names something (`role.admin`) rather than saying it: English must define it. */
const IDENTIFIER = /^[a-z][\w-]*(\.[\w-]+)+$/

/** Zod checks whose last argument is the message shown when they fail. */
const ZOD_CHECKS = new Set(['min', 'max', 'length', 'regex', 'email', 'url', 'uuid', 'int', 'positive', 'nonnegative', 'negative', 'nonpositive', 'refine', 'nonempty', 'datetime', 'date', 'gt', 'gte', 'lt', 'lte', 'multipleOf', 'finite', 'safe'])
/** Properties whose text reaches people: zod's messages and the JSON refusals written before Remix runs. */
const MESSAGE_PROPERTIES = new Set(['message', 'required_error', 'invalid_type_error', 'error'])

const scriptKind = (file: string) => (file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS)
const parse = (source: SourceFile) => ts.createSourceFile(source.path, source.text, ts.ScriptTarget.Latest, true, scriptKind(source.path))

const literalText = (node: ts.Node | undefined): string | undefined =>
	node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) ? node.text : undefined

/** The texts an argument can be: a literal, or either side of `a ? 'X' : 'Y'`. */
const literalTexts = (node: ts.Node | undefined): string[] => {
	if (node && ts.isParenthesizedExpression(node)) return literalTexts(node.expression)
	if (node && ts.isConditionalExpression(node)) return [...literalTexts(node.whenTrue), ...literalTexts(node.whenFalse)]
	const text = literalText(node)
	return text === undefined ? [] : [text]
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** Its static text, where a number may also be the `{{n0}}` that translateRefusal puts in its place. */
const staticPattern = (text: string) => escapeRegExp(text).replace(/\d+/g, '(?:\\d+|\\{\\{n\\d+\\}\\})')

/** `t(\`role.${role}\`)`: the keys it can build, as a pattern. */
function templatePattern(template: ts.TemplateExpression): RegExp {
	const parts = [staticPattern(template.head.text), ...template.templateSpans.map((span) => `.+${staticPattern(span.literal.text)}`)]
	return new RegExp(`^${parts.join('')}$`)
}

/** A template with words of its own, not one that only joins values (`${where}${message}`). */
const isSentence = (template: ts.TemplateExpression) => {
	const text = [template.head.text, ...template.templateSpans.map((span) => span.literal.text)].join('')
	return /\s/.test(text.trim()) && (text.match(/\p{L}/gu) ?? []).length >= 6
}

const isTranslateCall = (node: ts.CallExpression) =>
	(ts.isIdentifier(node.expression) && node.expression.text === 't') || (ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 't')

/** What one source file says about keys, beyond what the lexers extract. */
function scan(source: SourceFile) {
	const messages: string[] = []
	const literals: string[] = []
	const templates: RegExp[] = []
	const visit = (node: ts.Node) => {
		const text = literalText(node)
		if (text !== undefined) literals.push(text)
		if (ts.isTemplateExpression(node)) {
			// `Not a valid domain: ${list}` is shown as its translated head and the list.
			if (node.head.text.endsWith(': ')) literals.push(node.head.text.slice(0, -2))
			// `${label} is not a real date` is one of the keys it can build ("from is not a real date").
			if (isSentence(node)) templates.push(templatePattern(node))
		}
		if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'DomainError') {
			messages.push(...literalTexts(node.arguments?.[1]))
		}
		if (ts.isCallExpression(node)) {
			const callee = node.expression
			if (ts.isIdentifier(callee) && callee.text === 'translateRefusal') messages.push(...literalTexts(node.arguments[1]))
			if (ts.isIdentifier(callee) && callee.text === 'notFound') messages.push(...literalTexts(node.arguments[0]).map((what) => `${what} not found`))
			if (ts.isPropertyAccessExpression(callee) && ZOD_CHECKS.has(callee.name.text)) {
				const message = literalText(node.arguments.at(-1))
				if (message !== undefined) messages.push(message)
			}
			const first = node.arguments[0]
			if (isTranslateCall(node) && first && ts.isTemplateExpression(first)) templates.push(templatePattern(first))
		}
		if (ts.isPropertyAssignment(node) && (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name)) && MESSAGE_PROPERTIES.has(node.name.text)) {
			const message = literalText(node.initializer)
			if (message !== undefined) messages.push(message)
		}
		ts.forEachChild(node, visit)
	}
	visit(parse(source))
	return { messages, literals, templates }
}

/** The keys a catalog file defines, in order, with their lines: duplicates within one object are still there. */
export function catalogDefinitions(source: SourceFile): Definition[] {
	const file = parse(source)
	const definitions: Definition[] = []
	const visit = (node: ts.Node) => {
		if (ts.isPropertyAssignment(node) && ts.isObjectLiteralExpression(node.parent)) {
			const key = ts.isIdentifier(node.name) || ts.isStringLiteral(node.name) ? node.name.text : undefined
			const value = literalText(node.initializer)
			if (key !== undefined && value !== undefined) {
				definitions.push({ key, value, file: path.basename(source.path), line: file.getLineAndCharacterOfPosition(node.getStart()).line + 1 })
			}
		}
		ts.forEachChild(node, visit)
	}
	visit(file)
	return definitions
}

const variables = (text: string) => [...text.matchAll(/\{\{\s*(\w+)/g)].map((match) => match[1]).sort().join(',')

/** Every problem, each naming its key; none means the catalogs and the code agree. */
export function findProblems(input: { sources: SourceFile[]; en: SourceFile; ja: SourceFile[] }): string[] {
	const extracted = new Map<string, Extracted>()
	const literals = new Set<string>()
	const templates: RegExp[] = []
	for (const source of input.sources) {
		const lexer = source.path.endsWith('.tsx') ? new JsxLexer({ functions: ['t'] }) : new JavascriptLexer({ functions: ['t'] })
		for (const entry of lexer.extract(source.text, source.path)) {
			const known = extracted.get(entry.key)
			extracted.set(entry.key, { file: source.path, plural: Boolean(known?.plural) || entry.count !== undefined })
		}
		const found = scan(source)
		for (const message of found.messages) if (!extracted.has(message)) extracted.set(message, { file: source.path, plural: false })
		for (const literal of found.literals) literals.add(literal)
		templates.push(...found.templates)
	}

	const problems: string[] = []
	const en = catalogDefinitions(input.en)
	const ja = input.ja.flatMap(catalogDefinitions)

	for (const definitions of [en, ja]) {
		const byKey = new Map<string, Definition[]>()
		for (const definition of definitions) byKey.set(definition.key, [...(byKey.get(definition.key) ?? []), definition])
		for (const [key, places] of byKey) {
			if (places.length > 1) problems.push(`"${key}" is defined ${places.length} times: ${places.map((place) => `${place.file}:${place.line}`).join(', ')}`)
		}
	}

	const enKeys = new Map(en.map((definition) => [definition.key, definition]))
	const jaKeys = new Map(ja.map((definition) => [definition.key, definition]))
	const baseOf = (key: string) => key.replace(PLURAL, '')

	for (const [key, use] of extracted) {
		if (use.plural) {
			// A number that is not a plural ("Page {{page}} of {{count}}") is one key in every language.
			if (jaKeys.has(key)) continue
			for (const form of ['one', 'other']) if (!enKeys.has(`${key}_${form}`)) problems.push(`"${key}_${form}" (plural of a key used in ${use.file}) has no English`)
			if (!jaKeys.has(`${key}_other`)) problems.push(`"${key}_other" (plural of a key used in ${use.file}) has no Japanese`)
			continue
		}
		if (IDENTIFIER.test(key) && !enKeys.has(key)) problems.push(`"${key}" (used in ${use.file}) has no English`)
		if (!jaKeys.has(key)) problems.push(`"${key}" (used in ${use.file}) has no Japanese`)
	}
	// Keys built at run time are only listed in the catalogs: each English one needs its Japanese.
	for (const key of enKeys.keys()) {
		const japanese = PLURAL.test(key) ? `${baseOf(key)}_other` : key
		if (!jaKeys.has(japanese)) problems.push(`"${japanese}" (defined in English) has no Japanese`)
	}

	const used = (key: string) => extracted.has(key) || literals.has(key) || templates.some((pattern) => pattern.test(key))
	for (const definition of [...en, ...ja]) {
		if (!used(baseOf(definition.key))) problems.push(`"${definition.key}" (${definition.file}:${definition.line}) is used nowhere`)
		if (definition.value.trim() === '') problems.push(`"${definition.key}" (${definition.file}:${definition.line}) is empty`)
		else if (variables(definition.value) !== variables(enKeys.get(definition.key)?.value ?? baseOf(definition.key))) {
			problems.push(`"${definition.key}" (${definition.file}:${definition.line}) does not use the same {{placeholders}} as its English`)
		}
	}
	return [...new Set(problems)]
}

/** Product code that can show text: everything under app/, search/ and db/ but tests, benchmarks, the catalogs and this check. */
export function productSources(root: string): SourceFile[] {
	return ['app', 'search', 'db']
		.flatMap((dir) => readdirSync(path.join(root, dir), { recursive: true, encoding: 'utf8' }).map((file) => path.join(dir, file)))
		.filter((file) => /\.tsx?$/.test(file) && !/\.test\.tsx?$/.test(file) && !file.split(path.sep).includes('bench'))
		.filter((file) => !file.startsWith(path.join('app', 'i18n', 'check')) && !/^app\/i18n\/(en|ja-[\w-]+)\.ts$/.test(file))
		.sort()
		.map((file) => ({ path: file, text: readFileSync(path.join(root, file), 'utf8') }))
}

/** The catalogs as files: en.ts and every ja-*.ts in app/i18n. */
export function catalogSources(root: string): { en: SourceFile; ja: SourceFile[] } {
	const dir = path.join(root, 'app', 'i18n')
	const read = (file: string) => ({ path: path.join('app', 'i18n', file), text: readFileSync(path.join(dir, file), 'utf8') })
	const ja = readdirSync(dir)
		.filter((file) => /^ja-[\w-]+\.ts$/.test(file))
		.sort()
		.map(read)
	return { en: read('en.ts'), ja }
}

export const checkTranslations = (root: string) => findProblems({ sources: productSources(root), ...catalogSources(root) })
