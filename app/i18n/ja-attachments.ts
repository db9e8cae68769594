/** Japanese UI strings for attachments (images and files in posts); keys are the English text (see resources.ts). */
export const ja: Record<string, string> = {
	'Attach image or file': '画像・ファイルを添付',
	'Paste or drop images (up to {{image}} MB) and PDF or text files (up to {{file}} MB).': '画像（{{image}} MBまで）や PDF・テキストファイル（{{file}} MBまで）は貼り付けかドロップでも添付できます。',
	'Uploading {{name}}…': '{{name}} をアップロード中…',
	'Uploading…': 'アップロード中…',
	'The upload failed. Check your connection and try again.': 'アップロードに失敗しました。接続を確認して、もう一度お試しください。',
	'The file is too large: images can have at most {{n0}} MB': 'ファイルが大きすぎます。画像は {{n0}} MB までです',
	'The file is too large: PDFs and text files can have at most {{n0}} MB': 'ファイルが大きすぎます。PDF とテキストファイルは {{n0}} MB までです',
	'Only images (PNG, JPEG, GIF, WebP), PDFs and plain text or log files can be attached': '添付できるのは画像（PNG、JPEG、GIF、WebP）、PDF、テキスト・ログファイルだけです',
	'The image could not be read: it may be damaged or not really an image': '画像を読み込めませんでした。壊れているか、画像ではない可能性があります',
	'The image has too many pixels (at most 40 megapixels, all frames together)': '画像の画素数が多すぎます（全フレーム合計で40メガピクセルまで）',
	'You can upload at most {{n0}} files a day. Try again tomorrow.': 'アップロードできるのは1日 {{n0}} ファイルまでです。明日もう一度お試しください。',
	'You can upload at most {{n0}} MB a day. Try again tomorrow.': 'アップロードできるのは1日 {{n0}} MB までです。明日もう一度お試しください。',
	'A post can include at most 10 attachments (images and files)': '1つの投稿に添付できるのは10個（画像とファイル）までです',
	'You have uploaded many files in a short time.': '短時間にたくさんのファイルをアップロードしました。',
	'Send the file as multipart/form-data in a field named "file"': 'ファイルは multipart/form-data の "file" フィールドで送ってください',
}
