/**
 * English strings that are not their own key: plural forms and the names behind
 * identifiers (`role.admin`). Every other key is the English text itself.
 */
export const en: Record<string, string> = {
	'Try again in {{count}} seconds._one': 'Try again in 1 second.',
	'Try again in {{count}} seconds._other': 'Try again in {{count}} seconds.',
	'Try again in {{count}} minutes._one': 'Try again in 1 minute.',
	'Try again in {{count}} minutes._other': 'Try again in {{count}} minutes.',
	'{{count}} answers_one': '{{count}} answer',
	'{{count}} answers_other': '{{count}} answers',
	'{{count}} votes_one': '{{count}} vote',
	'{{count}} votes_other': '{{count}} votes',
	'{{count}} views_one': '{{count}} view',
	'{{count}} views_other': '{{count}} views',
	'{{count}} questions_one': '{{count}} question',
	'{{count}} questions_other': '{{count}} questions',
	'{{count}} results_one': '{{count}} result',
	'{{count}} results_other': '{{count}} results',
	'{{count}} have this too_one': '{{count}} has this too',
	'{{count}} have this too_other': '{{count}} have this too',
	'{{count}} people have this question_one': '{{count}} person has this question',
	'{{count}} people have this question_other': '{{count}} people have this question',
	'{{count}} accepted answers_one': '{{count}} accepted answer',
	'{{count}} accepted answers_other': '{{count}} accepted answers',
	'role.admin': 'Admin',
	'role.cs': 'CS',
	'role.product': 'Product',
	'role.member': 'Member',
	'type.question': 'Question',
	'type.faq': 'FAQ',
	'type.tutorial': 'Tutorial',
}
