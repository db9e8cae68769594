/**
 * Building blocks of the fuzz suite (fuzz.spec.ts): hostile values as fast-check
 * arbitraries, requests sent as raw bytes over real HTTP, and the checks every
 * answer must pass whatever it was sent.
 */
import http from 'node:http'
import fc from 'fast-check'
import postgres from 'postgres'

// ------------------------------------------------------------------ hostile values

/** A field left out of the request altogether. */
export const MISSING = Symbol('missing')
export type FieldValue = string | typeof MISSING | string[]

const controls = ['\u0000', '\u0001', '\u0007', '\u0008', '\u000b', '\u000c', '\u001b', '\u007f', '\u0085', '\u2028', '\ufeff', '\r', '\r\n']
const invisible = ['\u200b', '\u200b\u200c\u200d', '\u00a0\u3000', '\u2060\u180e', '\u3164', ' \t ']
const loneSurrogates = ['\ud800', '\udfff', 'x\ud83dy', '\ude00\ud83d']

/** A list nested `depth` levels deep: each level is indented under the one before. */
const nestedList = (depth: number) => Array.from({ length: depth }, (_, i) => `${'  '.repeat(i)}- a`).join('\n')

/** Values that broke Kizuna or that any public endpoint meets sooner or later (issue 10). */
const hostileConstants = [
	'',
	'\u0000',
	'a\u0000b',
	'%00',
	'\u0000'.repeat(50),
	'>'.repeat(3000),
	`${'>'.repeat(3000)} deep quote`,
	nestedList(1500),
	'*a'.repeat(15_000),
	'_a'.repeat(10_000),
	'['.repeat(10_000),
	'`'.repeat(20_000),
	'x'.repeat(30_001),
	'x'.repeat(200_001),
	'<script>alert(1)</script>',
	'<img src=x onerror=alert(1)>',
	"'; drop table users; --",
	'${7*7}{{7*7}}',
	'../../../../etc/passwd',
	'-1',
	'0',
	'1.5',
	'1e309',
	'NaN',
	'Infinity',
	'0x10',
	'2147483648',
	'9223372036854775808',
	'-2147483649',
	'99999999999999999999999999',
	'9999-12-31',
	'0000-01-01',
	'275760-09-13',
	'2024-02-30',
	'true',
	'null',
	'[]',
	'{}',
	'__proto__',
	'constructor',
	'\r\nSet-Cookie: kz_session=stolen',
	'/%09/evil.example/x',
	'/\t/evil.example/x',
	'//evil.example',
	'/\\evil.example',
	'\u202etxt.exe',
	'ｆｕｌｌｗｉｄｔｈ　ｔｅｘｔ',
	'日本語のテキスト',
	'👩‍👩‍👧‍👦'.repeat(200),
	...controls,
	...invisible,
	...loneSurrogates,
]

// NUL first: PostgreSQL refuses it in text, so it finds every field that reaches the database unchecked.
const hostileChar = fc.oneof({ weight: 2, arbitrary: fc.constant('\u0000') }, { weight: 3, arbitrary: fc.constantFrom(...controls, ...loneSurrogates) })

/** Any hostile value: known troublemakers, arbitrary code points (lone surrogates included), long repeats. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
	{ weight: 5, arbitrary: fc.constantFrom(...hostileConstants) },
	{ weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
	{ weight: 1, arbitrary: fc.tuple(fc.constantFrom(...controls, ...invisible, '>', '*a', '- ', '|', '\\'), fc.integer({ min: 100, max: 4000 })).map(([s, n]) => s.repeat(n)) },
)

/** A valid value with a hostile character inside: it passes length checks and reaches the database. */
export const spiked = (valid: fc.Arbitrary<string>) =>
	fc.tuple(valid, hostileChar, fc.nat()).map(([value, char, at]) => {
		const i = at % (value.length + 1)
		return value.slice(0, i) + char + value.slice(i)
	})

/** A field's valid values, and what an attacker sends instead. */
export type FieldSpec = { valid: fc.Arbitrary<FieldValue | unknown>; bad: fc.Arbitrary<FieldValue | unknown> }

