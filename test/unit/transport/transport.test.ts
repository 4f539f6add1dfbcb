import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import nock from 'nock';
import { NodeOperationError } from 'n8n-workflow';

import {
	apiBaseUrl,
	batchNumberFromLocation,
	createJournalTransaction,
	isOutcomeUnknown,
	listJournalTransactions,
	mergeJournalTransactionPages,
	readVismaErrorBody,
	type RetryPolicy,
} from '../../../nodes/transport';
import { parseRetryAfter, retryDelayMs, shouldRetry } from '../../../nodes/transport/retry';
import {
	createRequestContext,
	failureOf,
	FAST_RETRY_POLICY,
	postJournalAnswered,
	readLedgers,
	readLedgersAfterRetryAfter,
	TEST_NODE,
	TEST_API as API,
	TEST_VISMA_ID as VISMA_ID,
	useNockOnly,
} from '../../helpers/requestContext';

/** Fast, deterministic retries for tests. */
const FAST = FAST_RETRY_POLICY;

useNockOnly();

/**
 * A real server on this machine that reads each request and then drops the connection without an
 * answer, as a proxy or Visma.net does when it fails after the request arrived. `answerAfter`
 * requests are dropped; later ones get `[]`.
 */
async function droppingServer(
	dropCount: number,
): Promise<{ url: string; hits: () => number; close: () => Promise<void> }> {
	let hits = 0;
	const server: Server = createServer((request, response) => {
		request.resume();
		request.on('end', () => {
			hits++;
			if (hits <= dropCount) request.socket.destroy();
			else response.writeHead(200, { 'content-type': 'application/json' }).end('[]');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	nock.enableNetConnect(`127.0.0.1:${port}`);
	return {
		url: `http://127.0.0.1:${port}`,
		hits: () => hits,
		close: async () => {
			nock.disableNetConnect();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

describe('base URL', () => {
	it('uses Visma.net production unless the credential says custom', () => {
		expect(
			apiBaseUrl({ environment: 'production', customApiUrl: 'http://evil.example' }, TEST_NODE),
		).toBe('https://api.finance.visma.net');
		expect(
			apiBaseUrl({ environment: 'custom', customApiUrl: 'http://127.0.0.1:4010/' }, TEST_NODE),
		).toBe(API);
		expect(
			apiBaseUrl(
				{ environment: 'custom', customApiUrl: 'https://proxy.example.com/visma' },
				TEST_NODE,
			),
		).toBe('https://proxy.example.com/visma');
	});

	it.each(['http://proxy.example.com', 'http://10.0.0.5:4010', 'ftp://127.0.0.1', 'not a url', ''])(
		'refuses %p: journals and tokens never travel unencrypted beyond this machine',
		(url) => {
			expect(() => apiBaseUrl({ environment: 'custom', customApiUrl: url }, TEST_NODE)).toThrow(
				NodeOperationError,
			);
		},
	);

	it.each([
		['https://proxy.example.com/visma#', 'a fragment (#...)'],
		['https://proxy.example.com/visma?x=', 'a query (?...)'],
		['https://proxy.example.com/visma?', 'a query (?...)'],
		['https://user:pw-5b4a39@proxy.example.com/visma', 'a user name or password'],
		['https://user@proxy.example.com', 'a user name or password'],
	])(
		'refuses the API URL %p, which would swallow the API path or put a password in the URL: %s',
		(url, what) => {
			expect(() => apiBaseUrl({ environment: 'custom', customApiUrl: url }, TEST_NODE)).toThrow(
				NodeOperationError,
			);
			expect(() => apiBaseUrl({ environment: 'custom', customApiUrl: url }, TEST_NODE)).toThrow(
				what,
			);
			let message = '';
			try {
				apiBaseUrl({ environment: 'custom', customApiUrl: url }, TEST_NODE);
			} catch (error) {
				message = JSON.stringify({
					message: (error as Error).message,
					description: (error as NodeOperationError).description,
				});
			}
			expect(message).not.toContain('pw-5b4a39');
		},
	);

	it.each([
		'https://connect.example.com#',
		'https://connect.example.com/?tenant=1',
		'https://a:b@connect.example.com',
	])(
		'refuses the Connect URL %p: the token request would go elsewhere than <base>/connect/token',
		(url) => {
			expect(() =>
				apiBaseUrl({ environment: 'custom', customApiUrl: API, customConnectUrl: url }, TEST_NODE),
			).toThrow(/custom Connect URL/);
		},
	);

	it('refuses a plain http Connect URL beyond this machine: the client secret goes there', () => {
		expect(() =>
			apiBaseUrl(
				{
					environment: 'custom',
					customApiUrl: 'http://127.0.0.1:4010',
					customConnectUrl: 'http://connect.example.com',
				},
				TEST_NODE,
			),
		).toThrow('The custom Connect URL in the Visma.net credential must use https');
	});

	it.each(['http://localhost:4010', 'http://127.0.0.1:4010', 'http://[::1]:4010'])(
		'allows plain http on loopback: %s',
		(url) => {
			expect(apiBaseUrl({ environment: 'custom', customApiUrl: url }, TEST_NODE)).toBe(url);
		},
	);
});

describe('Location', () => {
	it.each([
		['https://api.finance.visma.net/v2/journaltransaction/000123', '000123'],
		['http://127.0.0.1:4010/v2/journaltransaction/000123/', '000123'],
		['/v2/journaltransaction/GL%2F7', 'GL/7'],
		[['https://api.finance.visma.net/v2/journaltransaction/42'], '42'],
	])('reads the batch number from %p', (location, expected) => {
		expect(batchNumberFromLocation(location)).toBe(expected);
	});

	it.each([
		undefined,
		'',
		42,
		[],
		// Not a batch: another resource, the collection itself, a malformed escape or URL, control characters.
		'/v2/journaltransaction/',
		'/v2/journaltransaction',
		'/v1/account/4000',
		'/v2/journaltransaction/%E0%A4%A',
		'http://[not a url',
		'/v2/journaltransaction/a%00b',
		`/v2/journaltransaction/${'9'.repeat(31)}`,
	])('gives nothing for %p (the batch is then looked up, never believed)', (location) => {
		expect(batchNumberFromLocation(location)).toBeUndefined();
	});

	it('takes the batch number of a created journal from the Location header', async () => {
		const { context, requests } = createRequestContext();
		nock(API)
			.post('/v2/journaltransaction')
			.reply(201, {}, { Location: 'https://api.finance.visma.net/v2/journaltransaction/000777' });
		const { batchNumber } = await createJournalTransaction.call(
			context,
			{ description: { value: 'x' } },
			{ operation: 'posting journal R1' },
		);
		expect(batchNumber).toBe('000777');
		expect(requests[0].headers.Authorization).toBe('Bearer test-access-token');
	});
});

describe('retries', () => {
	it('waits as long as Retry-After says after a 429, then succeeds', async () => {
		const { body, elapsedMs } = await readLedgersAfterRetryAfter(429, 'Rate limit is exceeded.');
		expect(body).toEqual([{ number: 'L' }]);
		expect(elapsedMs).toBeGreaterThanOrEqual(950);
	});

	it('retries a read after 5xx answers and gives up after the bounded number of tries', async () => {
		const { context, requests } = createRequestContext();
		nock(API)
			.get('/v1/ledger')
			.times(4)
			.reply(503, { message: `VismaId: ${VISMA_ID}. Service unavailable` });
		const error = await failureOf(readLedgers(context));
		expect(requests).toHaveLength(4);
		expect(error.message).toBe(
			`Visma.net had an internal error (503) while reading the ledgers: Service unavailable (VismaId ${VISMA_ID})`,
		);
		expect(error.description).toContain(`VismaId: ${VISMA_ID}`);
		expect(error.description).toContain('4 tries');
		expect(error.httpCode).toBe('503');
	});

	it('retries a read after a dropped connection', async () => {
		const server = await droppingServer(1);
		try {
			const { context } = createRequestContext({ environment: 'custom', customApiUrl: server.url });
			await expect(readLedgers(context)).resolves.toMatchObject({
				statusCode: 200,
				body: [],
			});
			expect(server.hits()).toBe(2);
		} finally {
			await server.close();
		}
	});

	it('never re-sends a journal POST after a 5xx: the outcome is unknown and the caller must look first', async () => {
		const { error, requests } = await postJournalAnswered(
			500,
			`VismaId: ${VISMA_ID}. Error: timeout in database`,
		);
		expect(requests).toHaveLength(1);
		expect(isOutcomeUnknown(error)).toBe(true);
		expect(error.description).toContain('never booked twice');
	});

	it('never re-sends a journal POST after the connection dropped', async () => {
		const server = await droppingServer(5);
		try {
			const { context } = createRequestContext({ environment: 'custom', customApiUrl: server.url });
			const error = await failureOf(
				createJournalTransaction.call(
					context,
					{ description: { value: 'x' } },
					{ operation: 'posting journal R1', policy: FAST },
				),
			);
			expect(server.hits()).toBe(1);
			expect(isOutcomeUnknown(error)).toBe(true);
			expect(error.message).toBe('The connection to Visma.net broke off while posting journal R1');
			expect(error.description).toContain('Network error: ECONNRESET.');
		} finally {
			await server.close();
		}
	});

	it('never re-sends a journal POST that timed out, and says so', async () => {
		const { context, requests } = createRequestContext();
		nock(API).post('/v2/journaltransaction').delay(500).reply(201, {});
		const error = await failureOf(
			createJournalTransaction.call(
				context,
				{},
				{ operation: 'posting journal R1', policy: { ...FAST, timeoutMs: 100 } },
			),
		);
		expect(requests).toHaveLength(1);
		expect(isOutcomeUnknown(error)).toBe(true);
		expect(error.message).toBe('Visma.net did not answer in time while posting journal R1');
	});

	it('does re-send a journal POST refused with 429, which Visma.net did not process', async () => {
		const { context, requests } = createRequestContext();
		nock(API).post('/v2/journaltransaction').reply(429, {}, { 'Retry-After': '0' });
		nock(API)
			.post('/v2/journaltransaction')
			.reply(201, {}, { Location: `${API}/v2/journaltransaction/000001` });
		const { batchNumber } = await createJournalTransaction.call(
			context,
			{},
			{ operation: 'posting journal R1', policy: FAST },
		);
		expect(batchNumber).toBe('000001');
		expect(requests).toHaveLength(2);
	});

	it('does not wait for a Retry-After beyond the limit, and says how long Visma.net asked', async () => {
		const { context } = createRequestContext();
		nock(API)
			.get('/v1/ledger')
			.reply(429, { message: 'Rate limit is exceeded.' }, { 'Retry-After': '3600' });
		const error = await failureOf(readLedgers(context));
		expect(error.message).toBe(
			"Visma.net's rate limit was reached while reading the ledgers, 1 try. It asks to wait 3600 s.",
		);
		expect(isOutcomeUnknown(error)).toBe(false);
	});

	it('does not retry a refusal (400): the same request gets the same answer', async () => {
		const { error, requests } = await postJournalAnswered(
			400,
			`VismaId: ${VISMA_ID}. Error creating document. Error: Account '4999' cannot be found in the system.`,
		);
		expect(requests).toHaveLength(1);
		expect(error.message).toBe(
			`Visma.net refused posting journal R2026-03 for 2026-03 (400): Error creating document. Error: Account '4999' cannot be found in the system. (VismaId ${VISMA_ID})`,
		);
		expect(error.description).toContain(`VismaId: ${VISMA_ID} (quote it to Visma support).`);
		expect(isOutcomeUnknown(error)).toBe(false);
	});
});

describe('error mapping', () => {
	it('reads the IPP exception envelope and tells what to do about a 401', async () => {
		const { context } = createRequestContext();
		nock(API).get('/v1/ledger').reply(401, {
			ExceptionType: 'IPPException',
			ExceptionMessage: 'No license for this company.',
			ExceptionFaultCode: '12027',
			ExceptionMessageID: '12027_6e2a06a8-0000-4000-8000-000000000000',
			ExceptionDetails: '',
		});
		const error = await failureOf(readLedgers(context));
		expect(error.message).toBe(
			'Visma.net refused the credential while reading the ledgers (401 Unauthorized): No license for this company.',
		);
		expect(error.description).toContain('company tenant id (not the customer tenant id)');
		expect(error.description).toContain('Visma fault code: 12027');
	});

	it('keeps the Authorization header and token out of the error', async () => {
		const { context } = createRequestContext();
		nock(API).get('/v1/ledger').reply(401, { message: 'Unauthorized' });
		const error = await failureOf(readLedgers(context));
		const serialized = JSON.stringify({
			message: error.message,
			description: error.description,
			context: error.context,
			cause: error.cause,
			error,
		});
		expect(serialized).not.toContain('test-access-token');
		expect(serialized).not.toMatch(/authorization/i);
	});

	it.each([
		[
			{ message: `VismaId: ${VISMA_ID}. Error: Period 01-2025 is closed.` },
			{ message: 'Error: Period 01-2025 is closed.', vismaId: VISMA_ID, validationText: true },
		],
		[{ Message: 'Plain message' }, { message: 'Plain message' }],
		['<html>Bad gateway</html>', { message: '<html>Bad gateway</html>' }],
		[JSON.stringify({ message: 'as text' }), { message: 'as text' }],
		[null, {}],
		[
			{ error: 'invalid_client', error_description: 'Client authentication failed' },
			{ message: 'Client authentication failed' },
		],
	])('reads the Visma error body %p', (body, expected) => {
		expect(readVismaErrorBody(body)).toEqual(expected);
	});
});

describe('paging', () => {
	const line = (batch: string, lineNumber: number) => ({
		lineNumber,
		accountNumber: '4000',
		referenceNumber: batch,
	});

	it('reads every page and merges a batch split over pages (pages count lines)', async () => {
		const { context, requests } = createRequestContext();
		const metadata = { totalCount: 5, maxPageSize: 2 };
		nock(API)
			.get('/v2/journaltransaction')
			.query({ periodId: '202603', module: 'GL', pageNumber: '1', pageSize: '2' })
			.reply(200, [
				{ batchNumber: 'A', journalTransactionLines: [line('A', 1), line('A', 2)], metadata },
			]);
		nock(API)
			.get('/v2/journaltransaction')
			.query({ periodId: '202603', module: 'GL', pageNumber: '2', pageSize: '2' })
			.reply(200, [
				{ batchNumber: 'A', journalTransactionLines: [line('A', 3)], metadata },
				{ batchNumber: 'B', journalTransactionLines: [line('B', 1)], metadata },
			]);
		nock(API)
			.get('/v2/journaltransaction')
			.query({ periodId: '202603', module: 'GL', pageNumber: '3', pageSize: '2' })
			.reply(200, [{ batchNumber: 'B', journalTransactionLines: [line('B', 2)], metadata }]);
		const batches = await listJournalTransactions.call(context, '202603', {
			pageSize: 2,
			policy: FAST,
		});
		expect(requests).toHaveLength(3);
		expect(
			batches.map((batch) => [
				batch.batchNumber,
				batch.journalTransactionLines!.map((l) => l.lineNumber),
			]),
		).toEqual([
			['A', [1, 2, 3]],
			['B', [1, 2]],
		]);
	});

	it('stops at an empty page when Visma.net gives no count', async () => {
		const { context, requests } = createRequestContext();
		nock(API)
			.get('/v2/journaltransaction')
			.query(true)
			.reply(200, [{ batchNumber: 'A', journalTransactionLines: [line('A', 1)] }]);
		nock(API).get('/v2/journaltransaction').query(true).reply(200, []);
		const batches = await listJournalTransactions.call(context, '202603', { policy: FAST });
		expect(batches).toHaveLength(1);
		expect(requests).toHaveLength(2);
	});

	it('reads a page of 300,000 entries without overflowing the stack (no spread of a page)', async () => {
		const { context } = createRequestContext();
		const page = Array.from({ length: 300_000 }, (_, index) => ({
			batchNumber: String(index),
			journalTransactionLines: [],
		}));
		nock(API).get('/v2/journaltransaction').query(true).reply(200, page);
		nock(API).get('/v2/journaltransaction').query(true).reply(200, []);
		const batches = await listJournalTransactions.call(context, '202603', { policy: FAST });
		expect(batches).toHaveLength(300_000);
	});

	it('throws, never returns part of the period, when the page limit (1,000) is reached before the last page', async () => {
		const { context, requests } = createRequestContext();
		// Every page is full and the count says there is more: the 1,001st page is never read.
		const metadata = { totalCount: 5000 };
		nock(API)
			.get('/v2/journaltransaction')
			.query(true)
			.times(1000)
			.reply(200, (uri) => [
				{
					batchNumber: new URL(uri, API).searchParams.get('pageNumber'),
					journalTransactionLines: [line('A', 1)],
					metadata,
				},
			]);
		const read = listJournalTransactions.call(context, '202603', { pageSize: 1, policy: FAST });
		await expect(read).rejects.toThrow(/more than 1000 pages/);
		await expect(read).rejects.toMatchObject({
			description: expect.stringMatching(/never used: nothing is decided or posted on it/),
		});
		expect(requests).toHaveLength(1000);
	});

	it('with a page limit of 3: more pages is an error, a list ending on page 3 (count reached or page 4 never needed) is whole', async () => {
		const page = (uri: string, totalCount?: number) => [
			{
				batchNumber: new URL(uri, API).searchParams.get('pageNumber'),
				journalTransactionLines: [line('A', 1)],
				...(totalCount ? { metadata: { totalCount } } : {}),
			},
		];
		const { context, requests } = createRequestContext();
		nock(API)
			.get('/v2/journaltransaction')
			.query(true)
			.times(3)
			.reply(200, (uri) => page(uri, 4));
		await expect(
			listJournalTransactions.call(context, '202603', { pageSize: 1, maxPages: 3, policy: FAST }),
		).rejects.toThrow(/reading the GL batches of period 202603 did not end within 3 pages of 1/);
		expect(requests).toHaveLength(3);

		nock(API)
			.get('/v2/journaltransaction')
			.query(true)
			.times(3)
			.reply(200, (uri) => page(uri, 3));
		const whole = await listJournalTransactions.call(context, '202603', {
			pageSize: 1,
			maxPages: 3,
			policy: FAST,
		});
		expect(whole.map((batch) => batch.batchNumber)).toEqual(['1', '2', '3']);

		// No count: full pages up to the limit and no empty page seen is not the end either.
		nock(API)
			.get('/v2/journaltransaction')
			.query(true)
			.times(3)
			.reply(200, (uri) => page(uri));
		await expect(
			listJournalTransactions.call(context, '202603', { pageSize: 1, maxPages: 3, policy: FAST }),
		).rejects.toThrow(/did not end within 3 pages/);
	});

	it('merges pages without doubling a line that two pages both carry', () => {
		const merged = mergeJournalTransactionPages([
			{ batchNumber: 'A', journalTransactionLines: [line('A', 2), line('A', 1)] },
			{ batchNumber: 'A', journalTransactionLines: [line('A', 2), line('A', 3)] },
		]);
		expect(merged[0].journalTransactionLines!.map((l) => l.lineNumber)).toEqual([1, 2, 3]);
	});
});

describe('retry rules', () => {
	const policy: RetryPolicy = {
		...FAST,
		maxAttempts: 3,
		baseDelayMs: 100,
		maxDelayMs: 250,
		random: () => 0.999,
	};

	it('backs off exponentially with jitter, capped', () => {
		expect(retryDelayMs('outcomeUnknown', 1, policy)).toBe(99);
		expect(retryDelayMs('outcomeUnknown', 2, policy)).toBe(199);
		expect(retryDelayMs('outcomeUnknown', 5, policy)).toBe(249);
		expect(retryDelayMs('outcomeUnknown', 1, { ...policy, random: () => 0 })).toBe(0);
	});

	it('bounds the tries and never retries a non-idempotent call with an unknown outcome', () => {
		expect(shouldRetry('rateLimited', 2, policy, false)).toBe(true);
		expect(shouldRetry('rateLimited', 3, policy, false)).toBe(false);
		expect(shouldRetry('outcomeUnknown', 1, policy, false)).toBe(false);
		expect(shouldRetry('outcomeUnknown', 1, policy, true)).toBe(true);
		expect(shouldRetry('notSent', 1, policy, false)).toBe(true);
		expect(shouldRetry('final', 1, policy, true)).toBe(false);
	});

	it('reads Retry-After as seconds or as an HTTP date', () => {
		expect(parseRetryAfter('3')).toBe(3000);
		expect(parseRetryAfter(2)).toBe(2000);
		expect(
			parseRetryAfter('Fri, 27 Nov 2026 20:00:10 GMT', Date.parse('Fri, 27 Nov 2026 20:00:00 GMT')),
		).toBe(10000);
		expect(parseRetryAfter('soon')).toBeUndefined();
		expect(parseRetryAfter(undefined)).toBeUndefined();
	});
});
