import { eq, or, sql } from 'drizzle-orm'
import type { Transaction } from '#db/client.server'
import { faqCategories, faqCategoryTranslations, faqs, users, type ContentLanguage } from '#db/schema'
import { enqueueIndexTask } from '#search/sync.server'
import { slugify } from '~/utils/urls'
import { renderMarkdown } from '~/markdown/markdown.server'
import { insertFaqRevision } from '~/knowledge/faq-revisions.server'
import { demoUsers } from './content'

// FAQs for the fictional SaaS "Tsumiki" (team task & project planning).
// Every name, domain and URL below is invented for the demo.

/** A category's own name is English; `ja` is its name for Japanese readers. */
export type DemoFaqCategory = { key: string; name: string; description: string; ja: { name: string; description: string } }
/** `translationOf`: the title of the FAQ (earlier in the list) this one translates. */
export type DemoFaq = { category: string; title: string; body: string; tags: string[]; language: ContentLanguage; translationOf?: string }

export const demoFaqCategories: DemoFaqCategory[] = [
	{ key: 'getting-started', name: 'Getting started', description: 'Setting up a workspace and bringing your team in.', ja: { name: 'はじめに', description: 'ワークスペースの準備とメンバーの招待。' } },
	{ key: 'billing', name: 'Billing', description: 'Plans, invoices and payment.', ja: { name: '請求', description: 'プラン・請求書・お支払い。' } },
	{ key: 'accounts-sso', name: 'Accounts & SSO', description: 'Signing in, two-factor authentication and single sign-on.', ja: { name: 'アカウントとSSO', description: 'ログイン・二段階認証・シングルサインオン。' } },
	{ key: 'integrations', name: 'Integrations', description: 'Slack, Microsoft Teams and the API.', ja: { name: '連携', description: 'Slack・Microsoft Teams・API との連携。' } },
]

