/**
 * Answers Visma.net's spec leaves open (issue 12): lists that ignore paging or carry no metadata,
 * empty lists as 204 or an empty body, a 5xx refusal carrying Visma.net's own text.
 */
import nock from 'nock';

import {
	createJournalTransaction,
	getSubaccountDimension,
	isOutcomeUnknown,
	isRefusedWithVismaText,
	listAccounts,
	listFinancialPeriods,
	listJournalTransactions,
} from '../../../nodes/transport';
import {
	createRequestContext,
	failureOf,
	FAST_RETRY_POLICY,
	postJournalAnswered,
	readLedgers,
	TEST_API as API,
	TEST_VISMA_ID as VISMA_ID,
	useNockOnly,
} from '../../helpers/requestContext';

const FAST = FAST_RETRY_POLICY;

useNockOnly();

const account = (accountCD: string, metadata?: object) => ({
	accountCD,
	active: true,
	type: 'Expense',
	...(metadata ? { metadata } : {}),
});
const chart = Array.from({ length: 17 }, (_, index) => account(String(4000 + index)));
const line = (batch: string, lineNumber: number) => ({
	lineNumber,
	accountNumber: '4000',
	referenceNumber: batch,
});

describe('paging: every list the package pages ends on a plausible answer', () => {
	it('/v1/account that ignores pageNumber and has no metadata: read at most twice, not 1,000 times', async () => {
		const { context, requests } = createRequestContext();
		nock(API).get('/v1/account').query(true).times(1000).optionally().reply(200, chart);
		const accounts = await listAccounts.call(context);
		nock.cleanAll();
		expect(accounts.map((a) => a.accountCD)).toEqual(chart.map((a) => a.accountCD));
		expect(requests.length).toBeLessThanOrEqual(2);
	});

	it('/v1/account that ignores paging and returns more than a page: the repeated page ends it, nothing doubled', async () => {
		const { context, requests } = createRequestContext();
		const big = Array.from({ length: 1500 }, (_, index) => account(String(100000 + index)));
		nock(API).get('/v1/account').query(true).times(1000).optionally().reply(200, big);
		const accounts = await listAccounts.call(context);
		nock.cleanAll();
		expect(accounts).toHaveLength(1500);
		expect(requests).toHaveLength(2);
	});

	it('stops on a short page when the page size is known (metadata.maxPageSize), without asking for an empty page', async () => {
		const { context, requests } = createRequestContext();
		nock(API)
			.get('/v1/account')
			.query({ pageNumber: '1', pageSize: '1000' })
			.reply(
				200,
				chart.map((a) => ({ ...a, metadata: { maxPageSize: 1000 } })),
			);
		const accounts = await listAccounts.call(context);
		expect(accounts).toHaveLength(17);
		expect(requests).toHaveLength(1);
	});

	it('stops on a page shorter than the full pages before it (no metadata), the server paging at its own size', async () => {
		const { context, requests } = createRequestContext();
		// The server pages at 2 batches of one line each, whatever was asked, and says nothing of it.
		nock(API)
			.get('/v2/journaltransaction')
			.query((q) => q.pageNumber === '1')
			.reply(200, [
				{ batchNumber: 'A', journalTransactionLines: [line('A', 1)] },
				{ batchNumber: 'B', journalTransactionLines: [line('B', 1)] },
			]);
		nock(API)
			.get('/v2/journaltransaction')
			.query((q) => q.pageNumber === '2')
			.reply(200, [
				{ batchNumber: 'C', journalTransactionLines: [line('C', 1)] },
				{ batchNumber: 'D', journalTransactionLines: [line('D', 1)] },
			]);
		nock(API)
			.get('/v2/journaltransaction')
			.query((q) => q.pageNumber === '3')
			.reply(200, [{ batchNumber: 'E', journalTransactionLines: [line('E', 1)] }]);
		const batches = await listJournalTransactions.call(context, '202603', {
			pageSize: 2,
			policy: FAST,
		});
		expect(batches.map((b) => b.batchNumber)).toEqual(['A', 'B', 'C', 'D', 'E']);
		expect(requests).toHaveLength(3);
	});

	it('a first page shorter than asked, without metadata, is confirmed by one more page (a server capping the size silently is not cut short)', async () => {
		const { context, requests } = createRequestContext();
		nock(API)
			.get('/v2/journaltransaction')
			.query((q) => q.pageNumber === '1')
			.reply(200, [{ batchNumber: 'A', journalTransactionLines: [line('A', 1), line('A', 2)] }]);
		nock(API)
			.get('/v2/journaltransaction')
			.query((q) => q.pageNumber === '2')
			.reply(200, [{ batchNumber: 'B', journalTransactionLines: [line('B', 1)] }]);
		const batches = await listJournalTransactions.call(context, '202603', {
			pageSize: 5,
			policy: FAST,
		});
		expect(batches.map((b) => b.batchNumber)).toEqual(['A', 'B']);
		expect(requests).toHaveLength(2);
	});

	it('the journal list repeating its page (pageNumber ignored) ends there, each batch once', async () => {
		const { context, requests } = createRequestContext();
		const page = [{ batchNumber: 'A', journalTransactionLines: [line('A', 1), line('A', 2)] }];
		nock(API).get('/v2/journaltransaction').query(true).times(1000).optionally().reply(200, page);
		const batches = await listJournalTransactions.call(context, '202603', {
			pageSize: 5,
			policy: FAST,
		});
		nock.cleanAll();
		expect(batches.map((b) => [b.batchNumber, b.journalTransactionLines?.length])).toEqual([
			['A', 2],
		]);
		expect(requests).toHaveLength(2);
	});

	it('a full page repeated is refused, never returned in part: the list cannot be read whole', async () => {
		const { context, requests } = createRequestContext();
		const page = [{ batchNumber: 'A', journalTransactionLines: [line('A', 1), line('A', 2)] }];
		nock(API).get('/v2/journaltransaction').query(true).times(1000).optionally().reply(200, page);
		const error = await failureOf(
			listJournalTransactions.call(context, '202603', { pageSize: 2, policy: FAST }),
		);
		nock.cleanAll();
		expect(error.message).toMatch(/gave the same page twice/);
		expect(error.description).toMatch(/never used/);
		expect(requests).toHaveLength(2);
	});
});

