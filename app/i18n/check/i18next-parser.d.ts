import type { EventEmitter } from 'node:events'

// i18next-parser exports its lexers but its types leave them out.
declare module 'i18next-parser' {
	type Lexer = EventEmitter & { extract(content: string, filename: string): { key: string; count?: unknown }[] }
	export const JavascriptLexer: new (options: { functions: string[] }) => Lexer
	export const JsxLexer: new (options: { functions: string[] }) => Lexer
}