/** A form or query field: spiked, hostile, missing, or sent twice instead of its valid value. */
export const field = (valid: fc.Arbitrary<string>): FieldSpec => ({
	valid,
	bad: fc.oneof(
		{ weight: 3, arbitrary: spiked(valid) },
		{ weight: 3, arbitrary: hostileText },
		{ weight: 1, arbitrary: fc.constant(MISSING) },
		{ weight: 1, arbitrary: fc.tuple(hostileText, valid).map(([a, b]) => [a, b]) },
	),
})

/** Markdown that is costly or deep to render (issue 10): `>` × 3,000, a list 1,500 deep, `*a` × 15,000. */
const markdownBombs = ['>'.repeat(3000), nestedList(1500), '*a'.repeat(15_000), Array.from({ length: 800 }, (_, i) => `${'> '.repeat(i % 40)}- ${'['.repeat(i % 7)}x`).join('\n')]

/** A Markdown field: as `field`, and often a body that is expensive or deeply nested to render. */
export const markdown = (valid: fc.Arbitrary<string>): FieldSpec => ({
	valid,
	bad: fc.oneof({ weight: 1, arbitrary: fc.constantFrom(...markdownBombs) }, { weight: 1, arbitrary: field(valid).bad as fc.Arbitrary<FieldValue> }),
})

/**
 * The fields of a case. Mostly one field is bad and the others valid, so the bad
 * value gets past validation of the rest and reaches the domain code and the
 * database; sometimes every field is drawn freely.
 */
export function fieldsOf(specs: Record<string, FieldSpec>): fc.Arbitrary<Array<[string, unknown]>> {
	const names = Object.keys(specs)
	const draw = (pick: (name: string) => fc.Arbitrary<unknown>) => fc.record(Object.fromEntries(names.map((name) => [name, pick(name)])))
	const oneBad = fc.constantFrom(...names).chain((bad) => draw((name) => (name === bad ? specs[name]!.bad : specs[name]!.valid)))
	const anyBad = draw((name) => fc.oneof(specs[name]!.valid, specs[name]!.bad))
	return fc.oneof({ weight: 3, arbitrary: oneBad }, { weight: 1, arbitrary: anyBad }).map((record) => Object.entries(record))
}

export const idText = (valid: number | string) =>
	fc.oneof(
		{ weight: 2, arbitrary: fc.constant(String(valid)) },
		{ weight: 3, arbitrary: fc.constantFrom('0', '-1', '1.5', '2147483648', '9223372036854775808', '1e3', ' 1', '0x1', 'abc', '%00', '%2e%2e', '99999999999999999999') },
		{ weight: 1, arbitrary: fc.integer({ min: -(2 ** 40), max: 2 ** 40 }).map(String) },
	)

export const words = (min: number, max: number) => fc.stringMatching(new RegExp(`^[A-Za-z][A-Za-z ]{${min - 1},${max - 1}}$`)).map((s) => s.padEnd(min, 'x'))

/** A JSON API field: its own type, spiked, hostile, missing, or any other type. */
export const jsonField = (valid: fc.Arbitrary<unknown>): FieldSpec => ({
	valid,
	bad: fc.oneof(
		{ weight: 3, arbitrary: valid.chain((v) => (typeof v === 'string' ? spiked(fc.constant(v)) : fc.constant(v))) },
		{ weight: 3, arbitrary: hostileText },
		{ weight: 1, arbitrary: fc.constant(MISSING) },
		{ weight: 2, arbitrary: fc.constantFrom<unknown>(null, true, -1, 0, 1.5, 2 ** 31, 2 ** 63, -Number.MAX_SAFE_INTEGER, [], ['a', 'b'], {}, { $gt: '' }, [['\u0000']]) },
	),
})

// ------------------------------------------------------------------ requests

export type Body =
	| { kind: 'none' }
	| { kind: 'form'; fields: Array<[string, FieldValue]> }
	| { kind: 'multipart'; fields: Array<[string, FieldValue]> }
	| { kind: 'json'; value: unknown }
	| { kind: 'raw'; contentType: string | null; text: string }

