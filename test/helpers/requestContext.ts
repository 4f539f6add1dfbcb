/**
 * A minimal execution context for transport tests: n8n's real outbound HTTP client underneath
 * (so nock sees real requests and errors have n8n's real shape), with authentication reduced to
 * a fixed bearer token and errors wrapped in `NodeApiError` as n8n-core's
 * `httpRequestWithAuthentication` does. The OAuth2 path itself is exercised by the workflow tests.
 */
import { OutboundHttp } from '@n8n/backend-network';
import { Container } from '@n8n/di';
import nock from 'nock';
import {
	NodeApiError,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestOptions,
	type INode,
	type JsonObject,
} from 'n8n-workflow';

import { createJournalTransaction, vismaNetRequest } from '../../nodes/transport';
import type { RetryPolicy } from '../../nodes/transport/retry';
import { harnessNode } from '../../scripts/lib/harness/harnessNode';

/** The Visma.net API the transport tests' credentials point at (nock answers it). */
export const TEST_API = 'http://127.0.0.1:4010';
/** A VismaId, as Visma.net puts one in its error messages. */
export const TEST_VISMA_ID = '6f0c1e52-9a3b-4d2e-8c7f-1a2b3c4d5e6f';

export const TEST_NODE: INode = harnessNode(
	'Post Journal Transaction',
	'n8n-nodes-visma-net-payroll.vismaNetPostJournal',
	{},
	{ id: 'node-1' },
);

export interface RecordedRequest {
	method: string;
	url: string;
	headers: Record<string, unknown>;
	body?: unknown;
}

export function createRequestContext(
	credentials: IDataObject = { environment: 'custom', customApiUrl: TEST_API },
) {
	const requests: RecordedRequest[] = [];
	const http = Container.get(OutboundHttp).requests();
	const context = {
		getNode: () => TEST_NODE,
		getCredentials: async () => credentials,
		helpers: {
			async httpRequestWithAuthentication(_type: string, options: IHttpRequestOptions) {
				const signed = {
					...options,
					headers: { ...options.headers, Authorization: 'Bearer test-access-token' },
				};
				requests.push({
					method: String(signed.method ?? 'GET'),
					url: String(signed.url),
					headers: signed.headers,
					body: signed.body,
				});
				try {
					return await http.request(signed);
				} catch (error) {
					throw new NodeApiError(TEST_NODE, error as JsonObject);
				}
			},
		},
	};
	return { context: context as unknown as IExecuteFunctions, requests };
}

/** Fast, deterministic retries for transport tests (both transports: the one retry policy's fields). */
export const FAST_RETRY_POLICY: RetryPolicy = {
	maxAttempts: 4,
	baseDelayMs: 1,
	maxDelayMs: 5,
	maxRetryAfterMs: 2000,
	timeoutMs: 2000,
	random: () => 0.5,
};

/** Nock only, in this test file: no call leaves the machine, and every mock set up is used. */
export function useNockOnly(): void {
	beforeAll(() => nock.disableNetConnect());
	afterEach(() => {
		const pending = nock.pendingMocks();
		// Cleaned first: a test that left mocks fails alone, not every test after it.
		nock.cleanAll();
		expect(pending).toEqual([]);
	});
	afterAll(() => nock.enableNetConnect());
}

/** The `NodeApiError` a call fails with; anything else (or success) fails the test. */
export async function failureOf(promise: Promise<unknown>): Promise<NodeApiError> {
	try {
		await promise;
	} catch (error) {
		if (error instanceof NodeApiError) return error;
		throw error;
	}
	throw new Error('expected the call to fail');
}

/** The read most transport tests make: GET /v1/ledger ("reading the ledgers"), fast retries. */
export function readLedgers(context: IExecuteFunctions, policy: RetryPolicy = FAST_RETRY_POLICY) {
	return vismaNetRequest.call(
		context,
		{ method: 'GET', path: '/v1/ledger', operation: 'reading the ledgers' },
		policy,
	);
}

/**
 * Visma.net answers the ledger read once with `status` and `Retry-After: 1`, then with one ledger;
 * the read's body, the requests made and how long it took.
 */
export async function readLedgersAfterRetryAfter(status: number, message: string) {
	const { context, requests } = createRequestContext();
	nock(TEST_API).get('/v1/ledger').reply(status, { message }, { 'Retry-After': '1' });
	nock(TEST_API)
		.get('/v1/ledger')
		.reply(200, [{ number: 'L' }]);
	const started = Date.now();
	const { body } = await readLedgers(context);
	return { body, requests, elapsedMs: Date.now() - started };
}

/** Visma.net answers the journal POST (R2026-03 for 2026-03) with `status` and `message`: the error and requests. */
export async function postJournalAnswered(status: number, message: string) {
	const { context, requests } = createRequestContext();
	nock(TEST_API).post('/v2/journaltransaction').reply(status, { message });
	const error = await failureOf(
		createJournalTransaction.call(
			context,
			{},
			{ operation: 'posting journal R2026-03 for 2026-03', policy: FAST_RETRY_POLICY },
		),
	);
	return { error, requests };
}
