/**
 * Refusals through n8n's engine against the Visma.net sandbox: every refusal names its problem in
 * words a bookkeeper acts on, and nothing reaches Visma.net's books.
 */
import type { IDataObject } from 'n8n-workflow';

import { marchRunWithTwk, smallJournal, type JsonJournal } from '../helpers/journals';
import { batchesOf } from '../../scripts/lib/harness/payrollFlow';
import { usePayrollFlow } from '../helpers/usePayrollFlow';
import { useVismaSandbox } from '../helpers/sandboxes';
import { checkSecretsAfterEach, keptRun, journalPosts, vismaOf } from '../helpers/workflowChecks';
import type { WorkflowRunResult } from '../../scripts/lib/harness/workflowHarness';

const sandbox = useVismaSandbox();
const flow = usePayrollFlow(sandbox);
/** Every run of a test, for the secrets check after it. */
const results = checkSecretsAfterEach(sandbox, () => [flow]);

const run = keptRun(() => flow, results);

function expectNothingPosted(): void {
	expect(batchesOf(sandbox)).toEqual([]);
	expect(journalPosts(sandbox)).toEqual([]);
}

/** The Invalid output of Validate Journal: the items with their `errors`. */
function invalid(result: WorkflowRunResult): IDataObject[] {
	return result.json('Validate Journal', 1);
}

function codesOf(errors: unknown): string[] {
	return (errors as Array<{ code: string }>).map((error) => error.code);
}

function errorWith(errors: unknown, code: string): { code: string; message: string; path: string } {
	const found = (errors as Array<{ code: string; message: string; path: string }>).find(
		(error) => error.code === code,
	);
	if (!found) throw new Error(`no ${code} among ${codesOf(errors).join(', ')}`);
	return found;
}

/** The March run moved to 2025: every period of 2025 is closed in the sandbox's Bakkerij. */
function run2025(): JsonJournal {
	const journal = smallJournal({ reference: 'R2025-11' });
	journal.run = { id: '77001', number: 11, year: 2025, periodType: 'month', period: 11 };
	return journal;
}

/** The March run with one more TWK correction, over December 2025 (a closed period). */
function marchRunWithDecemberTwk(): JsonJournal {
	const journal = marchRunWithTwk();
	journal.lines.push(
		{
			account: '4000',
			description: 'Bruto lonen TWK december',
			debit: '60.00',
			costCenter: '100',
			period: { year: 2025, period: 12 },
		},
		{
			account: '2100',
			description: 'Nettolonen TWK december',
			credit: '60.00',
			period: { year: 2025, period: 12 },
		},
	);
	return journal;
}

/** Tests that read Visma.net's financial periods (checkInVismaNet, readPeriodsFromVismaNet). */
const itWithVismaPeriods = it;

