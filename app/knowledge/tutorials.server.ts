import { and, asc, eq, gte, inArray, sql, type SQL } from 'drizzle-orm'
import { db, type Queryable } from '#db/client.server'
import { tutorialProgress, tutorials, tutorialSteps } from '#db/schema'
import { enqueueIndexTask } from '#search/sync.server'
import { recordEvent } from '~/insights/events.server'
import { authorize, can, type Actor } from '~/auth/permissions.server'
import { slugify, tutorialUrl } from '~/utils/urls'
import { renderMarkdown, storedHtml } from '~/markdown/markdown.server'
import { DomainError, notFound } from '~/utils/errors.server'
import { tutorialPhases, type TutorialInput } from './validation'
import type { ContentLanguage } from '~/utils/limits'
import { inScope, type LanguageScope } from '~/utils/content-language'
import type { EventPlace } from '~/utils/event-place'
import { assertLanguageFree, groupIdOf, translationGroup, translationTarget, translationsOf } from './translations.server'

function tutorialValues(input: TutorialInput) {
	return {
		title: input.title,
		slug: slugify(input.title),
		summary: input.summary,
		phase: input.phase,
		estimatedMinutes: input.estimatedMinutes,
		language: input.language,
		position: input.position,
		published: input.published,
	}
}

/** Inserts a tutorial with its steps and queues it for search; for the staff form and the demo content. */
export async function insertTutorial(tx: Queryable, input: TutorialInput, createdById: string | null) {
	const [tutorial] = await tx
		.insert(tutorials)
		.values({ ...tutorialValues(input), createdById })
		.returning({ id: tutorials.id, slug: tutorials.slug })
	await tx
		.insert(tutorialSteps)
		.values(input.steps.map((step, position) => ({ tutorialId: tutorial!.id, position, title: step.title, body: step.body, bodyHtml: renderMarkdown(step.body) })))
	await enqueueIndexTask(tx, 'tutorial', tutorial!.id)
	return { id: tutorial!.id, url: tutorialUrl(tutorial!) }
}

export async function createTutorial(actor: Actor | null, input: TutorialInput) {
	authorize(actor, 'knowledge:manage')
	return db.transaction((tx) => insertTutorial(tx, input, actor.id))
}

/**
 * "Translate to …": an unpublished copy in the other language with the original's
 * steps, for staff to translate, linked to it. Asking again opens the version that exists.
 */
export async function createTutorialTranslation(actor: Actor | null, id: number, language: ContentLanguage) {
	authorize(actor, 'knowledge:manage')
	return db.transaction(async (tx) => {
		const target = await translationTarget(tx, 'tutorial', id, language)
		if (target.existing) return { ...target.existing, created: false }
		const [source] = await tx.select().from(tutorials).where(eq(tutorials.id, id))
		const steps = await tx.select({ title: tutorialSteps.title, body: tutorialSteps.body }).from(tutorialSteps).where(eq(tutorialSteps.tutorialId, id)).orderBy(asc(tutorialSteps.position))
		const copy = await insertTutorial(
			tx,
			{ title: source!.title, summary: source!.summary, estimatedMinutes: source!.estimatedMinutes, phase: source!.phase, language, position: source!.position, published: false, steps },
			actor.id,
		)
		await tx.update(tutorials).set({ translationOfId: target.groupId }).where(eq(tutorials.id, copy.id))
		return { ...copy, created: true }
	})
}

async function findTutorial(id: number) {
	const [tutorial] = await db.select().from(tutorials).where(eq(tutorials.id, id))
	if (!tutorial) throw notFound('Tutorial')
	return tutorial
}

/**
 * Steps are matched by position and updated in place, so what people have
 * checked off stays checked for every position that still exists.
 */
