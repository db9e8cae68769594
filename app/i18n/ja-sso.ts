/** Japanese UI strings for single sign-on from the customer's product and its configuration; keys are the English text (see resources.ts). */
export const ja: Record<string, string> = {
	'must be at least 32 characters (HS256 needs a 256-bit key)': '32 文字以上にしてください（HS256 には 256 ビットの鍵が必要です）',
	'must be an http(s) URL': 'http(s) の URL にしてください',
	'KIZUNA_SSO_LOGIN_URL needs KIZUNA_SSO_SECRET or KIZUNA_SSO_JWKS_URL': 'KIZUNA_SSO_LOGIN_URL には KIZUNA_SSO_SECRET または KIZUNA_SSO_JWKS_URL が必要です',

	// Refusals of a sign-in token (GET /sso/jwt)
	'Single sign-on is not set up on this community': 'このコミュニティではシングルサインオンが設定されていません',
	'The sign-in link has no token': 'サインインのリンクにトークンがありません',
	'The sign-in token is too long': 'サインイン用トークンが長すぎます',
	'The sign-in token is malformed': 'サインイン用トークンの形式が正しくありません',
	'Unsigned sign-in tokens (alg "none") are refused': '署名のないサインイン用トークン（alg "none"）は受け付けません',
	'This community does not accept sign-in tokens signed with this algorithm': 'このコミュニティはこのアルゴリズムで署名されたサインイン用トークンを受け付けません',
	'This sign-in link has expired: sign in again from the product': 'このサインインのリンクは期限切れです。製品からもう一度サインインしてください',
	"The sign-in token's signature does not match this community's key": 'サインイン用トークンの署名がこのコミュニティの鍵と一致しません',
	"No key the product publishes matches the sign-in token's key id (kid)": '製品が公開している鍵に、サインイン用トークンの鍵 ID（kid）と一致するものがありません',
	'The sign-in token is not valid yet (nbf)': 'サインイン用トークンはまだ有効になっていません（nbf）',
	"The product's signing keys could not be fetched: try again in a minute": '製品の署名鍵を取得できませんでした。少し待ってからもう一度お試しください',
	'The sign-in token has no expiry time (exp)': 'サインイン用トークンに有効期限（exp）がありません',
	'The sign-in token is valid for more than 10 minutes (exp): it must be short-lived': 'サインイン用トークンの有効期間が 10 分を超えています（exp）。短い有効期間にしてください',
	"The sign-in token was issued in the future (iat): check the product's clock": 'サインイン用トークンの発行時刻が未来になっています（iat）。製品側の時計を確認してください',
	'The sign-in token is meant for another site (aud); it must name this community': 'サインイン用トークンは別のサイト向けのものです（aud）。このコミュニティを指定してください',
	'This is not a sign-in token (its type, typ, is not JWT): the product must sign one for this community': 'これはサインイン用トークンではありません（種類 typ が JWT ではありません）。製品がこのコミュニティ向けに署名したトークンが必要です',
	'You were signed in from the product twice at the same moment: please try again': '製品から同時に 2 回サインインしようとしました。もう一度お試しください',
	'The sign-in token does not say who the person is (sub)': 'サインイン用トークンに利用者の ID（sub）がありません',
	"The person's id in the sign-in token (sub) can have at most 255 characters": 'サインイン用トークンの利用者 ID（sub）は 255 文字以内にしてください',
	'The sign-in token has no email address (email)': 'サインイン用トークンにメールアドレス（email）がありません',
	'The email address in the sign-in token is not valid': 'サインイン用トークンのメールアドレスが正しくありません',
	'The name in the sign-in token must be text': 'サインイン用トークンの名前は文字列にしてください',
	'The name in the sign-in token can have at most 1000 characters': 'サインイン用トークンの名前は 1000 文字以内にしてください',
	'The locale in the sign-in token can have at most 35 characters': 'サインイン用トークンの言語（locale）は 35 文字以内にしてください',
	'The locale in the sign-in token must be text': 'サインイン用トークンの言語（locale）は文字列にしてください',
	'The account in the sign-in token must be an object with an externalId': 'サインイン用トークンのアカウントは externalId を持つオブジェクトにしてください',
	'The account name and plan in the sign-in token must be text': 'サインイン用トークンのアカウント名とプランは文字列にしてください',
	'The account name in the sign-in token can have at most 200 characters': 'サインイン用トークンのアカウント名は 200 文字以内にしてください',
	'The account plan in the sign-in token can have at most 100 characters': 'サインイン用トークンのプランは 100 文字以内にしてください',
	'The sign-in token has no id (jti), so it could be used twice': 'サインイン用トークンに ID（jti）がないため、二度使われるおそれがあります',
	'The id of the sign-in token (jti) can have at most 255 characters': 'サインイン用トークンの ID（jti）は 255 文字以内にしてください',
	'This sign-in link was already used: sign in again from the product': 'このサインインのリンクはすでに使われています。製品からもう一度サインインしてください',
	'This email address belongs to a person here who signs in as another user of the product': 'このメールアドレスは、製品の別の利用者としてサインインする人がすでに使っています',
	'This person is staff here: staff use the staff sign-in': 'この人はスタッフです。スタッフはスタッフ用のサインインを使ってください',
	'This email address belongs to a staff account here: staff use the staff sign-in': 'このメールアドレスはスタッフのアカウントのものです。スタッフはスタッフ用のサインインを使ってください',
	'Another person here already uses the email address in the sign-in token': 'サインイン用トークンのメールアドレスは、このコミュニティの別の人がすでに使っています',
	'Too many single sign-on attempts from your network.': 'お使いのネットワークからのシングルサインオンが多すぎます。',

	// The refusal page
	'We could not sign you in': 'サインインできませんでした',
	'Sign in again from the product': '製品からもう一度サインイン',
	'Go to the home page': 'ホームへ',

	// Sign-in and sign-up with the product's login page
	'Staff sign in': 'スタッフのサインイン',
	'This form is for staff. Customers sign in through the product.': 'このフォームはスタッフ用です。お客様は製品からサインインしてください。',
	'Customers sign in through the product: use "Sign in" there': 'お客様は製品からサインインします。製品の「サインイン」を使ってください',
	'Password sign-in is turned off for staff: use the staff sign-in of your company': 'スタッフのパスワードによるサインインは無効になっています。会社のスタッフ用サインインを使ってください',
	'People join this community by signing in through the product': 'このコミュニティには製品からサインインして参加します',

	// /admin/sso
	'Single sign-on': 'シングルサインオン',
	'Customers sign in from your product with a signed token; these settings come from the server environment (KIZUNA_SSO_*).':
		'お客様は署名付きトークンで製品からサインインします。以下の設定はサーバーの環境変数（KIZUNA_SSO_*）で決まります。',
	'Shared secret (HS256)': '共有シークレット（HS256）',
	'Public keys (JWKS URL, RS256 and ES256)': '公開鍵（JWKS URL、RS256 と ES256）',
	"Product's login page": '製品のログインページ',
	Set: '設定済み',
	'Not set': '未設定',
	'Staff passwords': 'スタッフのパスワード',
	'Staff may also sign in with a password': 'スタッフはパスワードでもサインインできる',
	'With the product\'s login page set, customers always sign in through the product; staff use "Staff sign in" (/signin?staff=1).':
		'製品のログインページが設定されている場合、お客様は常に製品からサインインします。スタッフは「スタッフのサインイン」（/signin?staff=1）を使います。',
	'Choose whether staff may sign in with a password': 'スタッフがパスワードでサインインできるかどうかを選んでください',
	'Staff would have no way to sign in: set up OpenID Connect for staff before turning passwords off':
		'スタッフがサインインする手段がなくなります。パスワードを無効にする前に、スタッフ用の OpenID Connect を設定してください',
}
