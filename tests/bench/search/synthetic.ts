import { isJapanese } from '~/utils/limits'

/**
 * Deterministic synthetic help content for the search benchmark (`npm run bench:search`):
 * support questions with answers, FAQs and natural-language search queries about a
 * fictional SaaS, "Tsumiki" (team task & project planning), in English and Japanese
 * (about 30 % Japanese). Everything comes from templates and vocabulary lists driven
 * by a seeded PRNG, so the same seed always gives the same corpus and queries.
 *
 * No database or network here: bench-seed.ts turns this into rows.
 */

export type Language = 'en' | 'ja'

export type SyntheticAnswer = { body: string; accepted: boolean; score: number; offsetMinutes: number }
export type SyntheticQuestion = {
	externalId: string
	language: Language
	title: string
	body: string
	tags: string[]
	answers: SyntheticAnswer[]
	score: number
	meToo: number
	views: number
	/** Days before the corpus's reference date. */
	ageDays: number
}
export type SyntheticFaq = { externalId: string; language: Language; title: string; body: string; category: string; tags: string[]; frequency: number; views: number; ageDays: number }
export type SyntheticCategory = { name: string; slug: string; description: string }

// ------------------------------------------------------------------ randomness

/** mulberry32: small, fast and good enough for test data. */
export function prng(seed: number): () => number {
	let a = seed >>> 0
	return () => {
		a = (a + 0x6d2b79f5) >>> 0
		let t = a
		t = Math.imul(t ^ (t >>> 15), t | 1)
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296
	}
}

export class Random {
	private readonly next: () => number
	constructor(seed: number) {
		this.next = prng(seed)
	}
	float() {
		return this.next()
	}
	/** Integer in [min, max]. */
	int(min: number, max: number) {
		return min + Math.floor(this.next() * (max - min + 1))
	}
	chance(p: number) {
		return this.next() < p
	}
	pick<T>(list: readonly T[]): T {
		return list[Math.floor(this.next() * list.length)]!
	}
	/** Picks with a bias towards the start of the list (popular things come first). */
	pickSkewed<T>(list: readonly T[], power = 2): T {
		return list[Math.floor(Math.pow(this.next(), power) * list.length)]!
	}
	sample<T>(list: readonly T[], n: number): T[] {
		const copy = [...list]
		const out: T[] = []
		while (out.length < n && copy.length > 0) out.push(copy.splice(Math.floor(this.next() * copy.length), 1)[0]!)
		return out
	}
}

// ------------------------------------------------------------------ vocabulary

type Term = { en: string; ja: string; tag: string }

const features: Term[] = [
	{ en: 'board', ja: 'ボード', tag: 'boards' },
	{ en: 'task list', ja: 'タスク一覧', tag: 'tasks' },
	{ en: 'sprint', ja: 'スプリント', tag: 'sprints' },
	{ en: 'Gantt chart', ja: 'ガントチャート', tag: 'gantt' },
	{ en: 'calendar view', ja: 'カレンダービュー', tag: 'calendar' },
	{ en: 'timeline', ja: 'タイムライン', tag: 'timeline' },
	{ en: 'dashboard', ja: 'ダッシュボード', tag: 'dashboards' },
	{ en: 'custom field', ja: 'カスタムフィールド', tag: 'custom-fields' },
	{ en: 'automation rule', ja: '自動化ルール', tag: 'automation' },
	{ en: 'recurring task', ja: '繰り返しタスク', tag: 'recurring-tasks' },
	{ en: 'project template', ja: 'プロジェクトテンプレート', tag: 'templates' },
	{ en: 'time tracking report', ja: '工数レポート', tag: 'time-tracking' },
	{ en: 'subtask', ja: 'サブタスク', tag: 'tasks' },
	{ en: 'milestone', ja: 'マイルストーン', tag: 'milestones' },
	{ en: 'label', ja: 'ラベル', tag: 'labels' },
	{ en: 'comment thread', ja: 'コメント', tag: 'comments' },
	{ en: 'file attachment', ja: '添付ファイル', tag: 'attachments' },
	{ en: 'workload view', ja: 'ワークロードビュー', tag: 'workload' },
	{ en: 'kanban column', ja: 'カンバンの列', tag: 'boards' },
	{ en: 'project', ja: 'プロジェクト', tag: 'projects' },
	{ en: 'team space', ja: 'チームスペース', tag: 'teams' },
	{ en: 'form', ja: 'フォーム', tag: 'forms' },
	{ en: 'saved filter', ja: '保存したフィルター', tag: 'filters' },
	{ en: 'weekly report', ja: '週次レポート', tag: 'reports' },
]

