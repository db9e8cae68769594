// Demo content for Kizuna: a fictional SaaS product called "Tsumiki"
// (team task & project planning). All people, companies, domains and
// URLs below are invented for demo purposes.

export type DemoAnswer = { author: string; body: string; accepted?: boolean; daysAfter: number }
export type DemoQuestion = {
  author: string          // one of the demo user keys below
  title: string
  body: string            // Markdown
  tags: string[]          // lowercase ascii slugs, 1-3 per question
  daysAgo: number         // when asked, 1..60
  meToo?: string[]        // demo user keys (not the author) who said "I have this question too"
  answers: DemoAnswer[]
}
export type DemoUser = { key: string; name: string; email: string; role: 'member' | 'cs' | 'product' }

export const demoUsers: DemoUser[] = [
  { key: 'misaki', name: '佐藤 美咲', email: 'misaki.sato@example-maru.co.jp', role: 'member' },
  { key: 'kenta', name: '田中 健太', email: 'kenta.tanaka@example-hoshizora.co.jp', role: 'member' },
  { key: 'yuki', name: '鈴木 由紀', email: 'yuki.suzuki@example-sakuradesign.jp', role: 'member' },
  { key: 'emily', name: 'Emily Carter', email: 'emily.carter@example-acme.com', role: 'member' },
  { key: 'raj', name: 'Raj Patel', email: 'raj.patel@example-northwind.io', role: 'member' },
  { key: 'daniel', name: 'Daniel Okafor', email: 'daniel.okafor@example-brightline.com', role: 'member' },
  { key: 'aoi', name: 'Tsumiki Support – Aoi', email: 'aoi.support@example-tsumiki.com', role: 'cs' },
  { key: 'haruto', name: '中村 陽翔 (Tsumiki Product)', email: 'haruto.nakamura@example-tsumiki.com', role: 'product' },
]

