import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { buildIsCurrent, buildWhenChanged, fingerprintFile, inputsFingerprint, lockFile } from '../../app/server/build-when-changed'

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

	it('removes the last fingerprint before building, so an interrupted or failed build is never trusted', () => {
		const root = checkout()
		const buildDir = path.join(root, 'build')
		build(root, inputsFingerprint(root))
		let fingerprintDuringBuild = true
		const status = buildWhenChanged({ root, buildDir, forced: true, log: () => {}, build: () => ((fingerprintDuringBuild = existsSync(fingerprintFile(buildDir))), 1) })
		expect(status).toBe(1)
		expect(fingerprintDuringBuild).toBe(false)
		// The sources did not change, yet the half-made build is not taken for the old one.
		expect(buildIsCurrent(buildDir, inputsFingerprint(root))).toBe(false)
	})

	it('builds one start at a time per checkout: a second waits for the lock, then uses what the first built', () => {
		const root = checkout()
		const buildDir = path.join(root, 'build')
		const lock = lockFile(root)
		mkdirSync(path.dirname(lock), { recursive: true })
		// A live process (this one) holds the lock; while "it" builds, this start waits.
		writeFileSync(lock, `${process.pid}\n`)
		let waits = 0
		const sleep = () => {
			waits++
			build(root, inputsFingerprint(root))
			rmSync(lock)
		}
		let built = 0
		expect(buildWhenChanged({ root, buildDir, forced: false, sleep, log: () => {}, build: () => (built++, 0) })).toBe(0)
		expect([waits, built]).toEqual([1, 0])

		// A lock left by a process that died is taken over; the lock is held while building and released after.
		writeFileSync(lock, '2147483646\n')
		writeFileSync(path.join(root, 'app/routes/_index.tsx'), 'export default () => "changed"\n')
		let holder = ''
		expect(buildWhenChanged({ root, buildDir, forced: false, sleep: () => expect.fail('no wait for a dead holder'), log: () => {}, build: () => ((holder = readFileSync(lock, 'utf8').trim()), 0) })).toBe(0)
		expect(holder).toBe(String(process.pid))
		expect(existsSync(lock)).toBe(false)
		expect(buildIsCurrent(buildDir, inputsFingerprint(root))).toBe(true)
	})
})