const integrations: Term[] = [
	{ en: 'Slack', ja: 'Slack', tag: 'slack' },
	{ en: 'Microsoft Teams', ja: 'Microsoft Teams', tag: 'teams-integration' },
	{ en: 'Google Calendar', ja: 'Googleカレンダー', tag: 'google-calendar' },
	{ en: 'Outlook', ja: 'Outlook', tag: 'outlook' },
	{ en: 'GitHub', ja: 'GitHub', tag: 'github' },
	{ en: 'GitLab', ja: 'GitLab', tag: 'gitlab' },
	{ en: 'Jira', ja: 'Jira', tag: 'jira' },
	{ en: 'Zapier', ja: 'Zapier', tag: 'zapier' },
	{ en: 'Google Drive', ja: 'Googleドライブ', tag: 'google-drive' },
	{ en: 'Dropbox', ja: 'Dropbox', tag: 'dropbox' },
	{ en: 'Box', ja: 'Box', tag: 'box' },
	{ en: 'Salesforce', ja: 'Salesforce', tag: 'salesforce' },
	{ en: 'Chatwork', ja: 'Chatwork', tag: 'chatwork' },
	{ en: 'LINE WORKS', ja: 'LINE WORKS', tag: 'line-works' },
	{ en: 'kintone', ja: 'kintone', tag: 'kintone' },
]

const identityProviders = ['Okta', 'Microsoft Entra ID', 'Google Workspace', 'OneLogin', 'HENNGE One']

const platforms: Array<{ en: string; ja: string }> = [
	{ en: 'the iOS app', ja: 'iPhoneアプリ' },
	{ en: 'the Android app', ja: 'Androidアプリ' },
	{ en: 'the Windows desktop app', ja: 'Windows版デスクトップアプリ' },
	{ en: 'the Mac desktop app', ja: 'Mac版アプリ' },
	{ en: 'Chrome', ja: 'Chrome' },
	{ en: 'Safari', ja: 'Safari' },
	{ en: 'Firefox', ja: 'Firefox' },
	{ en: 'Microsoft Edge', ja: 'Microsoft Edge' },
]

const plans: Array<{ en: string; ja: string }> = [
	{ en: 'the Free plan', ja: 'フリープラン' },
	{ en: 'the Team plan', ja: 'チームプラン' },
	{ en: 'the Business plan', ja: 'ビジネスプラン' },
	{ en: 'the Enterprise plan', ja: 'エンタープライズプラン' },
	{ en: 'a trial', ja: '無料トライアル' },
]

type Symptom = { en: string; short: string; ja: string; tag?: string }
const symptoms: Symptom[] = [
	{ en: 'the button is greyed out', short: 'button greyed out', ja: 'ボタンがグレーアウトしています' },
	{ en: 'I get a 403 Forbidden error', short: '403 forbidden error', ja: '「403 Forbidden」と表示されます', tag: 'permissions' },
	{ en: 'it says "Something went wrong, please try again"', short: 'something went wrong error', ja: '「エラーが発生しました。もう一度お試しください」と表示されます' },
	{ en: 'the page keeps loading forever', short: 'page keeps loading', ja: '読み込みが終わりません', tag: 'performance' },
	{ en: 'nothing happens after I click Save', short: 'save does nothing', ja: '保存を押しても何も起きません' },
	{ en: 'the downloaded file is empty', short: 'empty file', ja: 'ダウンロードしたファイルが空です' },
	{ en: 'it times out after about 30 seconds', short: 'timeout', ja: '30秒ほどでタイムアウトします', tag: 'performance' },
	{ en: 'Japanese characters turn into garbled text', short: 'garbled japanese characters', ja: '日本語が文字化けします', tag: 'encoding' },
	{ en: 'my changes disappear when I reload the page', short: 'changes disappear', ja: '再読み込みすると変更が消えてしまいます' },
	{ en: 'every notification arrives twice', short: 'duplicate notifications', ja: '通知が二重に届きます', tag: 'notifications' },
	{ en: 'the sync stops after a few minutes', short: 'sync stops', ja: '数分で同期が止まってしまいます', tag: 'sync' },
	{ en: 'the option is missing from the menu', short: 'option missing', ja: 'メニューに項目が表示されません' },
	{ en: 'I get "You do not have permission to do this"', short: 'no permission error', ja: '「この操作を行う権限がありません」と表示されます', tag: 'permissions' },
	{ en: 'the app crashes right away', short: 'app crashes', ja: 'アプリがすぐに落ちます', tag: 'mobile' },
	{ en: 'the dates are off by one day', short: 'wrong dates', ja: '日付が1日ずれて表示されます', tag: 'timezones' },
	{ en: 'I get error code E1042', short: 'error e1042', ja: 'エラーコード E1042 が表示されます' },
	{ en: 'the upload stops at 99%', short: 'upload stuck', ja: 'アップロードが99%で止まります', tag: 'attachments' },
	{ en: 'the verification email never arrives', short: 'no email', ja: '確認メールが届きません', tag: 'email' },
]

type Action = { en: string; ja: string; tags: string[] }

