/** Japanese UI strings for single sign-on from the customer's product and its configuration; keys are the English text (see resources.ts). */
export const ja: Record<string, string> = {
	'must be at least 32 characters (HS256 needs a 256-bit key)': '32 文字以上にしてください（HS256 には 256 ビットの鍵が必要です）',
	'must be an http(s) URL': 'http(s) の URL にしてください',
	'KIZUNA_SSO_LOGIN_URL needs KIZUNA_SSO_SECRET or KIZUNA_SSO_JWKS_URL': 'KIZUNA_SSO_LOGIN_URL には KIZUNA_SSO_SECRET または KIZUNA_SSO_JWKS_URL が必要です',
}
