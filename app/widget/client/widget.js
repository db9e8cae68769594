/* Kizuna help widget loader: no framework, nothing blocking, never throws into the host page. */
;(function () {
	'use strict'
	var w = window
	if (w.__kizunaWidget) return
	w.__kizunaWidget = 1
	var script = document.currentScript
	var origin
	try {
		origin = new URL(script.src).origin
	} catch (e) {
		return
	}
	var queued = (typeof w.Kizuna === 'function' && w.Kizuna.q) || []
	var state = {
		token: null,
		tokenFn: null,
		locale: (document.documentElement.lang || navigator.language || 'en').slice(0, 2) === 'ja' ? 'ja' : 'en',
		page: null,
	}
	var root,
		button,
		panel,
		frame,
		ready = false,
		outbox = [],
		clickedAt = 0,
		watch = 0,
		lastPage = ''
	var LABEL = { en: 'Help', ja: 'ヘルプ' }
	var CLOSE = { en: 'Close help', ja: 'ヘルプを閉じる' }
	var CSS =
		':host{all:initial}' +
		'.l{position:fixed;right:20px;bottom:20px;z-index:2147483000;display:flex;align-items:center;gap:8px;padding:10px 16px;border:0;border-radius:24px;background:#1f4e8c;color:#fff;font:600 15px/1.2 system-ui,sans-serif;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25)}' +
		'.l:focus-visible{outline:3px solid #f2b705;outline-offset:2px}' +
		'.l svg{width:18px;height:18px}' +
		'.p{position:fixed;right:20px;bottom:76px;z-index:2147483000;width:380px;height:min(620px,calc(100vh - 96px));border-radius:12px;overflow:hidden;box-shadow:0 8px 30px rgba(0,0,0,.3);background:#fff}' +
		'.p[hidden]{display:none}' +
		'.p iframe{border:0;width:100%;height:100%;display:block}' +
		'@media (max-width:480px){.p{right:0;bottom:0;width:100vw;height:100%;border-radius:0}}'

	function pagePath() {
		return (state.page || location.pathname).slice(0, 300)
	}

	function post(message) {
		message.kizuna = 1
		if (ready && frame && frame.contentWindow) frame.contentWindow.postMessage(message, origin)
		else outbox.push(message)
	}

	function sendToken() {
		if (state.token) {
			post({ type: 'identify', token: state.token })
			state.token = null
		} else if (state.tokenFn) {
			Promise.resolve()
				.then(state.tokenFn)
				.then(function (token) {
					if (typeof token === 'string' && token) post({ type: 'identify', token: token })
				})
				.catch(function () {})
		}
	}

	function mount() {
		if (root || !document.body) return
		var hostEl = document.createElement('div')
		hostEl.id = 'kizuna-widget'
		root = hostEl.attachShadow({ mode: 'open' })
		// A constructed stylesheet is not an inline <style> or style attribute: a host CSP without 'unsafe-inline' allows it.
		if ('adoptedStyleSheets' in root && 'replaceSync' in CSSStyleSheet.prototype) {
			var sheet = new CSSStyleSheet()
			sheet.replaceSync(CSS)
			root.adoptedStyleSheets = [sheet]
		} else {
			var style = document.createElement('style')
			style.textContent = CSS
			root.appendChild(style)
		}
		button = document.createElement('button')
		button.type = 'button'
		button.className = 'l'
		button.setAttribute('aria-expanded', 'false')
		var svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg')
		svg.setAttribute('viewBox', '0 0 24 24')
		svg.setAttribute('aria-hidden', 'true')
		var path = document.createElementNS('http://www.w3.org/2000/svg', 'path')
		path.setAttribute('fill', 'currentColor')
		path.setAttribute('d', 'M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm1 17h-2v-2h2v2zm2.1-7.7-.9.9c-.7.7-1.2 1.3-1.2 2.8h-2v-.5c0-1.1.4-2.1 1.2-2.8l1.2-1.3A2 2 0 1 0 10 9H8a4 4 0 1 1 7.1 2.3z')
		svg.appendChild(path)
		button.appendChild(svg)
		button.appendChild(document.createElement('span'))
		button.addEventListener('click', function () {
			if (panel && !panel.hidden) close()
			else open({})
		})
		button.addEventListener('pointerenter', prepare)
		button.addEventListener('focus', prepare)
		button.addEventListener('touchstart', prepare, { passive: true })
		panel = document.createElement('div')
		panel.className = 'p'
		panel.hidden = true
		root.appendChild(button)
		root.appendChild(panel)
		label()
		document.body.appendChild(hostEl)
	}

	function label() {
		if (!button) return
		button.lastChild.textContent = LABEL[state.locale]
		if (panel && !panel.hidden) button.setAttribute('aria-label', CLOSE[state.locale])
		if (frame) frame.title = LABEL[state.locale]
	}

	// The panel starts loading when the person reaches for the launcher (pointer over it, focus, touch), not only on the click.
	function prepare() {
		if (frame || !panel) return
		frame = document.createElement('iframe')
		frame.title = LABEL[state.locale]
		var params = new URLSearchParams({ origin: location.origin, page: pagePath(), lang: state.locale })
		frame.src = origin + '/widget?' + params
		panel.appendChild(frame)
		sendToken()
	}

	function open(options) {
		mount()
		if (!panel) return
		clickedAt = performance.now()
		prepare()
		panel.hidden = false
		button.setAttribute('aria-expanded', 'true')
		button.setAttribute('aria-label', CLOSE[state.locale])
		lastPage = pagePath()
		post({
			type: 'open',
			page: lastPage,
			// The search API's limit (SEARCH_QUERY_MAX in app/utils/limits.ts).
			query: options && typeof options.query === 'string' ? options.query.slice(0, 500) : '',
		})
		if (ready) {
			frame.focus()
			announceReady()
		}
		// Single-page products change the path without reloading: the panel follows while it is open.
		clearInterval(watch)
		watch = setInterval(function () {
			if (pagePath() !== lastPage) {
				lastPage = pagePath()
				post({ type: 'page', page: lastPage })
			}
		}, 1000)
	}

	/** The panel is usable: for the host page's own measurements, the time since the click. */
	function announceReady() {
		try {
			w.dispatchEvent(new CustomEvent('kizuna:ready', { detail: { ms: performance.now() - clickedAt } }))
		} catch (e) {}
	}

	function close() {
		if (!panel) return
		panel.hidden = true
		clearInterval(watch)
		button.setAttribute('aria-expanded', 'false')
		button.removeAttribute('aria-label')
		button.focus()
	}

	w.addEventListener('message', function (event) {
		// Only our own panel, from the community's origin.
		if (event.origin !== origin || !frame || event.source !== frame.contentWindow) return
		var data = event.data
		if (!data || data.kizuna !== 1) return
		if (data.type === 'ready') {
			ready = true
			var waiting = outbox
			outbox = []
			for (var i = 0; i < waiting.length; i++) post(waiting[i])
			if (!panel.hidden) {
				frame.focus()
				announceReady()
			}
		} else if (data.type === 'close') close()
		else if (data.type === 'need-token') sendToken()
	})

	function command(name, arg) {
		try {
			if (name === 'identify') {
				if (typeof arg === 'function') state.tokenFn = arg
				else if (typeof arg === 'string') state.token = arg
				if (frame) sendToken()
			} else if (name === 'open') open(arg || {})
			else if (name === 'close') close()
			else if (name === 'locale') {
				if (arg !== 'ja' && arg !== 'en') return
				state.locale = arg
				label()
				post({ type: 'locale', locale: arg })
			} else if (name === 'page') {
				state.page = typeof arg === 'string' && arg.charAt(0) === '/' ? arg : null
				if (panel && !panel.hidden) post({ type: 'page', page: (lastPage = pagePath()) })
			}
		} catch (e) {
			if (w.console) console.warn('Kizuna:', e)
		}
	}

	w.Kizuna = function (name, arg) {
		command(name, arg)
	}
	for (var i = 0; i < queued.length; i++) command(queued[i][0], queued[i][1])
	if (document.body) mount()
	else document.addEventListener('DOMContentLoaded', mount)
})()