/** English: a verb phrase ("export my board to CSV"); Japanese: a する-verb stem ("ボードをCSVにエクスポート"). */
const featureActions: Array<(f: Term) => Action> = [
	(f) => ({ en: `export my ${f.en} to CSV`, ja: `${f.ja}をCSVにエクスポート`, tags: [f.tag, 'import-export'] }),
	(f) => ({ en: `export a ${f.en} as a PDF`, ja: `${f.ja}をPDFで出力`, tags: [f.tag, 'import-export'] }),
	(f) => ({ en: `import an Excel file into a ${f.en}`, ja: `Excelファイルを${f.ja}にインポート`, tags: [f.tag, 'import-export'] }),
	(f) => ({ en: `restore a ${f.en} that was deleted by mistake`, ja: `誤って削除した${f.ja}を復元`, tags: [f.tag, 'restore'] }),
	(f) => ({ en: `change who can edit a ${f.en}`, ja: `${f.ja}の編集権限を変更`, tags: [f.tag, 'permissions'] }),
	(f) => ({ en: `move a ${f.en} to another workspace`, ja: `${f.ja}を別のワークスペースに移動`, tags: [f.tag, 'workspaces'] }),
	(f) => ({ en: `duplicate a ${f.en} with all its settings`, ja: `${f.ja}を設定ごと複製`, tags: [f.tag] }),
	(f) => ({ en: `share a ${f.en} with people outside my company`, ja: `社外の人と${f.ja}を共有`, tags: [f.tag, 'guests'] }),
	(f) => ({ en: `archive an old ${f.en}`, ja: `古い${f.ja}をアーカイブ`, tags: [f.tag, 'archive'] }),
	(f) => ({ en: `turn off email notifications for a ${f.en}`, ja: `${f.ja}のメール通知をオフに`, tags: [f.tag, 'notifications'] }),
	(f) => ({ en: `print a ${f.en} on one page`, ja: `${f.ja}を1ページに収めて印刷`, tags: [f.tag, 'printing'] }),
	(f) => ({ en: `change the owner of a ${f.en}`, ja: `${f.ja}のオーナーを変更`, tags: [f.tag, 'permissions'] }),
	(f) => ({ en: `sort a ${f.en} by due date`, ja: `${f.ja}を期限日順に並び替え`, tags: [f.tag] }),
	(f) => ({ en: `see the change history of a ${f.en}`, ja: `${f.ja}の変更履歴を確認`, tags: [f.tag, 'history'] }),
	(f) => ({ en: `bulk edit every item in a ${f.en}`, ja: `${f.ja}の項目をまとめて編集`, tags: [f.tag, 'bulk-edit'] }),
	(f) => ({ en: `hide a ${f.en} from guests`, ja: `ゲストから${f.ja}を非表示に`, tags: [f.tag, 'guests'] }),
]

const integrationActions: Array<(i: Term, f: Term) => Action> = [
	(i) => ({ en: `connect ${i.en} to my workspace`, ja: `${i.ja}とワークスペースを連携`, tags: [i.tag, 'integrations'] }),
	(i, f) => ({ en: `post ${f.en} updates to ${i.en}`, ja: `${f.ja}の更新を${i.ja}に通知`, tags: [i.tag, f.tag, 'integrations'] }),
	(i) => ({ en: `sync due dates with ${i.en}`, ja: `期限日を${i.ja}と同期`, tags: [i.tag, 'sync'] }),
	(i) => ({ en: `disconnect ${i.en} without losing data`, ja: `データを残したまま${i.ja}との連携を解除`, tags: [i.tag, 'integrations'] }),
	(i, f) => ({ en: `attach files from ${i.en} to a ${f.en}`, ja: `${i.ja}のファイルを${f.ja}に添付`, tags: [i.tag, 'attachments'] }),
	(i) => ({ en: `reconnect ${i.en} after the token expired`, ja: `トークンの期限切れ後に${i.ja}を再接続`, tags: [i.tag, 'integrations'] }),
]

const fixedActions: Action[] = [
	{ en: 'change the company name on our invoices', ja: '請求書の宛名を変更', tags: ['billing', 'invoices'] },
	{ en: 'change the billing address', ja: '請求先住所を変更', tags: ['billing'] },
	{ en: 'download past invoices as PDF', ja: '過去の請求書をPDFでダウンロード', tags: ['billing', 'invoices'] },
	{ en: 'switch from monthly to annual billing', ja: '月払いから年払いに変更', tags: ['billing', 'plans'] },
	{ en: 'pay by bank transfer instead of credit card', ja: 'クレジットカードではなく銀行振込で支払い', tags: ['billing', 'payment'] },
	{ en: 'add more seats to our subscription', ja: 'ライセンス数を追加', tags: ['billing', 'seats'] },
	{ en: 'cancel our subscription', ja: 'サブスクリプションを解約', tags: ['billing', 'plans'] },
	{ en: 'get a refund for unused seats', ja: '未使用のライセンス分を返金', tags: ['billing', 'refunds'] },
	{ en: 'update the credit card on file', ja: '登録しているクレジットカードを変更', tags: ['billing', 'payment'] },
	{ en: 'invite my whole team at once', ja: 'チーム全員をまとめて招待', tags: ['members', 'onboarding'] },
	{ en: 'remove a member who left the company', ja: '退職したメンバーを削除', tags: ['members'] },
	{ en: 'transfer workspace ownership to a colleague', ja: 'ワークスペースのオーナー権限を同僚に譲渡', tags: ['members', 'permissions'] },
	{ en: 'reset two-factor authentication for a member', ja: 'メンバーの二段階認証をリセット', tags: ['security', '2fa'] },
	{ en: 'sign in after losing my phone with the authenticator app', ja: '認証アプリの入ったスマホを紛失したあとにログイン', tags: ['security', '2fa'] },
	{ en: 'change the email address I sign in with', ja: 'ログイン用のメールアドレスを変更', tags: ['account'] },
	{ en: 'change the language of the interface to Japanese', ja: '表示言語を英語に切り替え', tags: ['account', 'localization'] },
	{ en: 'set my time zone correctly', ja: 'タイムゾーンを正しく設定', tags: ['account', 'timezones'] },
	{ en: 'create an API token for our scripts', ja: 'スクリプト用のAPIトークンを発行', tags: ['api'] },
	{ en: 'receive webhooks when a task is completed', ja: 'タスク完了時にWebhookを受信', tags: ['api', 'webhooks'] },
	{ en: 'download an audit log of all activity', ja: 'すべての操作の監査ログをダウンロード', tags: ['security', 'audit-log'] },
	{ en: 'delete my account and all my data', ja: 'アカウントとすべてのデータを削除', tags: ['account', 'privacy'] },
	{ en: 'restrict sign-in to our office IP addresses', ja: 'ログインを社内のIPアドレスに制限', tags: ['security'] },
]

