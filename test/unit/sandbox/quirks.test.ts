/**
 * The sandbox's quirks (issue 12): each switches on one plausible answer Visma.net's spec leaves
 * open; none is on by default.
 */
import { QUIRK_NAMES, SHORT_DESCRIPTION_LENGTH } from '../../../sandboxes/visma-net/quirks';
import { startSandbox } from '../../../sandboxes/visma-net/server';
import { useVismaSandbox } from '../../helpers/sandboxes';
import { call, journalBody, serviceToken } from './helpers';

describe('sandbox quirks', () => {
	const sandbox = useVismaSandbox(); // reset before each test
	let token: string;
	beforeAll(async () => {
		token = await serviceToken(sandbox);
	});
	beforeEach(() => sandbox.configure({ quirks: [] }));

	const get = <T = unknown>(urlPath: string) => call<T>(sandbox, 'GET', urlPath, { token });

	it('none by default; unknown names are refused, listing the known ones', async () => {
		expect(sandbox.state().config.quirks).toEqual([]);
		expect(() => sandbox.configure({ quirks: ['nope' as never] })).toThrow(
			/Unknown sandbox quirk "nope"; known: unpaged-accounts/,
		);
		await expect(startSandbox({ port: 0, quirks: ['nope' as never] })).rejects.toThrow(
			/Unknown sandbox quirk/,
		);
		const refused = await call(sandbox, 'POST', '/_sandbox/config', { body: { quirks: ['nope'] } });
		expect(refused.status).toBe(400);
		const set = await call<{ quirks: string[] }>(sandbox, 'POST', '/_sandbox/config', {
			body: { quirks: ['empty-204', 'readback-case'] },
		});
		expect(set.body.quirks).toEqual(['empty-204', 'readback-case']);
		expect(QUIRK_NAMES.length).toBeGreaterThanOrEqual(11);
	});

	it('unpaged-accounts: the whole chart on every page, without metadata', async () => {
		sandbox.configure({ quirks: ['unpaged-accounts'] });
		const first = await get<Record<string, unknown>[]>('/v1/account?pageNumber=1&pageSize=2');
		const second = await get<Record<string, unknown>[]>('/v1/account?pageNumber=2&pageSize=2');
		expect(first.body.length).toBeGreaterThan(2);
		expect(second.body).toEqual(first.body);
		expect(first.body[0].metadata).toBeUndefined();
	});

	it('no-metadata: paged lists carry none, and still page', async () => {
		sandbox.configure({ quirks: ['no-metadata'] });
		const page = await get<Record<string, unknown>[]>('/v1/account?pageNumber=2&pageSize=2');
		expect(page.body).toHaveLength(2);
		expect(page.body[0].metadata).toBeUndefined();
		await call(sandbox, 'POST', '/v2/journaltransaction', { token, body: journalBody() });
		const journal = await get<Record<string, unknown>[]>('/v2/journaltransaction?periodId=202603');
		expect(journal.body[0].metadata).toBeUndefined();
	});

	it.each([
		['period-ppyyyy', '032026'],
		['period-yyyy-pp', '2026-03'],
		['period-pp-yyyy', '03-2026'],
	] as const)('%s writes FinancialPeriodDto.period as %s', async (quirk, text) => {
		sandbox.configure({ quirks: [quirk] });
		const periods = await get<Array<{ period: string; startDate: string }>>('/v1/financialPeriod');
		expect(periods.body.find((p) => p.startDate === '2026-03-01T00:00:00')?.period).toBe(text);
		expect((await get<{ period: string }>('/v1/financialPeriod/202603')).body.period).toBe(text);
	});

	it('empty-204 and empty-body answer an empty list without a list', async () => {
		sandbox.configure({ quirks: ['empty-204'] });
		const none = await get('/v2/journaltransaction?periodId=202603');
		expect([none.status, none.body]).toEqual([204, '']);
		sandbox.configure({ quirks: ['empty-body'] });
		const empty = await get('/v2/journaltransaction?periodId=202603');
		expect([empty.status, empty.body]).toEqual([200, '']);
		await call(sandbox, 'POST', '/v2/journaltransaction', { token, body: journalBody() });
		expect((await get<unknown[]>('/v2/journaltransaction?periodId=202603')).body).toHaveLength(1);
	});

	it(`short-description keeps ${SHORT_DESCRIPTION_LENGTH} characters of the description, trimmed`, async () => {
		sandbox.configure({ quirks: ['short-description'] });
		const description = `${'x'.repeat(SHORT_DESCRIPTION_LENGTH - 1)} and more`;
		await call(sandbox, 'POST', '/v2/journaltransaction', {
			token,
			body: journalBody(undefined, { description: { value: description } }),
		});
		const [batch] = (
			await get<Array<{ description: string }>>('/v2/journaltransaction?periodId=202603')
		).body;
		expect(batch.description).toBe('x'.repeat(SHORT_DESCRIPTION_LENGTH - 1));
	});

	it('readback-case and readback-padding change account numbers and segment values as read back, not as stored', async () => {
		await call(sandbox, 'POST', '/v2/journaltransaction', { token, body: journalBody() });
		sandbox.configure({ quirks: ['readback-case', 'readback-padding'] });
		const [batch] = (
			await get<
				Array<{
					journalTransactionLines: Array<{
						accountNumber: string;
						subaccount: { subaccountNumber: string; segments: Array<{ segmentValue: string }> };
					}>;
				}>
			>('/v2/journaltransaction?periodId=202603')
		).body;
		expect(batch.journalTransactionLines[0].accountNumber).toBe('4000      ');
		expect(batch.journalTransactionLines[0].subaccount.segments.map((s) => s.segmentValue)).toEqual(
			['100       ', 'p001      '],
		);
		expect(sandbox.state().tenants[0].batches[0].journalTransactionLines[0].accountNumber).toBe(
			'4000',
		);
	});

	it('server-validation-errors answers a refused POST with 500 and the same Visma.net text; reads keep their 400', async () => {
		sandbox.configure({ quirks: ['server-validation-errors'] });
		const refused = await call<{ message: string }>(sandbox, 'POST', '/v2/journaltransaction', {
			token,
			body: journalBody([
				{ account: '4999', debit: 1 },
				{ account: '2100', credit: 1 },
			]),
		});
		expect(refused.status).toBe(500);
		expect(refused.body.message).toMatch(
			/^VismaId: [0-9a-f-]{36}\. Error creating document\. Error: .*4999/,
		);
		expect((await get('/v2/journaltransaction?periodId=2026')).status).toBe(400);
	});
});
