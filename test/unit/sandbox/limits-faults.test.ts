import { startSandbox, type Sandbox } from '../../../sandboxes/visma-net/server';
import { call, journalBody, serviceToken } from './helpers';

describe('sandbox: rate limits and faults', () => {
	let sandbox: Sandbox;
	let token: string;

	beforeAll(async () => {
		sandbox = await startSandbox({ port: 0 });
	});
	afterAll(() => sandbox.close());
	beforeEach(async () => {
		sandbox.reset();
		sandbox.configure({ rateLimit: { limit: 1000 } });
		token = await serviceToken(sandbox);
	});

	it('puts X-RateLimit-* on every API response and answers 429 with Retry-After past the hourly budget', async () => {
		sandbox.configure({ rateLimit: { limit: 5 } });
		const first = await call(sandbox, 'GET', '/v1/ledger', { token });
		expect(first.headers.get('x-ratelimit-limit')).toBe('5');
		expect(first.headers.get('x-ratelimit-remaining')).toBe('4');
		expect(Number(first.headers.get('x-ratelimit-reset'))).toBeGreaterThan(0);
		expect(Number(first.headers.get('x-ratelimit-reset'))).toBeLessThanOrEqual(3600);
		expect(first.headers.get('x-ratelimit-policy')).toBe('4-fixed-window');
		for (let i = 0; i < 4; i++)
			expect((await call(sandbox, 'GET', '/v1/ledger', { token })).status).toBe(200);
		const limited = await call<Record<string, unknown>>(sandbox, 'GET', '/v1/ledger', { token });
		expect(limited.status).toBe(429);
		expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
		expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
		expect(limited.body).toEqual({
			statusCode: 429,
			message: expect.stringContaining('Rate limit is exceeded'),
		});
		// The budget is per company + client: another company still has its own.
		const other = await serviceToken(sandbox, sandbox.demo.companies[1].tenantId);
		expect((await call(sandbox, 'GET', '/v1/ledger', { token: other })).status).toBe(200);
		sandbox.advanceClock(3600);
		token = await serviceToken(sandbox); // the old one expired with the hour
		expect((await call(sandbox, 'GET', '/v1/ledger', { token })).status).toBe(200);
	});

	it('answers the next N matching requests with 5xx', async () => {
		sandbox.faults.failNext({ status: 503, count: 2, method: 'GET', path: '/v1/account' });
		expect((await call(sandbox, 'GET', '/v1/ledger', { token })).status).toBe(200);
		const failed = await call(sandbox, 'GET', '/v1/account', { token });
		expect(failed.status).toBe(503);
		expect((await call(sandbox, 'GET', '/v1/account', { token })).status).toBe(503);
		expect((await call(sandbox, 'GET', '/v1/account', { token })).status).toBe(200);
		sandbox.faults.failNext({ status: 500 });
		const ipp = await call<Record<string, unknown>>(sandbox, 'GET', '/v1/account', { token });
		expect(ipp.status).toBe(500);
		expect(ipp.body).toMatchObject({
			ExceptionType: 'IPPException',
			ExceptionFaultCode: expect.any(String),
		});
	});

	it('drops the connection after a POST was committed: the batch is stored', async () => {
		sandbox.faults.dropAfterCommit({ path: '/v2/journaltransaction' });
		await expect(
			call(sandbox, 'POST', '/v2/journaltransaction', { token, body: journalBody() }),
		).rejects.toThrow();
		const list = await call<{ batchNumber: string }[]>(
			sandbox,
			'GET',
			'/v2/journaltransaction?periodId=202603',
			{ token },
		);
		expect(list.body.map((b) => b.batchNumber)).toEqual(['000001']);
		expect(sandbox.requests().some((r) => r.status === 'dropped')).toBe(true);
		// A refused POST commits nothing, so it is not dropped and the fault stays armed for the next success.
		sandbox.faults.dropAfterCommit();
		expect(
			(await call(sandbox, 'POST', '/v2/journaltransaction', { token, body: {} })).status,
		).toBe(400);
		await expect(
			call(sandbox, 'POST', '/v2/journaltransaction', { token, body: journalBody() }),
		).rejects.toThrow();
	});

	it('storms 429s with Retry-After, and adds latency', async () => {
		sandbox.faults.rateLimitStorm(2, 7);
		for (let i = 0; i < 2; i++) {
			const response = await call(sandbox, 'GET', '/v1/ledger', { token });
			expect(response.status).toBe(429);
			expect(response.headers.get('retry-after')).toBe('7');
		}
		expect((await call(sandbox, 'GET', '/v1/ledger', { token })).status).toBe(200);
		sandbox.faults.setLatency({ fixedMs: 150 });
		const started = Date.now();
		await call(sandbox, 'GET', '/v1/ledger', { token });
		expect(Date.now() - started).toBeGreaterThanOrEqual(140);
	});

	it('makes random faults deterministic for a seed', async () => {
		const run = async () => {
			sandbox.reset();
			sandbox.faults.configure({ seed: 42, random: { probability: 0.5, path: '/v1/branch' } });
			const statuses: number[] = [];
			for (let i = 0; i < 12; i++)
				statuses.push((await call(sandbox, 'GET', '/v1/branch', { token })).status);
			return statuses;
		};
		const first = await run();
		expect(first.some((s) => s >= 500)).toBe(true);
		expect(first.some((s) => s === 200)).toBe(true);
		expect(await run()).toEqual(first);
	});

	it('is driven over HTTP by the control endpoints', async () => {
		const control = (method: string, urlPath: string, body?: unknown) =>
			call<Record<string, unknown>>(sandbox, method, urlPath, { body });
		await control('POST', '/_sandbox/faults', { failNext: { status: 502, path: '/v1/ledger' } });
		expect((await call(sandbox, 'GET', '/v1/ledger', { token })).status).toBe(502);
		await control('POST', '/_sandbox/faults', { dropAfterCommit: { count: 1 } });
		expect((await control('GET', '/_sandbox/faults')).body.dropAfterCommit).toHaveLength(1);
		await control('DELETE', '/_sandbox/faults');
		expect(
			(await call(sandbox, 'POST', '/v2/journaltransaction', { token, body: journalBody() }))
				.status,
		).toBe(201);
		const state = await control('GET', '/_sandbox/state');
		const tenants = state.body.tenants as { name: string; batches: { batchNumber: string }[] }[];
		expect(tenants[0]).toMatchObject({
			name: 'Bakkerij De Vries BV',
			batches: [{ batchNumber: '000001' }],
		});
		const requests = await call<{ method: string; body?: unknown }[]>(
			sandbox,
			'GET',
			'/_sandbox/requests',
		);
		expect(requests.body.filter((r) => r.method === 'POST').at(-1)?.body).toMatchObject({
			postPeriod: { value: '032026' },
		});
		await control('POST', '/_sandbox/tokens/expire');
		expect((await call(sandbox, 'GET', '/v1/ledger', { token })).status).toBe(401);
		token = await serviceToken(sandbox);
		await control('POST', '/_sandbox/reset');
		expect(
			((await control('GET', '/_sandbox/state')).body.tenants as { batches: unknown[] }[])[0]
				.batches,
		).toEqual([]);
		await control('POST', '/_sandbox/config', { maxPageSize: 2 });
		expect(
			((await control('GET', '/_sandbox/state')).body.config as { maxPageSize: number })
				.maxPageSize,
		).toBe(2);
		await control('POST', '/_sandbox/config', { maxPageSize: 1000 });
		const issued = await control('POST', '/_sandbox/token', {});
		expect(
			(await call(sandbox, 'GET', '/v1/ledger', { token: issued.body.access_token as string }))
				.status,
		).toBe(200);
	});
});