const ssoActions = (idp: string): Action[] => [
	{ en: `set up SAML single sign-on with ${idp}`, ja: `${idp}でSAMLシングルサインオンを設定`, tags: ['sso', 'security'] },
	{ en: `provision users automatically from ${idp} with SCIM`, ja: `SCIMで${idp}からユーザーを自動プロビジョニング`, tags: ['sso', 'scim'] },
]

function randomAction(r: Random): Action {
	const roll = r.float()
	if (roll < 0.5) return r.pick(featureActions)(r.pickSkewed(features, 1.6))
	if (roll < 0.72) return r.pick(integrationActions)(r.pickSkewed(integrations, 1.5), r.pick(features))
	if (roll < 0.78) return r.pick(ssoActions(r.pick(identityProviders)))
	return r.pickSkewed(fixedActions, 1.3)
}

// ------------------------------------------------------------------ questions

const wordCount = (text: string) => text.split(/\s+/).filter(Boolean).length
const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1)

const enTitles: Array<(a: Action, s: Symptom, p: { en: string }, r: Random) => string> = [
	(a) => `How can I ${a.en}?`,
	(a) => `Is it possible to ${a.en} without admin rights?`,
	(a, s) => `Trying to ${a.en} but ${s.en}`,
	(a, _s, p) => `Unable to ${a.en} in ${p.en}`,
	(a) => `What is the fastest way to ${a.en}?`,
	(a, s) => `Can't ${a.en}: ${s.short}`,
	(a) => `Is there an API to ${a.en}?`,
	(a, _s, _p, r) => `Since ${r.pick(['yesterday', 'last week', 'the latest update', 'this morning'])} I can no longer ${a.en}`,
	(a) => `Best practice to ${a.en} for a large team?`,
	(a, _s, p) => `${capitalize(a.en)} does not work on ${p.en}`,
]

const jaTitles: Array<(a: Action, s: Symptom, p: { ja: string }, r: Random) => string> = [
	(a) => `${a.ja}する方法を教えてください`,
	(a) => `${a.ja}するにはどうすればいいですか？`,
	(a, s) => `${a.ja}しようとすると${s.ja}`,
	(a, _s, p) => `${p.ja}で${a.ja}できません`,
	(a) => `管理者権限なしで${a.ja}できますか？`,
	(a) => `${a.ja}したいのですが、設定が見つかりません`,
	(a, _s, _p, r) => `${r.pick(['昨日', '先週', '最新のアップデート', '今朝'])}から${a.ja}できなくなりました`,
	(a) => `APIで${a.ja}することはできますか？`,
]

const enQualifiers = [
	'on the Business plan', 'after the latest update', 'for our whole team', 'as a guest', 'for a client project', 'on mobile',
	'in a shared workspace', 'with SSO enabled', 'for archived projects', 'in bulk', 'from the web app', 'with 2FA on',
	'for a private project', 'on the Free plan', 'since this morning', 'in Japanese', 'for recurring work', 'on a slow connection',
]
const jaPrefixes = ['【至急】', '初歩的な質問ですが、', '教えてください：', '【質問】', '困っています。', '']
const jaSuffixes = ['（ビジネスプラン）', '（スマホ）', '（ゲストユーザー）', '（SSO利用中）', '（急ぎです）', '（大量のデータ）', '']

function title(r: Random, language: Language, action: Action): string {
	for (let attempt = 0; attempt < 8; attempt++) {
		const symptom = r.pick(symptoms)
		const platform = r.pick(platforms)
		if (language === 'ja') {
			let t = r.pick(jaTitles)(action, symptom, platform, r)
			if (r.chance(0.6)) t = `${r.pick(jaPrefixes)}${t}${r.pick(jaSuffixes)}`
			if (t.length >= 12 && t.length <= 70) return t
		} else {
			let t = r.pick(enTitles)(action, symptom, platform, r)
			if (r.chance(0.6)) {
				const qualifier = r.pick(enQualifiers)
				t = /[?]$/.test(t) ? `${t.slice(0, -1)} ${qualifier}?` : `${t} ${qualifier}`
			}
			const words = wordCount(t)
			if (words >= 6 && words <= 14) return t
		}
	}
	return language === 'ja' ? `${action.ja}する方法について` : `Question about how to ${action.en}`.split(' ').slice(0, 14).join(' ')
}

