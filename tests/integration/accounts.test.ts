import { execFile } from 'node:child_process'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { eq } from 'drizzle-orm'
import { beforeEach, describe, expect, it } from 'vitest'
import { assignMember, createAccount, getAccount, listAccounts, removeMember, updateAccount } from '../../app/accounts/accounts.server'
import { importAccountsCsv } from '../../app/accounts/import.server'
import { accountFiltersSchema, accountFormSchema } from '../../app/accounts/validation'
import { createUser, signUp } from '../../app/auth/users.server'
import { invalidInput } from '../../app/utils/http.server'
import { db } from '../../db/client.server'
import { users } from '../../db/schema'
import { person } from '../support/factories'
import { giveHistory, historyAccounts } from '../support/history'
import { refusal } from '../support/refusal'
import { resetData } from '../support/reset'

const accountInput = (overrides: Record<string, unknown> = {}) =>
	accountFormSchema.parse({ externalId: 'acme-1', name: 'Acme Corp', plan: 'Enterprise', size: '200-500', industry: 'Logistics', phase: 'onboarding', domains: 'acme.com', ...overrides })

const customer = (email: string) => signUp({ email, password: 'correct horse battery', displayName: email.split('@')[0]! })
const listAll = (actor: Parameters<typeof listAccounts>[0], filters: Record<string, string> = {}) => listAccounts(actor, accountFiltersSchema.parse(filters))
const memberEmails = async (cs: Parameters<typeof getAccount>[0], externalId: string) => (await getAccount(cs, externalId)).members.map((m) => m.email).sort()

const accountIdOf = async (userId: string) => (await db.select({ accountId: users.accountId }).from(users).where(eq(users.id, userId)))[0]!.accountId