export type Identity =
	| { kind: 'visitor' }
	| { kind: 'session'; role: string; cookie: string }
	| { kind: 'token'; role: string; token: string }
	| { kind: 'bad-cookie'; cookie: string }
	| { kind: 'bad-token'; header: string }

export type Origin = 'same' | 'foreign' | 'none' | 'null'

export type Case = { method: string; path: string; body: Body; identity: Identity; origin: Origin; forwardedFor?: string }

/** UTF-8, except that lone surrogates stay as the bytes a careless client sends for them (WTF-8). */
export function wtf8(text: string): Buffer {
	const bytes: number[] = []
	for (let i = 0; i < text.length; i++) {
		let code = text.charCodeAt(i)
		if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
			const next = text.charCodeAt(i + 1)
			if (next >= 0xdc00 && next <= 0xdfff) {
				code = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00)
				i++
			}
		}
		if (code < 0x80) bytes.push(code)
		else if (code < 0x800) bytes.push(0xc0 | (code >> 6), 0x80 | (code & 63))
		else if (code < 0x10000) bytes.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 63), 0x80 | (code & 63))
		else bytes.push(0xf0 | (code >> 18), 0x80 | ((code >> 12) & 63), 0x80 | ((code >> 6) & 63), 0x80 | (code & 63))
	}
	return Buffer.from(bytes)
}

/** Percent-encodes every byte but the unreserved ones, so any string (lone surrogates too) can be sent. */
export function percent(text: string): string {
	let out = ''
	for (const byte of wtf8(text)) {
		const c = String.fromCharCode(byte)
		out += /[A-Za-z0-9\-_.~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`
	}
	return out
}

export const query = (params: Array<[string, FieldValue]>) => {
	const pairs = params.flatMap(([name, value]) => (value === MISSING ? [] : (Array.isArray(value) ? value : [value]).map((v) => `${percent(name)}=${percent(v)}`)))
	return pairs.length > 0 ? `?${pairs.join('&')}` : ''
}

function encodeBody(body: Body): { contentType: string | null; bytes: Buffer | null } {
	switch (body.kind) {
		case 'none':
			return { contentType: null, bytes: null }
		case 'form':
			return { contentType: 'application/x-www-form-urlencoded', bytes: Buffer.from(query(body.fields).slice(1), 'latin1') }
		case 'multipart': {
			const boundary = '----kizunafuzz7MA4YWxkTrZu0gW'
			const parts: Buffer[] = []
			for (const [name, value] of body.fields) {
				if (value === MISSING) continue
				for (const v of Array.isArray(value) ? value : [value]) {
					parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n`), wtf8(v), Buffer.from('\r\n'))
				}
			}
			parts.push(Buffer.from(`--${boundary}--\r\n`))
			return { contentType: `multipart/form-data; boundary=${boundary}`, bytes: Buffer.concat(parts) }
		}
		case 'json':
			return { contentType: 'application/json', bytes: wtf8(JSON.stringify(body.value, (_key, v) => (v === MISSING ? undefined : v)) ?? '') }
		case 'raw':
			return { contentType: body.contentType, bytes: wtf8(body.text) }
	}
}

export type Answer = { status: number; contentType: string; location: string | null; text: string; ms: number }

/** The server closed the connection (or never answered) instead of answering. */
export class NoAnswer extends Error {
	constructor(
		readonly cause: NodeJS.ErrnoException,
		readonly sentBytes: number,
	) {
		super(`no answer: ${cause.message}`)
	}

	/** Closing the connection on a body over 1 MB is a refusal like 413: the client may see the close before the answer. */
	get refusedLargeBody(): boolean {
		return this.sentBytes > 1024 * 1024 && (this.cause.code === 'EPIPE' || this.cause.code === 'ECONNRESET')
	}
}

/**
 * Sends a case with node:http rather than Playwright's request fixture or fetch: the
 * fixture keeps a cookie jar (a sign-in case that succeeds would sign in every later
 * "visitor"), and a server that refuses a large body early (413) may close the
 * connection while the body is still being written, which fetch reports as a network
 * error instead of the answer it got.
 */
