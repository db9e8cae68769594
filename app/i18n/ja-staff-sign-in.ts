/** Japanese UI strings for staff sign-in with OpenID Connect and the command line; keys are the English text (see resources.ts). */
export const ja: Record<string, string> = {
	'KIZUNA_OIDC_ISSUER, KIZUNA_OIDC_CLIENT_ID and KIZUNA_OIDC_CLIENT_SECRET go together': 'KIZUNA_OIDC_ISSUER、KIZUNA_OIDC_CLIENT_ID、KIZUNA_OIDC_CLIENT_SECRET はすべて一緒に設定してください',
	'must be an https URL (plain http only on localhost, 127.0.0.1 or ::1)': 'https の URL にしてください（http は localhost、127.0.0.1、::1 の場合のみ）',
	'Sign in with {{provider}}': '{{provider}}でサインイン',
	'Sign in with your company account': '会社のアカウントでサインイン',
	'You are not signed in': 'サインインできませんでした',
	'This sign-in link is not valid: start again from the sign-in page.': 'このサインインのリンクは無効です。サインインページからやり直してください。',
	'This sign-in took too long: start again from the sign-in page.': 'サインインに時間がかかりすぎました。サインインページからやり直してください。',
	'The sign-in provider did not sign you in: start again from the sign-in page.': 'サインインのプロバイダーでサインインが完了しませんでした。サインインページからやり直してください。',
	"The sign-in provider's answer could not be verified: start again from the sign-in page.": 'サインインのプロバイダーからの応答を検証できませんでした。サインインページからやり直してください。',
	'Your sign-in provider has not verified your email address, so it cannot sign you in here.': 'サインインのプロバイダーがあなたのメールアドレスを確認していないため、ここではサインインできません。',
	'No one in this community has this email address: ask an admin to invite you.': 'このメールアドレスの人はこのコミュニティにいません。管理者に招待を依頼してください。',
	'The sign-in provider cannot be reached right now: please try again in a minute.': '現在サインインのプロバイダーに接続できません。少し待ってからもう一度お試しください。',
	'Too many sign-ins started from your network.': 'お使いのネットワークから開始されたサインインが多すぎます。',
}
