import { eq, sql } from 'drizzle-orm'
import type { Transaction } from '#db/client.server'
import { tutorials, users } from '#db/schema'
import { insertTutorial } from '~/knowledge/tutorials.server'
import type { TutorialInput } from '~/knowledge/validation'
import { demoUsers } from './content'

// Tutorials for the fictional SaaS "Tsumiki" (team task & project planning).
// Every name, domain and URL below is invented for the demo.
/** `translationOf`: the title of the tutorial (earlier in the list) this one translates. */
export const demoTutorials: Array<TutorialInput & { translationOf?: string }> = [
	{
		title: 'Create your first board',
		summary: 'Set up a board for your team, add columns for your workflow and create the first tasks.',
		phase: 'onboarding',
		language: 'en',
		estimatedMinutes: 5,
		position: 1,
		published: true,
		steps: [
			{
				title: 'Create the board',
				body: 'In the sidebar, click **+ New board**. Give it a name your team recognises, such as *Website relaunch*, and choose the **Kanban** template.',
			},
			{
				title: 'Shape the columns to your workflow',
				body: 'The template starts with *To do*, *Doing* and *Done*. Rename a column by clicking its title, or add one with **+ Column** — many teams add *Review* before *Done*.',
			},
			{
				title: 'Add your first tasks',
				body: 'Click **+ Add task** at the bottom of *To do* and type a title. Press `Enter` to add the next one straight away.\n\nTip: paste a list of lines to create one task per line.',
			},
			{
				title: 'Give a task an owner and a due date',
				body: 'Open a task and set **Assignee** and **Due date**. Tasks with a due date also appear in the **Calendar** view.',
			},
		],
	},
	{
		title: 'Invite your team',
		summary: 'Bring your colleagues into the workspace, choose their roles and share your first board with them.',
		phase: 'onboarding',
		language: 'en',
		estimatedMinutes: 4,
		position: 2,
		published: true,
		steps: [
			{
				title: 'Open the member settings',
				body: 'Go to **Settings → Members**. Only workspace owners and admins can invite people.',
			},
			{
				title: 'Send the invitations',
				body: 'Click **Invite people** and paste up to 50 email addresses, separated by commas or new lines. Invitations are valid for 7 days.',
			},
			{
				title: 'Choose the right role',
				body: '- **Member**: works on the boards they are added to\n- **Guest**: sees only the boards shared with them (free, ideal for clients)\n- **Admin**: manages members, billing and integrations',
			},
			{
				title: 'Share your board',
				body: 'Open your board, click **Share** and add the team. Everyone you add gets a notification with a link to the board.',
			},
		],
	},
	{
		title: 'Slack と連携する',
		summary: 'タスクの更新を Slack のチャンネルに通知し、Slack からタスクを作成できるようにします。',
		phase: 'onboarding',
		language: 'ja',
		estimatedMinutes: 6,
		position: 3,
		published: true,
		steps: [
			{
				title: '連携ページを開く',
				body: '**設定 → 連携 → Slack** を開き、**Slack に接続** をクリックします。連携の設定にはワークスペースの管理者権限が必要です。',
			},
			{
				title: 'Slack ワークスペースを承認する',
				body: 'Slack の画面で接続先のワークスペースを選び、**許可する** をクリックします。完了すると Tsumiki の連携ページに戻ります。',
			},
			{
				title: '通知するチャンネルを選ぶ',
				body: 'ボードごとに通知先のチャンネルを選べます。例えば「Webサイト改修」ボードは `#web-team` に通知する、といった設定ができます。\n\n通知する内容（タスクの作成・完了・コメント）もここで選べます。',
			},
			{
				title: 'Slack からタスクを作成する',
				body: 'Slack のメッセージのメニューから **Tsumiki にタスクを作成** を選ぶと、メッセージの内容がタスクになります。`/tsumiki add タスク名` コマンドでも作成できます。',
			},
			{
				title: '通知が届くか確かめる',
				body: 'テスト用のタスクを作成して完了にし、選んだチャンネルに通知が届くことを確認しましょう。届かない場合は、チャンネルに Tsumiki アプリが追加されているか確認してください。',
			},
		],
	},
	{
		title: 'Plan a sprint with the timeline view',
		summary: 'Use the timeline to schedule work across a two-week sprint, spot overlaps and keep dependencies in order.',
		phase: 'adoption',
		language: 'en',
		estimatedMinutes: 10,
		position: 1,
		published: true,
		steps: [
			{
				title: 'Switch to the timeline',
				body: 'On any board, choose **View → Timeline**. Tasks with a start and due date appear as bars; tasks without dates wait in the **Unscheduled** panel on the right.',
			},
			{
				title: 'Schedule the sprint',
				body: 'Drag tasks from **Unscheduled** onto the timeline. Drag a bar’s edges to change its start or end date.',
			},
			{
				title: 'Link dependent tasks',
				body: 'Hover over a bar and drag the dot at its end onto another task. Tsumiki then warns you when a task is scheduled to start before the one it depends on is finished.',
			},
			{
				title: 'Check everyone’s workload',
				body: 'Turn on **Group by assignee** to see each person’s tasks in their own row. Overlapping bars in one row are a sign that someone has too much at once.',
			},
		],
	},
	{
		title: '複数チームでワークスペースを運用する',
		summary: '部署ごとにスペースを分け、権限とテンプレートを整えて、全社で Tsumiki を使えるようにします。',
		phase: 'expansion',
		language: 'ja',
		estimatedMinutes: 15,
		position: 1,
		published: true,
		steps: [
			{
				title: 'チームごとにスペースを作る',
				body: 'サイドバーの **+ スペース** から、部署やプロジェクトごとにスペースを作成します。スペースにはそれぞれボードとメンバーを持たせられます。',
			},
			{
				title: 'スペースの管理者を決める',
				body: '各スペースの **設定 → メンバー** で、チームのリーダーを **スペース管理者** にします。管理者はメンバーの追加やボードの整理を任せられます。',
			},
			{
				title: '共通のテンプレートを用意する',
				body: 'よく使うボードの構成を **テンプレートとして保存** し、**全スペースで共有** を有効にします。新しいチームも同じ進め方ですぐに始められます。',
			},
			{
				title: 'SSO で参加を簡単にする',
				body: 'Business プランでは **設定 → セキュリティ → SAML SSO** を設定すると、社員が会社のアカウントでログインでき、退職時のアカウント停止も自動化できます。',
			},
		],
	},
	{
		title: '最初のボードを作る',
		translationOf: 'Create your first board',
		summary: 'ボードを作り、チームの進め方に合わせて列を整え、最初のタスクを追加します。',
		phase: 'onboarding',
		language: 'ja',
		estimatedMinutes: 5,
		position: 1,
		published: true,
		steps: [
			{ title: 'ボードを作成する', body: 'サイドバーの **+ 新しいボード** をクリックし、名前を付けて **作成** します。' },
			{ title: '列を進め方に合わせる', body: '**ToDo / 進行中 / 完了** の列は、名前の変更・追加・並べ替えができます。列の見出しをドラッグして順番を変えましょう。' },
			{ title: '最初のタスクを追加する', body: '列の下の **+ タスクを追加** にタイトルを入力して Enter を押します。' },
			{ title: '担当者と期限を決める', body: 'タスクを開き、**担当者** と **期限** を設定します。担当者には通知が届きます。' },
		],
	},
	{
		title: 'Connect Slack',
		translationOf: 'Slack と連携する',
		summary: 'Post task updates to a Slack channel and create tasks from Slack.',
		phase: 'onboarding',
		language: 'en',
		estimatedMinutes: 6,
		position: 3,
		published: true,
		steps: [
			{ title: 'Open the integrations page', body: 'Go to **Settings → Integrations** and click **Slack**.' },
			{ title: 'Authorise your Slack workspace', body: 'Click **Connect to Slack**, sign in to Slack if asked and click **Allow**.' },
			{ title: 'Choose the channel to notify', body: 'Pick a board and the channel its updates go to. For a private channel, first run `/invite @Tsumiki` there.' },
			{ title: 'Create a task from Slack', body: 'Type `/tsumiki add Write the release notes` in any channel: the task lands in the board’s first column.' },
			{ title: 'Check that notifications arrive', body: 'Move a task on the board and watch the channel: the update appears within a few seconds.' },
		],
	},
]

/** Adds the demo tutorials (written by the demo support person when present) and queues them for search. */
export async function seedDemoTutorials(tx: Transaction) {
	const support = demoUsers.find((person) => person.role === 'cs')
	const [author] = support ? await tx.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = lower(${support.email})`) : []
	const idsByTitle = new Map<string, number>()
	for (const { translationOf, ...tutorial } of demoTutorials) {
		const { id } = await insertTutorial(tx, tutorial, author?.id ?? null)
		idsByTitle.set(tutorial.title, id)
		const originalId = translationOf ? idsByTitle.get(translationOf) : undefined
		if (originalId !== undefined) await tx.update(tutorials).set({ translationOfId: originalId }).where(eq(tutorials.id, id))
	}
}
