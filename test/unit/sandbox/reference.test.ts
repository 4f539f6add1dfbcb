import { useVismaSandbox } from '../../helpers/sandboxes';
import { call, expectSchema, journalBody, serviceToken } from './helpers';

const BAKKER = '2f0a7d54-5b1e-4c39-9a4e-1d2b3c4d5e03';

describe('sandbox: reference data', () => {
	const sandbox = useVismaSandbox(false); // not reset between tests
	let token: string;
	beforeAll(async () => {
		token = await serviceToken(sandbox);
	});

	const get = <T = unknown>(urlPath: string, t = token) =>
		call<T>(sandbox, 'GET', urlPath, { token: t });
	/** GET `urlPath`: its body, checked against the official schema `schema`. */
	const getDto = async (urlPath: string, schema: string) => {
		const response = await get(urlPath);
		expectSchema(schema, response.body);
		return response.body;
	};

	it('lists accounts as AccountDto, with the payroll chart, an inactive and a control account', async () => {
		const accounts = await get<Record<string, unknown>[]>('/v1/account');
		expect(accounts.status).toBe(200);
		expectSchema('AccountDto', accounts.body);
		const byCd = new Map(accounts.body.map((a) => [a.accountCD, a]));
		for (const cd of [
			'1700',
			'1710',
			'1830',
			'2100',
			'4000',
			'4010',
			'4050',
			'4070',
			'4100',
			'8990',
		])
			expect(byCd.get(cd)).toMatchObject({ active: true, allowManualEntry: true });
		expect(byCd.has('4999')).toBe(false);
		expect(byCd.get('1300')).toMatchObject({
			controlAccountModule: 'AR',
			allowManualEntry: false,
			type: 'Asset',
		});
		expect(byCd.get('4060')).toMatchObject({ active: false, type: 'Expense' });
		expect(accounts.body[0].metadata).toEqual({
			totalCount: accounts.body.length,
			maxPageSize: 1000,
		});
		const active = await get<Record<string, unknown>[]>('/v1/account?active=false');
		expect(active.body.map((a) => a.accountCD)).toEqual(['1720', '4060']);
		expect(await getDto('/v1/account/4000', 'AccountDto')).toMatchObject({
			accountCD: '4000',
			description: 'Bruto lonen',
			type: 'Expense',
		});
		expect((await get('/v1/account/4999')).status).toBe(404);
	});

	it('describes the SUBACCOUNT key as DtoDimension / DtoSegment / DtoSegmentValue', async () => {
		expect((await get('/v1/dimension')).body).toEqual(['SUBACCOUNT']);
		// Segment values by default: expandSegmentsValues "can be used to return data without the segment values".
		const byDefault = await get<{ segments: Record<string, unknown>[] }>(
			'/v1/dimension/SUBACCOUNT',
		);
		expectSchema('DtoDimension', byDefault.body);
		expect((byDefault.body.segments[0].segmentValues as unknown[]).length).toBe(5);
		const plain = await get<{ segments: Record<string, unknown>[] }>(
			'/v1/dimension/SUBACCOUNT?expandSegmentsValues=false',
		);
		expectSchema('DtoDimension', plain.body);
		expect(plain.body.segments[0].segmentValues).toBeUndefined();
		const expanded = await get<{
			length: number;
			segments: {
				segmentId: number;
				description: string;
				length: number;
				segmentValues: { valueId: string; active: boolean }[];
			}[];
		}>('/v1/dimension/SUBACCOUNT?expandSegmentsValues=true');
		expectSchema('DtoDimension', expanded.body);
		expect(expanded.body.length).toBe(7);
		expect(expanded.body.segments.map((s) => [s.segmentId, s.description, s.length])).toEqual([
			[1, 'Kostenplaats', 3],
			[2, 'Kostendrager', 4],
		]);
		expect(expanded.body.segments[0].segmentValues.map((v) => v.valueId)).toEqual([
			'000',
			'100',
			'200',
			'300',
			'400',
		]);
		await getDto('/v1/dimension/SUBACCOUNT/2', 'DtoSegment');
		const value = await getDto(
			`/v1/dimension/SUBACCOUNT/2/${Buffer.from('P001').toString('base64')}`,
			'DtoSegmentValue',
		);
		expect(value).toMatchObject({ valueId: 'P001', description: 'Brood', active: true });
		expect((await get('/v1/dimension/SUBACCOUNT/9')).status).toBe(404);
	});

	it('lists subaccounts as SubAccountDto, including combinations created by posting', async () => {
		await call(sandbox, 'POST', '/v2/journaltransaction', { token, body: journalBody() });
		const subaccounts = await get<{ subaccountNumber: string }[]>(
			'/v1/subaccount?pageNumber=1&pageSize=10',
		);
		expectSchema('SubAccountDto', subaccounts.body);
		expect(subaccounts.body.map((s) => s.subaccountNumber)).toEqual(['000-0000', '100-P001']);
		expect((await get('/v1/subaccount/100-P001')).status).toBe(200);
	});

	it('lists financial periods as FinancialPeriodDto with 2025 closed and late 2027 inactive', async () => {
		const periods = await get<Record<string, unknown>[]>('/v1/financialPeriod');
		expectSchema('FinancialPeriodDto', periods.body);
		expect(periods.body).toHaveLength(36);
		const byId = new Map(periods.body.map((p) => [p.period, p]));
		expect(byId.get('202512')).toMatchObject({ closedInGeneralLedger: true, active: true });
		expect(byId.get('202601')).toMatchObject({
			closedInGeneralLedger: false,
			active: true,
			startDate: '2026-01-01T00:00:00',
			endDate: '2026-01-31T00:00:00',
			year: 2026,
			description: 'January',
		});
		expect(byId.get('202707')).toMatchObject({ active: false });
		expect((await get<unknown[]>('/v1/financialPeriod?greaterThanValue=202612')).body).toHaveLength(
			12,
		);
		expect((await get<unknown[]>('/v1/financialPeriod?greaterThanValue=2025')).body).toHaveLength(
			24,
		);
		expect((await get('/v1/financialPeriod/202602')).body).toMatchObject({
			period: '202602',
			endDate: '2026-02-28T00:00:00',
		});
		expect((await get('/v1/financialPeriod/202613')).status).toBe(404);
	});

	it('serves a company with 13 four-weekly periods', async () => {
		const bakker = await serviceToken(sandbox, BAKKER);
		const periods = await get<{ period: string; startDate: string; endDate: string }[]>(
			'/v1/financialPeriod?greaterThanValue=2025',
			bakker,
		);
		const p2026 = periods.body.filter((p) => p.period.startsWith('2026'));
		expect(p2026).toHaveLength(13);
		expect(p2026[1]).toMatchObject({
			period: '202602',
			startDate: '2026-01-29T00:00:00',
			endDate: '2026-02-25T00:00:00',
		});
		expect(p2026[12]).toMatchObject({ period: '202613', endDate: '2026-12-31T00:00:00' });
	});

	it('lists ledgers, branches, currencies and reads a customer in their official shapes', async () => {
		const ledgers = await get<Record<string, unknown>[]>('/v1/ledger');
		expectSchema('LedgerDto', ledgers.body);
		expect(ledgers.body[0]).toMatchObject({
			number: 'L',
			balanceType: 'Actual',
			currencyId: 'EUR',
		});
		const branches = await get<Record<string, unknown>[]>('/v1/branch');
		expectSchema('BranchDto', branches.body);
		expect(branches.body.map((b) => [b.number, b.isActive])).toEqual([
			['1', true],
			['2', true],
			['3', false],
		]);
		await getDto('/v1/branch/2', 'BranchDto');
		expect(await getDto('/v1/customer/10001', 'CustomerDto')).toMatchObject({
			number: '10001',
			name: 'Hotel De Gouden Leeuw',
			status: 'Active',
		});
		expect((await get('/v1/customer/99999')).status).toBe(404);
		expectSchema('CurrencyDto', (await get('/v1/currency')).body);
	});

	it('answers 404 in the message envelope for an unknown route', async () => {
		const response = await get<{ message: string }>('/v1/nothing');
		expect(response.status).toBe(404);
		expect(response.body.message).toContain('No HTTP resource was found');
	});
});