const enContext: Array<(r: Random) => string> = [
	(r) => `We are on ${r.pick(plans).en} with about ${r.pick([5, 12, 25, 40, 80, 150, 300])} members.`,
	(r) => `I am a workspace admin and I use ${r.pick(platforms).en} most of the time.`,
	(r) => `Our team moved to Tsumiki from spreadsheets ${r.pick(['last month', 'two weeks ago', 'this quarter', 'a year ago'])}.`,
	() => `I am not an admin, just a regular member of the workspace.`,
	(r) => `We connected ${r.pick(integrations).en} when we set up the workspace.`,
]
const enProblem: Array<(a: Action, s: Symptom, r: Random) => string> = [
	(a, s) => `When I try to ${a.en}, ${s.en}.`,
	(a) => `I looked through the settings but could not find where to ${a.en}.`,
	(a, s, r) => `It worked fine until ${r.pick(['last Friday', 'the update on Monday', 'we upgraded our plan', 'we turned on SSO'])}, but now ${s.en}.`,
	(a, _s, r) => `I need to ${a.en} before our ${r.pick(['quarterly review', 'audit', 'client meeting', 'month-end close'])}.`,
]
const enDetail: Array<(r: Random) => string> = [
	(r) => `It happens in ${r.pick(platforms).en} but not in ${r.pick(platforms).en}.`,
	() => `I already cleared the cache and signed out and back in.`,
	() => `Other members of my team see the same thing.`,
	(r) => `The ${r.pick(features).en} has around ${r.pick([50, 200, 800, 3000, 12000])} items, if that matters.`,
	(r) => `Support ticket ${r.int(10000, 99999)} is open but I have not heard back yet.`,
	() => `The help center article seems to describe an older version of the screen.`,
]
const enAsk = ['Is there a setting I am missing?', 'Any ideas?', 'Is this a known issue?', 'Thanks in advance!', 'What am I doing wrong?', 'Is there a workaround for now?']

const jaContext: Array<(r: Random) => string> = [
	(r) => `${r.pick(plans).ja}を${r.pick([5, 12, 25, 40, 80, 150, 300])}人ほどで利用しています。`,
	(r) => `ワークスペースの管理者で、主に${r.pick(platforms).ja}を使っています。`,
	(r) => `${r.pick(['先月', '2週間前', '今期から', '1年前'])}にスプレッドシートからTsumikiに移行しました。`,
	() => `管理者ではなく、一般メンバーとして使っています。`,
	(r) => `ワークスペース作成時に${r.pick(integrations).ja}と連携しました。`,
]
const jaProblem: Array<(a: Action, s: Symptom, r: Random) => string> = [
	(a, s) => `${a.ja}しようとすると、${s.ja}`,
	(a) => `設定画面を探しましたが、${a.ja}する場所が見つかりませんでした。`,
	(_a, s, r) => `${r.pick(['先週の金曜日', '月曜日のアップデート', 'プランを変更した後', 'SSOを有効にした後'])}までは問題なかったのですが、今は${s.ja}`,
	(a, _s, r) => `${r.pick(['四半期のレビュー', '監査', '顧客との打ち合わせ', '月次締め'])}の前に${a.ja}する必要があります。`,
]
const jaDetail: Array<(r: Random) => string> = [
	(r) => `${r.pick(platforms).ja}では発生しますが、${r.pick(platforms).ja}では発生しません。`,
	() => `キャッシュの削除と再ログインは試しました。`,
	() => `チームの他のメンバーも同じ状態です。`,
	(r) => `${r.pick(features).ja}には${r.pick([50, 200, 800, 3000, 12000])}件ほどの項目があります。`,
	(r) => `サポートへの問い合わせ（チケット番号 ${r.int(10000, 99999)}）はまだ回答待ちです。`,
	() => `ヘルプセンターの記事は古い画面の説明のようです。`,
]
const jaAsk = ['何か設定が足りないのでしょうか？', '解決方法をご存じの方はいますか？', '既知の不具合でしょうか？', 'よろしくお願いします。', '回避策があれば教えてください。']

const ensurePeriod = (s: string, language: Language) => (language === 'ja' ? (/[。？！]$/.test(s) ? s : `${s}。`) : /[.?!]$/.test(s) ? s : `${s}.`)

function questionBody(r: Random, language: Language, action: Action): string {
	const symptom = r.pick(symptoms)
	const sentences: string[] = []
	const count = r.int(2, 5)
	if (language === 'ja') {
		if (count >= 4) sentences.push(r.pick(jaContext)(r))
		sentences.push(ensurePeriod(r.pick(jaProblem)(action, symptom, r), 'ja'))
		while (sentences.length < count - 1) sentences.push(r.pick(jaDetail)(r))
		sentences.push(r.pick(jaAsk))
		return sentences.join('')
	}
	if (count >= 4) sentences.push(r.pick(enContext)(r))
	sentences.push(r.pick(enProblem)(action, symptom, r))
	while (sentences.length < count - 1) sentences.push(r.pick(enDetail)(r))
	sentences.push(r.pick(enAsk))
	return sentences.join(' ')
}