export const demoFaqs: DemoFaq[] = [
	// ───────────────────────────── English ─────────────────────────────
	{
		category: 'getting-started',
		language: 'en',
		tags: ['import-export', 'onboarding'],
		title: 'How do I import tasks from a CSV file?',
		body: `Go to **Board menu → Import → CSV** and upload your file. The first row must be a header; these columns are recognised:

\`\`\`csv
title,description,assignee_email,due_date,status,labels
\`\`\`

- \`title\` is the only required column.
- \`assignee_email\` must belong to a workspace member — people who are invited but have not joined yet count.
- \`due_date\` uses the \`YYYY-MM-DD\` format.

On the mapping screen you can match columns with other names (including Japanese ones) to these fields. The full list of columns is at https://docs.example-tsumiki.com/import/csv.`,
	},
	{
		category: 'billing',
		language: 'en',
		tags: ['billing'],
		title: 'Where can I download past invoices as PDF?',
		body: `All invoices are listed under **Settings → Billing → Invoices**, below the plan card. Each row has a PDF icon, and **Download all (ZIP)** exports every invoice for a date range.

To print your VAT number or company name on invoices, fill in **Settings → Billing → Company details** first. New invoices use the details automatically; for older ones, click **Regenerate** on the row.

Only workspace owners and members with the **Billing manager** role can open this page.`,
	},
	{
		category: 'billing',
		language: 'en',
		tags: ['billing'],
		title: 'Which payment methods does Tsumiki accept?',
		body: `- **Credit card** (Visa, Mastercard, American Express, JCB) for monthly and annual plans.
- **Invoice / bank transfer** for annual Team and Business plans with **10 users or more**. Apply under **Settings → Billing → Payment method → Request invoice payment**; we reply within two business days.

Prices are in Japanese yen (JPY) and include consumption tax. Annual invoices are issued once at the start of the contract and are due at the end of the following month.`,
	},
	{
		category: 'accounts-sso',
		language: 'en',
		tags: ['sso', 'security'],
		title: 'How do I set up SAML single sign-on (SSO)?',
		body: `SAML SSO is available on the **Business** plan.

1. In your identity provider (Entra ID, Okta, OneLogin…), create a SAML app with the **ACS URL** and **Entity ID** shown under **Settings → Security → SAML SSO**.
2. Set the IdP's **Sign on URL** to \`https://app.example-tsumiki.com/sso/start?workspace=YOUR_SLUG\`.
3. Upload the IdP metadata XML in Tsumiki and click **Test connection**.
4. When the test passes, turn on **Require SSO** if everybody should sign in through your IdP.

If your people start from a portal such as Microsoft My Apps, also enable **Allow IdP-initiated login** under **Advanced**. Guests from other companies keep signing in with email and password.`,
	},
	{
		category: 'accounts-sso',
		language: 'en',
		tags: ['security', 'account'],
		title: 'I lost the phone with my two-factor authentication app. How do I sign in?',
		body: `Use one of your **backup codes** on the sign-in screen: click **Use a backup code** under the code field.

No backup codes? Ask a **workspace admin** to open **Settings → Members → (your name) → Reset two-factor authentication**. The next time you sign in you will set up 2FA again with your new phone.

Afterwards, save fresh backup codes under **Profile → Security → Backup codes**.`,
	},
	{
		category: 'integrations',
		language: 'en',
		tags: ['integrations', 'notifications'],
		title: 'How do I send board updates to a Slack channel?',
		body: `1. Open **Board settings → Integrations → Slack** and click **Connect to Slack**.
2. Pick the channel and the events to post (new tasks, status changes, comments, due dates).
3. For a **private** channel, first run \`/invite @Tsumiki\` in that channel.
4. Click **Send test message** to check.

Tsumiki stores the channel's ID, so renaming the channel keeps it working. If the test fails, the error shown (for example \`not_in_channel\`) says what is missing.`,
	},
	// ───────────────────────────── 日本語 ─────────────────────────────
	{
		category: 'getting-started',
		language: 'ja',
		tags: ['onboarding'],
		title: 'メンバーをまとめて招待するにはどうすればよいですか？',
		body: `**設定 → メンバー → 招待 → 一括招待（CSV）** から、CSVファイルで最大500人まで一度に招待できます。

\`\`\`csv
email,name,role,teams
\`\`\`

- \`role\` には \`member\`・\`guest\`・\`admin\` のいずれかを指定します。
- \`teams\` に書いたチームが存在しない場合は自動で作成され、チームに共有されたボードがすぐに見えるようになります。

招待メールが届かない場合は、メンバー一覧の「招待中」の行にある **︙ → 招待リンクをコピー** からリンクを直接お渡しください。`,
	},
	{
		category: 'getting-started',
		language: 'ja',
		tags: ['import-export'],
		title: 'CSVインポートで日本語が文字化けします',
		body: `Excelで「CSV（コンマ区切り）」として保存したファイルは **Shift_JIS** で保存されるため、そのまま取り込むと文字化けします。次のどちらかで解決できます。

- Excelの保存時に **「CSV UTF-8（コンマ区切り）」** を選ぶ
- インポート画面の **詳細設定 → 文字コード** で \`Shift_JIS\` を選ぶ

列名は日本語のままでも、マッピング画面で各項目に対応付けできます。`,
	},
	{
		category: 'billing',
		language: 'ja',
		tags: ['billing'],
		title: '請求書の宛名や住所を変更するには？',
		body: `**設定 → 請求 → 会社情報** で、宛名（会社名）・部署名・住所を変更できます。変更後に発行される請求書には自動で反映されます。

発行済みの請求書も、**設定 → 請求 → 請求書** の該当行にある **再発行** をクリックすると、新しい宛名で作り直せます。

このページはワークスペースのオーナーと **請求管理者** ロールのメンバーだけが開けます。`,
	},
	{
		category: 'billing',
		language: 'ja',
		tags: ['billing'],
		title: '請求書払い（銀行振込）は利用できますか？',
		body: `年間契約の Team プラン・Business プランで、**10ユーザー以上** の場合にご利用いただけます。

**設定 → 請求 → 支払い方法 → 請求書払いを申請** から申請いただくと、2営業日以内に担当よりご連絡します。請求書は契約開始時に年額を円建て（税込）で発行し、支払期限は発行月の翌月末です。`,
	},
	{
		category: 'accounts-sso',
		language: 'ja',
		tags: ['security', 'account'],
		title: '機種変更で二段階認証のコードが受け取れなくなりました',
		body: `ログイン画面の **バックアップコードを使う** から、保存しておいたバックアップコードでログインできます。

バックアップコードがない場合は、**ワークスペース管理者** に **設定 → メンバー → 該当ユーザー → 二段階認証をリセット** を依頼してください。次回ログイン時に、新しい端末で二段階認証を設定し直せます。

再設定後は **プロフィール → セキュリティ → バックアップコード** から新しいコードを必ず保存してください。`,
	},
	{
		category: 'integrations',
		language: 'ja',
		tags: ['integrations'],
		title: 'Microsoft Teams と連携するにはどうすればよいですか？',
		body: `1. Microsoft 365 の管理者に、Tsumiki アプリへの **管理者の同意** を依頼します（同意用リンクは https://docs.example-tsumiki.com/ja/integrations/teams にあります）。
2. 同意後、**設定 → 連携 → Microsoft Teams** から接続します。
3. **ボード設定 → 連携 → Microsoft Teams** で、投稿先のチャンネルと通知するイベントを選びます。

接続テストは成功するのにカードが表示されない場合は、チャンネルに Tsumiki アプリが追加されているか確認してください。`,
	},
	// ─────────────────────── Translations of the above ───────────────────────
	{
		category: 'billing',
		language: 'ja',
		tags: ['billing'],
		translationOf: 'Where can I download past invoices as PDF?',
		title: '過去の請求書を PDF でダウンロードするには？',
		body: `請求書はすべて **設定 → 請求 → 請求書** の、プランのカードの下に一覧で表示されます。各行の PDF アイコンからダウンロードでき、**すべてダウンロード（ZIP）** で期間内の請求書をまとめて書き出せます。

請求書に会社名や登録番号を載せるには、先に **設定 → 請求 → 会社情報** を入力してください。以降の請求書には自動で反映されます。過去の請求書は行の **再発行** から作り直せます。

このページはワークスペースのオーナーと **請求管理者** ロールのメンバーだけが開けます。`,
	},
	{
		category: 'integrations',
		language: 'ja',
		tags: ['integrations', 'notifications'],
		translationOf: 'How do I send board updates to a Slack channel?',
		title: 'ボードの更新を Slack チャンネルに送るには？',
		body: `1. **ボード設定 → 連携 → Slack** を開き、**Slack に接続** をクリックします。
2. 投稿するチャンネルとイベント（新しいタスク、ステータスの変更、コメント、期限）を選びます。
3. **プライベート** チャンネルの場合は、先にそのチャンネルで \`/invite @Tsumiki\` を実行してください。
4. **テストメッセージを送信** で確認します。

Tsumiki はチャンネルの ID を保存するため、チャンネル名を変えても通知は届きます。テストに失敗したときは、表示されるエラー（例: \`not_in_channel\`）が足りないものを示しています。`,
	},
	{
		category: 'billing',
		language: 'en',
		tags: ['billing'],
		translationOf: '請求書払い（銀行振込）は利用できますか？',
		title: 'Can we pay by invoice (bank transfer)?',
		body: `Yes, on annual Team and Business plans with **10 users or more**.

Apply under **Settings → Billing → Payment method → Request invoice payment**, and we reply within two business days. The invoice for the year is issued when the contract starts, in yen including tax, and is due at the end of the following month.`,
	},
]