describe('Customer accounts', () => {
	beforeEach(async () => {
		await resetData()
		// On a site without an admin the first sign-up becomes admin, not a customer.
		await person('admin')
	})

	it('lets people who sign up with an account domain join it, and only customers', async () => {
		const cs = await person('cs')
		await createAccount(cs, accountInput({ domains: ' Acme.COM ;@acme.co.jp\nacme.com' }))
		expect((await getAccount(cs, 'acme-1')).domains).toEqual(['acme.co.jp', 'acme.com'])

		await customer('aiko@ACME.com')
		await customer('ben@acme.co.jp')
		await customer('carla@other.example')
		await createUser({ email: 'staff@acme.com', password: 'correct horse battery', displayName: 'Staff', role: 'cs' })

		expect(await memberEmails(cs, 'acme-1')).toEqual(['aiko@ACME.com', 'ben@acme.co.jp'])
		expect((await listAll(cs)).accounts).toMatchObject([{ externalId: 'acme-1', name: 'Acme Corp', members: 2, domains: ['acme.co.jp', 'acme.com'] }])
	})

	it('attaches people who signed up before their domain was added, once', async () => {
		const cs = await person('cs')
		const early = await customer('early@globex.test')
		await createAccount(cs, accountInput({ externalId: 'globex', name: 'Globex', domains: '' }))
		expect(await memberEmails(cs, 'globex')).toEqual([])

		const saved = await updateAccount(cs, 'globex', accountInput({ externalId: 'globex', name: 'Globex', domains: 'globex.test' }))
		expect(saved.attached).toBe(1)
		expect(await memberEmails(cs, 'globex')).toEqual(['early@globex.test'])

		// Removing someone sticks: saving the account again does not bring them back.
		await removeMember(cs, 'globex', early.id)
		await updateAccount(cs, 'globex', accountInput({ externalId: 'globex', name: 'Globex Inc', domains: 'globex.test' }))
		expect(await memberEmails(cs, 'globex')).toEqual([])
	})

	it('moves what a person did when CS assign or remove them', async () => {
		const cs = await person('cs')
		await createAccount(cs, accountInput())
		await createAccount(cs, accountInput({ externalId: 'initech', name: 'Initech', domains: 'initech.test' }))
		const freelancer = await customer('freelancer@gmail.test')
		await giveHistory(freelancer.id)
		expect(await historyAccounts(freelancer.id)).toEqual({ events: [null], journeys: [null] })

		await assignMember(cs, 'acme-1', 'FREELANCER@gmail.test')
		expect((await getAccount(cs, 'acme-1')).members.map((m) => m.displayName)).toEqual(['freelancer'])
		const acmeId = await accountIdOf(freelancer.id)
		expect(acmeId).not.toBeNull()
		expect(await historyAccounts(freelancer.id)).toEqual({ events: [acmeId], journeys: [acmeId] })

		await assignMember(cs, 'initech', 'freelancer@gmail.test')
		const initechId = await accountIdOf(freelancer.id)
		expect(initechId).not.toBe(acmeId)
		expect(await historyAccounts(freelancer.id)).toEqual({ events: [initechId], journeys: [initechId] })
		expect(await memberEmails(cs, 'acme-1')).toEqual([])

		await removeMember(cs, 'initech', freelancer.id)
		expect(await memberEmails(cs, 'initech')).toEqual([])
		expect(await historyAccounts(freelancer.id)).toEqual({ events: [null], journeys: [null] })
	})

	it('refuses assignments that cannot work, with the reason on the email field', async () => {
		const cs = await person('cs')
		const product = await person('product')
		await createAccount(cs, accountInput())
		const nobody = await refusal(assignMember(cs, 'acme-1', 'nobody@acme.com'))
		expect(nobody).toMatchObject({ status: 404, fieldErrors: { email: 'Nobody has signed up with this email yet' } })
		const staff = await refusal(assignMember(cs, 'acme-1', product.email))
		expect(staff).toMatchObject({ status: 400, fieldErrors: { email: 'Only customers (members) can belong to an account' } })
		expect((await refusal(assignMember(cs, 'no-such-account', product.email))).status).toBe(404)
		expect((await refusal(removeMember(cs, 'acme-1', product.id))).status).toBe(404)
	})

	it('gives a domain to one account only and names the account that has it', async () => {
		const cs = await person('cs')
		await createAccount(cs, accountInput())
		const clash = await refusal(createAccount(cs, accountInput({ externalId: 'acme-2', name: 'Acme Japan', domains: 'acme.jp, ACME.com' })))
		expect(clash.status).toBe(409)
		expect(clash.fieldErrors.domains).toBe('Already used by another account: acme.com (Acme Corp, acme-1)')
		// Nothing of the refused account was kept.
		expect((await listAll(cs)).accounts.map((a) => a.externalId)).toEqual(['acme-1'])

		expect((await refusal(createAccount(cs, accountInput({ name: 'Acme again', domains: '' })))).fieldErrors).toEqual({ externalId: 'Another account already has this CRM id' })
		const badDomains = accountFormSchema.safeParse({ externalId: 'x', name: 'X', phase: 'adoption', domains: 'acme, ok.com, foo_bar.com' })
		expect(badDomains.success || invalidInput(badDomains.error).fieldErrors).toEqual({ domains: 'Not a valid domain: acme, foo_bar.com' })
		expect((await refusal(createAccount(cs, accountInput({ externalId: 'x', csmId: (await person()).id })))).fieldErrors).toEqual({ csmId: 'Choose a CS or admin person as the CSM' })
	})

	it('lets CS edit every field, filter the list and choose a CSM', async () => {
		const cs = await person('cs')
		await createAccount(cs, accountInput())
		await createAccount(cs, accountInput({ externalId: 'initech', name: 'Initech', plan: 'Starter', phase: 'adoption', domains: '', csmId: cs.id }))
		const moved = await updateAccount(cs, 'acme-1', accountInput({ externalId: 'ACME-001', name: 'Acme Corporation', plan: 'Starter', phase: 'expansion', domains: 'acme.com acme.org', csmId: cs.id }))
		expect(moved.url).toBe('/admin/accounts/ACME-001')
		expect(await getAccount(cs, 'ACME-001')).toMatchObject({ name: 'Acme Corporation', plan: 'Starter', phase: 'expansion', csmId: cs.id, domains: ['acme.com', 'acme.org'] })
		expect((await refusal(getAccount(cs, 'acme-1'))).status).toBe(404)

		expect((await listAll(cs, { phase: 'adoption' })).accounts.map((a) => a.name)).toEqual(['Initech'])
		expect((await listAll(cs, { plan: 'Starter', csm: cs.id })).accounts.map((a) => a.name)).toEqual(['Acme Corporation', 'Initech'])
		expect((await listAll(cs, { phase: 'not-a-phase' })).accounts).toHaveLength(2)
		expect((await listAll(cs)).plans).toEqual(['Starter'])
	})

	it('refuses members and anonymous visitors', async () => {
		const cs = await person('cs')
		const member = await person()
		await createAccount(cs, accountInput())
		expect((await refusal(createAccount(member, accountInput({ externalId: 'mine' })))).status).toBe(403)
		expect((await refusal(updateAccount(member, 'acme-1', accountInput()))).status).toBe(403)
		expect((await refusal(listAll(member))).status).toBe(403)
		expect((await refusal(getAccount(member, 'acme-1'))).status).toBe(403)
		expect((await refusal(assignMember(member, 'acme-1', member.email))).status).toBe(403)
		expect((await refusal(removeMember(member, 'acme-1', member.id))).status).toBe(403)
		expect((await refusal(listAll(null))).status).toBe(401)
	})
})

