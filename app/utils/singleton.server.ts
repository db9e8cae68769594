// The HTTP server (run by tsx) and the Remix build (bundled by Vite) each load
// their own copy of server modules; state that must exist once per process
// (database pool, search client, worker) is kept on globalThis so both copies share it.
export function singleton<T>(name: string, create: () => T): T {
	const store = globalThis as unknown as { __kizuna?: Map<string, unknown> }
	store.__kizuna ??= new Map()
	if (!store.__kizuna.has(name)) store.__kizuna.set(name, create())
	return store.__kizuna.get(name) as T
}
