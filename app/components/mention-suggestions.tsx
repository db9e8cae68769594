import { useEffect, useId, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'

type Person = { handle: string; displayName: string }

// `@` at the start or after a space or bracket (as app/markdown/mention-syntax.ts reads it), then what was typed so far.
const TYPED = /(?:^|[\s(（"'“「、。，,:;]|[^\x00-\x7F])@([\p{L}\p{N}_]{1,32})$/u

/** The `@name` just before the caret, if the caret ends one. */
function typedMention(text: string, caret: number): { query: string; start: number } | null {
	const match = TYPED.exec(text.slice(0, caret))
	if (!match) return null
	const query = match[1]!
	return { query, start: caret - query.length - 1 }
}

/**
 * `@` suggestions for a Markdown textarea: as a signed-in person types `@` and a
 * few letters, people whose handle or name starts with them are listed (a
 * listbox the arrow keys move through); Enter, Tab or a click puts `@handle ` in
 * place of what was typed, Escape closes the list.
 */
export function useMentionSuggestions({ enabled, value, setValue }: { enabled: boolean; value: string; setValue: (value: string) => void }) {
	const { t } = useTranslation()
	const listId = useId()
	const textarea = useRef<HTMLTextAreaElement>(null)
	const [typed, setTyped] = useState<{ query: string; start: number } | null>(null)
	const [people, setPeople] = useState<Person[]>([])
	const [active, setActive] = useState(0)

	const query = typed?.query ?? null
	useEffect(() => {
		if (!enabled || query === null) {
			setPeople([])
			return
		}
		const controller = new AbortController()
		const timer = setTimeout(() => {
			fetch(`/resources/mention-suggest?q=${encodeURIComponent(query)}`, { signal: controller.signal })
				.then((response) => (response.ok ? (response.json() as Promise<{ people?: Person[] }>) : { people: [] }))
				.then((data) => {
					setPeople(data.people ?? [])
					setActive(0)
				})
				.catch(() => {})
		}, 150)
		return () => {
			clearTimeout(timer)
			controller.abort()
		}
	}, [enabled, query])

	const open = typed !== null && people.length > 0

	function track(element: HTMLTextAreaElement) {
		setTyped(typedMention(element.value, element.selectionStart ?? element.value.length))
	}

	function choose(person: Person) {
		if (!typed) return
		const end = typed.start + 1 + typed.query.length
		const inserted = `@${person.handle} `
		setValue(`${value.slice(0, typed.start)}${inserted}${value.slice(end)}`)
		setTyped(null)
		setPeople([])
		const caret = typed.start + inserted.length
		requestAnimationFrame(() => {
			textarea.current?.focus()
			textarea.current?.setSelectionRange(caret, caret)
		})
	}

	function onKeyDown(event: React.KeyboardEvent<HTMLTextAreaElement>) {
		if (!open) return
		if (event.key === 'ArrowDown') {
			event.preventDefault()
			setActive((i) => (i + 1) % people.length)
		} else if (event.key === 'ArrowUp') {
			event.preventDefault()
			setActive((i) => (i <= 0 ? people.length - 1 : i - 1))
		} else if (event.key === 'Enter' || event.key === 'Tab') {
			event.preventDefault()
			choose(people[active] ?? people[0]!)
		} else if (event.key === 'Escape') {
			event.preventDefault()
			setTyped(null)
		}
	}

	const optionId = (i: number) => `${listId}-${i}`
	const textareaProps = {
		ref: textarea,
		onKeyDown,
		// Typing and moving the caret may start or end a mention; the keys the open list uses, and Escape, do not.
		onKeyUp: (event: React.KeyboardEvent<HTMLTextAreaElement>) => {
			if (event.key === 'Escape' || (open && ['ArrowDown', 'ArrowUp', 'Enter', 'Tab'].includes(event.key))) return
			track(event.currentTarget)
		},
		onClick: (event: React.MouseEvent<HTMLTextAreaElement>) => track(event.currentTarget),
		onBlur: () => setTimeout(() => setTyped(null), 150),
		'aria-autocomplete': 'list' as const,
		// No aria-expanded: a textarea's role (textbox) has no such state; aria-controls names the list while it is open.
		'aria-controls': open ? listId : undefined,
		'aria-activedescendant': open ? optionId(active) : undefined,
	}
	const list = open ? (
		<ul className="mention-suggestions suggestions" id={listId} role="listbox" aria-label={t('People to mention')}>
			{people.map((person, i) => (
				<li
					key={person.handle}
					id={optionId(i)}
					role="option"
					aria-selected={i === active}
					className={i === active ? 'active' : undefined}
					onMouseDown={(event) => {
						event.preventDefault()
						choose(person)
					}}
				>
					<span className="mention-name">{person.displayName}</span> <span className="muted">@{person.handle}</span>
				</li>
			))}
		</ul>
	) : null
	return { textareaProps, list }
}
