import fs from 'node:fs'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { describe, expect, it } from 'vitest'
import { dailyJobId } from '../../app/insights/jobs.server'

const folder = path.resolve('db/migrations')
const journal = JSON.parse(fs.readFileSync(path.join(folder, 'meta/_journal.json'), 'utf8')) as { entries: Array<{ idx: number; tag: string }> }
const migration = journal.entries.find((entry) => entry.tag.endsWith('_job_queue'))!

async function apply(db: PGlite, tag: string) {
	for (const statement of fs.readFileSync(path.join(folder, `${tag}.sql`), 'utf8').split('--> statement-breakpoint')) {
		if (statement.trim()) await db.exec(statement)
	}
}

describe('migration job_queue: the hand-written queues become pg-boss jobs', () => {
	it('carries pending index tasks, pending webhook deliveries and the next daily run over as jobs', async () => {
		const db = await PGlite.create()
		try {
			for (const entry of journal.entries.filter((e) => e.idx < migration.idx)) await apply(db, entry.tag)
			await db.exec(`
				insert into search_index_tasks (document_type, entity_id) values ('question', 1), ('question', 1), ('faq', 2);
				insert into search_index_tasks (document_type, entity_id, parked_at) values ('tutorial', 3, now());
				insert into webhooks (id, url, secret, events) values (1, 'https://hooks.example.com/', 'a-secret-of-sixteen', '["question.created"]');
				insert into webhook_deliveries (id, webhook_id, event, payload, status, attempts, next_attempt_at) values
					(1, 1, 'question.created', '{}', 'pending', 2, '2030-01-01T00:00:00Z'),
					(2, 1, 'question.created', '{}', 'delivered', 1, now());
				insert into scheduled_runs (name, last_run_on) values ('account.daily_metrics', '2026-05-09');
			`)
			await apply(db, migration.tag)
			const jobs = await db.query<{ id: string; name: string; data: unknown; singleton_key: string | null; start_after: Date; state: string }>(
				'select id, name, data, singleton_key, start_after, state from pgboss.job order by name, singleton_key',
			)
			expect(jobs.rows.map(({ name, data, singleton_key, state }) => ({ name, data, singleton_key, state }))).toEqual([
				{ name: 'insights-daily', data: { day: '2026-05-10' }, singleton_key: null, state: 'created' },
				// One job per document; a task set aside for good is not retried.
				{ name: 'search-index', data: { type: 'faq', id: 2 }, singleton_key: 'faq:2', state: 'created' },
				{ name: 'search-index', data: { type: 'question', id: 1 }, singleton_key: 'question:1', state: 'created' },
				{ name: 'webhook-delivery', data: { deliveryId: 1 }, singleton_key: '1', state: 'created' },
			])
			const daily = jobs.rows[0]!
			expect(daily.id).toBe(dailyJobId('2026-05-10'))
			expect(new Date(daily.start_after).toISOString()).toBe('2026-05-11T00:00:00.000Z')
			expect(new Date(jobs.rows[3]!.start_after).toISOString()).toBe('2030-01-01T00:00:00.000Z')
			const tables = await db.query("select tablename from pg_tables where tablename in ('search_index_tasks', 'scheduled_runs')")
			expect(tables.rows).toEqual([])
		} finally {
			await db.close()
		}
	})
})
