import type { PostState, Role } from '#db/schema'
import { DomainError, type DomainErrorCode } from '~/utils/errors.server'

/** `emailVerified`: this person proved they read mail at `email`; until then they may read, vote and follow, not post. */
export type Actor = { id: string; role: Role; displayName: string; email: string; emailVerified: boolean }

/** A question or answer as the rules see it: who wrote it (for accepting, the question's asker). */
export type Post = { authorId: string }
/** A question to answer: one closed as a duplicate takes no more answers, which belong with the original; a locked one takes none at all. */
export type AnswerableQuestion = Post & { duplicateOfQuestionId: number | null; duplicateOfFaqId: number | null; lockedAt: Date | null; lockReason: string | null }
/**
 * A question to turn into an FAQ: the FAQ publishes its title and its accepted answer (null
 * when none is accepted), so both must be ones everyone reads; a closed duplicate's belongs
 * with the original.
 */
export type FaqSource = AnswerableQuestion & { state: PostState; acceptedAnswer: { state: PostState } | null }

/** The actions whose answer depends on the post concerned, with what each rule needs to know about it. */
type SubjectOf = {
	'answer:create': AnswerableQuestion
	'question:make-faq': FaqSource
	'post:edit': Post
	'post:vote': Post
	'question:me-too': Post
	'answer:accept': Post
	'revision:view': Post
	/** Email preferences are one person's own: nobody else, staff included, changes what someone is mailed. */
	'email-preferences:edit': { userId: string }
	/** Anyone signed in may flag someone else's post, once (the flags table keeps it to once). */
	'post:flag': Post
}
type ActionWithoutSubject =
	| 'question:create'
	| 'knowledge:manage'
	| 'question:moderate'
	| 'search:configure'
	| 'feedback:view'
	| 'tutorial:progress'
	| 'insights:view'
	| 'accounts:manage'
	| 'webhooks:manage'
	| 'account:edit'
	| 'email:resend-verification'
	| 'mail:view'
	| 'mail:retry'
	// Notifications and following: every signed-in person, verified or not, for themselves.
	| 'follow:manage'
	| 'notifications:read'
	| 'people:suggest'
	// People and sign-in administration: cs may look, only admins change who may do what.
	| 'people:view'
	| 'people:manage'
	| 'audit:view'
	| 'sso:configure'
	| 'widget:configure'
	| 'widget:view'
	// One's own API tokens and sessions, and who one is (GET /api/v1/me).
	| 'api-tokens:manage'
	| 'sessions:manage'
	| 'me:view'
	// Moderation: staff review flagged and held posts; admins set the rules and bring back deleted posts.
	| 'moderation:review'
	| 'moderation:configure'
	| 'post:restore-deleted'
	// Images and files for posts: whoever may post, as an upload is only ever used in a post.
	| 'attachment:upload'
export type Action = keyof SubjectOf | ActionWithoutSubject
type SubjectArgs<A extends Action> = A extends keyof SubjectOf ? [subject: SubjectOf[A]] : []

export type Decision = { allowed: true } | { allowed: false; code: Extract<DomainErrorCode, 'unauthorized' | 'forbidden' | 'conflict'>; reason: string }

const allowed: Decision = { allowed: true }
const refused = (code: 'unauthorized' | 'forbidden' | 'conflict', reason: string): Decision => ({ allowed: false, code, reason })
const signInFirst = refused('unauthorized', 'Sign in first')
const notAllowed = refused('forbidden', 'You are not allowed to do that')
const when = (rule: boolean) => (rule ? allowed : notAllowed)
const verifyFirst = refused('forbidden', 'Confirm your email address first: we sent you a link')
/** Writing in the community needs a confirmed address, so a throwaway sign-up cannot post spam at once. */
const postingNeedsVerifiedEmail = new Set<Action>(['question:create', 'answer:create', 'post:edit', 'attachment:upload'])

export const isStaff = (actor: Actor | null) => actor?.role === 'cs' || actor?.role === 'admin'