describe('SUBACCOUNT', () => {
	it('keeps asking for the segment values explicitly (expandSegmentsValues=true), whatever the default', async () => {
		const { context } = createRequestContext();
		nock(API)
			.get('/v1/dimension/SUBACCOUNT')
			.query({ expandSegmentsValues: 'true' })
			.reply(200, { id: 'SUBACCOUNT', segments: [] });
		await expect(getSubaccountDimension.call(context)).resolves.toEqual({
			id: 'SUBACCOUNT',
			segments: [],
		});
	});
});

describe('an empty list as 204 or an empty body', () => {
	it.each([
		['204 No Content', 204, undefined],
		['200 with an empty body', 200, ''],
	])('%s is an empty list for the paged lists', async (_name, status, body) => {
		const { context } = createRequestContext();
		nock(API).get('/v1/account').query(true).reply(status, body);
		await expect(listAccounts.call(context)).resolves.toEqual([]);
		nock(API).get('/v2/journaltransaction').query(true).reply(status, body);
		await expect(
			listJournalTransactions.call(context, '202603', { policy: FAST }),
		).resolves.toEqual([]);
	});

	it('204 is an empty list for the financial periods', async () => {
		const { context } = createRequestContext();
		nock(API).get('/v1/financialPeriod').reply(204);
		await expect(listFinancialPeriods.call(context)).resolves.toEqual([]);
	});
});

describe('a 5xx refusal carrying Visma.net’s own text', () => {
	const text =
		"Error creating document. Error: Line 2: An error occurred during processing of the field Account : Error: Account '4999' cannot be found in the system.";

	it('says Visma.net’s text, gives the VismaId, does not advise a plain rerun, and is still an unknown outcome for a POST', async () => {
		const { error, requests } = await postJournalAnswered(500, `VismaId: ${VISMA_ID}. ${text}`);
		expect(requests).toHaveLength(1);
		expect(isOutcomeUnknown(error)).toBe(true);
		expect(isRefusedWithVismaText(error)).toBe(true);
		expect(error.message).toBe(
			`Visma.net refused posting journal R2026-03 for 2026-03 (500): ${text} (VismaId ${VISMA_ID})`,
		);
		expect(error.description).toMatch(
			/^Visma\.net's own text says what was wrong: correct the journal or the data in Visma\.net as it says/,
		);
		expect(error.description).not.toMatch(/^It is not known|Run the workflow again:/);
		expect(error.description).toContain('never booked twice');
		expect(error.description).toContain(`VismaId: ${VISMA_ID} (quote it to Visma support).`);
	});

	it('a 5xx without Visma.net’s text (a gateway or a bare server error) keeps the rerun advice', async () => {
		const { context } = createRequestContext();
		nock(API)
			.post('/v2/journaltransaction')
			.reply(502, { statusCode: 502, message: 'Bad Gateway' });
		const error = await failureOf(
			createJournalTransaction.call(context, {}, { operation: 'posting journal R1', policy: FAST }),
		);
		expect(error.message).toBe(
			'Visma.net had an internal error (502) while posting journal R1: Bad Gateway',
		);
		expect(error.description).toMatch(
			/^It is not known whether Visma\.net carried it out\. Run the workflow again/,
		);
		expect(isRefusedWithVismaText(error)).toBe(false);
		nock(API).post('/v2/journaltransaction').reply(500, {
			ExceptionType: 'IPPException',
			ExceptionMessage: 'An error has occurred.',
			ExceptionFaultCode: '10000',
			ExceptionMessageID: '10000_x',
		});
		const bare = await failureOf(
			createJournalTransaction.call(context, {}, { operation: 'posting journal R1', policy: FAST }),
		);
		expect(bare.description).toMatch(/^It is not known whether Visma\.net carried it out/);
	});

	it('the VismaId of a 4xx refusal is in its message too, for Visma support', async () => {
		const { context } = createRequestContext();
		nock(API)
			.get('/v1/ledger')
			.reply(404, { message: `VismaId: ${VISMA_ID}. Error reading document. Error: not here` });
		const error = await failureOf(readLedgers(context));
		expect(error.message).toBe(
			`Visma.net refused reading the ledgers (404): Error reading document. Error: not here (VismaId ${VISMA_ID})`,
		);
	});
});