export async function updateTutorial(actor: Actor | null, id: number, input: TutorialInput) {
	authorize(actor, 'knowledge:manage')
	const before = await findTutorial(id)
	return db.transaction(async (tx) => {
		if (input.language !== before.language) await assertLanguageFree(tx, 'tutorial', groupIdOf(before), input.language, id)
		const [tutorial] = await tx
			.update(tutorials)
			.set({ ...tutorialValues(input), updatedAt: new Date() })
			.where(eq(tutorials.id, id))
			.returning({ id: tutorials.id, slug: tutorials.slug })
		const existing = await tx.select().from(tutorialSteps).where(eq(tutorialSteps.tutorialId, id))
		const byPosition = new Map(existing.map((step) => [step.position, step]))
		for (const [position, step] of input.steps.entries()) {
			const current = byPosition.get(position)
			if (!current) {
				await tx.insert(tutorialSteps).values({ tutorialId: id, position, title: step.title, body: step.body, bodyHtml: renderMarkdown(step.body) })
			} else if (current.title !== step.title || current.body !== step.body || current.bodyHtml === null) {
				await tx.update(tutorialSteps).set({ title: step.title, body: step.body, bodyHtml: renderMarkdown(step.body) }).where(eq(tutorialSteps.id, current.id))
			}
		}
		await tx.delete(tutorialSteps).where(and(eq(tutorialSteps.tutorialId, id), gte(tutorialSteps.position, input.steps.length)))
		await enqueueIndexTask(tx, 'tutorial', id)
		return { id, url: tutorialUrl(tutorial!) }
	})
}

export async function setTutorialPublished(actor: Actor | null, id: number, published: boolean) {
	authorize(actor, 'knowledge:manage')
	const tutorial = await findTutorial(id)
	await db.transaction(async (tx) => {
		await tx.update(tutorials).set({ published, updatedAt: new Date() }).where(eq(tutorials.id, id))
		await enqueueIndexTask(tx, 'tutorial', id)
	})
	return { id, published, url: tutorialUrl(tutorial) }
}

/** Drafts exist only for staff: everyone else gets "not found", not "forbidden". */
async function findVisibleTutorial(id: number, viewer: Actor | null) {
	const tutorial = await findTutorial(id)
	if (!tutorial.published && !can(viewer, 'knowledge:manage')) throw notFound('Tutorial')
	return tutorial
}

/** Checks a step off (done) or un-checks it for the signed-in person; `place` as in createQuestion. */
export async function setStepDone(actor: Actor | null, tutorialId: number, stepId: number, done: boolean, place?: EventPlace) {
	authorize(actor, 'tutorial:progress')
	await findVisibleTutorial(tutorialId, actor)
	const [step] = await db
		.select({ id: tutorialSteps.id })
		.from(tutorialSteps)
		.where(and(eq(tutorialSteps.id, stepId), eq(tutorialSteps.tutorialId, tutorialId)))
	if (!step) throw new DomainError('not_found', 'That step is not part of this tutorial')
	if (done) {
		await db.transaction(async (tx) => {
			const inserted = await tx.insert(tutorialProgress).values({ userId: actor.id, stepId }).onConflictDoNothing().returning({ stepId: tutorialProgress.stepId })
			if (inserted.length > 0) await recordEvent(tx, { actor, visitorId: null, place }, { type: 'tutorial_step_done', targetType: 'tutorial', targetId: tutorialId })
		})
	} else {
		await db.delete(tutorialProgress).where(and(eq(tutorialProgress.userId, actor.id), eq(tutorialProgress.stepId, stepId)))
	}
	const [progress] = await tutorialsWithProgress(eq(tutorials.id, tutorialId), actor.id)
	return { stepId, done, progress: progressOf(progress!) }
}

function progressOf(row: { steps: number; done: number }) {
	return { done: row.done, total: row.steps, complete: row.steps > 0 && row.done === row.steps }
}

/** Tutorials with their step count and how many of those steps the person has done (0 for nobody). */
function tutorialsWithProgress(where: SQL | undefined, userId: string | null) {
	return db
		.select({
			tutorial: tutorials,
			steps: sql<number>`count(${tutorialSteps.id})::int`,
			done: sql<number>`count(${tutorialProgress.stepId})::int`,
		})
		.from(tutorials)
		.leftJoin(tutorialSteps, eq(tutorialSteps.tutorialId, tutorials.id))
		.leftJoin(tutorialProgress, and(eq(tutorialProgress.stepId, tutorialSteps.id), userId ? eq(tutorialProgress.userId, userId) : sql`false`))
		.where(where)
		.groupBy(tutorials.id)
		.orderBy(asc(tutorials.position), asc(tutorials.id))
}

