import { and, eq, isNull } from 'drizzle-orm'
import { questions } from '#db/schema'

/**
 * Threads search engines and feeds may list: those everyone sees (`visible`: not
 * held, hidden or deleted, the rule of app/moderation/visibility.server.ts for a
 * visitor) and not closed as duplicates, whose original is the page to find.
 */
export const publicQuestion = and(eq(questions.state, 'visible'), isNull(questions.duplicateOfQuestionId), isNull(questions.duplicateOfFaqId))!