const settingsAreas = [
	{ en: 'Settings → Workspace → Permissions', ja: '設定 → ワークスペース → 権限' },
	{ en: 'Settings → Billing → Company details', ja: '設定 → 請求 → 会社情報' },
	{ en: 'Board menu → Export', ja: 'ボードメニュー → エクスポート' },
	{ en: 'Settings → Integrations', ja: '設定 → 連携' },
	{ en: 'Profile → Notifications', ja: 'プロフィール → 通知' },
	{ en: 'Settings → Security', ja: '設定 → セキュリティ' },
	{ en: 'Settings → Members', ja: '設定 → メンバー' },
	{ en: 'Project settings → Advanced', ja: 'プロジェクト設定 → 詳細' },
]

const enAnswer: Array<(a: Action, r: Random) => string> = [
	(a, r) => `Go to **${r.pick(settingsAreas).en}** and you will find the option to ${a.en} there.`,
	(_a, r) => `You need the **${r.pick(['Admin', 'Owner', 'Billing manager', 'Project manager'])}** role for this; ask an admin to change your role first.`,
	() => `This was a known issue in version 3.14; it has been fixed, so please update the app.`,
	(_a, r) => `It is only available on ${r.pick(plans.slice(1)).en} and above.`,
	() => `Try clearing the browser cache, then sign out and sign in again.`,
	(_a, r) => `If you use ${r.pick(integrations).en}, reconnect it once; the old token is probably expired.`,
	() => `Make sure the file is saved as **CSV UTF-8**, otherwise Japanese text gets garbled.`,
	() => `The API has an endpoint for this as well, see the API reference under "Bulk operations".`,
	() => `Deleted items stay in the trash for 30 days, and an admin can restore them from there.`,
	() => `We had the same problem and the workaround was to do it from the web app instead of the mobile app.`,
	() => `Thanks, that solved it for us!`,
	() => `Support confirmed this is expected behaviour and a change is on the roadmap.`,
]
const jaAnswer: Array<(a: Action, r: Random) => string> = [
	(a, r) => `**${r.pick(settingsAreas).ja}** から${a.ja}できます。`,
	(_a, r) => `この操作には **${r.pick(['管理者', 'オーナー', '請求管理者', 'プロジェクトマネージャー'])}** ロールが必要です。先に管理者にロールの変更を依頼してください。`,
	() => `バージョン3.14の既知の不具合で、修正済みです。アプリを更新してください。`,
	(_a, r) => `この機能は${r.pick(plans.slice(1)).ja}以上でのみ利用できます。`,
	() => `ブラウザのキャッシュを削除してから、一度ログアウトして再ログインしてみてください。`,
	(_a, r) => `${r.pick(integrations).ja}を使っている場合は、一度連携し直してください。トークンの期限切れの可能性があります。`,
	() => `ファイルを **CSV UTF-8** で保存しないと日本語が文字化けします。`,
	() => `APIにも同じ操作のエンドポイントがあります。APIリファレンスの「一括操作」を参照してください。`,
	() => `削除した項目は30日間ゴミ箱に残り、管理者が復元できます。`,
	() => `同じ問題がありましたが、モバイルアプリではなくWeb版から操作すると回避できました。`,
	() => `ありがとうございます、解決しました！`,
	() => `サポートに確認したところ仕様とのことで、改善はロードマップに入っているそうです。`,
]

function answerBody(r: Random, language: Language, action: Action): string {
	const list = language === 'ja' ? jaAnswer : enAnswer
	const sentences = new Set<string>()
	const count = r.int(1, 4)
	for (let i = 0; i < count * 2 && sentences.size < count; i++) sentences.add(r.pick(list)(action, r))
	return [...sentences].join(language === 'ja' ? '' : ' ')
}

const uniqueTags = (tags: string[]) => [...new Set(tags)].slice(0, 5)

/** The i-th question of the corpus for a seed: independent of how many are generated. */
export function generateQuestions(count: number, seed = 20260101): SyntheticQuestion[] {
	const r = new Random(seed)
	const out: SyntheticQuestion[] = []
	for (let i = 0; i < count; i++) {
		const language: Language = r.chance(0.3) ? 'ja' : 'en'
		const action = randomAction(r)
		const answerCount = r.int(1, 4)
		const acceptedIndex = r.chance(0.6) ? r.int(0, answerCount - 1) : -1
		const answers: SyntheticAnswer[] = []
		for (let a = 0; a < answerCount; a++) {
			answers.push({ body: answerBody(r, language, action), accepted: a === acceptedIndex, score: Math.floor(Math.pow(r.float(), 3) * 40), offsetMinutes: 10 + a * r.int(20, 600) })
		}
		const extraTags = r.chance(0.4) ? [r.pick(symptoms).tag].filter((t): t is string => Boolean(t)) : []
		out.push({
			externalId: `bench-q-${i + 1}`,
			language,
			title: title(r, language, action),
			body: questionBody(r, language, action),
			tags: uniqueTags([...r.sample(action.tags, r.int(1, action.tags.length)), ...extraTags, ...(language === 'ja' ? ['日本語'] : [])]),
			answers,
			score: Math.floor(Math.pow(r.float(), 4) * 60),
			meToo: Math.floor(Math.pow(r.float(), 6) * 15),
			views: r.int(1, 5000),
			ageDays: r.int(0, 730),
		})
	}
	return out
}

