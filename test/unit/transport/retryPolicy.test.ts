/**
 * The one retry policy (nodes/transport/retry.ts), which both transports use (issue 15): when to
 * try again, how long to wait (backoff, or Retry-After up to its cap, on a 429 and on a 5xx),
 * which network errors mean nothing was sent, and the loop itself. The Visma.net side through
 * `vismaNetRequest` with nock; the Nmbrs side in test/unit/nmbrs/retry.test.ts.
 */
import nock from 'nock';

import { isOutcomeUnknown, type RetryPolicy } from '../../../nodes/transport';
import {
	networkCodeOf,
	networkFailureKind,
	retryAfterOf,
	retryDelayMs,
	statusFailureKind,
	withRetryPolicy,
	type FailureKind,
	type RetryableFailure,
	type TryOutcome,
} from '../../../nodes/transport/retry';
import {
	createRequestContext,
	failureOf,
	FAST_RETRY_POLICY,
	readLedgers,
	readLedgersAfterRetryAfter,
	TEST_API as API,
	useNockOnly,
} from '../../helpers/requestContext';

const FAST = FAST_RETRY_POLICY;

useNockOnly();

/** Runs `withRetryPolicy` over scripted tries; returns what it gave, the tries made and the waits asked for. */
async function scripted(
	outcomes: Array<TryOutcome<string, RetryableFailure>>,
	idempotent = true,
	policy: RetryPolicy = FAST,
) {
	const waits: number[] = [];
	let tries = 0;
	try {
		const value = await withRetryPolicy<string, RetryableFailure>({
			policy,
			idempotent,
			attempt: async (attempt) => {
				tries = attempt;
				return outcomes[attempt - 1];
			},
			giveUp: (failure, attempts) => new Error(`gave up on ${failure.kind} after ${attempts}`),
			wait: async (ms) => {
				waits.push(ms);
			},
		});
		return { value, tries, waits };
	} catch (error) {
		return { error: (error as Error).message, tries, waits };
	}
}

const failed = (
	kind: FailureKind,
	retryAfterMs?: number,
): TryOutcome<string, RetryableFailure> => ({
	ok: false,
	failure: { kind, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) },
});
const done: TryOutcome<string, RetryableFailure> = { ok: true, value: 'answer' };

describe('withRetryPolicy: the one retry loop', () => {
	it('waits as Retry-After says on a 429 and on a 5xx, backs off without it', async () => {
		expect(
			await scripted([
				failed('rateLimited', 1500),
				failed('outcomeUnknown', 700),
				failed('outcomeUnknown'),
				done,
			]),
		).toEqual({
			value: 'answer',
			tries: 4,
			waits: [1500, 700, 2],
		});
	});

	it('does not wait for a Retry-After beyond the cap: gives up at once', async () => {
		expect(await scripted([failed('rateLimited', 2001), done])).toEqual({
			error: 'gave up on rateLimited after 1',
			tries: 1,
			waits: [],
		});
		expect(await scripted([failed('outcomeUnknown', 3_600_000), done])).toEqual({
			error: 'gave up on outcomeUnknown after 1',
			tries: 1,
			waits: [],
		});
	});

	it('never tries a call that changes data again after an unknown outcome, whatever Retry-After says; a 429 it does', async () => {
		expect(await scripted([failed('outcomeUnknown', 10), done], false)).toEqual({
			error: 'gave up on outcomeUnknown after 1',
			tries: 1,
			waits: [],
		});
		expect(await scripted([failed('rateLimited', 10), done], false)).toEqual({
			value: 'answer',
			tries: 2,
			waits: [10],
		});
		expect(await scripted([failed('notSent'), done], false)).toEqual({
			value: 'answer',
			tries: 2,
			waits: [],
		});
	});

	it('gives up on a final answer, a redirect and a refused credential at once, and after maxAttempts tries', async () => {
		for (const kind of ['final', 'redirected', 'credential'] as const)
			expect(await scripted([failed(kind), done])).toMatchObject({
				error: `gave up on ${kind} after 1`,
				tries: 1,
			});
		expect(
			await scripted([
				failed('notSent'),
				failed('notSent'),
				failed('notSent'),
				failed('notSent'),
				done,
			]),
		).toMatchObject({ error: 'gave up on notSent after 4', tries: 4 });
	});

	it('keeps the signature the transports and their tests use: Retry-After only for answers tried again', () => {
		expect(retryDelayMs('rateLimited', 1, FAST, 1000)).toBe(1000);
		expect(retryDelayMs('outcomeUnknown', 1, FAST, 1000)).toBe(1000);
		expect(retryDelayMs('outcomeUnknown', 1, FAST, 2001)).toBeNull();
		expect(retryDelayMs('notSent', 1, FAST, 1000)).toBe(0);
	});
});

