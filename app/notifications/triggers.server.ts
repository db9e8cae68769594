import type { Queryable } from '#db/client.server'
import { enqueue, type Payloads } from '#db/queue.server'

export type NotifyCause = Payloads['notify']['cause']

/**
 * Queues the notifications a change causes, in the change's transaction: they
 * exist if and only if the change commits. `id` names what changed: the question
 * (`question`, `duplicate`), the answer (`answer`, `accepted`), the FAQ (`faq`) or,
 * for edits (`question-edit`, `answer-edit`), the new revision, so that only the
 * mentions that edit added are told. Imports and the demo never call this.
 */
export function notifyLater(tx: Queryable, cause: NotifyCause, id: number, actorId: string | null) {
	return enqueue(tx, 'notify', { cause, id, actorId })
}
