/** Japanese UI strings for people administration, API tokens, sessions and the audit trail; keys are the English text (see resources.ts). */
export const ja: Record<string, string> = {
	'This account is suspended: ask an administrator of this community': 'このアカウントは停止されています。コミュニティの管理者にお問い合わせください',
}