describe('what a failure means for retrying', () => {
	it('statuses: 3xx redirected, 429 rate limited, 5xx unknown outcome, 4xx final', () => {
		expect([301, 307, 400, 401, 404, 429, 500, 503, 504].map(statusFailureKind)).toEqual([
			'redirected',
			'redirected',
			'final',
			'final',
			'final',
			'rateLimited',
			'outcomeUnknown',
			'outcomeUnknown',
			'outcomeUnknown',
		]);
	});

	it('network errors: found anywhere in the chain of causes; a connection never opened sent nothing', () => {
		const wrapped = new Error('outer', {
			cause: new Error('middle', {
				cause: Object.assign(new Error('inner'), { code: 'ECONNREFUSED' }),
			}),
		});
		expect(networkCodeOf(wrapped)).toBe('ECONNREFUSED');
		expect(networkCodeOf(Object.assign(new Error('x'), { code: 'not a code' }))).toBeUndefined();
		expect(networkCodeOf('text')).toBeUndefined();
		const looped: { code?: string; cause?: unknown } = {};
		looped.cause = looped;
		expect(networkCodeOf(looped)).toBeUndefined();
		expect(
			['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'].map(
				networkFailureKind,
			),
		).toEqual(Array(5).fill('notSent'));
		expect(['ECONNRESET', 'ETIMEDOUT', 'ECONNABORTED', 'EPIPE'].map(networkFailureKind)).toEqual(
			Array(4).fill('outcomeUnknown'),
		);
	});

	it('Retry-After: in any case of header name, seconds or an HTTP date', () => {
		expect(retryAfterOf({ 'retry-after': '2' })).toBe(2000);
		expect(retryAfterOf({ 'Retry-After': ['3', '9'] })).toBe(3000);
		expect(
			retryAfterOf(
				{ 'RETRY-AFTER': 'Fri, 27 Nov 2026 20:00:10 GMT' },
				Date.parse('Fri, 27 Nov 2026 20:00:00 GMT'),
			),
		).toBe(10000);
		expect(retryAfterOf({ 'retry-after': 'later' })).toBeUndefined();
		expect(retryAfterOf(undefined)).toBeUndefined();
	});
});

describe('Visma.net: a 503 with Retry-After', () => {
	it('is waited out as it says (not the backoff of a few milliseconds), then the read succeeds', async () => {
		const { body, requests, elapsedMs } = await readLedgersAfterRetryAfter(
			503,
			'Service Unavailable',
		);
		expect(body).toEqual([{ number: 'L' }]);
		expect(requests).toHaveLength(2);
		expect(elapsedMs).toBeGreaterThanOrEqual(950);
	});

	it('asking too long is not waited for: one try, and the error says how long Visma.net asked', async () => {
		const { context, requests } = createRequestContext();
		nock(API)
			.get('/v1/ledger')
			.reply(503, { message: 'Service Unavailable' }, { 'Retry-After': '3600' });
		const error = await failureOf(readLedgers(context));
		expect(requests).toHaveLength(1);
		expect(error.message).toBe(
			'Visma.net had an internal error (503) while reading the ledgers: Service Unavailable',
		);
		expect(error.description).toContain('Visma.net asked to wait 3600 s before trying again.');
		expect(isOutcomeUnknown(error)).toBe(true);
	});
});