/** Adds the demo FAQ categories and published FAQs, each with its first revision, and queues them for search. */
export async function seedDemoFaqs(tx: Transaction) {
	const support = demoUsers.find((person) => person.role === 'cs')
	const [author] = support ? await tx.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = lower(${support.email})`) : []
	const editorId = author?.id ?? null
	const categoryIds = new Map<string, number>()
	for (const [position, category] of demoFaqCategories.entries()) {
		await tx.insert(faqCategories).values({ name: category.name, slug: category.key, description: category.description, position }).onConflictDoNothing()
		const [row] = await tx
			.select({ id: faqCategories.id })
			.from(faqCategories)
			.where(or(eq(faqCategories.slug, category.key), eq(faqCategories.name, category.name)))
		categoryIds.set(category.key, row!.id)
		await tx.insert(faqCategoryTranslations).values({ categoryId: row!.id, language: 'ja', ...category.ja }).onConflictDoNothing()
	}
	const idsByTitle = new Map<string, number>()
	const positions = new Map<string, number>()
	for (const [index, demo] of demoFaqs.entries()) {
		const position = positions.get(demo.category) ?? 0
		positions.set(demo.category, position + 1)
		const [faq] = await tx
			.insert(faqs)
			.values({
				title: demo.title,
				body: demo.body,
				bodyHtml: renderMarkdown(demo.body),
				slug: slugify(demo.title),
				categoryId: categoryIds.get(demo.category) ?? null,
				tags: demo.tags,
				language: demo.language,
				published: true,
				publishedAt: new Date(),
				position,
				externalId: `demo-faq-${index + 1}`,
				translationOfId: demo.translationOf ? (idsByTitle.get(demo.translationOf) ?? null) : null,
				createdById: editorId,
			})
			.onConflictDoNothing()
			.returning()
		if (!faq) continue
		idsByTitle.set(faq.title, faq.id)
		await insertFaqRevision(tx, faq, editorId)
		await enqueueIndexTask(tx, 'faq', faq.id)
	}
}