export const demoQuestions: DemoQuestion[] = [
  // ───────────────────────────── English ─────────────────────────────
  {
    author: 'emily',
    title: 'SAML SSO login fails with "InResponseTo does not match" after switching IdP',
    body: `We moved our identity provider from OneLogin to Azure AD (Entra ID) last week. Since then, about half of our users get this error when signing in via SSO:

\`\`\`
SAML response rejected: InResponseTo does not match any pending request (code: SSO_4012)
\`\`\`

The other half can log in fine. I already re-uploaded the new IdP metadata under **Settings → Security → SAML SSO**. Is there some cached state we need to clear?`,
    tags: ['sso'],
    daysAgo: 41,
    meToo: ['raj', 'daniel'],
    answers: [
      {
        author: 'aoi',
        body: `Hi Emily, thanks for the detailed error code! \`SSO_4012\` almost always means the login was started from the IdP side (IdP-initiated) while Tsumiki expected an SP-initiated flow.

Please check these two things:

- In Entra ID, make sure the **Sign on URL** is \`https://app.example-tsumiki.com/sso/start?workspace=YOUR_SLUG\`, not the ACS URL.
- In Tsumiki, enable **Allow IdP-initiated login** under **Settings → Security → SAML SSO → Advanced** if your users start from the My Apps portal.

Users with old bookmarks to the OneLogin tile will keep hitting this until they use the new link. Details are in https://docs.example-tsumiki.com/sso/saml-troubleshooting.`,
        accepted: true,
        daysAfter: 0,
      },
      {
        author: 'raj',
        body: `Same thing happened to us. Turning on IdP-initiated login fixed it immediately — the users who were failing all launched Tsumiki from the Microsoft My Apps portal.`,
        daysAfter: 2,
      },
    ],
  },
  {
    author: 'daniel',
    title: 'Where can I download past invoices as PDF?',
    body: `Our finance team needs PDF copies of every invoice from the last 12 months for an audit. I can see the current plan under **Settings → Billing**, but I only find a "Receipt" link for the latest payment. Is there a way to download older invoices in bulk, ideally with our VAT number printed on them?`,
    tags: ['billing'],
    daysAgo: 12,
    meToo: ['raj'],
    answers: [
      {
        author: 'aoi',
        body: `Hi Daniel! All invoices are listed under **Settings → Billing → Invoices** (scroll below the plan card). Each row has a PDF icon, and the **Download all (ZIP)** button at the top exports everything for a date range.

To have your VAT number printed, add it in **Settings → Billing → Company details** first. New invoices pick it up automatically; for past invoices, click **Regenerate** on the row and the PDF is re-issued with the updated details.

Only workspace owners and members with the **Billing manager** role can see this page.`,
        accepted: true,
        daysAfter: 0,
      },
    ],
  },
  {
    author: 'raj',
    title: 'Slack notifications stopped after we renamed the channel',
    body: `We had Tsumiki posting task updates to \`#proj-apollo\` in Slack. Yesterday someone renamed it to \`#apollo-delivery\` and now nothing gets posted. The integration page still shows **Connected** with a green dot. Do I need to reconnect the whole Slack app, or can I just update the channel?`,
    tags: ['integrations', 'notifications'],
    daysAgo: 33,
    answers: [
      {
        author: 'daniel',
        body: `I think Tsumiki stores the channel by name, not ID. We had to remove and re-add the channel mapping after a rename.`,
        daysAfter: 0,
      },
      {
        author: 'aoi',
        body: `Small correction: we store the channel ID, so a plain rename should keep working. What usually breaks it is that the channel was **converted to private** at the same time, and the Tsumiki bot is not a member of the private channel.

Fix:

1. In Slack, open \`#apollo-delivery\` and run \`/invite @Tsumiki\`.
2. In Tsumiki, go to **Board settings → Integrations → Slack** and click **Send test message**.

If the test fails, the error shown there (e.g. \`not_in_channel\`) will tell us more.`,
        accepted: true,
        daysAfter: 1,
      },
    ],
  },
  {
    author: 'emily',
    title: 'CSV import fails with "Row 14: unknown assignee"',
    body: `I'm migrating ~600 tasks from a spreadsheet. The import stops with:

\`\`\`
Import failed: Row 14: unknown assignee "j.lee@example-acme.com"
\`\`\`

That person is definitely in our company, but they haven't logged into Tsumiki yet. My header row looks like this:

\`\`\`csv
title,description,assignee_email,due_date,status,labels
\`\`\`

Is there a way to import tasks for people who haven't joined yet?`,
    tags: ['import-export', 'onboarding'],
    daysAgo: 27,
    answers: [
      {
        author: 'aoi',
        body: `Hi Emily — the assignee has to be a workspace member (invited counts, even if they haven't accepted yet). Two options:

- Invite the missing people first via **Settings → Members → Invite**, then re-run the import.
- Or tick **Leave unknown assignees empty** on the mapping step of the importer, so those rows are imported unassigned and the original email is kept in a comment.

The importer also accepts \`due_date\` only as \`YYYY-MM-DD\`, so double-check that column too. See https://docs.example-tsumiki.com/import/csv for the full column list.`,
        accepted: true,
        daysAfter: 1,
      },
      {
        author: 'misaki',
        body: `Tip from our migration: run the import on a test board first. The preview step shows all row errors at once, so you don't have to fix them one by one.`,
        daysAfter: 3,
      },
    ],
  },
  {
    author: 'raj',
    title: 'API token returns 401 right after rotating it',
    body: `I rotated our integration token under **Settings → API tokens** and updated our CI secret. Now every call fails:

\`\`\`bash
curl -H "Authorization: Bearer $TSUMIKI_TOKEN" \\
  https://api.example-tsumiki.com/v1/boards
# {"error":"unauthorized","message":"Token is invalid or expired"}
\`\`\`

The old token also returns 401 now (which is expected). Is there a propagation delay, or did I miss a scope?`,
    tags: ['api'],
    daysAgo: 19,
    answers: [
      {
        author: 'aoi',
        body: `There's no propagation delay — new tokens are valid instantly. The two most common causes we see:

1. A trailing newline in the secret. If you used \`echo\` to store it, try \`printf '%s' "$TOKEN"\` instead.
2. The token was created as a **personal** token in a different workspace. Tokens are workspace-scoped; check the workspace switcher in the top-left before generating.

You can verify a token quickly with:

\`\`\`bash
curl -s -H "Authorization: Bearer $TSUMIKI_TOKEN" https://api.example-tsumiki.com/v1/me
\`\`\`

It returns the workspace slug the token belongs to.`,
        accepted: true,
        daysAfter: 0,
      },
    ],
  },
  {
    author: 'daniel',
    title: 'Automatically move unfinished tasks to the next sprint?',
    body: `At the end of each two-week sprint we manually drag 20–30 open tasks into the next sprint. Is there a setting that carries over unfinished tasks when I click **Complete sprint**? We're on the Team plan.`,
    tags: ['sprints'],
    daysAgo: 8,
    answers: [
      {
        author: 'haruto',
        body: `Hi Daniel, product team here. When you click **Complete sprint**, the dialog has a dropdown **Move open tasks to:** where you can pick the next planned sprint or the backlog. If there is no planned sprint yet, it defaults to the backlog — that's probably what you've been seeing.

To make it fully automatic, enable **Board settings → Sprints → Auto-create next sprint**. Open tasks will then roll over without the dialog. This works on Team and Business plans.`,
        accepted: true,
        daysAfter: 0,
      },
      {
        author: 'emily',
        body: `We use this and it's great. One caveat: story points stay on the rolled-over tasks, so the velocity chart counts them in the sprint where they're finally completed.`,
        daysAfter: 1,
      },
    ],
  },
  {
    author: 'emily',
    title: 'No push notifications from the Android app (Android 14)',
    body: `Since updating to Android 14, the Tsumiki mobile app doesn't show any push notifications — mentions, due-date reminders, nothing. In-app notifications are there when I open the app. Things I've tried:

- Reinstalled the app (v3.8.2)
- Checked **Profile → Notifications → Mobile push** is on
- Disabled battery optimization for Tsumiki

iOS users on my team get pushes normally.`,
    tags: ['mobile', 'notifications'],
    daysAgo: 6,
    meToo: ['misaki', 'daniel'],
    answers: [
      {
        author: 'aoi',
        body: `Thanks for listing what you tried. Android 14 requires the app to ask for the **Notifications** runtime permission again after some updates. Please check **Android Settings → Apps → Tsumiki → Notifications** and see if it's toggled off.

We're also investigating a report that v3.8.2 fails to register the push token on some Pixel devices. Could you tell us your device model?`,
        daysAfter: 0,
      },
      {
        author: 'raj',
        body: `On my Pixel 8 the permission was on, but logging out and back in in the app fixed it for me. Might be the token registration issue Aoi mentioned.`,
        daysAfter: 1,
      },
    ],
  },
  {
    author: 'daniel',
    title: 'Can guest users see private boards?',
    body: `We want to invite an external agency as **guests** to one board only. Before we do, I need to be sure they can't see our other boards, especially the private ones, or find tasks through search. What exactly can a guest access?`,
    tags: ['permissions'],
    daysAgo: 52,
    answers: [
      {
        author: 'aoi',
        body: `Guests can only see boards they've been explicitly added to. Specifically, a guest:

- cannot see the board list, workspace directory, or other members' profiles beyond the shared board
- gets search results only from boards they belong to
- cannot create new boards or export data

Private boards are never visible to guests unless a board admin adds them directly. The full permission matrix is at https://docs.example-tsumiki.com/permissions/roles.`,
        accepted: true,
        daysAfter: 0,
      },
    ],
  },
  {
    author: 'raj',
    title: 'Time tracking report: hours per member per week?',
    body: `Our managers want a weekly breakdown of tracked hours per person across all projects. The **Reports → Time tracking** page shows totals per task, but I can't find a way to group by member and week. Do I have to export the raw CSV and pivot it in a spreadsheet?`,
    tags: ['reports'],
    daysAgo: 22,
    answers: [
      {
        author: 'emily',
        body: `You can do it in the UI: on **Reports → Time tracking**, switch the **Group by** dropdown (top right) to **Member**, then set **Interval** to **Weekly**. It's easy to miss because it only appears once you've selected more than one board in the filter.`,
        accepted: true,
        daysAfter: 0,
      },
      {
        author: 'aoi',
        body: `Emily is right! You can also save that view with **Save as report** and schedule it to be emailed every Monday under **Reports → Scheduled**.`,
        daysAfter: 1,
      },
    ],
  },
  {
    author: 'daniel',
    title: 'Microsoft Teams integration says "Tenant admin approval required"',
    body: `When I try to add the Tsumiki app in Microsoft Teams, I get **"Need admin approval — Tsumiki needs permission to access resources in your organization"**. I'm a Tsumiki workspace owner but not a Microsoft 365 admin. What permissions does the app request, so I can send a precise request to our IT team?`,
    tags: ['integrations'],
    daysAgo: 15,
    meToo: ['emily'],
    answers: [
      {
        author: 'aoi',
        body: `This is a Microsoft 365 tenant policy, so an M365 admin needs to grant consent once for the whole organization. The app requests:

- \`User.Read\` — sign-in and basic profile
- \`ChannelMessage.Send\` — post task cards to channels you connect
- \`Team.ReadBasic.All\` — list teams and channels in the setup dialog

Your admin can approve it from the admin consent link on https://docs.example-tsumiki.com/integrations/teams. After that, you can connect it yourself from **Settings → Integrations → Microsoft Teams**.`,
        accepted: true,
        daysAfter: 1,
      },
    ],
  },
  {
    author: 'emily',
    title: 'Downgrading from Business to Team — what happens to SSO and audit logs?',
    body: `We're considering downgrading from the Business plan to Team at renewal. Two concerns:

1. Will SAML SSO stop working immediately, locking people out?
2. What happens to the audit logs we've collected so far?

I couldn't find this in the plan comparison page.`,
    tags: ['billing', 'sso'],
    daysAgo: 36,
    answers: [
      {
        author: 'haruto',
        body: `Good questions, Emily. The downgrade takes effect at the end of the current billing period, and:

1. **SSO** is turned off at that point and members sign in with email + password (or Google). Before the switch, we email everyone a link to set a password, so nobody is locked out. If you enforce SSO, please disable **Require SSO** beforehand.
2. **Audit logs** are kept for 90 days after the downgrade, read-only. You can export them as CSV from **Settings → Security → Audit log → Export** during that time.

We'll add this to the plan comparison page — thanks for pointing it out.`,
        accepted: true,
        daysAfter: 1,
      },
    ],
  },
  {
    author: 'raj',
    title: 'Hitting 429 Too Many Requests when syncing tasks via the API',
    body: `Our nightly job syncs about 5,000 tasks from our ticketing tool into Tsumiki using \`PATCH /v1/tasks/{id}\`. After a few hundred calls we get:

\`\`\`json
{"error":"rate_limited","retry_after":30}
\`\`\`

What are the actual rate limits, and is there a bulk endpoint?`,
    tags: ['api'],
    daysAgo: 48,
    answers: [
      {
        author: 'aoi',
        body: `The limit is **300 requests per minute per token** (Business: 600). Every response includes \`X-RateLimit-Remaining\` and \`X-RateLimit-Reset\` headers so you can throttle proactively.

For your case, use the bulk endpoint, which accepts up to 100 tasks per call and counts as one request:

\`\`\`bash
curl -X POST https://api.example-tsumiki.com/v1/tasks/bulk_update \\
  -H "Authorization: Bearer $TSUMIKI_TOKEN" \\
  -H "Content-Type: application/json" \\
  -d '{"tasks":[{"id":"tsk_123","status":"done"},{"id":"tsk_124","due_date":"2025-07-01"}]}'
\`\`\`

Docs: https://docs.example-tsumiki.com/api/bulk`,
        accepted: true,
        daysAfter: 0,
      },
      {
        author: 'daniel',
        body: `+1 for the bulk endpoint. Our 8k-task sync went from 40 minutes to under 2 after switching.`,
        daysAfter: 2,
      },
    ],
  },
  {
    author: 'emily',
    title: 'Sprint velocity chart shows 0 points for every sprint',
    body: `The **Reports → Velocity** chart shows 0 completed points for all of our last six sprints, even though the sprint summaries clearly list completed tasks with story points. We use a custom field called "Points" that we created before Tsumiki added the built-in **Story points** field. Could that be the reason?`,
    tags: ['sprints', 'reports'],
    daysAgo: 3,
    meToo: ['raj'],
    answers: [],
  },
  {
    author: 'daniel',
    title: 'Best way to onboard 200 people at once?',
    body: `We're rolling Tsumiki out to the whole company (about 200 people in 12 departments). Inviting them one by one isn't realistic. Is there a bulk invite, and can we pre-assign people to workspaces/boards and roles at the same time? We're not using SSO yet.`,
    tags: ['onboarding', 'permissions'],
    daysAgo: 58,
    answers: [
      {
        author: 'aoi',
        body: `Yes — go to **Settings → Members → Invite → Bulk invite (CSV)**. The CSV format is:

\`\`\`csv
email,name,role,teams
a.tanaka@example-brightline.com,Aki Tanaka,member,"Design;Marketing"
\`\`\`

Teams are created if they don't exist, and boards shared with a team become visible automatically. Allowed roles are \`member\`, \`guest\` and \`admin\`.`,
        daysAfter: 1,
      },
      {
        author: 'raj',
        body: `We did a similar rollout. My advice: invite department leads a week earlier so they can set up board templates before everyone else arrives. The empty-workspace first impression was our biggest problem.`,
        daysAfter: 3,
      },
    ],
  },
  {
    author: 'raj',
    title: 'Calendar shows Japanese holidays for our US team',
    body: `Our workspace was created by our Tokyo office, and now the calendar view and due-date picker mark Japanese national holidays (e.g. "Marine Day") for everyone, including our team in Austin. Can the holiday calendar be set per team or per user?`,
    tags: ['calendar'],
    daysAgo: 17,
    answers: [
      {
        author: 'haruto',
        body: `Hi Raj! The workspace default is set in **Settings → Workspace → Holiday calendar**, but each user can override it under **Profile → Preferences → Holiday calendar** (Japan, United States, UK, and others, or **None**).

Sprint capacity uses the calendar of each assignee, so your Austin team won't lose capacity on Japanese holidays once they switch. Per-team defaults are on our roadmap.`,
        accepted: true,
        daysAfter: 1,
      },
    ],
  },
  {
    author: 'daniel',
    title: 'How do I verify the webhook signature?',
    body: `We set up a webhook for \`task.updated\` events. Each request has an \`X-Tsumiki-Signature\` header like \`t=1718000000,v1=5f2b...\`. I'm computing an HMAC-SHA256 of the raw body with our signing secret, but it never matches. Should the timestamp be part of the signed payload? A Node.js example would be very helpful.`,
    tags: ['api', 'integrations'],
    daysAgo: 2,
    answers: [],
  },
  {
    author: 'raj',
    title: 'Okta SSO keeps redirecting back to the Tsumiki login page',
    body: `After configuring Okta for our workspace, users click **Sign in with SSO**, authenticate in Okta successfully, and then land back on the Tsumiki login page with no error message. The Okta system log shows the assertion was sent. The NameID format is set to \`EmailAddress\`. Any idea what's going wrong?`,
    tags: ['sso'],
    daysAgo: 10,
    answers: [
      {
        author: 'emily',
        body: `We had a silent redirect loop when the email in Okta had different capitalization than the Tsumiki account (e.g. \`Raj.Patel@...\` vs \`raj.patel@...\`). Also check that third-party cookies aren't blocked — the login uses a cookie on \`app.example-tsumiki.com\`.`,
        daysAfter: 1,
      },
      {
        author: 'aoi',
        body: `Thanks Emily. Raj, could you check **Settings → Security → SAML SSO → Recent attempts**? It lists the last 50 assertions with the exact rejection reason, even when the login page shows nothing. Feel free to share the reason code here (without personal data).`,
        daysAfter: 1,
      },
    ],
  },
  {
    author: 'emily',
    title: 'Export a board to CSV including subtasks and custom fields',
    body: `When I use **Board menu → Export → CSV**, the file only contains top-level tasks and the standard columns. I need subtasks (with a parent reference) and our custom fields ("Client", "Budget code") for a report in Excel. Is this possible, or only through the API?`,
    tags: ['import-export', 'reports'],
    daysAgo: 5,
    meToo: ['daniel'],
    answers: [],
  },

  // ───────────────────────────── Japanese ─────────────────────────────
  {
    author: 'misaki',
    title: 'Slack連携で通知が届かなくなりました',
    body: `先週まではタスクの担当者変更やコメントがSlackの \`#営業-案件管理\` チャンネルに通知されていたのですが、今週月曜日から一切届かなくなりました。

Tsumiki側の **設定 → 連携 → Slack** を見ると「接続済み」と表示されています。Slack側で何か設定が変わった可能性もありますが、確認すべきポイントを教えていただけますか。`,
    tags: ['integrations', 'notifications'],
    daysAgo: 9,
    meToo: ['yuki'],
    answers: [
      {
        author: 'kenta',
        body: `うちでも同じことがありました。Slackのワークスペース管理者がアプリの権限を見直した際に、Tsumikiアプリが一度「無効」になっていたのが原因でした。Slackの **App管理** 画面を確認してみてください。`,
        daysAfter: 0,
      },
      {
        author: 'aoi',
        body: `佐藤様、お問い合わせありがとうございます。田中様のご指摘のとおり、Slack側でアプリが再承認待ちになっているケースが多いです。以下の順にご確認ください。

1. Slackの **App管理 → Tsumiki** が「有効」になっているか
2. 該当チャンネルがプライベートに変更されていないか（その場合は \`/invite @Tsumiki\` を実行）
3. Tsumikiの **ボード設定 → 連携 → Slack → テスト送信** でエラーが出ないか

テスト送信でエラーコードが表示された場合は、こちらに貼っていただければ詳しく調査いたします。`,
        accepted: true,
        daysAfter: 1,
      },
    ],
  },
  {
    author: 'kenta',
    title: '請求書の宛名と住所を変更したい',
    body: `経理から、Tsumikiの請求書の宛名を正式な会社名「株式会社ほしぞら技研」に変更してほしいと依頼がありました。現在はサインアップ時に入力した「ほしぞら」だけになっています。

また、過去3か月分の請求書も新しい宛名で再発行できるのでしょうか。`,
    tags: ['billing'],
    daysAgo: 24,
    answers: [
      {
        author: 'aoi',
        body: `田中様、ご連絡ありがとうございます。宛名・住所は **設定 → 請求 → 会社情報** から変更できます。インボイス制度の登録番号（T+13桁）もこちらで入力可能です。

過去の請求書は、**設定 → 請求 → 請求書一覧** で対象の行の **再発行** をクリックすると、現在の会社情報でPDFが作り直されます。なお、この画面はワークスペースのオーナーと「請求管理者」ロールのメンバーのみ表示されます。`,
        accepted: true,
        daysAfter: 0,
      },
    ],
  },
  {
    author: 'yuki',
    title: '機種変更したら二段階認証のコードが受け取れずログインできません',
    body: `スマートフォンを機種変更したところ、認証アプリ（Google Authenticator）のデータが移行できておらず、Tsumikiにログインできなくなりました。

ログイン画面で「認証コードが正しくありません（2FA_INVALID）」と表示されます。バックアップコードも保存していませんでした……。どうすれば復旧できますか。`,
    tags: ['sso', 'mobile'],
    daysAgo: 14,
    meToo: ['misaki'],
    answers: [
      {
        author: 'aoi',
        body: `鈴木様、ご不便をおかけしております。バックアップコードがない場合は、以下のいずれかの方法で二段階認証をリセットできます。

- **ワークスペース管理者に依頼する**：管理者が **設定 → メンバー → 該当ユーザー → 二段階認証をリセット** を実行すると、次回ログイン時に再設定画面が表示されます。
- **管理者もログインできない場合**：登録メールアドレスからサポート窓口へご連絡ください。本人確認の後、リセットいたします。

再設定後は、**プロフィール → セキュリティ → バックアップコード** から必ずコードを保存しておいてください。手順の詳細は https://docs.example-tsumiki.com/ja/security/2fa をご覧ください。`,
        accepted: true,
        daysAfter: 0,
      },
    ],
  },
  {
    author: 'kenta',
    title: 'SAML SSOでログインすると「署名の検証に失敗しました」と表示される',
    body: `HENNGE経由でSAML認証を設定しました。テストユーザーでログインしようとすると、Tsumikiの画面に次のエラーが出ます。

\`\`\`
SAMLレスポンスの署名の検証に失敗しました (SSO_4003)
\`\`\`

IdPのメタデータXMLは **設定 → セキュリティ → SAML SSO** にアップロード済みです。証明書の期限は来年までなので問題ないと思うのですが、他に原因は考えられますか。`,
    tags: ['sso'],
    daysAgo: 30,
    meToo: ['misaki', 'yuki'],
    answers: [
      {
        author: 'aoi',
        body: `田中様、エラーコードの共有ありがとうございます。\`SSO_4003\` は、Tsumikiが保持している証明書と、実際にレスポンスに署名した証明書が一致しない場合に発生します。よくある原因は以下です。

- IdP側で証明書を更新したが、古いメタデータをアップロードしている
- IdPが **アサーションのみ** 署名していて、**レスポンス全体** に署名していない

IdP側で「レスポンスに署名する」を有効にし、最新のメタデータを再アップロードしてお試しください。`,
        accepted: true,
        daysAfter: 0,
      },
      {
        author: 'haruto',
        body: `プロダクトチームの中村です。補足として、次回のリリースでアサーションのみの署名にも対応する予定です。それまでは上記の設定でご対応をお願いいたします。`,
        daysAfter: 2,
      },
    ],
  },
  {
    author: 'misaki',
    title: 'CSVインポートで日本語が文字化けします',
    body: `Excelで作成したタスク一覧をCSVで保存し、**ボードメニュー → インポート → CSV** から取り込んだところ、タイトルと説明の日本語がすべて「�����」のように文字化けしてしまいました。

ヘッダーは以下のとおりです。

\`\`\`csv
タイトル,説明,担当者メール,期限,ステータス
\`\`\`

文字コードの指定などが必要でしょうか。`,
    tags: ['import-export'],
    daysAgo: 45,
    answers: [
      {
        author: 'yuki',
        body: `ExcelでそのままCSV保存するとShift_JISになるので、それが原因だと思います。保存時に **「CSV UTF-8（コンマ区切り）」** を選ぶと直りましたよ。`,
        accepted: true,
        daysAfter: 0,
      },
      {
        author: 'aoi',
        body: `鈴木様、ありがとうございます！補足ですが、インポート画面の **詳細設定 → 文字コード** で \`Shift_JIS\` を選択していただくと、Excel標準のCSVもそのまま取り込めます。列名は日本語のままでも、マッピング画面で対応付けできます。`,
        daysAfter: 1,
      },
    ],
  },
  {
    author: 'yuki',
    title: '祝日カレンダーに会社独自の休日を追加できますか',
    body: `Tsumikiのカレンダーには日本の祝日が表示されていて便利なのですが、弊社は創立記念日（6月1日）と年末年始（12/29〜1/4）が休みです。

これらを休日として登録し、スプリントの稼働日計算や期限の自動調整に反映させることはできますか。`,
    tags: ['calendar', 'sprints'],
    daysAgo: 39,
    answers: [
      {
        author: 'haruto',
        body: `鈴木様、プロダクトチームの中村です。**設定 → ワークスペース → 祝日カレンダー → 独自の休日を追加** から、日付または期間を登録できます。登録した休日は以下に反映されます。

- カレンダービューでの休日表示
- スプリントの稼働日・キャパシティ計算
- 「営業日で期限を設定」オプション使用時の期限計算

毎年同じ日付の休日は **毎年繰り返す** にチェックを入れてください。`,
        accepted: true,
        daysAfter: 1,
      },
    ],
  },
  {
    author: 'kenta',
    title: '進行中のスプリントの終了日を延長したい',
    body: `現在のスプリントを、リリース日の都合で3日間延長したいです。スプリント開始後だと日付の編集欄がグレーアウトしていて変更できません。

一度スプリントを完了して作り直すしかないのでしょうか。バーンダウンチャートの履歴は残したいです。`,
    tags: ['sprints'],
    daysAgo: 20,
    answers: [
      {
        author: 'aoi',
        body: `田中様、お問い合わせありがとうございます。進行中のスプリントの終了日は、**ボード管理者** 権限のあるメンバーのみ変更できます。スプリントヘッダーの **︙ → スプリントを編集** から終了日を変更してください。

グレーアウトしている場合は、ボードでの権限が「メンバー」になっている可能性があります。変更してもバーンダウンチャートの履歴はそのまま残り、理想線のみ新しい期間で再計算されます。`,
        accepted: true,
        daysAfter: 0,
      },
    ],
  },
  {
    author: 'misaki',
    title: '請求書払い（銀行振込）に切り替えることはできますか',
    body: `現在クレジットカードでTeamプランを利用していますが、社内規定で年間契約は請求書払い（銀行振込）にする必要があります。

Tsumikiでは請求書払いに対応していますか。対応している場合、最低ユーザー数などの条件があれば教えてください。`,
    tags: ['billing'],
    daysAgo: 50,
    answers: [
      {
        author: 'aoi',
        body: `佐藤様、ご連絡ありがとうございます。年間契約のTeamプラン・Businessプランで、**10ユーザー以上** の場合に請求書払い（銀行振込）をご利用いただけます。

**設定 → 請求 → 支払い方法 → 請求書払いを申請** から申請いただくと、2営業日以内に担当よりご連絡いたします。請求書は毎月ではなく、契約開始時に年額を円建て（税込）で発行します。支払期限は発行月の翌月末です。`,
        accepted: true,
        daysAfter: 1,
      },
    ],
  },
  {
    author: 'kenta',
    title: 'APIでタスクを一括作成する方法を教えてください',
    body: `社内の受注管理システムから、新規案件ごとにTsumikiのタスクを自動作成したいと考えています。1件ずつなら以下で作成できました。

\`\`\`bash
curl -X POST https://api.example-tsumiki.com/v1/tasks \\
  -H "Authorization: Bearer $TSUMIKI_TOKEN" \\
  -H "Content-Type: application/json" \\
  -d '{"board_id":"brd_8Kq2","title":"A社 見積もり作成"}'
\`\`\`

1回のリクエストで複数件作成する方法はありますか。`,
    tags: ['api'],
    daysAgo: 28,
    answers: [
      {
        author: 'aoi',
        body: `田中様、\`POST /v1/tasks/bulk\` をご利用ください。1リクエストで最大100件まで作成できます。

\`\`\`bash
curl -X POST https://api.example-tsumiki.com/v1/tasks/bulk \\
  -H "Authorization: Bearer $TSUMIKI_TOKEN" \\
  -H "Content-Type: application/json" \\
  -d '{"board_id":"brd_8Kq2","tasks":[{"title":"A社 見積もり作成"},{"title":"B社 契約書確認","due_date":"2025-08-01"}]}'
\`\`\`

レスポンスには作成されたタスクのIDが順番どおりに返ります。詳細は https://docs.example-tsumiki.com/ja/api/tasks をご覧ください。`,
        accepted: true,
        daysAfter: 0,
      },
    ],
  },
  {
    author: 'yuki',
    title: '閲覧だけできるメンバーを作りたい',
    body: `役員にプロジェクトの進捗を見てもらいたいのですが、誤ってタスクを動かしたり削除したりされると困ります。

「閲覧のみ」のような権限はありますか。また、その場合もユーザー料金はかかるのでしょうか。`,
    tags: ['permissions', 'billing'],
    daysAgo: 11,
    answers: [
      {
        author: 'misaki',
        body: `弊社ではボードごとに **閲覧者** 権限を付与しています。ボード右上の **共有 → メンバー** でロールを「閲覧者」に変えられますよ。`,
        daysAfter: 0,
      },
      {
        author: 'aoi',
        body: `佐藤様、ご回答ありがとうございます。補足いたします。

- **閲覧者** はタスクの閲覧・コメントのみ可能で、編集・移動・削除はできません。
- Businessプランでは、閲覧者のみのユーザーは **無料** です（Teamプランでは通常の料金がかかります）。

料金の詳細は https://docs.example-tsumiki.com/ja/billing/plans をご確認ください。`,
        daysAfter: 1,
      },
    ],
  },
  {
    author: 'misaki',
    title: 'モバイルアプリでオフライン時にタスクを編集できますか',
    body: `現場（電波の弱い倉庫）でiPhoneアプリからチェックリストを更新したいのですが、圏外になると「ネットワークに接続できません」と表示されて保存できません。

オフラインで編集しておき、電波が戻ったら同期するような使い方はできますか。`,
    tags: ['mobile'],
    daysAgo: 34,
    answers: [
      {
        author: 'haruto',
        body: `佐藤様、プロダクトチームの中村です。アプリ v3.6 以降では、**プロフィール → アプリ設定 → オフラインモード** を有効にすると、お気に入りに登録したボードをオフラインで閲覧・編集できます。

オフライン中の変更は、接続が戻った時点で自動的に同期されます。同じタスクが他の人にも編集されていた場合は、項目ごとに後から保存された内容が優先されます。添付ファイルのアップロードのみオンライン時に限られます。`,
        accepted: true,
        daysAfter: 2,
      },
    ],
  },
  {
    author: 'kenta',
    title: '工数（作業時間）のレポートをExcel形式で出力したい',
    body: `月末に各メンバーの作業時間をプロジェクト別に集計して経理に提出しています。現在は **レポート → 時間記録** の画面をスクリーンショットして送っていますが、Excelで出力できれば助かります。

CSVでも構いませんが、日本語が文字化けしない形式だとありがたいです。`,
    tags: ['reports', 'import-export'],
    daysAgo: 7,
    meToo: ['misaki'],
    answers: [
      {
        author: 'yuki',
        body: `**レポート → 時間記録** の右上にある **エクスポート** から「Excel (.xlsx)」を選べます。グループ化を「メンバー × ボード」にしてから出力すると、そのまま経理に渡せる表になりました。`,
        accepted: true,
        daysAfter: 0,
      },
      {
        author: 'aoi',
        body: `鈴木様、ありがとうございます。CSVを選ぶ場合も、BOM付きUTF-8で出力されますのでExcelで開いても文字化けしません。毎月の自動送信は **レポート → 定期レポート** から設定できます。`,
        daysAfter: 1,
      },
    ],
  },
  {
    author: 'yuki',
    title: '招待したメンバーに招待メールが届きません',
    body: `新しく入社したメンバー3名を **設定 → メンバー → 招待** から招待しましたが、誰にもメールが届いていないようです。迷惑メールフォルダも確認してもらいました。

メンバー一覧では「招待中」と表示されています。再送する方法や、メール以外で参加してもらう方法はありますか。`,
    tags: ['onboarding', 'notifications'],
    daysAgo: 4,
    answers: [
      {
        author: 'aoi',
        body: `鈴木様、お問い合わせありがとうございます。メンバー一覧の「招待中」の行にある **︙ → 招待リンクをコピー** から、メールを使わずに招待リンクを直接お渡しいただけます。

メールが届かない場合、社内のメールゲートウェイで \`noreply@example-tsumiki.com\` がブロックされている可能性があります。情報システム部門に許可リストへの追加をご依頼いただけますでしょうか。`,
        daysAfter: 0,
      },
      {
        author: 'kenta',
        body: `弊社も同じでした。Microsoft 365の隔離（検疫）に入っていたので、管理者に解放してもらったら届きました。`,
        daysAfter: 1,
      },
    ],
  },
  {
    author: 'misaki',
    title: '部署ごとにワークスペースを分けるべきでしょうか',
    body: `営業部と開発部でTsumikiを使い始めたところ、ボードやラベルが増えてきて見づらくなってきました。

ワークスペースを部署ごとに分けるか、1つのワークスペース内でチームを分けるか迷っています。それぞれのメリット・デメリットや、料金への影響を教えてください。`,
    tags: ['onboarding', 'permissions'],
    daysAgo: 56,
    answers: [
      {
        author: 'aoi',
        body: `佐藤様、ご相談ありがとうございます。多くのお客様には **1つのワークスペース内でチームを分ける** 方法をおすすめしています。

- **チームで分ける場合**：部署をまたぐタスクの共有や横断検索・レポートが可能です。料金はワークスペース単位なので、兼務の方も1ユーザー分です。
- **ワークスペースを分ける場合**：データが完全に分離されますが、両方に所属する方は2ユーザー分の料金になり、請求書も別々になります。

ボードやラベルが見づらい場合は、**サイドバー → チーム別に表示** をお試しください。`,
        accepted: true,
        daysAfter: 2,
      },
    ],
  },
  {
    author: 'kenta',
    title: 'Teams連携でタスクのカードがチャンネルに表示されない',
    body: `Microsoft TeamsにTsumikiアプリを追加し、ボード「2025年度 基幹システム刷新」と「開発チーム」チャンネルを連携しました。接続テストは成功するのですが、タスクを作成・更新してもチャンネルにカードが投稿されません。

通知の対象イベントは **ボード設定 → 連携 → Microsoft Teams** ですべてチェックしています。`,
    tags: ['integrations'],
    daysAgo: 1,
    meToo: ['yuki'],
    answers: [],
  },
  {
    author: 'yuki',
    title: 'SSOを必須にしたら社外パートナーがログインできなくなりました',
    body: `**設定 → セキュリティ → SAML SSO** で「SSOを必須にする」を有効にしたところ、外部の制作会社の方（ゲストとして招待）がログインできなくなりました。

パートナーの方は弊社のIdPにアカウントがありません。社員にはSSOを必須にしつつ、ゲストだけはメールアドレスとパスワードでログインさせることはできますか。`,
    tags: ['sso', 'permissions'],
    daysAgo: 18,
    answers: [
      {
        author: 'misaki',
        body: `弊社では、SSOの設定画面に「ゲストを除外」のようなチェックがあった気がします。Businessプランだけかもしれません。`,
        daysAfter: 1,
      },
      {
        author: 'aoi',
        body: `佐藤様、情報ありがとうございます。鈴木様、ご指摘のとおり **SSOを必須にする** の下に **ゲストはパスワードログインを許可** というオプションがございます（Businessプラン）。

ただし、ゲストのメールアドレスのドメインがSSO対象ドメイン（例：\`@example-sakuradesign.jp\`）と同じ場合は除外されませんのでご注意ください。`,
        daysAfter: 2,
      },
    ],
  },
  {
    author: 'misaki',
    title: '通知メールが多すぎるので1日1回にまとめたい',
    body: `コメントや担当変更のたびにメールが届き、1日に50通以上になることもあります。Slackでも通知を受けているので、メールは1日1回のまとめ（ダイジェスト）で十分です。

**プロフィール → 通知設定** を見ても「オン／オフ」しか見当たりませんでした。まとめて受け取る設定はありますか。`,
    tags: ['notifications'],
    daysAgo: 13,
    answers: [],
  },
  {
    author: 'kenta',
    title: 'バーンダウンチャートが祝日を稼働日として計算している',
    body: `7月のスプリント（7/14〜7/25）のバーンダウンチャートで、理想線が7/21（海の日）も稼働日として計算されているようです。

ワークスペースの祝日カレンダーは「日本」に設定済みで、カレンダービューでは海の日が祝日として表示されています。チャート側だけ反映されていないのは仕様でしょうか。`,
    tags: ['sprints', 'calendar', 'reports'],
    daysAgo: 2,
    meToo: ['yuki'],
    answers: [],
  },
]