/**
 * The one place that decides who may do what, for the domain functions (which
 * refuse with the reason) and the pages (which show only the buttons and forms
 * the answer allows). The state of the subject comes first: a closed duplicate
 * takes no answer from anyone, so the page shows no "sign in to answer" either.
 */
export function decide<A extends Action>(actor: Actor | null, action: A, ...[subject]: SubjectArgs<A>): Decision {
	const post = subject as Post | undefined
	if (action === 'answer:create') {
		const question = post as AnswerableQuestion
		if (question.duplicateOfQuestionId !== null || question.duplicateOfFaqId !== null) {
			return refused('conflict', 'This question was closed as a duplicate: answer the original instead')
		}
		if (question.lockedAt !== null) return refused('conflict', question.lockReason ? `This thread is locked: ${question.lockReason}` : 'This thread is locked')
	}
	if (!actor) return signInFirst
	if (!actor.emailVerified && postingNeedsVerifiedEmail.has(action)) return verifyFirst
	switch (action as Action) {
		case 'question:create':
		case 'answer:create':
		case 'attachment:upload':
		case 'tutorial:progress':
		case 'follow:manage':
		case 'notifications:read':
		case 'people:suggest':
		case 'account:edit':
		case 'api-tokens:manage':
		case 'sessions:manage':
		case 'me:view':
			return allowed
		case 'email:resend-verification':
			return actor.emailVerified ? refused('conflict', 'Your email address is already confirmed') : allowed
		case 'post:vote':
			return post!.authorId === actor.id ? refused('forbidden', 'You cannot vote on your own post') : allowed
		case 'post:flag':
			return post!.authorId === actor.id ? refused('forbidden', 'You cannot flag your own post') : allowed
		case 'question:me-too':
			return post!.authorId === actor.id ? refused('conflict', 'You asked this question') : allowed
		case 'knowledge:manage':
		case 'question:moderate':
		case 'search:configure':
		case 'feedback:view':
		case 'accounts:manage':
		case 'people:view':
		case 'moderation:review':
		case 'widget:view':
			return when(isStaff(actor))
		case 'question:make-faq': {
			const question = post as FaqSource
			if (!isStaff(actor)) return notAllowed
			if (question.duplicateOfQuestionId !== null || question.duplicateOfFaqId !== null) {
				return refused('conflict', 'A question closed as a duplicate cannot become an FAQ: make it from the original')
			}
			if (question.acceptedAnswer === null) return refused('conflict', 'Only a solved question can become an FAQ')
			if (question.state !== 'visible') {
				return refused('conflict', 'This question is waiting for review, hidden or deleted: only a question everyone can read can become an FAQ')
			}
			return question.acceptedAnswer.state === 'visible'
				? allowed
				: refused('conflict', 'The accepted answer is waiting for review, hidden or deleted: only an answer everyone can read can become an FAQ')
		}
		case 'insights:view':
			return when(actor.role !== 'member')
		case 'webhooks:manage':
		case 'mail:view':
		case 'mail:retry':
		case 'people:manage':
		case 'audit:view':
		case 'sso:configure':
		case 'widget:configure':
		case 'moderation:configure':
		case 'post:restore-deleted':
			return when(actor.role === 'admin')
		case 'email-preferences:edit':
			return when(actor.id === (subject as { userId: string }).userId)
		case 'post:edit':
		case 'answer:accept':
		case 'revision:view':
			return when(isStaff(actor) || actor.id === post!.authorId)
	}
}

export const can = <A extends Action>(actor: Actor | null, action: A, ...subject: SubjectArgs<A>): boolean => decide(actor, action, ...subject).allowed

/** The refusal of `decide` as a DomainError: what each domain function calls first. */
export function authorize<A extends Action>(actor: Actor | null, action: A, ...subject: SubjectArgs<A>): asserts actor is Actor {
	const decision = decide(actor, action, ...subject)
	if (!decision.allowed) throw new DomainError(decision.code, decision.reason)
}
