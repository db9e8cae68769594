/** Japanese UI strings for operations (Standard Webhooks signatures); keys are the English text (see resources.ts). */
export const ja: Record<string, string> = {
	'Standard Webhooks secret': 'Standard Webhooks のシークレット',
	'Every request is also signed the Standard Webhooks way (webhook-id, webhook-timestamp, webhook-signature). Give this secret to a Standard Webhooks library to verify them.':
		'すべてのリクエストは Standard Webhooks の方式（webhook-id、webhook-timestamp、webhook-signature）でも署名されます。検証には、このシークレットを Standard Webhooks のライブラリに渡してください。',
	'They are also signed the Standard Webhooks way (webhook-id, webhook-timestamp, webhook-signature: v1,…): verify them with a Standard Webhooks library and the secret shown on the webhook’s page.':
		'Standard Webhooks の方式（webhook-id、webhook-timestamp、webhook-signature: v1,…）でも署名されます。Standard Webhooks のライブラリと、各 Webhook のページに表示されるシークレットで検証できます。',
	// Messages of the command line's backup and restore and of the configuration check.
	'must be at least 16 characters': '16 文字以上にしてください',
	'must be at least 1MB': '1MB 以上にしてください',
	'must be at least 32MiB': '32MiB 以上にしてください',
	'must be at most 1GiB: it lives in a WebAssembly memory of at most 2 GiB': '1GiB 以下にしてください（最大 2 GiB の WebAssembly メモリーの中に置かれます）',
	'This is a backup of an embedded database: restore it without DATABASE_URL': 'これは組み込みデータベースのバックアップです。DATABASE_URL を設定せずに復元してください',
	'This is a backup of a PostgreSQL server (pg_dump): restore it with DATABASE_URL set': 'これは PostgreSQL サーバーのバックアップ（pg_dump）です。DATABASE_URL を設定して復元してください',
	'The database already has people or content: add --force to replace all of it with the backup':
		'データベースにはすでにユーザーまたはコンテンツがあります。すべてをバックアップで置き換えるには --force を付けてください',
}
