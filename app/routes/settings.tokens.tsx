import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useFetcher, useLoaderData, useNavigation } from '@remix-run/react'
import { getFormProps } from '@conform-to/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { requireSignedIn } from '~/auth/pages.server'
import { endSession } from '~/auth/session.server'
import { FormError, TextField, useSchemaForm } from '~/components/form'
import { UtcTime } from '~/components/utc-time'
import { createOwnApiToken, listOwnApiTokens, revokeOwnApiToken, signOutEverywhere } from '~/people/api-tokens.server'
import { createApiTokenSchema, revokeApiTokenSchema } from '~/people/validation'
import { parseForm, resultErrors, type FormResult } from '~/utils/form'
import { formAction } from '~/utils/http.server'
import { privateMeta } from '~/utils/seo'

export const meta: MetaFunction = (args) => privateMeta(args, (t) => t('API tokens'))

export async function loader({ context, request }: LoaderFunctionArgs) {
	const actor = requireSignedIn(context, request)
	const tokens = await listOwnApiTokens(actor)
	return { tokens: tokens.map((token) => ({ ...token, createdAt: token.createdAt.toISOString(), lastUsedAt: token.lastUsedAt?.toISOString() ?? null })) }
}

const actionSchema = z.discriminatedUnion('intent', [createApiTokenSchema, revokeApiTokenSchema, z.object({ intent: z.literal('sign-out-everywhere') })], {
	errorMap: () => ({ message: 'Choose what to do' }),
})

export async function action({ request, context }: ActionFunctionArgs) {
	return formAction(parseForm(await request.formData(), actionSchema), async (input, submission) => {
		if (input.intent === 'create') {
			const created = await createOwnApiToken(context.actor, input.name)
			return json({ done: 'create' as const, created: { name: created.name, token: created.token }, result: submission.reply({ resetForm: true }) })
		}
		if (input.intent === 'revoke') {
			await revokeOwnApiToken(context.actor, input.id)
			return json({ done: 'revoke' as const, created: null, result: submission.reply() })
		}
		await signOutEverywhere(context.actor)
		return redirect('/signin?signedOut=everywhere', { headers: { 'Set-Cookie': await endSession(request.headers.get('cookie'), context.secure) } })
	})
}

type ActionData = { done: string; created: null; result: FormResult['result'] } | FormResult

export default function ApiTokens() {
	const { t } = useTranslation()
	const { tokens } = useLoaderData<typeof loader>()
	const answer = useActionData<typeof action>()
	const busy = useNavigation().state === 'submitting'
	const created = answer && 'created' in answer ? answer.created : null
	const [form, fields] = useSchemaForm(createApiTokenSchema, { id: 'new-token', lastResult: answer?.result })
	return (
		<div className="api-tokens">
			<section className="card">
				<h2>{t('API tokens')}</h2>
				<p className="muted">{t('A token lets a script use the API as you: send it as Authorization: Bearer <token>. Revoke a token you no longer use.')}</p>
				{created ? (
					<div className="notice shown-once" role="status">
						<p>{t('Token "{{name}}" created. Copy it now: it will not be shown again.', { name: created.name })}</p>
						<code data-testid="new-api-token">{created.token}</code>
					</div>
				) : null}
				{tokens.length === 0 ? (
					<p className="muted">{t('You have no API tokens.')}</p>
				) : (
					<div className="table-scroll">
						<table className="data-table">
							<thead>
								<tr>
									<th scope="col">{t('Name')}</th>
									<th scope="col">{t('Created')}</th>
									<th scope="col">{t('Last used')}</th>
									<th scope="col">
										<span className="visually-hidden">{t('Revoke')}</span>
									</th>
								</tr>
							</thead>
							<tbody>
								{tokens.map((token) => (
									<TokenRow key={token.id} token={token} />
								))}
							</tbody>
						</table>
					</div>
				)}
				<h3>{t('New token')}</h3>
				<Form method="post" {...getFormProps(form)}>
					<FormError errors={created ? null : form.errors} />
					<input type="hidden" name="intent" value="create" />
					<TextField field={fields.name} label={t('Token name')} hint={t('What uses it, e.g. "CRM export"')} autoComplete="off" maxLength={60} />
					<button type="submit" className="button primary" disabled={busy}>
						{t('Create token')}
					</button>
				</Form>
			</section>
			<section className="card">
				<h2>{t('Sessions')}</h2>
				<p>{t('Signed in on a computer you no longer use? Sign out everywhere, this browser included. Your API tokens keep working.')}</p>
				<Form method="post">
					<button type="submit" name="intent" value="sign-out-everywhere" className="button" disabled={busy}>
						{t('Sign out everywhere')}
					</button>
				</Form>
			</section>
		</div>
	)
}

function TokenRow({ token }: { token: { id: number; name: string; createdAt: string; lastUsedAt: string | null } }) {
	const { t } = useTranslation()
	const fetcher = useFetcher<ActionData>()
	const problem = fetcher.data && !('done' in fetcher.data) ? resultErrors(fetcher.data.result) : undefined
	return (
		<tr data-testid="api-token">
			<th scope="row">{token.name}</th>
			<td>
				<UtcTime at={token.createdAt} />
			</td>
			<td>{token.lastUsedAt ? <UtcTime at={token.lastUsedAt} /> : <span className="muted">{t('Never')}</span>}</td>
			<td>
				<fetcher.Form
					method="post"
					className="inline-form"
					onSubmit={(event) => {
						if (!window.confirm(t('Revoke the token "{{name}}"? Scripts using it stop working.', { name: token.name }))) event.preventDefault()
					}}
				>
					<input type="hidden" name="id" value={token.id} />
					<button type="submit" name="intent" value="revoke" className="button small" disabled={fetcher.state !== 'idle'}>
						{t('Revoke')}
					</button>
				</fetcher.Form>
				<FormError errors={problem} inline />
			</td>
		</tr>
	)
}