describe('Account import (CSV)', () => {
	beforeEach(async () => {
		await resetData()
		await person('admin')
	})

	it('checks the whole file first and writes nothing when any row is refused, naming every refused row', async () => {
		const cs = await person('cs')
		await createAccount(cs, accountInput({ externalId: 'taken', name: 'Taken Ltd', domains: 'taken.test' }))
		const csv = [
			'name,externalId,plan,size,industry,phase,domains',
			'Umbrella,umb-1,Enterprise,1000+,Pharma,Onboarding,umbrella.test;umbrella.jp',
			',no-name,Pro,,,adoption,',
			'Bad Phase,bad-phase,Pro,,,churned,',
			'Bad Domain,bad-domain,Pro,,,adoption,not a domain',
			'Clash,clash,Pro,,,adoption,taken.test',
			'Short row,short',
			'Umbrella again,umb-1,Pro,,,adoption,',
			'Same domain,same-domain,Pro,,,adoption,umbrella.jp',
			'"Nul\u0000 Corp",nul,Pro,,,adoption,',
			',,,,,,',
		].join('\n')
		const report = await importAccountsCsv(csv)
		expect(report).toEqual({
			created: 0,
			updated: 0,
			invalid: 8,
			attached: 0,
			errors: [
				{ row: 3, reason: 'name: Enter the account name' },
				{ row: 4, reason: 'phase: Choose onboarding, adoption or expansion' },
				{ row: 5, reason: 'domains: Not a valid domain: not, a, domain' },
				{ row: 6, reason: 'Already used by another account: taken.test (Taken Ltd, taken)' },
				{ row: 7, reason: 'has 2 values, the header has 7 columns' },
				{ row: 8, reason: 'externalId: umb-1 is also on row 2' },
				{ row: 9, reason: 'domains: umbrella.jp is also on row 2' },
				{ row: 10, reason: 'name: Contains an invisible control character; remove it and try again' },
			],
		})
		expect((await listAll(cs)).accounts.map((account) => account.externalId)).toEqual(['taken'])
	})

	it('writes nothing when only the last row is refused, and moves a domain between two accounts of the file', async () => {
		const cs = await person('cs')
		await createAccount(cs, accountInput({ externalId: 'a', name: 'A', domains: 'moving.test' }))
		await createAccount(cs, accountInput({ externalId: 'b', name: 'B', domains: 'b.test' }))
		const header = 'externalId,name,plan,size,industry,phase,domains'
		const rows = ['b,B,Pro,,,adoption,b.test;moving.test', 'a,A renamed,Pro,,,adoption,a.test', 'new-1,New One,Pro,,,adoption,new.test']
		const refused = await importAccountsCsv([header, ...rows, 'bad,,Pro,,,adoption,'].join('\n'))
		expect(refused).toEqual({ created: 0, updated: 0, invalid: 1, attached: 0, errors: [{ row: 5, reason: 'name: Enter the account name' }] })
		expect((await listAll(cs)).accounts.map((account) => [account.externalId, account.name, account.domains])).toEqual([
			['a', 'A', ['moving.test']],
			['b', 'B', ['b.test']],
		])
		// Without the bad row, everything loads in one go, whatever the order of the rows.
		expect(await importAccountsCsv([header, ...rows].join('\n'))).toEqual({ created: 1, updated: 2, invalid: 0, attached: 0, errors: [] })
		expect((await listAll(cs)).accounts.map((account) => [account.externalId, account.name, account.domains])).toEqual([
			['a', 'A renamed', ['a.test']],
			['b', 'B', ['b.test', 'moving.test']],
			['new-1', 'New One', ['new.test']],
		])
	})

	it('creates and updates accounts and attaches existing members', async () => {
		const cs = await person('cs')
		const early = await customer('dana@umbrella.test')
		await giveHistory(early.id)
		const csv = [
			'name,externalId,plan,size,industry,phase,domains',
			'Umbrella,umb-1,Enterprise,1000+,Pharma,Onboarding,umbrella.test;umbrella.jp',
			'"Stark, Industries",stark,Pro,50-200,Manufacturing,adoption,',
			',,,,,,',
		].join('\n')
		expect(await importAccountsCsv(csv)).toEqual({ created: 2, updated: 0, invalid: 0, attached: 1, errors: [] })
		const umbrella = await getAccount(cs, 'umb-1')
		expect(umbrella).toMatchObject({ name: 'Umbrella', plan: 'Enterprise', size: '1000+', industry: 'Pharma', phase: 'onboarding', domains: ['umbrella.jp', 'umbrella.test'] })
		expect(umbrella.members.map((m) => m.email)).toEqual(['dana@umbrella.test'])
		const umbrellaId = await accountIdOf(early.id)
		expect(await historyAccounts(early.id)).toEqual({ events: [umbrellaId], journeys: [umbrellaId] })
		expect((await getAccount(cs, 'stark')).name).toBe('Stark, Industries')

		// Re-importing updates by externalId and keeps the CSM chosen in Kizuna.
		await updateAccount(cs, 'stark', accountInput({ externalId: 'stark', name: 'Stark, Industries', phase: 'adoption', domains: '', csmId: cs.id }))
		const again = await importAccountsCsv('externalId,name,plan,size,industry,phase,domains\nstark,Stark Industries,Enterprise,200+,Defense,expansion,stark.test\n')
		expect(again).toEqual({ created: 0, updated: 1, invalid: 0, attached: 0, errors: [] })
		expect(await getAccount(cs, 'stark')).toMatchObject({ name: 'Stark Industries', plan: 'Enterprise', phase: 'expansion', csmId: cs.id, domains: ['stark.test'] })
	})

	it('refuses a file whose header or syntax is wrong, naming the problem', async () => {
		await expect(importAccountsCsv('externalId,name,size,industry,phase,domains\nx,X,,,adoption,\n')).rejects.toThrow(
			'Missing column plan: the header row needs the columns externalId, name, plan, size, industry, phase, domains',
		)
		await expect(importAccountsCsv('externalId,name,plan,size,industry,phase,domains,owner\n')).rejects.toThrow('Unknown column "owner"')
		await expect(importAccountsCsv('')).rejects.toThrow('The file is empty')
		await expect(importAccountsCsv('externalId,name,plan,size,industry,phase,domains\n"x,X\n')).rejects.toThrow('The file is not valid CSV')
	})

	it('runs from the command line and fails when the file cannot be read', async () => {
		const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kizuna-accounts-'))
		const file = path.join(dir, 'accounts.csv')
		await fs.writeFile(file, 'externalId,name,plan,size,industry,phase,domains\nwayne,Wayne Enterprises,Pro,,,adoption,wayne.test\nnul,"Nul\u0000",Pro,,,adoption,\nbad,,Pro,,,adoption,\n')
		const run = promisify(execFile)
		const env = { ...process.env, MEILI_INDEX_PREFIX: process.env.MEILI_INDEX_PREFIX ?? 'test_', KIZUNA_DATA_DIR: dir }
		const refused = await run('npx', ['tsx', 'app/server/cli.ts', 'accounts:import', file], { env }).catch((error: { code: number; stdout: string; stderr: string }) => error)
		expect(refused).toMatchObject({
			code: 1,
			stdout: expect.stringContaining('accounts: 0 created, 0 updated, 2 invalid\n  row 3: name: Contains an invisible control character; remove it and try again\n  row 4: name: Enter the account name\n'),
			stderr: expect.stringContaining('Nothing was imported: correct the rows above and import the file again.'),
		})
		const output = `${(refused as { stdout: string }).stdout}${(refused as { stderr: string }).stderr}`
		expect(output).not.toMatch(/insert into|select |\.ts:\d+|    at /i)
		expect((await listAll(await person('cs'))).accounts).toEqual([])

		await fs.writeFile(file, 'externalId,name,plan,size,industry,phase,domains\nwayne,Wayne Enterprises,Pro,,,adoption,wayne.test\n')
		const { stdout } = await run('npx', ['tsx', 'app/server/cli.ts', 'accounts:import', file], { env })
		expect(stdout).toContain('accounts: 1 created, 0 updated, 0 invalid\nAttached 0 existing member(s) by email domain.')

		const missing = await run('npx', ['tsx', 'app/server/cli.ts', 'accounts:import', path.join(dir, 'missing.csv')], { env }).catch((error: { code: number; stderr: string }) => error)
		expect(missing).toMatchObject({ code: 1, stderr: expect.stringContaining('Cannot read') })
		await fs.rm(dir, { recursive: true, force: true })
	}, 60_000)
})
