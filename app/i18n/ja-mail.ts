/** Japanese UI strings for this area; keys are the English text (see resources.ts). */
export const ja: Record<string, string> = {
	'must start with smtp:// or smtps://': 'smtp:// または smtps:// で始まる必要があります',
	'MAIL_FROM is required when SMTP_URL is set': 'SMTP_URL を設定する場合は MAIL_FROM も必要です',
}