export function send(baseUrl: string, c: Case): Promise<Answer> {
	const { contentType, bytes } = encodeBody(c.body)
	const headers: Record<string, string> = { Accept: 'text/html,application/json;q=0.9,*/*;q=0.8' }
	if (contentType) headers['Content-Type'] = contentType
	if (bytes) headers['Content-Length'] = String(bytes.length)
	if (c.origin === 'same') headers.Origin = baseUrl
	if (c.origin === 'foreign') headers.Origin = 'https://evil.example'
	if (c.origin === 'null') headers.Origin = 'null'
	if (c.forwardedFor) headers['X-Forwarded-For'] = c.forwardedFor
	const id = c.identity
	if (id.kind === 'session' || id.kind === 'bad-cookie') headers.Cookie = id.cookie
	if (id.kind === 'token') headers.Authorization = `Bearer ${id.token}`
	if (id.kind === 'bad-token') headers.Authorization = id.header
	const started = performance.now()
	return new Promise((resolve, reject) => {
		let answered = false
		// A fresh connection each time: a reused keep-alive socket the server has just closed would read as ECONNRESET.
		const request = http.request(baseUrl + c.path, { method: c.method, headers, timeout: 20_000, agent: false }, (response) => {
			answered = true
			const chunks: Buffer[] = []
			const done = () =>
				resolve({
					status: response.statusCode ?? 0,
					contentType: response.headers['content-type'] ?? '',
					location: response.headers.location ?? null,
					text: Buffer.concat(chunks).toString('utf8'),
					ms: performance.now() - started,
				})
			response.on('data', (chunk: Buffer) => chunks.push(chunk))
			response.on('end', done)
			response.on('error', done)
		})
		request.on('timeout', () => request.destroy(new Error(`no answer within 20 s`)))
		// Writing the rest of a refused body may fail once the answer is in: that is the server's right.
		request.on('error', (error: NodeJS.ErrnoException) => (answered ? undefined : reject(new NoAnswer(error, bytes?.length ?? 0))))
		request.end(bytes ?? undefined)
	})
}

// ------------------------------------------------------------------ checks

/** Rows that a refused request must not change (everything people create through the site). */
const COUNTED = [
	'users', 'sessions', 'api_tokens', 'questions', 'answers', 'revisions', 'votes', 'me_toos', 'faqs', 'faq_revisions', 'faq_categories',
	'tutorials', 'tutorial_steps', 'tutorial_progress', 'content_feedback', 'search_clicks', 'learned_phrasings', 'accounts', 'account_domains', 'webhooks',
	// Not mails: the worker queues them in the background, after requests that succeeded.
	'email_preferences', 'auth_tokens', 'audit_events', 'flags',
]
export type Counts = Record<string, number>

export function database() {
	const url = process.env.DATABASE_URL
	if (!url) throw new Error('The fuzz suite counts rows in the server database: run it through npm test (it sets DATABASE_URL)')
	const sql = postgres(url, { max: 1, onnotice: () => {} })
	const counts = async (): Promise<Counts> => {
		const [row] = await sql.unsafe(`select ${COUNTED.map((t) => `(select count(*) from ${t})::int as ${t}`).join(', ')}`)
		return row as Counts
	}
	return { sql, counts }
}

export type Expect = 'api' | 'form' | 'page'