describe('refusals at Validate Journal', () => {
	it('puts a test company’s journal on the Invalid output with COMPANY_TEST and posts nothing', async () => {
		const journal = marchRunWithTwk();
		journal.company.testCompany = true;
		const result = await run([journal]);
		expect(result.json('Validate Journal', 0)).toEqual([]);
		const [item] = invalid(result);
		expect(item.reference).toBe('R2026-03');
		expect(errorWith(item.errors, 'COMPANY_TEST')).toEqual({
			code: 'COMPANY_TEST',
			message: expect.stringMatching(
				/Journal R2026-03: .*Bakkerij De Vries BV.* is a test company .*never sent to Visma\.net/,
			),
			path: 'company.testCompany',
			field: 'company.testCompany',
		});
		expect(result.nodes['Post Journal Transaction']).toBeUndefined();
		expectNothingPosted();
	});

	it('puts a journal whose debtor is blocked on the Invalid output with COMPANY_DEBTOR_BLOCKED and posts nothing', async () => {
		const journal = marchRunWithTwk();
		journal.company.debtorBlocked = true;
		const result = await run([journal]);
		const [item] = invalid(result);
		const error = errorWith(item.errors, 'COMPANY_DEBTOR_BLOCKED');
		expect(error.path).toBe('company.debtorBlocked');
		expect(error.message).toMatch(/debtor .* is blocked/);
		expect(error.message).toMatch(/Unblock the debtor in Nmbrs/);
		expectNothingPosted();
	});

	it('refuses a period that does not balance, naming the period and both totals, and posts nothing', async () => {
		const journal = marchRunWithTwk();
		journal.lines[11].debit = '14.00'; // Loonheffingen TWK februari: 80 cents short
		const result = await run([journal]);
		const [item] = invalid(result);
		const error = errorWith(item.errors, 'JOURNAL_UNBALANCED');
		expect(error.message).toMatch(/period 2026-02 does not balance/);
		expect(error.message).toMatch(/39\.20/);
		expect(error.message).toMatch(/40\.00/);
		expectNothingPosted();
	});

	itWithVismaPeriods(
		'with Check in Visma.net, refuses account 4999 that Visma.net does not have, naming the line',
		async () => {
			const journal = smallJournal();
			journal.lines[1].account = '4999';
			const result = await run([journal], { validate: { checkInVismaNet: true } });
			const [item] = invalid(result);
			expect(errorWith(item.errors, 'ACCOUNT_UNKNOWN')).toMatchObject({
				message: expect.stringMatching(
					/Journal R2026-04, line 2 \(account 4999\): account 4999 does not exist in Visma\.net/,
				),
				path: 'lines[1].account',
			});
			expectNothingPosted();
		},
	);

	itWithVismaPeriods(
		'with Check in Visma.net, refuses a journal in a closed period of 2025',
		async () => {
			const result = await run([run2025()], { validate: { checkInVismaNet: true } });
			const [item] = invalid(result);
			const error = errorWith(item.errors, 'FINANCIAL_PERIOD_CLOSED');
			expect(error.message).toMatch(/financial period 2025-11 is closed in Visma\.net/);
			expect(error.message).toMatch(/Closed Period Policy/);
			expectNothingPosted();
		},
	);

	itWithVismaPeriods('lists every problem of a journal at once, not the first', async () => {
		const journal = marchRunWithTwk();
		journal.company.testCompany = true;
		journal.company.debtorBlocked = true;
		journal.lines[0].account = '4999';
		journal.lines[3].account = '4060'; // inactive
		journal.lines[4].account = '1300'; // control account (AR)
		journal.lines[11].debit = '14.00'; // February out of balance
		journal.run = { ...journal.run, year: 2025, period: 3 }; // and 2025 is closed
		for (const line of journal.lines) if (line.period) (line.period as IDataObject).year = 2025;
		const result = await run([journal], { validate: { checkInVismaNet: true } });
		const [item] = invalid(result);
		expect(new Set(codesOf(item.errors))).toEqual(
			new Set([
				'COMPANY_TEST',
				'COMPANY_DEBTOR_BLOCKED',
				'ACCOUNT_UNKNOWN',
				'ACCOUNT_INACTIVE',
				'ACCOUNT_NO_MANUAL_ENTRY',
				'JOURNAL_UNBALANCED',
				'FINANCIAL_PERIOD_CLOSED',
			]),
		);
		for (const error of item.errors as IDataObject[]) {
			expect(error).toEqual(
				expect.objectContaining({
					code: expect.any(String),
					message: expect.stringContaining('Journal R2026-03'),
					path: expect.any(String),
				}),
			);
		}
		expectNothingPosted();
	});
});

describe('refusals Visma.net itself gives', () => {
	it('without Check in Visma.net, account 4999 reaches Visma.net, whose 400 comes back as a readable error and books nothing', async () => {
		const journal = smallJournal();
		journal.lines[1].account = '4999';
		const result = await run([journal]);
		const error = result.nodes['Post Journal Transaction'].error!;
		expect(error).toBeDefined();
		expect(error.name).toBe('NodeApiError');
		expect(error.message).toMatch(
			/^Visma\.net refused posting journal R2026-04 for 2026-04 \(400\)/,
		);
		expect(error.message).toMatch(/4999/);
		expect(error.description).toMatch(/Correct the journal or the data in Visma\.net/);
		expect(error.description).toMatch(/VismaId: [0-9a-f-]{8,}/);
		expect(result.status).toBe('error');
		expect(batchesOf(sandbox)).toEqual([]);
		expect(journalPosts(sandbox).map((entry) => entry.status)).toEqual([400]);
	});
});