/** The tutorial page: steps as HTML, the viewer's progress, and what the viewer may do. */
export async function getTutorial(id: number, viewer: Actor | null) {
	const tutorial = await findVisibleTutorial(id, viewer)
	const steps = await db.select().from(tutorialSteps).where(eq(tutorialSteps.tutorialId, id)).orderBy(asc(tutorialSteps.position))
	const doneIds = new Set<number>()
	if (viewer && steps.length > 0) {
		const rows = await db
			.select({ stepId: tutorialProgress.stepId })
			.from(tutorialProgress)
			.where(and(eq(tutorialProgress.userId, viewer.id), inArray(tutorialProgress.stepId, steps.map((s) => s.id))))
		for (const row of rows) doneIds.add(row.stepId)
	}
	return {
		id: tutorial.id,
		title: tutorial.title,
		slug: tutorial.slug,
		summary: tutorial.summary,
		phase: tutorial.phase,
		language: tutorial.language,
		estimatedMinutes: tutorial.estimatedMinutes,
		published: tutorial.published,
		url: tutorialUrl(tutorial),
		updatedAt: tutorial.updatedAt.toISOString(),
		translations: await translationsOf('tutorial', id),
		group: can(viewer, 'knowledge:manage') ? await translationGroup('tutorial', id) : [],
		steps: steps.map((step) => ({ id: step.id, title: step.title, html: storedHtml(step), done: doneIds.has(step.id) })),
		permissions: { manage: can(viewer, 'knowledge:manage'), progress: can(viewer, 'tutorial:progress') },
	}
}
export type TutorialPage = Awaited<ReturnType<typeof getTutorial>>

/** The tutorial as the edit form needs it (Markdown, not HTML). */
export async function getTutorialForEdit(actor: Actor | null, id: number) {
	authorize(actor, 'knowledge:manage')
	const tutorial = await findTutorial(id)
	const steps = await db
		.select({ title: tutorialSteps.title, body: tutorialSteps.body })
		.from(tutorialSteps)
		.where(eq(tutorialSteps.tutorialId, id))
		.orderBy(asc(tutorialSteps.position))
	return {
		id: tutorial.id,
		url: tutorialUrl(tutorial),
		values: {
			title: tutorial.title,
			summary: tutorial.summary,
			estimatedMinutes: tutorial.estimatedMinutes,
			phase: tutorial.phase,
			language: tutorial.language,
			position: tutorial.position,
			published: tutorial.published,
			steps,
		},
	}
}
export type TutorialFormValues = Awaited<ReturnType<typeof getTutorialForEdit>>['values']

function listItem(row: Awaited<ReturnType<typeof tutorialsWithProgress>>[number]) {
	const { tutorial } = row
	return {
		id: tutorial.id,
		title: tutorial.title,
		summary: tutorial.summary,
		url: tutorialUrl(tutorial),
		phase: tutorial.phase,
		language: tutorial.language,
		estimatedMinutes: tutorial.estimatedMinutes,
		published: tutorial.published,
		progress: progressOf(row),
	}
}

/** Every tutorial the viewer may see in the languages asked for, grouped by phase in lifecycle order (drafts for staff only). */
export async function listTutorials(viewer: Actor | null, languages: LanguageScope = { language: null, all: true }) {
	const rows = await tutorialsWithProgress(can(viewer, 'knowledge:manage') ? undefined : eq(tutorials.published, true), viewer?.id ?? null)
	const items = inScope(rows.map(listItem), languages)
	return tutorialPhases
		.map((phase) => ({ phase, tutorials: items.filter((item) => item.phase === phase) }))
		.filter((group) => group.tutorials.length > 0)
}

/**
 * The published onboarding tutorials in order, with how far the person has got in
 * each; the home page asks for the reader's language, insights count every language.
 */
export async function onboardingChecklist(userId: string | null, languages: LanguageScope = { language: null, all: true }) {
	const rows = await tutorialsWithProgress(and(eq(tutorials.published, true), eq(tutorials.phase, 'onboarding')), userId)
	return inScope(rows.map(listItem), languages)
}

/** How many published onboarding tutorials there are, and how many the person finished every step of. */
export async function onboardingCompletion(userId: string): Promise<{ total: number; completed: number }> {
	const checklist = await onboardingChecklist(userId)
	return { total: checklist.length, completed: checklist.filter((item) => item.progress.complete).length }
}
