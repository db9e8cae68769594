import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { parseForm } from '../../app/utils/form'

const schema = z.object({ title: z.string().min(5, 'The title needs at least 5 characters'), steps: z.array(z.object({ title: z.string() })).default([]) })

const form = (entries: Array<[string, string]>) => {
	const data = new FormData()
	for (const [name, value] of entries) data.append(name, value)
	return data
}

describe('parseForm', () => {
	it('reads a form whose intent Conform cannot apply as plainly sent, instead of throwing', () => {
		for (const intent of ['{{{', JSON.stringify({ type: 'insert', payload: { name: 'title', index: 99_999_999 } })]) {
			const valid = parseForm(form([['title', 'How do I export?'], ['__intent__', intent]]), schema)
			expect(valid.status).toBe('success')
			const invalid = parseForm(form([['title', 'Hi'], ['__intent__', intent]]), schema)
			expect(invalid.reply()).toMatchObject({ status: 'error', error: { title: ['The title needs at least 5 characters'] } })
		}
	})

	it('still applies the intents Conform sends', () => {
		const added = parseForm(form([['title', 'How do I export?'], ['steps[0].title', 'One'], ['__intent__', JSON.stringify({ type: 'insert', payload: { name: 'steps' } })]]), schema)
		expect(added.status).toBeUndefined()
		expect(added.payload).toMatchObject({ steps: [{ title: 'One' }, undefined] })
	})
})
