/**
 * When to try a Visma.net call again, and how long to wait first. Pure: no n8n, no clock.
 */

export interface RetryPolicy {
	/** Tries in all, the first included. */
	readonly maxAttempts: number;
	/** First backoff step for 5xx answers and timeouts; doubles each try, with full jitter. */
	readonly baseDelayMs: number;
	/** Ceiling of one backoff step. */
	readonly maxDelayMs: number;
	/** A 429 asking to wait longer than this is not waited for: the call fails with a clear message. */
	readonly maxRetryAfterMs: number;
	/** Per-request timeout. */
	readonly timeoutMs: number;
	/** Source of randomness for the jitter (0 ≤ x < 1); injectable so tests are deterministic. */
	readonly random: () => number;
}

/** How long one request may take, in seconds (Post's *Timeout* option defaults to it). */
export const DEFAULT_TIMEOUT_SECONDS = 60;

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	maxAttempts: 5,
	baseDelayMs: 500,
	maxDelayMs: 20_000,
	maxRetryAfterMs: 120_000,
	timeoutMs: DEFAULT_TIMEOUT_SECONDS * 1000,
	random: Math.random,
};

/** What went wrong with one try, as far as retrying is concerned. */
export type FailureKind =
	/** 429: refused before any processing; safe to send again after Retry-After. */
	| 'rateLimited'
	/** The connection could not be opened: nothing was sent. Safe to send again. */
	| 'notSent'
	/** 5xx, a timeout or a connection dropped after sending: Visma.net may or may not have done it. */
	| 'outcomeUnknown'
	/** Any other answer (4xx): trying again gives the same answer. */
	| 'final'
	/**
	 * A 3xx: the server sent the call elsewhere. Never followed (the token or the journal would go
	 * with it) and never tried again; for a call that changes data the outcome is unknown.
	 */
	| 'redirected'
	/** Visma Connect refused the credential (invalid_client, ...): a setting to correct, not a network failure. */
	| 'credential';

/**
 * Whether to try again. A call that changes data in Visma.net (a journal POST) is never sent
 * again after an `outcomeUnknown` failure: the caller must first look whether it was done.
 */
export function shouldRetry(kind: FailureKind, attempt: number, policy: RetryPolicy, idempotent: boolean): boolean {
	if (attempt >= policy.maxAttempts) return false;
	if (kind === 'final' || kind === 'redirected' || kind === 'credential') return false;
	if (kind === 'outcomeUnknown') return idempotent;
	return true;
}

/** Milliseconds to wait before try `attempt + 1`, or `null` when Retry-After asks too much. */
export function retryDelayMs(
	kind: FailureKind,
	attempt: number,
	policy: RetryPolicy,
	retryAfterMs?: number,
): number | null {
	if (kind === 'rateLimited' && retryAfterMs !== undefined) {
		return retryAfterMs > policy.maxRetryAfterMs ? null : retryAfterMs;
	}
	const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
	return Math.floor(policy.random() * ceiling);
}

/**
 * Reads `Retry-After` (seconds, or an HTTP date) into milliseconds. `now` is injectable for tests.
 */
export function parseRetryAfter(value: unknown, now: number = Date.now()): number | undefined {
	if (typeof value !== 'string' && typeof value !== 'number') return undefined;
	const text = String(value).trim();
	if (/^\d+(\.\d+)?$/.test(text)) return Math.ceil(Number(text) * 1000);
	const date = Date.parse(text);
	if (Number.isNaN(date)) return undefined;
	return Math.max(0, date - now);
}