// ------------------------------------------------------------------ FAQs

export const faqCategories: SyntheticCategory[] = [
	{ name: 'Getting started / はじめに', slug: 'getting-started', description: 'Setting up a workspace. ワークスペースの準備。' },
	{ name: 'Billing / 請求', slug: 'billing', description: 'Plans, invoices and payment. プラン・請求書・お支払い。' },
	{ name: 'Accounts & SSO / アカウントとSSO', slug: 'accounts-sso', description: 'Sign-in, 2FA and SSO. ログイン・二段階認証・SSO。' },
	{ name: 'Integrations / 連携', slug: 'integrations', description: 'Slack, Teams, calendars and more. 外部サービスとの連携。' },
	{ name: 'Boards & tasks / ボードとタスク', slug: 'boards-tasks', description: 'Organising work. 作業の整理。' },
	{ name: 'Notifications / 通知', slug: 'notifications', description: 'Email, push and in-app notifications. 通知の設定。' },
	{ name: 'Import & export / インポートとエクスポート', slug: 'import-export', description: 'Moving data in and out. データの取り込みと書き出し。' },
	{ name: 'Mobile apps / モバイルアプリ', slug: 'mobile', description: 'iOS and Android. iOS・Androidアプリ。' },
	{ name: 'Reports & dashboards / レポート', slug: 'reports', description: 'Dashboards, time tracking and reports. ダッシュボードとレポート。' },
	{ name: 'Automation / 自動化', slug: 'automation', description: 'Rules, recurring tasks and webhooks. ルールと自動化。' },
	{ name: 'Security & privacy / セキュリティ', slug: 'security', description: 'Audit logs, IP restrictions, data deletion. 監査ログ・IP制限・データ削除。' },
	{ name: 'Administration / 管理', slug: 'administration', description: 'Members, roles and workspace settings. メンバー・ロール・ワークスペース設定。' },
]

function categoryFor(action: Action): string {
	const has = (t: string) => action.tags.includes(t)
	const bySlug = (slug: string) => faqCategories.find((c) => c.slug === slug)!.name
	if (has('billing')) return bySlug('billing')
	if (has('sso') || has('2fa') || has('account')) return bySlug('accounts-sso')
	if (has('integrations') || has('sync')) return bySlug('integrations')
	if (has('import-export') || has('printing')) return bySlug('import-export')
	if (has('notifications')) return bySlug('notifications')
	if (has('security') || has('audit-log') || has('privacy')) return bySlug('security')
	if (has('members') || has('permissions') || has('workspaces') || has('guests')) return bySlug('administration')
	if (has('automation') || has('webhooks') || has('recurring-tasks') || has('api')) return bySlug('automation')
	if (has('dashboards') || has('reports') || has('time-tracking')) return bySlug('reports')
	if (has('onboarding')) return bySlug('getting-started')
	return bySlug('boards-tasks')
}

const enFaqTitles: Array<(a: Action) => string> = [(a) => `How do I ${a.en}?`, (a) => `Can I ${a.en}?`, (a) => `How to ${a.en}`]
const jaFaqTitles: Array<(a: Action) => string> = [(a) => `${a.ja}するには？`, (a) => `${a.ja}する方法`, (a) => `${a.ja}できますか？`]

function faqBody(r: Random, language: Language, action: Action): string {
	const area = r.pick(settingsAreas)
	const steps = r.int(2, 4)
	if (language === 'ja') {
		const lines = [`**${area.ja}** から${action.ja}できます。`, '']
		const verbs = ['画面右上の **︙** をクリックします。', '対象の項目を選択します。', '**保存** をクリックします。', '確認ダイアログで **実行** を選びます。', '完了すると通知が届きます。']
		for (let i = 0; i < steps; i++) lines.push(`${i + 1}. ${verbs[i]}`)
		lines.push('', r.pick(jaAnswer)(action, r))
		if (r.chance(0.5)) lines.push(`この操作は${r.pick(plans.slice(1)).ja}以上で利用でき、管理者またはオーナーのみが実行できます。`)
		return lines.join('\n')
	}
	const lines = [`Open **${area.en}** to ${action.en}.`, '']
	const verbs = ['Click the **⋮** menu in the top right corner.', 'Select the items you want to change.', 'Click **Save**.', 'Confirm with **Continue** in the dialog.', 'You get a notification when it is done.']
	for (let i = 0; i < steps; i++) lines.push(`${i + 1}. ${verbs[i]}`)
	lines.push('', r.pick(enAnswer)(action, r))
	if (r.chance(0.5)) lines.push(`This is available on ${r.pick(plans.slice(1)).en} and above, for admins and owners.`)
	return lines.join('\n')
}

