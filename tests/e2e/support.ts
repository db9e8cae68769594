import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { expect, type Page } from '@playwright/test'

let counter = 0
export const unique = (label: string) => `${label}-${Date.now().toString(36)}-${++counter}`

/** Runs `npm run cli -- …` against the same database and search as the server under test. */
export function cli(...args: string[]): string {
	return execFileSync('npx', ['tsx', 'app/server/cli.ts', ...args], { encoding: 'utf8', env: process.env })
}

/** `npm run cli -- import FILE` with this content (questions, FAQs, tutorials); returns the CLI's report. */
export function importContent(content: object): string {
	const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kizuna-import-')), 'content.json')
	fs.writeFileSync(file, JSON.stringify(content))
	return cli('import', file)
}

/** A person made through the CLI; `email` chooses their address, e.g. at a customer account's domain. */
export function createUser(role: 'member' | 'cs' | 'product' | 'admin', email = `${unique(role)}@example.test`) {
	const password = 'correct horse battery'
	cli('user:create', '--email', email, '--password', password, '--role', role, '--name', `${role} ${counter}`)
	return { email, password }
}

export function apiToken(email: string): string {
	const lines = cli('token:create', '--email', email).trim().split('\n')
	return lines[lines.length - 1]!.trim()
}

export async function signUp(page: Page, name = unique('Person')) {
	const email = `${name.toLowerCase()}@example.test`
	const password = 'correct horse battery'
	await page.goto('/signup')
	await page.getByLabel('Name').fill(name)
	await page.getByLabel('Email').fill(email)
	await page.getByLabel('Password').fill(password)
	await page.getByRole('button', { name: 'Sign up' }).click()
	await expect(page.getByText(name, { exact: true })).toBeVisible()
	return { name, email, password }
}

export async function signIn(page: Page, user: { email: string; password: string }) {
	await page.goto('/signin')
	await page.getByLabel('Email').fill(user.email)
	await page.getByLabel('Password').fill(user.password)
	await page.getByRole('button', { name: 'Sign in' }).click()
	await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible()
}

/** Asks through the form and returns the question page's URL. */
export async function askQuestion(page: Page, input: { title: string; body: string; tags?: string }) {
	await page.goto('/questions/ask')
	await page.getByLabel('Title').fill(input.title)
	await page.getByLabel('Details').fill(input.body)
	if (input.tags) await page.getByLabel('Tags').fill(input.tags)
	await page.getByRole('button', { name: 'Post your question' }).click()
	await expect(page.getByRole('heading', { level: 1, name: input.title })).toBeVisible()
	return page.url()
}
