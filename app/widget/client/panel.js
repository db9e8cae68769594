/* The help panel inside the customer's product (served at /widget, framed by widget.js). No framework: it must be usable fast. */
;(function () {
	'use strict'
	var data = JSON.parse(document.getElementById('kz-data').textContent)
	var hostOrigin = data.hostOrigin
	var framed = window.parent !== window
	// Framed by the community itself (/admin/widget's preview): the server records nothing of it.
	var preview = hostOrigin === location.origin
	var s = {
		lang: data.lang,
		page: data.page,
		token: null,
		person: null,
		searchId: null,
		query: '',
		timer: 0,
		seq: 0,
	}
	var app = document.getElementById('kz-app')

	function T(key) {
		return data.strings[s.lang][key] || data.strings.en[key] || key
	}

	function h(tag, attrs, children) {
		var el = document.createElement(tag)
		for (var k in attrs || {}) {
			if (k === 'text') el.textContent = attrs[k]
			else if (k.slice(0, 2) === 'on') el.addEventListener(k.slice(2), attrs[k])
			else if (attrs[k] !== null && attrs[k] !== undefined && attrs[k] !== false) el.setAttribute(k, attrs[k] === true ? '' : attrs[k])
		}
		;(children || []).forEach(function (c) {
			if (c) el.appendChild(typeof c === 'string' ? document.createTextNode(c) : c)
		})
		return el
	}

	function toHost(message) {
		message.kizuna = 1
		if (framed && hostOrigin) window.parent.postMessage(message, hostOrigin)
	}

	function api(method, path, body) {
		var headers = {
			'X-Kizuna-Visitor': data.visitorId,
			'Accept-Language': s.lang,
		}
		if (s.token) headers.Authorization = 'Bearer ' + s.token
		if (body) headers['Content-Type'] = 'application/json'
		var sep = path.indexOf('?') < 0 ? '?' : '&'
		var url = path + (path.indexOf('/api/v1/widget/') === 0 ? sep + 'page=' + encodeURIComponent(s.page || '') : '')
		if (preview) url += (url.indexOf('?') < 0 ? '?' : '&') + 'preview=1'
		return fetch(url, {
			method: method,
			headers: headers,
			body: body ? JSON.stringify(body) : undefined,
			credentials: 'omit',
		}).then(function (response) {
			if (response.status === 401 && s.token) {
				// The panel session ended: ask the product for a new token, carry on as a visitor meanwhile.
				s.token = null
				s.person = null
				toHost({ type: 'need-token' })
			}
			return response.json().then(function (json) {
				if (!response.ok) throw new Error(json.error || String(response.status))
				return json
			})
		})
	}

	var els = {}

	function render() {
		document.documentElement.lang = s.lang
		document.title = T('pageTitle')
		app.textContent = ''
		els.input = h('input', {
			type: 'search',
			id: 'kz-q',
			'aria-label': T('search'),
			placeholder: T('search'),
			autocomplete: 'off',
			// The search API's limit (SEARCH_QUERY_MAX in app/utils/limits.ts).
			maxlength: '500',
			value: s.query,
			oninput: onInput,
		})
		els.main = h('main', { id: 'kz-main', 'aria-live': 'polite' })
		els.who = h('p', { class: 'who', id: 'kz-who' })
		app.appendChild(
			h('header', {}, [
				h(
					'form',
					{
						role: 'search',
						onsubmit: function (e) {
							e.preventDefault()
							search()
						},
					},
					[els.input]
				),
				h('button', {
					type: 'button',
					class: 'x',
					'aria-label': T('close'),
					text: '×',
					onclick: function () {
						toHost({ type: 'close' })
					},
				}),
			])
		)
		app.appendChild(els.main)
		app.appendChild(
			h('footer', {}, [
				els.who,
				h('div', { class: 'actions' }, [
					h('button', {
						type: 'button',
						id: 'kz-ask',
						onclick: function () {
							showAsk()
						},
						text: T('ask'),
					}),
					data.supportLink
						? h('a', {
								id: 'kz-support',
								href: data.supportLink,
								target: '_blank',
								rel: 'noopener',
								onclick: onSupport,
								text: T('support'),
						  })
						: null,
				]),
			])
		)
		who()
		if (s.query) search()
		else home()
	}

	function who() {
		els.who.textContent = s.person ? T('signedInAs').replace('{{name}}', s.person) : ''
	}

	/** The hits as buttons; with `searchId` they are a search's results, and opening one is recorded as its click. */
	function list(items, empty, searchId) {
		if (!items.length) return h('p', { class: 'empty', text: empty })
		return h(
			'ul',
			{ class: 'hits' },
			items.map(function (item) {
				return h('li', {}, [
					h(
						'button',
						{
							type: 'button',
							class: 'hit',
							'data-type': item.type,
							onclick: function () {
								if (searchId) recordClick(searchId, item)
								openArticle(item.type, item.id)
							},
						},
						[h('span', { class: 'type', text: T('type.' + item.type) }), h('span', { class: 'title', text: item.title })]
					),
				])
			})
		)
	}

	function home() {
		els.main.textContent = ''
		var box = h('section', { id: 'kz-home' }, [h('h2', { text: T('forThisPage') }), h('div', { id: 'kz-suggestions' }, [list(data.suggestions, T('noSuggestions'))])])
		els.main.appendChild(box)
		if (s.token) checklist()
	}

	function refreshSuggestions() {
		api('GET', '/api/v1/widget/suggestions?lang=' + s.lang)
			.then(function (json) {
				data.suggestions = json.hits
				if (document.getElementById('kz-home')) home()
			})
			.catch(function () {})
	}

	function checklist() {
		api('GET', '/api/v1/widget/checklist?lang=' + s.lang)
			.then(function (json) {
				var home = document.getElementById('kz-home')
				if (!home || !json.items.length) return
				home.appendChild(h('h2', { text: T('onboarding') }))
				home.appendChild(
					h(
						'ul',
						{ class: 'checklist', id: 'kz-checklist' },
						json.items.map(function (item) {
							return h('li', {}, [
								h(
									'button',
									{
										type: 'button',
										class: 'hit',
										onclick: function () {
											openArticle('tutorial', item.id)
										},
									},
									[h('span', { class: 'title', text: item.title })]
								),
								h('progress', {
									max: String(item.progress.total || 1),
									value: String(item.progress.done),
									'aria-label': item.progress.done + ' / ' + item.progress.total,
								}),
								h('span', {
									class: 'count',
									text: item.progress.done + ' / ' + item.progress.total,
								}),
							])
						})
					)
				)
			})
			.catch(function () {})
	}

	function onInput() {
		s.query = els.input.value
		clearTimeout(s.timer)
		// One search per pause in typing, not per keystroke: each is recorded as the person's search.
		s.timer = setTimeout(search, 250)
	}

	function search() {
		var q = s.query.trim()
		if (!q) {
			home()
			return
		}
		var mine = ++s.seq
		// Only what answers something, asked of the search itself: the result count recorded is what the person sees (none shown is a zero-result search).
		var params = new URLSearchParams({
			q: q,
			lang: s.lang,
			limit: '10',
			answersOnly: 'true',
			channel: 'widget',
			page: s.page || '',
		})
		api('GET', '/api/v1/search?' + params)
			.then(function (json) {
				if (mine !== s.seq) return
				s.searchId = json.searchId || null
				els.main.textContent = ''
				els.main.appendChild(
					h('section', { id: 'kz-results' }, [
						list(json.hits, T('noResults'), s.searchId),
						h('p', { class: 'more' }, [
							h('button', {
								type: 'button',
								class: 'link',
								onclick: function () {
									showAsk()
								},
								text: T('askInstead'),
							}),
						]),
					])
				)
			})
			.catch(function (error) {
				problem(error)
			})
	}

	/** As on the community's search page: the search led to this hit, so it is not counted as unclicked. */
	function recordClick(searchId, hit) {
		var params = new URLSearchParams({ channel: 'widget', page: s.page || '' })
		api('POST', '/api/v1/searches/' + encodeURIComponent(searchId) + '/clicks?' + params, { hitId: hit.id, hitType: hit.type }).catch(function () {})
	}

	function problem(error) {
		els.main.textContent = ''
		els.main.appendChild(h('p', { class: 'error', role: 'alert', text: error.message }))
	}

	function openArticle(type, id) {
		api('GET', '/api/v1/widget/articles/' + type + '/' + id)
			.then(function (article) {
				els.main.textContent = ''
				var body = h('div', { class: 'body' })
				// Rendered and sanitised by the server when the article was saved (the same HTML as its page).
				body.innerHTML = article.html
				var steps = article.steps.length
					? h(
							'ol',
							{ class: 'steps' },
							article.steps.map(function (step) {
								var box = h('input', {
									type: 'checkbox',
									id: 'kz-step-' + step.id,
									checked: step.done,
									disabled: !s.token,
									onchange: function () {
										api('POST', '/api/v1/widget/steps', {
											tutorialId: article.id,
											stepId: step.id,
											done: box.checked,
										}).catch(function (error) {
											box.checked = !box.checked
											problem(error)
										})
									},
								})
								var html = h('div', { class: 'step' })
								html.innerHTML = step.html
								return h('li', {}, [h('label', { for: 'kz-step-' + step.id }, [box, ' ', step.title]), html])
							})
					  )
					: null
				els.main.appendChild(
					h('article', { id: 'kz-article' }, [
						h('button', {
							type: 'button',
							class: 'link back',
							onclick: back,
							text: T('back'),
						}),
						h('h1', { text: article.title }),
						body,
						steps,
						feedback(article),
						h('p', {}, [
							h('a', {
								href: article.url,
								target: '_blank',
								rel: 'noopener',
								text: T('openInCommunity'),
							}),
						]),
					])
				)
				els.main.scrollTop = 0
			})
			.catch(function (error) {
				problem(error)
			})
	}

	function back() {
		if (s.query.trim()) search()
		else home()
	}

	function feedback(article) {
		var box = h('div', { class: 'feedback', id: 'kz-feedback' }, [h('p', { text: T('solved') })])
		function vote(helpful) {
			api('POST', '/api/v1/widget/feedback', {
				targetType: article.type,
				targetId: article.id,
				helpful: helpful,
				searchId: s.searchId || undefined,
			})
				.then(function () {
					box.textContent = ''
					box.appendChild(h('p', { role: 'status', text: helpful ? T('thanks') : T('sorry') }))
					if (!helpful)
						box.appendChild(
							h('button', {
								type: 'button',
								onclick: function () {
									showAsk()
								},
								text: T('ask'),
							})
						)
				})
				.catch(function (error) {
					box.appendChild(h('p', { class: 'error', role: 'alert', text: error.message }))
				})
		}
		box.appendChild(
			h('button', {
				type: 'button',
				onclick: function () {
					vote(true)
				},
				text: T('yes'),
			})
		)
		box.appendChild(
			h('button', {
				type: 'button',
				onclick: function () {
					vote(false)
				},
				text: T('no'),
			})
		)
		return box
	}

	function showAsk() {
		api('POST', '/api/v1/widget/events', { type: 'ask_form_opened' }).catch(function () {})
		els.main.textContent = ''
		if (!s.token) {
			els.main.appendChild(
				h('section', { id: 'kz-ask-form' }, [
					h('h1', { text: T('ask') }),
					h('p', { text: T('signInToAsk') }),
					h('p', {}, [
						h('a', {
							href: '/questions/ask?title=' + encodeURIComponent(s.query.trim()),
							target: '_blank',
							rel: 'noopener',
							text: T('askOnSite'),
						}),
					]),
					h('button', {
						type: 'button',
						class: 'link back',
						onclick: back,
						text: T('back'),
					}),
				])
			)
			return
		}
		var title = h('input', {
			id: 'kz-title',
			name: 'title',
			required: true,
			minlength: '5',
			maxlength: '150',
			value: s.query.trim(),
		})
		var body = h('textarea', {
			id: 'kz-body',
			name: 'body',
			required: true,
			minlength: '10',
			maxlength: '30000',
			rows: '6',
		})
		var status = h('p', { role: 'status' })
		var form = h(
			'form',
			{
				id: 'kz-ask-form',
				onsubmit: function (e) {
					e.preventDefault()
					api('POST', '/api/v1/widget/questions', {
						title: title.value,
						body: body.value,
					})
						.then(function (created) {
							els.main.textContent = ''
							els.main.appendChild(
								h('section', { role: 'status' }, [
									h('p', { text: T('posted') }),
									h('a', {
										href: created.url,
										target: '_blank',
										rel: 'noopener',
										text: T('openInCommunity'),
									}),
								])
							)
						})
						.catch(function (error) {
							status.textContent = error.message
						})
				},
			},
			[
				h('h1', { text: T('ask') }),
				h('label', { for: 'kz-title', text: T('title') }),
				title,
				h('label', { for: 'kz-body', text: T('details') }),
				body,
				status,
				h('button', { type: 'submit', text: T('post') }),
				h('button', {
					type: 'button',
					class: 'link back',
					onclick: back,
					text: T('back'),
				}),
			]
		)
		els.main.appendChild(form)
		title.focus()
	}

	function onSupport() {
		// The link opens in any case; the event goes out even as this page loses focus.
		fetch('/api/v1/widget/events?page=' + encodeURIComponent(s.page || '') + (preview ? '&preview=1' : ''), {
			method: 'POST',
			keepalive: true,
			credentials: 'omit',
			headers: Object.assign(
				{
					'Content-Type': 'application/json',
					'X-Kizuna-Visitor': data.visitorId,
				},
				s.token ? { Authorization: 'Bearer ' + s.token } : {}
			),
			body: JSON.stringify({ type: 'support_contacted' }),
		}).catch(function () {})
	}

	function identify(token) {
		api('POST', '/api/v1/widget/session', { token: token })
			.then(function (session) {
				s.token = session.token
				s.person = session.displayName
				who()
				if (document.getElementById('kz-home')) home()
			})
			.catch(function (error) {
				els.who.textContent = error.message
			})
	}

	window.addEventListener('message', function (event) {
		// Only the page that framed us, from the origin the allow list let frame us.
		if (!framed || event.source !== window.parent || event.origin !== hostOrigin) return
		var m = event.data
		if (!m || m.kizuna !== 1) return
		if (m.type === 'identify' && typeof m.token === 'string') identify(m.token)
		else if (m.type === 'open') {
			if (typeof m.page === 'string' && m.page !== s.page) {
				s.page = m.page
				refreshSuggestions()
			}
			if (m.query) {
				s.query = m.query
				els.input.value = m.query
				search()
			}
			els.input.focus()
		} else if (m.type === 'page' && typeof m.page === 'string') {
			s.page = m.page
			refreshSuggestions()
		} else if (m.type === 'locale' && (m.locale === 'ja' || m.locale === 'en') && m.locale !== s.lang) {
			s.lang = m.locale
			render()
			refreshSuggestions()
		}
	})

	document.addEventListener('keydown', function (e) {
		if (e.key === 'Escape') toHost({ type: 'close' })
	})

	render()
	els.input.focus()
	toHost({ type: 'ready' })
})()
