import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { buildIsCurrent, fingerprintFile, inputsFingerprint } from '../../app/server/build-when-changed'

const roots: string[] = []
afterEach(() => roots.splice(0).forEach((root) => rmSync(root, { recursive: true, force: true })))

function checkout() {
	const root = mkdtempSync(path.join(tmpdir(), 'kizuna-start-'))
	roots.push(root)
	mkdirSync(path.join(root, 'app/routes'), { recursive: true })
	writeFileSync(path.join(root, 'app/routes/_index.tsx'), 'export default () => null\n')
	writeFileSync(path.join(root, 'package-lock.json'), '{}\n')
	return root
}

function build(root: string, fingerprint: string) {
	mkdirSync(path.join(root, 'build/server'), { recursive: true })
	writeFileSync(path.join(root, 'build/server/index.js'), '')
	writeFileSync(fingerprintFile(path.join(root, 'build')), `${fingerprint}\n`)
}

describe('npm start builds only when needed', () => {
	it('builds a fresh clone, then not again until a source or the lockfile changes', () => {
		const root = checkout()
		const buildDir = path.join(root, 'build')
		expect(buildIsCurrent(buildDir, inputsFingerprint(root))).toBe(false)
		build(root, inputsFingerprint(root))
		expect(buildIsCurrent(buildDir, inputsFingerprint(root))).toBe(true)

		writeFileSync(path.join(root, 'app/routes/_index.tsx'), 'export default () => "changed"\n')
		expect(buildIsCurrent(buildDir, inputsFingerprint(root))).toBe(false)
		build(root, inputsFingerprint(root))
		writeFileSync(path.join(root, 'package-lock.json'), '{"lockfileVersion":3}\n')
		expect(buildIsCurrent(buildDir, inputsFingerprint(root))).toBe(false)
		build(root, inputsFingerprint(root))
		writeFileSync(path.join(root, 'app/routes/new.tsx'), '')
		expect(buildIsCurrent(buildDir, inputsFingerprint(root))).toBe(false)
	})

	it('does not trust a build without its server bundle', () => {
		const root = checkout()
		build(root, inputsFingerprint(root))
		rmSync(path.join(root, 'build/server/index.js'))
		expect(buildIsCurrent(path.join(root, 'build'), inputsFingerprint(root))).toBe(false)
	})
})