describe('refusals at Map Dimensions', () => {
	it('gives one error per unknown cost centre, listing its lines, and posts nothing', async () => {
		const journal = marchRunWithTwk();
		journal.lines[2].costCenter = '999'; // Sociale lasten, March
		journal.lines[3].costCenter = '999'; // Vakantiegeld, March
		journal.lines[1].costCenter = { code: '555', description: 'Onbekend' };
		const result = await run([journal]);
		const error = result.nodes['Map Dimensions'].error!;
		expect(error).toBeDefined();
		const issues = (error.context as IDataObject).issues as Array<{
			code: string;
			message: string;
			path: string;
		}>;
		expect(issues.map((issue) => issue.code)).toEqual([
			'UNMAPPED_COST_CENTER',
			'UNMAPPED_COST_CENTER',
		]);
		const nine = issues.find((issue) => issue.message.includes('"999"'))!;
		expect(nine.message).toMatch(/lines 3 and 4|lines 3, 4/);
		expect(nine.message).toMatch(/Kostenplaats/);
		const five = issues.find((issue) => issue.message.includes('"555"'))!;
		expect(five.message).toMatch(/line 2\b/);
		expect(`${error.message}\n${error.description}`).toMatch(/999[\s\S]*555|555[\s\S]*999/);
		expect(result.nodes['Post Journal Transaction']).toBeUndefined();
		expectNothingPosted();
	});
});

describe('closed periods at Split TWK by Period, with Visma.net’s periods', () => {
	const split = (closedPeriodPolicy: string) => ({
		readPeriodsFromVismaNet: true,
		closedPeriodPolicy,
	});

	itWithVismaPeriods(
		'fail: refuses the journal, naming the closed period and its lines, and posts nothing',
		async () => {
			const result = await run([marchRunWithDecemberTwk()], { split: split('fail') });
			const error = result.nodes['Split TWK by Period'].error!;
			expect(error).toBeDefined();
			expect(error.message).toMatch(
				/Journal R2026-03: financial period 2025-12 is closed in Visma\.net \(lines 14 and 15\)/,
			);
			expect(error.message).toMatch(/Closed Period Policy/);
			expect(
				((error.context as IDataObject).issues as IDataObject[]).map((issue) => issue.code),
			).toEqual(['FINANCIAL_PERIOD_CLOSED']);
			expectNothingPosted();
		},
	);

	itWithVismaPeriods(
		'firstOpenPeriod: books the December correction in January 2026, and its batch says it came from 2025-12',
		async () => {
			const result = await run([marchRunWithDecemberTwk()], { split: split('firstOpenPeriod') });
			expect(result.nodes['Post Journal Transaction'].error).toBeUndefined();
			const posted = vismaOf(result);
			expect(posted.map((visma) => [visma.financialPeriod, visma.movedFrom, visma.status])).toEqual(
				[
					['202601', '202512', 'posted'],
					['202601', undefined, 'posted'],
					['202602', undefined, 'posted'],
					['202603', undefined, 'posted'],
				],
			);
			const moved = batchesOf(sandbox).find(
				(batch) => batch.batchNumber === posted[0].batchNumber,
			)!;
			expect(moved.financialPeriod).toBe('202601');
			expect(moved.description).toMatch(/2025-12/);
			expect(moved.journalTransactionLines?.map((line) => line.referenceNumber)).toEqual([
				'R2026-03',
				'R2026-03',
			]);
			expect(batchesOf(sandbox)).toHaveLength(4);
		},
	);

	itWithVismaPeriods(
		'runPeriod: books the December correction in the run’s own period March 2026, and its batch says it came from 2025-12',
		async () => {
			const result = await run([marchRunWithDecemberTwk()], { split: split('runPeriod') });
			expect(result.nodes['Post Journal Transaction'].error).toBeUndefined();
			const posted = vismaOf(result);
			expect(posted.map((visma) => [visma.financialPeriod, visma.movedFrom])).toEqual([
				['202603', '202512'],
				['202601', undefined],
				['202602', undefined],
				['202603', undefined],
			]);
			const moved = batchesOf(sandbox).find(
				(batch) => batch.batchNumber === posted[0].batchNumber,
			)!;
			expect(moved.financialPeriod).toBe('202603');
			expect(moved.description).toMatch(/2025-12/);
			expect(moved.debitTotalInCurrency).toBe(60);
			// A rerun recognises both March batches as this run's two parts.
			const rerun = await run([marchRunWithDecemberTwk()], { split: split('runPeriod') });
			expect(vismaOf(rerun).map((visma) => visma.status)).toEqual([
				'alreadyPosted',
				'alreadyPosted',
				'alreadyPosted',
				'alreadyPosted',
			]);
			expect(batchesOf(sandbox)).toHaveLength(4);
		},
	);
});

