/**
 * Visma.net's `4-fixed-window` policy (docs/visma-net-api.md §6.2): a budget of calls per hour
 * per company + client, with the X-RateLimit-* headers on every response.
 */
import type { Clock } from './clock';

export const RATE_LIMIT_POLICY = '4-fixed-window';

export interface RateLimitConfig {
	/** Calls per window per tenant + client. */
	limit: number;
	/** Window length in seconds; default 3600. */
	windowSeconds?: number;
}

export interface RateLimitResult {
	allowed: boolean;
	headers: Record<string, string>;
	/** Seconds until the window resets. */
	resetSeconds: number;
}

export class RateLimiter {
	private counters = new Map<string, { window: number; count: number }>();

	constructor(
		private readonly clock: Clock,
		public config: Required<RateLimitConfig>,
	) {}

	/** Counts one call for `key` and tells whether it fits the budget. */
	hit(key: string): RateLimitResult {
		const windowMs = this.config.windowSeconds * 1000;
		const now = this.clock.now();
		const window = Math.floor(now / windowMs);
		let counter = this.counters.get(key);
		if (!counter || counter.window !== window) {
			counter = { window, count: 0 };
			this.counters.set(key, counter);
		}
		counter.count++;
		const resetSeconds = Math.max(1, Math.ceil(((window + 1) * windowMs - now) / 1000));
		const allowed = counter.count <= this.config.limit;
		return {
			allowed,
			resetSeconds,
			headers: {
				'X-RateLimit-Limit': String(this.config.limit),
				'X-RateLimit-Remaining': String(Math.max(0, this.config.limit - counter.count)),
				'X-RateLimit-Reset': String(resetSeconds),
				'X-RateLimit-Policy': RATE_LIMIT_POLICY,
			},
		};
	}

	reset(): void {
		this.counters.clear();
	}
}
