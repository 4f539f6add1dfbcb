/**
 * The one retry policy of this package, for both transports (the Visma.net API and the Nmbrs SOAP
 * API, which links this file): when a call is tried again, how long to wait first (backoff with
 * jitter, or the server's Retry-After up to a cap), which network errors mean that nothing was
 * sent, and the loop that applies it (`withRetryPolicy`). Each transport keeps its own classification
 * of answers and its own error wording. Pure: no n8n, no clock (the loop is given its wait).
 */
import { headerValue } from './redirect';

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
export function shouldRetry(
	kind: FailureKind,
	attempt: number,
	policy: RetryPolicy,
	idempotent: boolean,
): boolean {
	if (attempt >= policy.maxAttempts) return false;
	if (kind === 'final' || kind === 'redirected' || kind === 'credential') return false;
	if (kind === 'outcomeUnknown') return idempotent;
	return true;
}

/**
 * Milliseconds to wait before try `attempt + 1`, or `null` when Retry-After asks too much. A
 * server that said when to come back (Retry-After on a 429, or on a 503 or other 5xx) is waited for
 * as it said, up to `maxRetryAfterMs`; otherwise backoff with jitter.
 */
export function retryDelayMs(
	kind: FailureKind,
	attempt: number,
	policy: RetryPolicy,
	retryAfterMs?: number,
): number | null {
	if (retryAfterMs !== undefined && (kind === 'rateLimited' || kind === 'outcomeUnknown')) {
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

/** `Retry-After` of an answer's headers (any case), in milliseconds; undefined when absent or unreadable. */
export function retryAfterOf(
	headers: Readonly<Record<string, unknown>> | undefined,
	now: number = Date.now(),
): number | undefined {
	return parseRetryAfter(headerValue(headers, 'retry-after'), now);
}

/** What an HTTP status means for retrying: 3xx redirected, 429 rate limited, 5xx unknown outcome, else final. */
export function statusFailureKind(statusCode: number): FailureKind {
	if (statusCode >= 300 && statusCode < 400) return 'redirected';
	if (statusCode === 429) return 'rateLimited';
	return statusCode >= 500 ? 'outcomeUnknown' : 'final';
}

/** Network error codes of a connection that was never opened: nothing was sent. */
const NOT_SENT_CODES: ReadonlySet<string> = new Set([
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
]);

/** A network error code as Node writes them: ECONNRESET, ETIMEDOUT, ECONNABORTED… */
const NETWORK_CODE = /^E[A-Z_]{1,30}$/;

/** The error and its causes, nearest first (n8n wraps: NodeApiError → OperationalError → AxiosError), at most six. */
export function causeChain(error: unknown): object[] {
	const chain: object[] = [];
	for (
		let current: unknown = error;
		current && typeof current === 'object' && chain.length < 6;
		current = (current as { cause?: unknown }).cause
	) {
		if (chain.includes(current)) break;
		chain.push(current);
	}
	return chain;
}

/** The network error code of a failed call (the nearest in the error and its causes), or undefined when it is none. */
export function networkCodeOf(error: unknown): string | undefined {
	for (const link of causeChain(error)) {
		const code = (link as { code?: unknown }).code;
		if (typeof code === 'string' && NETWORK_CODE.test(code)) return code;
	}
	return undefined;
}

/**
 * What a network error means for retrying: a connection never opened (refused, no such host, no
 * route) sent nothing; anything else (reset, timeout, dropped) may have been carried out.
 */
export function networkFailureKind(networkCode: string): FailureKind {
	return NOT_SENT_CODES.has(networkCode) ? 'notSent' : 'outcomeUnknown';
}

/** One failed try, as far as retrying goes; each transport adds what its errors need. */
export interface RetryableFailure {
	readonly kind: FailureKind;
	/** The server's Retry-After, in milliseconds. */
	readonly retryAfterMs?: number;
}

/** One try: its result, or its failure. */
export type TryOutcome<T, F extends RetryableFailure> =
	| { readonly ok: true; readonly value: T }
	| { readonly ok: false; readonly failure: F };

export interface RetryLoop<T, F extends RetryableFailure> {
	readonly policy: RetryPolicy;
	/** Whether sending the call twice is harmless (false for a journal POST). */
	readonly idempotent: boolean;
	/** Sends the call once (`attempt` counts from 1). A throw ends the loop at once. */
	readonly attempt: (attempt: number) => Promise<TryOutcome<T, F>>;
	/** The error to throw when the policy gives up on `failure` after `attempts` tries. */
	readonly giveUp: (failure: F, attempts: number) => Error;
	/** Waits `ms` milliseconds (n8n's `sleep`). */
	readonly wait: (ms: number) => Promise<void>;
}

/**
 * Tries a call until it succeeds or the policy gives up: a failure the policy does not retry
 * (`shouldRetry`), or whose Retry-After is beyond the cap (`retryDelayMs`), ends it with `giveUp`.
 * The one retry loop of both transports.
 */
export async function withRetryPolicy<T, F extends RetryableFailure>(
	loop: RetryLoop<T, F>,
): Promise<T> {
	for (let attempt = 1; ; attempt++) {
		const outcome = await loop.attempt(attempt);
		if (outcome.ok) return outcome.value;
		const { failure } = outcome;
		const delay = shouldRetry(failure.kind, attempt, loop.policy, loop.idempotent)
			? retryDelayMs(failure.kind, attempt, loop.policy, failure.retryAfterMs)
			: null;
		if (delay === null) throw loop.giveUp(failure, attempt);
		if (delay > 0) await loop.wait(delay);
	}
}
