import { loadSandboxData } from '../../../sandboxes/visma-net/data';
import { startSandbox } from '../../../sandboxes/visma-net/server';
import { useVismaSandbox } from '../../helpers/sandboxes';
import { call, expectSchema, journalBody, serviceToken, vismaMessage } from './helpers';

const JANSEN = '2f0a7d54-5b1e-4c39-9a4e-1d2b3c4d5e02';

describe('sandbox: journal transactions', () => {
	// Reset before each test; the request log is kept for the schema check of the last test.
	const sandbox = useVismaSandbox({ keepRequests: true });
	let token: string;
	beforeAll(async () => {
		token = await serviceToken(sandbox);
	});

	const post = (body: unknown, t = token) =>
		call(sandbox, 'POST', '/v2/journaltransaction', { token: t, body });
	const refusal = async (body: unknown) => {
		const response = await post(body);
		expect(response.status).toBe(400);
		return vismaMessage(response.body);
	};

	it('creates a batch (201, absolute Location, ETag) and reads it back in the official DTO shape', async () => {
		const body = journalBody();
		expectSchema('JournalTransactionUpdateDto', body);
		const created = await post(body);
		expect(created.status).toBe(201);
		expect(created.body).toBe('');
		expect(created.headers.get('location')).toBe(`${sandbox.url}/v2/journaltransaction/000001`);
		expect(created.headers.get('etag')).toMatch(/^".+"$/);

		const read = await call<Record<string, unknown>>(
			sandbox,
			'GET',
			'/v2/journaltransaction/000001',
			{ token },
		);
		expect(read.status).toBe(200);
		expectSchema('JournalTransactionDto', read.body);
		expect(read.body).toMatchObject({
			module: 'ModuleGL',
			batchNumber: '000001',
			status: 'Balanced',
			hold: false,
			postPeriod: '032026',
			financialPeriod: '202603',
			transactionDate: '2026-03-31T00:00:00',
			debitTotal: 5100.55,
			creditTotal: 5100.55,
			description: 'Loonjournaalpost maart 2026 (R2026-03)',
			ledger: 'L',
			currencyId: 'EUR',
		});
		const lines = read.body.journalTransactionLines as Record<string, unknown>[];
		expect(lines).toHaveLength(4);
		expect(lines[0]).toMatchObject({
			lineNumber: 1,
			accountNumber: '4000',
			debitAmount: 4250,
			creditAmount: 0,
			referenceNumber: 'R2026-03',
			subaccount: {
				subaccountNumber: '100-P001',
				segments: [
					{
						segmentId: 1,
						segmentDescription: 'Kostenplaats',
						segmentValue: '100',
						segmentValueDescription: 'Productie',
					},
					{
						segmentId: 2,
						segmentDescription: 'Kostendrager',
						segmentValue: 'P001',
						segmentValueDescription: 'Brood',
					},
				],
			},
		});
		expect(read.headers.get('etag')).toBe(created.headers.get('etag'));
	});

	it('numbers batches per company from its own sequence, and keeps companies apart', async () => {
		expect((await post(journalBody())).headers.get('location')).toMatch(/\/000001$/);
		expect((await post(journalBody())).headers.get('location')).toMatch(/\/000002$/);
		const jansen = await serviceToken(sandbox, JANSEN);
		const jansenBody = {
			transactionDate: { value: '2026-04-30' },
			financialPeriod: { value: '202604' },
			journalTransactionLines: [
				{
					accountNumber: { value: '4000' },
					subaccount: [
						{ segmentId: 1, segmentValue: '10' },
						{ segmentId: 2, segmentValue: '110' },
					],
					debitAmountInCurrency: { value: 100 },
				},
				{
					accountNumber: { value: '2100' },
					subaccount: [
						{ segmentId: 1, segmentValue: '00' },
						{ segmentId: 2, segmentValue: '000' },
					],
					creditAmountInCurrency: { value: 100 },
				},
			],
		};
		const created = await post(jansenBody, jansen);
		expect(created.status).toBe(201);
		expect(created.headers.get('location')).toMatch(/\/000500$/);
		expect((await call(sandbox, 'GET', '/v2/journaltransaction/000500', { token })).status).toBe(
			404,
		);
		// Bakkerij's segment values mean nothing in Jansen's administration.
		const wrong = await post(journalBody(), jansen);
		expect(wrong.status).toBe(400);
		expect(vismaMessage(wrong.body)).toContain('Afdeling of Subaccount do not exist');
	});

	it('also serves the legacy /API/controller/api prefix', async () => {
		const created = await call(sandbox, 'POST', '/API/controller/api/v2/journaltransaction', {
			token,
			body: journalBody(),
		});
		expect(created.status).toBe(201);
		expect(created.headers.get('location')).toBe(`${sandbox.url}/v2/journaltransaction/000001`);
		expect(
			(await call(sandbox, 'GET', '/API/controller/api/v2/journaltransaction/000001', { token }))
				.status,
		).toBe(200);
	});

	it('lists by period with pages that count lines, splitting a batch across pages', async () => {
		await post(journalBody()); // 4 lines
		await post(
			journalBody([
				{ account: '4070', debit: 10 },
				{ account: '2100', credit: 10 },
			]),
		); // 2 lines
		await post(
			journalBody(
				[
					{ account: '4000', debit: 1 },
					{ account: '2100', credit: 1 },
				],
				{
					transactionDate: { value: '2026-04-30' },
					postPeriod: { value: '042026' },
					financialPeriod: { value: '202604' },
				},
			),
		);
		sandbox.configure({ maxPageSize: 3 });
		try {
			const page = (n: number, size?: number) =>
				call<Record<string, unknown>[]>(
					sandbox,
					'GET',
					`/v2/journaltransaction?periodId=202603&pageNumber=${n}${size ? `&pageSize=${size}` : ''}`,
					{ token },
				);
			const one = await page(1, 50); // capped to 3
			expectSchema('JournalTransactionDto', one.body);
			expect(
				one.body.map((b) => [b.batchNumber, (b.journalTransactionLines as unknown[]).length]),
			).toEqual([['000001', 3]]);
			expect(one.body[0].metadata).toEqual({ totalCount: 6, maxPageSize: 3 });
			expect(one.body[0].debitTotal).toBe(5100.55); // header totals are the whole batch's
			const two = await page(2);
			expect(
				two.body.map((b) => [
					b.batchNumber,
					(b.journalTransactionLines as { lineNumber: number }[]).map((l) => l.lineNumber),
				]),
			).toEqual([
				['000001', [4]],
				['000002', [1, 2]],
			]);
			expect((await page(3)).body).toEqual([]);
		} finally {
			sandbox.configure({ maxPageSize: 1000 });
		}
		const april = await call<unknown[]>(sandbox, 'GET', '/v2/journaltransaction?periodId=202604', {
			token,
		});
		expect(april.body).toHaveLength(1);
		const byStatus = await call<unknown[]>(
			sandbox,
			'GET',
			'/v2/journaltransaction?periodId=202603&status=Hold',
			{ token },
		);
		expect(byStatus.body).toEqual([]);
		const modified = await call<unknown[]>(
			sandbox,
			'GET',
			'/v2/journaltransaction?lastModifiedDateTime=2000-01-01',
			{ token },
		);
		expect(modified.body).toHaveLength(3);
	});

	it('requires periodId or lastModifiedDateTime on the list', async () => {
		const response = await call(sandbox, 'GET', '/v2/journaltransaction', { token });
		expect(response.status).toBe(400);
		expect(vismaMessage(response.body)).toContain("'periodId' (YYYYPP) or 'lastModifiedDateTime'");
		expect(
			(await call(sandbox, 'GET', '/v2/journaltransaction?periodId=2026-03', { token })).status,
		).toBe(400);
	});

	it('refuses an unbalanced batch unless it is on hold', async () => {
		const unbalanced = journalBody([
			{ account: '4000', debit: 100 },
			{ account: '2100', credit: 99.99 },
		]);
		expect(await refusal(unbalanced)).toContain(
			'Batch is out of balance, please review. Total debit 100.00 does not equal total credit 99.99',
		);
		const held = await post({ ...unbalanced, hold: { value: true } });
		expect(held.status).toBe(201);
		const read = await call<Record<string, unknown>>(
			sandbox,
			'GET',
			'/v2/journaltransaction/000001',
			{ token },
		);
		expect(read.body).toMatchObject({
			status: 'Hold',
			hold: true,
			debitTotal: 100,
			creditTotal: 99.99,
		});
	});

	it('refuses closed, inactive, unknown and inconsistent periods', async () => {
		const period = (date: string, post?: string, fin?: string) =>
			journalBody(undefined, {
				transactionDate: { value: date },
				postPeriod: post ? { value: post } : undefined,
				financialPeriod: fin ? { value: fin } : undefined,
			});
		expect(await refusal(period('2025-12-31', '122025', '202512'))).toContain(
			'Financial period 12-2025 is closed in General ledger.',
		);
		expect(await refusal(period('2027-08-31', '082027', '202708'))).toContain(
			'Financial period 08-2027 is inactive.',
		);
		expect(await refusal(period('2028-01-31', '012028', '202801'))).toContain(
			'Financial period 01-2028 does not exist.',
		);
		expect(await refusal(period('2026-03-31', '032026', '202602'))).toContain(
			'does not match financial period 202602',
		);
		expect(await refusal(period('2026-04-01', '032026', '202603'))).toContain(
			'Transaction date 2026-04-01 is outside post period 03-2026',
		);
		expect(await refusal(period('2026-03-31', '202603'))).toContain(
			"Post period '202603' is not valid; use the format MMYYYY.",
		);
		// Without postPeriod/financialPeriod the period follows the transaction date.
		const derived = await post({
			...period('2026-05-15'),
			postPeriod: undefined,
			financialPeriod: undefined,
		});
		expect(derived.status).toBe(201);
		const read = await call<Record<string, unknown>>(
			sandbox,
			'GET',
			'/v2/journaltransaction/000001',
			{ token },
		);
		expect(read.body.financialPeriod).toBe('202605');
	});

	it('refuses unknown, inactive and control accounts and the year-to-date result account', async () => {
		const withAccount = (account: string) =>
			journalBody([
				{ account, debit: 10 },
				{ account: '2100', credit: 10 },
			]);
		expect(await refusal(withAccount('4999'))).toContain(
			"Line 1: An error occurred during processing of the field Account : Error: Account '4999' cannot be found in the system.",
		);
		expect(await refusal(withAccount('4060'))).toContain("Account '4060' is inactive.");
		expect(await refusal(withAccount('1300'))).toContain(
			"Account '1300' is a control account of the AR module; manual entries are not allowed.",
		);
		expect(await refusal(withAccount('0590'))).toContain(
			"Account '0590' is the year-to-date net income account",
		);
	});

	it('refuses missing, unknown, inactive and bad segment values of the SUBACCOUNT key', async () => {
		const withSegments = (segments: unknown) => {
			const body = journalBody([
				{ account: '4000', debit: 10 },
				{ account: '2100', credit: 10 },
			]);
			(body.journalTransactionLines as Record<string, unknown>[])[0].subaccount = segments;
			return body;
		};
		expect(
			await refusal(
				withSegments([
					{ segmentId: 1, segmentValue: '999' },
					{ segmentId: 2, segmentValue: 'P001' },
				]),
			),
		).toContain(
			'An error occurred during processing of the field Subaccount : Error: Kostenplaats of Subaccount do not exist.',
		);
		expect(await refusal(withSegments([{ segmentId: 1, segmentValue: '100' }]))).toContain(
			'Kostendrager of Subaccount cannot be empty.',
		);
		expect(
			await refusal(
				withSegments([
					{ segmentId: 1, segmentValue: '400' },
					{ segmentId: 2, segmentValue: 'P001' },
				]),
			),
		).toContain('Kostenplaats 400 of Subaccount is inactive.');
		expect(
			await refusal(
				withSegments([
					{ segmentId: 1, segmentValue: '100' },
					{ segmentId: 2, segmentValue: 'P001' },
					{ segmentId: 3, segmentValue: 'X' },
				]),
			),
		).toContain('Segment 3 is not defined for Subaccount.');
		expect(await refusal(withSegments([]))).toContain("'Subaccount' cannot be empty.");
	});

	it('refuses bad amounts, a single line and unknown ledgers and branches', async () => {
		expect(
			await refusal(
				journalBody([
					{ account: '4000', debit: 10.005 },
					{ account: '2100', credit: 10.005 },
				]),
			),
		).toContain('Line 1: debit amount 10.005 has more than two decimals.');
		expect(
			await refusal(
				journalBody([
					{ account: '4000', debit: -10 },
					{ account: '2100', credit: -10 },
				]),
			),
		).toContain('cannot be negative');
		expect(
			await refusal(
				journalBody([
					{ account: '4000', debit: 10, credit: 10 },
					{ account: '2100', credit: 0 },
				]),
			),
		).toContain('both a debit amount and a credit amount');
		expect(await refusal(journalBody([{ account: '4000', debit: 0 }]))).toContain(
			'at least two lines',
		);
		expect(await refusal(journalBody(undefined, { ledger: { value: 'NOPE' } }))).toContain(
			"Ledger 'NOPE' cannot be found in the system.",
		);
		expect(await refusal(journalBody(undefined, { branch: { value: '3' } }))).toContain(
			"Branch '3' is inactive.",
		);
		expect(await refusal(journalBody(undefined, { currencyId: { value: 'GBP' } }))).toContain(
			"Currency 'GBP' cannot be found",
		);
	});

	it('reads the body strictly: wrappers, the operation enum, the subaccount array, numbers, no unknown properties', async () => {
		const base = journalBody();
		const lines = base.journalTransactionLines as Record<string, unknown>[];
		const withLine0 = (change: Record<string, unknown>) => ({
			...base,
			journalTransactionLines: [{ ...lines[0], ...change }, ...lines.slice(1)],
		});
		expect(await refusal({ ...base, postPeriod: '032026' })).toContain(
			'postPeriod: expected an object {"value": ...}',
		);
		expect(await refusal({ ...base, hold: true })).toContain('hold: expected an object');
		expect(await refusal({ ...base, bogus: { value: 1 } })).toContain('bogus: unknown property');
		expect(await refusal(withLine0({ operation: { value: 'Insert' } }))).toContain(
			'operation: expected one of Insert, Update, Delete (not wrapped)',
		);
		expect(await refusal(withLine0({ debitAmountInCurrency: { value: '4250.00' } }))).toContain(
			'journalTransactionLines[0].debitAmountInCurrency.value: expected a number',
		);
		expect(await refusal(withLine0({ subaccount: { value: '100-P001' } }))).toContain(
			'subaccount: expected an array',
		);
		expect(await refusal(withLine0({ description: { value: 'x' } }))).toContain(
			'journalTransactionLines[0].description: unknown property',
		);
		const invalidJson = await fetch(`${sandbox.url}/v2/journaltransaction`, {
			method: 'POST',
			headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
			body: '{"hold":',
		});
		expect(invalidJson.status).toBe(400);
		expect(vismaMessage(await invalidJson.json())).toContain('not valid JSON');
	});

	it('updates a batch with Insert, Update and Delete line operations (204) and honours If-Match', async () => {
		await post(journalBody(undefined, { hold: { value: true } }));
		const before = await call(sandbox, 'GET', '/v2/journaltransaction/000001', { token });
		const change = {
			hold: { value: false },
			journalTransactionLines: [
				{ operation: 'Update', lineNumber: { value: 1 }, debitAmountInCurrency: { value: 4200 } },
				{ operation: 'Delete', lineNumber: { value: 2 } },
				{
					operation: 'Insert',
					accountNumber: { value: '4070' },
					subaccount: [
						{ segmentId: 1, segmentValue: '200' },
						{ segmentId: 2, segmentValue: 'P002' },
					],
					debitAmountInCurrency: { value: 900.55 },
				},
			],
		};
		expectSchema('JournalTransactionUpdateDto', change);
		const stale = await call(sandbox, 'PUT', '/v2/journaltransaction/000001', {
			token,
			body: change,
			headers: { 'If-Match': '"stale"' },
		});
		expect(stale.status).toBe(412);
		const updated = await call(sandbox, 'PUT', '/v2/journaltransaction/000001', {
			token,
			body: change,
			headers: { 'If-Match': before.headers.get('etag') as string },
		});
		expect(updated.status).toBe(204);
		expect(updated.headers.get('etag')).not.toBe(before.headers.get('etag'));
		const read = await call<Record<string, unknown>>(
			sandbox,
			'GET',
			'/v2/journaltransaction/000001',
			{ token },
		);
		expectSchema('JournalTransactionDto', read.body);
		expect(read.body).toMatchObject({ status: 'Balanced', hold: false, debitTotal: 5100.55 });
		expect(
			(read.body.journalTransactionLines as { lineNumber: number; accountNumber: string }[]).map(
				(l) => [l.lineNumber, l.accountNumber],
			),
		).toEqual([
			[1, '4000'],
			[3, '1700'],
			[4, '2100'],
			[5, '4070'],
		]);
		const missing = await call(sandbox, 'PUT', '/v2/journaltransaction/000001', {
			token,
			body: { journalTransactionLines: [{ operation: 'Delete', lineNumber: { value: 9 } }] },
		});
		expect(vismaMessage(missing.body)).toContain(
			'Error updating document. Error: Line 9 cannot be found in batch 000001.',
		);
		expect(
			(await call(sandbox, 'PUT', '/v2/journaltransaction/999999', { token, body: change })).status,
		).toBe(404);
	});

	it('releases a balanced batch to Posted, or Unposted where the company does not post on release; a held batch fails', async () => {
		await post(journalBody());
		await post(journalBody(undefined, { hold: { value: true } }));
		const release = (n: string, t = token) =>
			call<Record<string, unknown>>(sandbox, 'POST', `/v2/journaltransaction/${n}/action/release`, {
				token: t,
				body: {},
			});
		const done = await release('000001');
		expect(done.status).toBe(200);
		// Visma answers errorInfo: null, which the official schema (type string, no nullable) does not allow for.
		expectSchema('ReleaseJournalTransactionActionResultDto', {
			...done.body,
			errorInfo: undefined,
		});
		expect(done.body).toMatchObject({ actionResult: 'Done', errorInfo: null });
		expect(
			(
				await call<Record<string, unknown>>(sandbox, 'GET', '/v2/journaltransaction/000001', {
					token,
				})
			).body.status,
		).toBe('Posted');
		const again = await release('000001');
		expect(again.body).toMatchObject({
			actionResult: 'Failed',
			errorInfo: expect.stringContaining('already been released'),
		});
		const held = await release('000002');
		expect(held.status).toBe(200);
		expect(held.body).toMatchObject({
			actionResult: 'Failed',
			errorInfo: expect.stringContaining('is on hold'),
		});
		const changePosted = await call(sandbox, 'PUT', '/v2/journaltransaction/000001', {
			token,
			body: { description: { value: 'x' } },
		});
		expect(vismaMessage(changePosted.body)).toContain('has status Posted and cannot be changed');
		expect((await release('424242')).status).toBe(404);

		const jansen = await serviceToken(sandbox, JANSEN);
		const jansenBody = {
			transactionDate: { value: '2026-04-30' },
			journalTransactionLines: [
				{
					accountNumber: { value: '4000' },
					subaccount: [
						{ segmentId: 1, segmentValue: '10' },
						{ segmentId: 2, segmentValue: '110' },
					],
					debitAmountInCurrency: { value: 5 },
				},
				{
					accountNumber: { value: '2100' },
					subaccount: [
						{ segmentId: 1, segmentValue: '00' },
						{ segmentId: 2, segmentValue: '000' },
					],
					creditAmountInCurrency: { value: 5 },
				},
			],
		};
		await post(jansenBody, jansen);
		expect((await release('000500', jansen)).body).toMatchObject({ actionResult: 'Done' });
		expect(
			(
				await call<Record<string, unknown>>(sandbox, 'GET', '/v2/journaltransaction/000500', {
					token: jansen,
				})
			).body.status,
		).toBe('Unposted');
	});

	it('creates a second batch for a repeated POST: Visma.net has no idempotency', async () => {
		await post(journalBody());
		await post(journalBody());
		expect(
			(await call<unknown[]>(sandbox, 'GET', '/v2/journaltransaction?periodId=202603', { token }))
				.body,
		).toHaveLength(2);
	});

	describe('a batch number set by the caller (overrideNumberSeries)', () => {
		const manual = (batchNumber: string) =>
			journalBody(undefined, {
				overrideNumberSeries: { value: true },
				batchNumber: { value: batchNumber },
			});

		it('is taken when the series allows manual numbering on imports, at most 15 characters, once', async () => {
			expect((await post(manual('P123456789ABCDE'))).headers.get('location')).toBe(
				`${sandbox.url}/v2/journaltransaction/P123456789ABCDE`,
			);
			expect(await refusal(manual('P123456789ABCDE'))).toMatch(/already exists/);
			expect(await refusal(manual('P123456789ABCDEF'))).toMatch(/not valid/);
		});

		it('is skipped by the series: the next series number is the first one not taken by hand', async () => {
			expect((await post(manual('000002'))).status).toBe(201);
			expect((await post(journalBody())).headers.get('location')).toMatch(/\/000001$/);
			expect((await post(journalBody())).headers.get('location')).toMatch(/\/000003$/);
		});

		it('is refused (400, Visma envelope) when the series does not allow manual numbering', async () => {
			const data = loadSandboxData();
			data.companies[0].batchNumbering.allowManualNumbering = false;
			const strict = await startSandbox({ port: 0, data });
			try {
				const refused = await call(strict, 'POST', '/v2/journaltransaction', {
					token: await serviceToken(strict),
					body: manual('P1'),
				});
				expect(refused.status).toBe(400);
				expect(vismaMessage(refused.body)).toMatch(/manual numbering/);
				expect(strict.state().tenants[0].batches).toEqual([]);
			} finally {
				await strict.close();
			}
		});
	});

	it('accepted only request bodies that pass the official JournalTransactionUpdateDto schema (all tests above)', () => {
		const accepted = sandbox
			.requests()
			.filter(
				(r) =>
					(r.status === 201 || r.status === 204) &&
					r.body !== undefined &&
					/journaltransaction/i.test(r.path) &&
					!/release/.test(r.path),
			);
		expect(accepted.length).toBeGreaterThan(10);
		for (const request of accepted) expectSchema('JournalTransactionUpdateDto', request.body);
	});
});
