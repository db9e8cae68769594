import fs from 'node:fs'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { describe, expect, it } from 'vitest'
import { handleBase } from '../../app/auth/handles.server'

const folder = path.resolve('db/migrations')
const journal = JSON.parse(fs.readFileSync(path.join(folder, 'meta/_journal.json'), 'utf8')) as { entries: Array<{ idx: number; tag: string }> }

async function apply(db: PGlite, tag: string) {
	for (const statement of fs.readFileSync(path.join(folder, `${tag}.sql`), 'utf8').split('--> statement-breakpoint')) {
		if (statement.trim()) await db.exec(statement)
	}
}

describe('migration 0009: handles and follows for people and threads from before notifications', () => {
	it('gives everyone a distinct handle by the sign-up rules, and makes askers, answerers and "me too" people followers', async () => {
		const db = await PGlite.create()
		try {
			for (const entry of journal.entries.filter((e) => e.idx < 9)) await apply(db, entry.tag)
			const names = ['Taro', 'Taro', 'Taro2', 'ＴＡＲＯ', 'Ada Lovelace the First Programmer Ever', '佐藤 美咲', 'X', '_Bob_']
			await db.exec(`
				insert into users (id, email, display_name, role) values
					${names.map((name, i) => `('u${i}', 'p${i}@x.test', '${name}', 'member')`).join(', ')};
				insert into questions (id, author_id, title, body, slug) values (1, 'u0', 'One', 'b', 'one');
				insert into answers (id, question_id, author_id, body) values (1, 1, 'u1', 'a'), (2, 1, 'u1', 'again');
				insert into me_toos (question_id, user_id) values (1, 'u2');
			`)
			await apply(db, '0009_notifications')
			const users = (await db.query<{ id: string; handle: string; verified: boolean }>('select id, handle, email_verified_at is not null as verified from users order by id')).rows
			const handles = users.map((user) => user.handle)
			expect(new Set(handles).size).toBe(names.length)
			// The first of each name keeps what sign-up would give it; later ones only add a suffix.
			expect(handles.slice(0, 4)).toEqual(['taro', expect.stringMatching(/^taro_[0-9a-f]{6}$/), 'taro2', expect.stringMatching(/^taro_[0-9a-f]{6}$/)])
			expect(handles.slice(4)).toEqual(names.slice(4).map(handleBase).map((base, i) => (i === 2 ? expect.stringMatching(/^user_[0-9a-f]{6}$/) : base)))
			for (const handle of handles) expect(handle).toMatch(/^[a-z0-9](?:[a-z0-9_]*[a-z0-9])?$/)
			expect(users.every((user) => user.verified)).toBe(true)
			const follows = await db.query('select user_id, question_id, following from question_follows order by user_id')
			expect(follows.rows).toEqual([
				{ user_id: 'u0', question_id: 1, following: true },
				{ user_id: 'u1', question_id: 1, following: true },
				{ user_id: 'u2', question_id: 1, following: true },
			])
		} finally {
			await db.close()
		}
	})
})