describe('Continue On Fail', () => {
	const may = () =>
		smallJournal({
			reference: 'R2026-05',
			run: { id: '88123', number: 5, year: 2026, periodType: 'month', period: 5 },
		});
	const june = () =>
		smallJournal({
			reference: 'R2026-06',
			run: { id: '88124', number: 6, year: 2026, periodType: 'month', period: 6 },
		});

	it('posts the good journals of a batch and lets the one with an unknown cost centre through with its error, paired to its input', async () => {
		const bad = may();
		bad.lines[0].costCenter = '999';
		const result = await run([smallJournal(), bad, june()], { continueOnFail: true });

		expect(result.status).toBe('success');
		const mapped = result.nodes['Map Dimensions'].items;
		expect(mapped[1].json.error).toEqual({
			code: 'UNMAPPED_COST_CENTER',
			message: expect.stringMatching(
				/^Journal R2026-05: Cost centre "999" is not a value of the Visma\.net segment "Kostenplaats"; it is used on line 1\./,
			),
			path: 'lines[0].costCenter',
			line: 1,
			field: 'costCenter',
		});
		expect(mapped[1].json.errors).toEqual([mapped[1].json.error]);
		expect(mapped[1].json.reference).toBe('R2026-05');
		expect(mapped[1].pairedItem).toEqual({ item: 1 });

		const post = result.nodes['Post Journal Transaction'].items;
		expect(post.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(
			post.map((item) => [
				item.json.reference,
				(item.json.visma as IDataObject | undefined)?.status ?? null,
				(item.json.error as IDataObject | undefined)?.code ?? null,
			]),
		).toEqual([
			['R2026-04', 'posted', null],
			['R2026-05', 'failed', 'ITEM_HAS_ERRORS'],
			['R2026-06', 'posted', null],
		]);
		expect(post[1].json.error).toEqual({
			code: 'ITEM_HAS_ERRORS',
			message: expect.stringContaining('Journal R2026-05'),
			path: 'errors',
		});
		expect(
			batchesOf(sandbox).map((batch) => [
				batch.financialPeriod,
				batch.journalTransactionLines?.[0]?.referenceNumber,
			]),
		).toEqual([
			['202604', 'R2026-04'],
			['202606', 'R2026-06'],
		]);
	});

	it('posts the good journals of a batch and reports the one Visma.net refuses as failed, paired to its input', async () => {
		const bad = may();
		bad.lines[1].account = '4999';
		const result = await run([smallJournal(), bad, june()], { continueOnFail: true });

		expect(result.status).toBe('success');
		const post = result.nodes['Post Journal Transaction'].items;
		expect(post.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		const failed = post[1].json;
		expect(failed.reference).toBe('R2026-05');
		expect(failed.error).toEqual(
			expect.objectContaining({
				code: 'VISMA_NET_ERROR',
				message: expect.stringMatching(
					/^Visma\.net refused posting journal R2026-05 for 2026-05 \(400\).*4999/,
				),
			}),
		);
		expect(failed.errors).toEqual([failed.error]);
		expect(batchesOf(sandbox).map((batch) => batch.financialPeriod)).toEqual(['202604', '202606']);
	});

	// journal-contract §7: every Post output item carries `visma.status`, 'failed' for a failed one,
	// whether it was refused before anything was sent or by Visma.net.
	it('every Post output item carries visma.status, failed for a refused one', async () => {
		const unmapped = may();
		unmapped.lines[0].costCenter = '999';
		const unknownAccount = june();
		unknownAccount.lines[1].account = '4999';
		const result = await run([smallJournal(), unmapped, unknownAccount], { continueOnFail: true });
		expect(vismaOf(result).map((visma) => visma?.status)).toEqual(['posted', 'failed', 'failed']);
	});
});
