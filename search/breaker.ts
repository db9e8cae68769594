/**
 * A circuit breaker in front of Meilisearch for searches. After a failure, searches
 * go straight to the PostgreSQL fallback for `cooldownMs` instead of each waiting on
 * a dead or hanging Meilisearch; then one search at a time tries it again (a probe)
 * while the others keep using the fallback, until one succeeds.
 */
export type Attempt = 'closed' | 'probe' | 'open'

export class CircuitBreaker {
	private openUntil: number | null = null
	private probing = false

	constructor(private readonly options: { cooldownMs: number; now: () => number }) {}

	/** Whether this search may ask Meilisearch: always when closed, one probe at a time once the cooldown is over. */
	attempt(): Attempt {
		if (this.openUntil === null) return 'closed'
		if (this.probing || this.options.now() < this.openUntil) return 'open'
		this.probing = true
		return 'probe'
	}

	/** Meilisearch answered. */
	succeeded() {
		this.openUntil = null
		this.probing = false
	}

	/** Meilisearch could not be reached, timed out or failed on its side. */
	failed() {
		this.openUntil = this.options.now() + this.options.cooldownMs
		this.probing = false
	}
}
