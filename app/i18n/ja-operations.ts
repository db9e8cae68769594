/** Japanese UI strings for operations (Standard Webhooks signatures); keys are the English text (see resources.ts). */
export const ja: Record<string, string> = {
	'Standard Webhooks secret': 'Standard Webhooks のシークレット',
	'Every request is also signed the Standard Webhooks way (webhook-id, webhook-timestamp, webhook-signature). Give this secret to a Standard Webhooks library to verify them.':
		'すべてのリクエストは Standard Webhooks の方式（webhook-id、webhook-timestamp、webhook-signature）でも署名されます。検証には、このシークレットを Standard Webhooks のライブラリに渡してください。',
	'They are also signed the Standard Webhooks way (webhook-id, webhook-timestamp, webhook-signature: v1,…): verify them with a Standard Webhooks library and the secret shown on the webhook’s page.':
		'Standard Webhooks の方式（webhook-id、webhook-timestamp、webhook-signature: v1,…）でも署名されます。Standard Webhooks のライブラリと、各 Webhook のページに表示されるシークレットで検証できます。',
}
