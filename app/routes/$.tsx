/**
 * Every address no other route takes. Remix answers an address without a route
 * before any loader runs, so its 404 page knew neither the reader's language nor
 * who is signed in; here the root loader runs first and the root's error page
 * (app/root.tsx) says "Page not found" in the reader's language, with status 404.
 */
export function loader(): never {
	throw new Response(null, { status: 404, statusText: 'Not Found' })
}

/** Never rendered: the loader always answers 404. A page component makes this a page, not a resource route. */
export default function NotFound() {
	return null
}
