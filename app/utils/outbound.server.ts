import dns from 'node:dns'
import http from 'node:http'
import https from 'node:https'
import ipaddr from 'ipaddr.js'
import { RequestFilteringHttpAgent, RequestFilteringHttpsAgent } from 'request-filtering-agent'
import { DomainError } from './errors.server'

/**
 * Requests Kizuna makes on someone's behalf (webhook deliveries, later JWKS URLs)
 * must not reach this machine or its private network: an admin's URL could
 * otherwise read cloud metadata (169.254.169.254) or internal services.
 * The URL is checked when it is saved and again when each connection is made,
 * on the address actually connected to, so a name that resolves elsewhere later
 * (DNS rebinding) is refused too.
 */

/** `KIZUNA_ALLOW_PRIVATE_URLS=true` lets local testing point webhooks at receivers on this machine. Read per call, so tests can change it. */
const privateUrlsAllowed = () => process.env.KIZUNA_ALLOW_PRIVATE_URLS === 'true'

export type Lookup = (hostname: string, options: dns.LookupAllOptions, callback: (error: NodeJS.ErrnoException | null, addresses: dns.LookupAddress[]) => void) => void

/**
 * Only public unicast addresses: ipaddr.js names every other range (loopback,
 * private, link-local with cloud metadata, carrier-grade NAT, multicast, reserved,
 * unique-local, IPv4-mapped, unspecified). request-filtering-agent applies the
 * same rule when it connects.
 */
function isPublicAddress(address: string): boolean {
	if (!ipaddr.isValid(address)) return false
	return ipaddr.parse(address).range() === 'unicast'
}

const PRIVATE_HINT = 'set KIZUNA_ALLOW_PRIVATE_URLS=true to allow this for local testing'

/** The reason given to API callers and in the delivery log (the form shows PRIVATE_FIELD_MESSAGE). */
const privateAddressReason = (host: string, address: string) =>
	host === address
		? `${address} is a loopback, private or reserved address; Kizuna only sends to the public internet (${PRIVATE_HINT})`
		: `${host} resolves to ${address}, a loopback, private or reserved address; Kizuna only sends to the public internet (${PRIVATE_HINT})`

/** Form messages are fixed sentences, so they translate; the API and logs get the address too. */
const PRIVATE_FIELD_MESSAGE = 'This URL points into a private network (this machine, a private, link-local or cloud metadata address); webhooks can only go to the public internet'
const UNKNOWN_HOST_MESSAGE = 'The host name in this URL could not be found'

const lookupAll = (lookup: Lookup, hostname: string) =>
	new Promise<dns.LookupAddress[]>((resolve, reject) =>
		lookup(hostname, { all: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))),
	)

/**
 * At save time: resolves the URL's host and refuses it when any of its addresses
 * is not public. A host that does not resolve is refused too, since nothing could be delivered.
 */
export async function checkOutboundUrl(value: string, lookup: Lookup = dns.lookup as unknown as Lookup): Promise<void> {
	if (privateUrlsAllowed()) return
	const url = new URL(value)
	// IPv6 literals come bracketed in URLs.
	const host = url.hostname.replace(/^\[|\]$/g, '')
	const privateAddress = (address: string) => new DomainError('invalid', privateAddressReason(host, address), { url: PRIVATE_FIELD_MESSAGE })
	if (ipaddr.isValid(host)) {
		if (!isPublicAddress(host)) throw privateAddress(host)
		return
	}
	const addresses = await lookupAll(lookup, host).catch(() => [])
	if (addresses.length === 0) throw new DomainError('invalid', `${host} could not be found (DNS)`, { url: UNKNOWN_HOST_MESSAGE })
	const blocked = addresses.find((entry) => !isPublicAddress(entry.address))
	if (blocked) throw privateAddress(blocked.address)
}

// One agent per scheme keeps connections to a receiver alive between deliveries.
const agents = {
	filtered: { http: new RequestFilteringHttpAgent({ keepAlive: true }), https: new RequestFilteringHttpsAgent({ keepAlive: true }) },
	open: { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) },
}

/** The agent that refuses private addresses at connect time, unless they are allowed. */
export function outboundAgent(url: URL): http.Agent {
	const set = privateUrlsAllowed() ? agents.open : agents.filtered
	return url.protocol === 'https:' ? set.https : set.http
}

// request-filtering-agent refuses with "DNS lookup <address>(family:…, host:<host>) is not allowed. …".
const REFUSAL = /^DNS lookup (\S+?)\(family:[^,]*, host:([^)]*)\) is not allowed/

/** The refusal as a readable reason, when an error is the agent refusing an address. */
export function describeRefusal(error: unknown, url: URL): string | null {
	const match = error instanceof Error ? REFUSAL.exec(error.message) : null
	if (!match) return null
	const address = match[1]!
	const host = match[2] && match[2] !== 'undefined' ? match[2] : url.hostname.replace(/^\[|\]$/g, '')
	return privateAddressReason(host, address)
}
