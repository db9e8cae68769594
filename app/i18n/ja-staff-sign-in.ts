/** Japanese UI strings for staff sign-in with OpenID Connect and the command line; keys are the English text (see resources.ts). */
export const ja: Record<string, string> = {
	'KIZUNA_OIDC_ISSUER, KIZUNA_OIDC_CLIENT_ID and KIZUNA_OIDC_CLIENT_SECRET go together': 'KIZUNA_OIDC_ISSUER、KIZUNA_OIDC_CLIENT_ID、KIZUNA_OIDC_CLIENT_SECRET はすべて一緒に設定してください',
}