export function generateFaqs(count: number, seed = 20260202): SyntheticFaq[] {
	const r = new Random(seed)
	const out: SyntheticFaq[] = []
	const seen = new Set<string>()
	for (let i = 0; out.length < count; i++) {
		const language: Language = r.chance(0.3) ? 'ja' : 'en'
		const action = randomAction(r)
		let t = r.pick(language === 'ja' ? jaFaqTitles : enFaqTitles)(action)
		// Titles repeat in a corpus this size; a real FAQ would not have two identical ones.
		if (seen.has(t)) t = language === 'ja' ? `${t}（${r.pick(platforms).ja}）` : `${t} (${r.pick(platforms).en})`
		if (seen.has(t) && i < count * 20) continue
		seen.add(t)
		out.push({
			externalId: `bench-faq-${out.length + 1}`,
			language,
			title: t,
			body: faqBody(r, language, action),
			category: categoryFor(action),
			tags: uniqueTags([...action.tags, ...(language === 'ja' ? ['日本語'] : [])]),
			frequency: 1 + Math.floor(Math.pow(r.float(), 4) * 50),
			views: r.int(10, 20000),
			ageDays: r.int(0, 900),
		})
	}
	return out
}

// ------------------------------------------------------------------ queries

const enQueries: Array<(a: Action, s: Symptom, p: { en: string }, r: Random) => string> = [
	(a, s) => `how can I ${a.en} when ${s.en}`,
	(a) => `how do i ${a.en}`,
	(a, _s, p) => `${a.en} not working on ${p.en}`,
	(a, s) => `why ${s.short} when I try to ${a.en}`,
	(a) => `is there a way to ${a.en}`,
	(a) => `${a.en}`,
	(a, s) => `${s.short} ${a.en}`,
	(a, _s, _p, r) => `${r.pick(['cannot', "can't", 'unable to'])} ${a.en}`,
]
const jaQueries: Array<(a: Action, s: Symptom, p: { ja: string }, r: Random) => string> = [
	(a) => `${a.ja}する方法を教えてください`,
	(a) => `${a.ja}できない`,
	(a, s) => `${a.ja}しようとすると${s.ja}`,
	(a) => `${a.ja}したい`,
	(a, _s, p) => `${p.ja} ${a.ja}`,
	(a) => `${a.ja}するには`,
]

/** Distinct natural-language queries, like what people type into the search box. */
export function generateQueries(count: number, seed = 20260303): Array<{ q: string; language: Language }> {
	const r = new Random(seed)
	const seen = new Set<string>()
	const out: Array<{ q: string; language: Language }> = []
	for (let i = 0; out.length < count && i < count * 50; i++) {
		const language: Language = r.chance(0.3) ? 'ja' : 'en'
		const action = randomAction(r)
		const symptom = r.pick(symptoms)
		const platform = r.pick(platforms)
		let q = language === 'ja' ? r.pick(jaQueries)(action, symptom, platform, r) : r.pick(enQueries)(action, symptom, platform, r)
		q = language === 'en' ? q.toLowerCase().replace(/["?]/g, '') : q
		if (q.length > 200 || seen.has(q)) continue
		seen.add(q)
		out.push({ q, language })
	}
	return out
}

/** A small search vocabulary of the kind CS keep (bench-seed stores it; it sends some queries through federated search). */
export const benchSynonyms: string[][] = [
	['invoice', 'bill', '請求書'],
	['export', 'download', 'エクスポート'],
	['sso', 'single sign-on', 'シングルサインオン'],
	['2fa', 'two-factor authentication', '二段階認証'],
	['subscription', 'plan', 'サブスクリプション'],
	['greyed out', 'disabled', 'グレーアウト'],
	['garbled', 'mojibake', '文字化け'],
	['delete', 'remove', '削除'],
	['workspace', 'organization', 'ワークスペース'],
	['notification', 'alert', '通知'],
]

// ------------------------------------------------------------------ statistics

export type Latency = { n: number; p50: number; p95: number; p99: number; max: number }

/** Nearest-rank percentiles of latencies in milliseconds. */
export function percentiles(values: number[]): Latency {
	const sorted = [...values].sort((a, b) => a - b)
	const at = (p: number) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!)
	return { n: sorted.length, p50: at(50), p95: at(95), p99: at(99), max: sorted[sorted.length - 1] ?? NaN }
}

/**
 * "Meilisearch alone": the plain search any result page needs (10 hits with facets,
 * highlighting and cropping), without re-ranking, synonyms or recording the search:
 * what the benchmarks ask the engine directly, to compare the server's searches with.
 */
export const plainSearch = (q: string) => ({
	q,
	limit: 10,
	facets: ['type', 'tags', 'category'],
	attributesToRetrieve: ['entityId', 'type', 'title', 'url', 'externalId', 'tags', 'category', 'solved'],
	attributesToHighlight: ['title', 'body', 'answers'],
	attributesToCrop: ['body', 'answers'],
	cropLength: 28,
	...(isJapanese(q) ? { locales: ['jpn' as const] } : {}),
})