// A stack frame, a source path, or SQL: what an error must never show a client.
const LEAKS = [/\bat [\w.<>]+ \(?\/[^)\s]+:\d+:\d+/, /\/(?:work|app|home|root|usr)\/[\w./-]+\.(?:ts|tsx|js|mjs)\b/, /node_modules\//, /\b(?:select|insert into|update|delete from)\b[^<]{0,200}\b(?:from|where|values|set)\b/i, /PostgresError|ZodError|TypeError:|RangeError:/]

function reasonOf(answer: Answer): string | null {
	if (answer.contentType.includes('application/json')) {
		try {
			// An API's {"error": reason}, or a form action's result: Conform's messages, the form's own under "".
			const body = JSON.parse(answer.text) as { error?: unknown; result?: { error?: Record<string, unknown> } }
			const reason = body.error ?? (body.result?.error?.[''] as unknown[] | undefined)?.[0]
			return typeof reason === 'string' && reason.trim() !== '' ? reason : null
		} catch {
			return null
		}
	}
	if (answer.contentType.includes('text/html')) {
		// The form's message as the page shows it (an alert beside the form or the field), or the error page's.
		const formError = /role="alert">([^<]+)</.exec(answer.text)?.[1]
		if (formError?.trim()) return formError
		const page = /class="error-page"[^]*?<p>([^<]+)<\/p>/.exec(answer.text)?.[1]
		return page?.trim() ? page : null
	}
	return answer.text.trim() !== '' ? answer.text.trim().slice(0, 200) : null
}

/** What is wrong with an answer, whatever the input was; empty when nothing is. */
export function problems(kind: Expect, answer: Answer, baseUrl: string, before: Counts, after: Counts): string[] {
	const found: string[] = []
	const { status } = answer
	if (status >= 500) found.push(`answered ${status}`)
	// Node's HTTP parser answers 431 to a URL or headers over 16 KB before any handler runs: a refusal, with no room for a reason.
	if (status >= 400 && status !== 431) {
		const reason = reasonOf(answer)
		if (kind === 'api' && !(answer.contentType.includes('application/json') && reason)) found.push(`${status} without a JSON {"error": "<reason>"} (content-type ${answer.contentType || 'none'})`)
		if (kind !== 'api' && !reason) found.push(`${status} without a message for the person`)
		const changed = Object.keys(before).filter((table) => before[table] !== after[table])
		if (changed.length > 0) found.push(`refused with ${status} but stored rows in ${changed.map((t) => `${t} (${before[t]} → ${after[t]})`).join(', ')}`)
	}
	if (status >= 300 && status < 400) {
		if (kind === 'api') found.push(`the API answered a redirect (${status})`)
		// Browsers drop tabs and newlines from URLs, as the WHATWG parser does: /\t/evil.example is //evil.example.
		const target = answer.location === null ? null : new URL(answer.location, baseUrl)
		if (!target || target.origin !== new URL(baseUrl).origin) found.push(`redirects off-site: Location ${JSON.stringify(answer.location)}`)
	}
	const leak = LEAKS.find((pattern) => pattern.test(answer.text))
	if (leak) found.push(`shows internals (${leak.exec(answer.text)![0].slice(0, 120)})`)
	return found
}

/** A case in a line or two: long values are cut, invisible characters escaped. */
export function describe(c: Case): string {
	const short = (value: unknown): string => {
		if (value === MISSING) return '(missing)'
		const text = typeof value === 'string' ? value : JSON.stringify(value, (_k, v) => (v === MISSING ? '(missing)' : v)) ?? String(value)
		const cut = text.length > 60 ? `${text.slice(0, 40)}… (${text.length} chars)` : text
		return JSON.stringify(cut)
	}
	const body =
		c.body.kind === 'form' || c.body.kind === 'multipart'
			? `${c.body.kind} {${c.body.fields.map(([k, v]) => `${k}: ${Array.isArray(v) ? `[${v.map(short).join(', ')}]` : short(v)}`).join(', ')}}`
			: c.body.kind === 'json'
				? `json ${short(c.body.value)}`
				: c.body.kind === 'raw'
					? `raw ${c.body.contentType ?? '(no content-type)'} ${short(c.body.text)}`
					: 'no body'
	const who = c.identity.kind === 'session' || c.identity.kind === 'token' ? `${c.identity.kind}:${c.identity.role}` : c.identity.kind === 'bad-cookie' ? `cookie ${c.identity.cookie}` : c.identity.kind === 'bad-token' ? `authorization ${short(c.identity.header)}` : 'visitor'
	return `${c.method} ${short(c.path)} as ${who}, origin ${c.origin}${c.forwardedFor ? `, X-Forwarded-For ${c.forwardedFor}` : ''}: ${body}`
}
