import fs from 'node:fs'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { describe, expect, it } from 'vitest'

const folder = path.resolve('db/migrations')
const journal = JSON.parse(fs.readFileSync(path.join(folder, 'meta/_journal.json'), 'utf8')) as { entries: Array<{ idx: number; tag: string }> }

async function apply(db: PGlite, tag: string) {
	for (const statement of fs.readFileSync(path.join(folder, `${tag}.sql`), 'utf8').split('--> statement-breakpoint')) {
		if (statement.trim()) await db.exec(statement)
	}
}

describe('migration 0007: learned phrasings taught before only signed-in people could teach', () => {
	it('stops counting phrasings taught by visitors or too few people, and requeues their documents', async () => {
		const db = await PGlite.create()
		try {
			for (const entry of journal.entries.filter((e) => e.idx < 7)) await apply(db, entry.tag)
			await db.exec(`
				insert into users (id, email, display_name, role) values ('u1', 'a@x.test', 'A', 'member'), ('u2', 'b@x.test', 'B', 'member'), ('u3', 'c@x.test', 'C', 'member'), ('s1', 's@x.test', 'S', 'cs');
				insert into questions (id, author_id, title, body, slug, frequency) values (1, 'u1', 'One', 'b', 'one', 3), (2, 'u1', 'Two', 'b', 'two', 2);
				insert into learned_phrasings (id, target_type, target_id, phrasing, normalized, count, hidden) values
					(1, 'question', 1, 'bought', 'bought', 26, false),
					(2, 'question', 1, 'earned', 'earned', 3, false),
					(3, 'question', 2, 'by staff', 'by staff', 1, false);
				insert into learned_phrasing_voters (phrasing_id, voter_key)
					select 1, 'visitor:' || n from generate_series(1, 25) n
					union all values (1, 'u1'), (2, 'u1'), (2, 'u2'), (2, 'u3'), (3, 's1');
			`)
			await apply(db, '0007_rate_limits')
			const phrasings = await db.query('select id, count, active from learned_phrasings order by id')
			expect(phrasings.rows).toEqual([
				{ id: 1, count: 1, active: false },
				{ id: 2, count: 3, active: true },
				{ id: 3, count: 1, active: true },
			])
			const teachers = await db.query('select phrasing_id, user_id, staff from learned_phrasing_voters where phrasing_id = 1 or phrasing_id = 3 order by phrasing_id')
			expect(teachers.rows).toEqual([
				{ phrasing_id: 1, user_id: 'u1', staff: false },
				{ phrasing_id: 3, user_id: 's1', staff: true },
			])
			// One: 1 + the phrasing still counted; two: 1 + the staff one.
			expect((await db.query('select id, frequency from questions order by id')).rows).toEqual([
				{ id: 1, frequency: 2 },
				{ id: 2, frequency: 2 },
			])
			expect((await db.query('select document_type, entity_id from search_index_tasks')).rows).toEqual([{ document_type: 'question', entity_id: 1 }])
		} finally {
			await db.close()
		}
	})
})
