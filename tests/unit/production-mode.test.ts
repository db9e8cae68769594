import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'

/** Starts a Node process as `npm start` starts the server (NODE_ENV unset), loads what main.ts loads first and then React, and says which React build it got. */
function reactBuild(args: string[], nodeEnv?: string): string {
	const { NODE_ENV: _unset, ...env } = process.env
	const script = `await import('./app/server/production-mode.ts'); const { createRequire } = await import('node:module'); const require = createRequire(import.meta.url); require('react'); console.log(Object.keys(require.cache).some((file) => file.endsWith('react.production.min.js')) ? 'production' : 'development')`
	return execFileSync('npx', ['tsx', '--input-type=module', '-e', script, '--', ...args], { encoding: 'utf8', env: (nodeEnv ? { ...env, NODE_ENV: nodeEnv } : env) as NodeJS.ProcessEnv }).trim()
}

describe('the server process', () => {
	it('renders with React’s production build unless told otherwise', () => {
		expect(reactBuild([])).toBe('production')
		expect(reactBuild(['--dev'])).toBe('development')
		expect(reactBuild([], 'development')).toBe('development')
	}, 60_000)
})
