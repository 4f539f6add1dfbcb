/**
 * The month-end chain under every sandbox quirk (issue 12): answers Visma.net's spec leaves open
 * (unpaged lists without metadata, other period formats, empty lists as 204 or an empty body, a
 * shorter description column, codes read back in another case or padded, validation refusals
 * as 500). Under each, with the same bookings: the first run books the same batches as under
 * Visma's documented answers, its rerun posts nothing, and a recalculated run posts the same
 * difference journals. Every node reads Visma.net here (accounts, periods, segments, batches).
 */
import type { IDataObject } from 'n8n-workflow';

import { vismaCodeKey } from '../../nodes/core/buildJournalTransaction';
import { marchRunWithTwk, smallJournal, type JsonJournal } from '../helpers/journals';
import {
	batchesOf,
	createPayrollFlow,
	type FlowParameters,
	type PayrollFlow,
} from '../../scripts/lib/harness/payrollFlow';
import { useVismaSandbox } from '../helpers/sandboxes';
import { checkSecretsAfterEach, journalPosts, vismaOf } from '../helpers/workflowChecks';
import type { WorkflowRunResult } from '../../scripts/lib/harness/workflowHarness';
import { QUIRK_NAMES, type SandboxQuirk } from '../../sandboxes/visma-net/quirks';

const POST = 'Post Journal Transaction';

const sandbox = useVismaSandbox();
let flow: PayrollFlow;
/** Every run of a test, for the secrets check after it. */
const results = checkSecretsAfterEach(sandbox, () => [flow]);

/** Every node reads Visma.net: Validate the accounts and periods, Split the periods, Map the segments and accounts. */
const READ_EVERYTHING: FlowParameters = {
	validate: { checkInVismaNet: true },
	split: { readPeriodsFromVismaNet: true },
	map: { useCostUnits: true, options: { onlyProfitAndLoss: true } },
};

/** The March run recalculated: January and March gross wages up by 10.00 and 50.00, still balanced. */
function recalculatedMarchRun(): JsonJournal {
	const journal = marchRunWithTwk();
	journal.lines[0].debit = '4300.00';
	journal.lines[6].credit = '5275.15';
	journal.lines[7].debit = '160.00';
	journal.lines[9].credit = '104.50';
	return journal;
}

async function run(
	journals: readonly object[],
	parameters: FlowParameters = {},
): Promise<WorkflowRunResult> {
	const result = await flow.run(journals, {
		...READ_EVERYTHING,
		...parameters,
		post: { ...parameters.post },
	});
	results.push(result);
	return result;
}

/** What the sandbox booked, as a bookkeeper compares it: period, status, totals, lines (codes compared as Visma.net does). */
function bookings(): unknown[] {
	return batchesOf(sandbox).map((batch) => ({
		batchNumber: batch.batchNumber,
		financialPeriod: batch.financialPeriod,
		status: batch.status,
		debit: batch.debitTotalInCurrency,
		credit: batch.creditTotalInCurrency,
		tagged: /^\[vnp:[0-9a-f]{16}:[0-9a-f]{16}:\d+\] /.test(batch.description),
		lines: (batch.journalTransactionLines ?? []).map((line) => [
			vismaCodeKey(line.accountNumber),
			line.subaccount?.segments?.map((segment) => vismaCodeKey(segment.segmentValue)),
			line.debitAmountInCurrency,
			line.creditAmountInCurrency,
			line.referenceNumber,
		]),
	}));
}

interface ChainOutcome {
	first: unknown[][];
	rerun: unknown[][];
	changed: unknown[][];
	booked: unknown[];
}

/** The chain, its rerun and a recalculated run with Post Difference Journal, on a fresh company. */
async function monthEnd(): Promise<ChainOutcome> {
	const first = await run([marchRunWithTwk()]);
	expect(first.nodes[POST]?.error).toBeUndefined();
	const afterFirst = batchesOf(sandbox).length;
	const postsBeforeRerun = journalPosts(sandbox).length;
	const rerun = await run([marchRunWithTwk()]);
	expect(rerun.nodes[POST]?.error).toBeUndefined();
	expect(journalPosts(sandbox)).toHaveLength(postsBeforeRerun);
	expect(batchesOf(sandbox)).toHaveLength(afterFirst);
	const changed = await run([recalculatedMarchRun()], {
		post: { onChangedJournal: 'differenceJournal' },
	});
	expect(changed.nodes[POST]?.error).toBeUndefined();
	const summary = (result: WorkflowRunResult) =>
		vismaOf(result).map((visma) => [
			visma.financialPeriod,
			visma.status,
			visma.batchNumber,
			visma.difference ?? false,
		]);
	return {
		first: summary(first),
		rerun: summary(rerun),
		changed: summary(changed),
		booked: bookings(),
	};
}

beforeEach(() => {
	sandbox.configure({ quirks: [] });
	flow = createPayrollFlow(sandbox);
});

describe('the month-end chain under every quirk books the same', () => {
	let documented: ChainOutcome;

	beforeAll(async () => {
		sandbox.configure({ quirks: [] });
		sandbox.reset();
		flow = createPayrollFlow(sandbox);
		results.length = 0;
		documented = await monthEnd();
	});

	it('under Visma’s documented answers: three batches, a rerun that posts nothing, two difference journals', () => {
		expect(documented.first).toEqual([
			['202601', 'posted', '000001', false],
			['202602', 'posted', '000002', false],
			['202603', 'posted', '000003', false],
		]);
		expect(documented.rerun).toEqual([
			['202601', 'alreadyPosted', '000001', false],
			['202602', 'alreadyPosted', '000002', false],
			['202603', 'alreadyPosted', '000003', false],
		]);
		expect(documented.changed).toEqual([
			['202601', 'posted', '000004', true],
			['202602', 'alreadyPosted', '000002', false],
			['202603', 'posted', '000005', true],
		]);
		expect(documented.booked).toHaveLength(5);
	});

	it.each(QUIRK_NAMES.map((quirk) => [quirk]))('%s', async (quirk: SandboxQuirk) => {
		sandbox.configure({ quirks: [quirk] });
		expect(await monthEnd()).toEqual(documented);
	});

	it('all quirks at once that can go together', async () => {
		sandbox.configure({
			quirks: [
				'unpaged-accounts',
				'no-metadata',
				'period-pp-yyyy',
				'empty-204',
				'short-description',
				'readback-case',
				'readback-padding',
				'server-validation-errors',
			],
		});
		expect(await monthEnd()).toEqual(documented);
	});
});

describe('refusals under the quirks', () => {
	/** A journal with the unknown account 4999 on line 2, which Visma.net refuses with a 500 (server-validation-errors). */
	async function runUnknownAccountRefused(parameters: FlowParameters = {}) {
		sandbox.configure({ quirks: ['server-validation-errors'] });
		const journal = smallJournal();
		journal.lines[1].account = '4999';
		return await run([journal], {
			validate: { checkInVismaNet: false },
			map: { options: { onlyProfitAndLoss: false } },
			...parameters,
		});
	}

	it('server-validation-errors: a journal Visma.net refuses with a 500 says Visma.net’s text and VismaId, reads the period before anything is re-sent, and books nothing', async () => {
		const result = await runUnknownAccountRefused();
		const error = result.nodes[POST].error!;
		expect(error).toBeDefined();
		expect(error.message).toMatch(
			/refused posting journal R2026-04 for 2026-04 \(500\): Error creating document\. Error: .*4999.* \(VismaId [0-9a-f-]{36}\)/,
		);
		// The advice is Visma.net's own: correct what it says; not "run the workflow again".
		expect(error.message).toContain("Visma.net's own text says what was wrong");
		expect(error.message).not.toContain('Run the workflow again: it looks in Visma.net first');
		expect(batchesOf(sandbox)).toEqual([]);
		const calls = sandbox
			.requests()
			.filter((entry) => /^\/v2\/journaltransaction\/?$/i.test(entry.path));
		// One POST (refused with 500), then the period is read to settle the unknown outcome; nothing re-sent.
		expect(calls.map((entry) => [entry.method, entry.status])).toEqual([
			['GET', 200],
			['POST', 500],
			['GET', 200],
		]);
	});

	it('server-validation-errors with derived batch numbers: Visma.net’s text and its advice, not "run again", and the number is looked up, not re-sent', async () => {
		const result = await runUnknownAccountRefused({ post: { batchNumbers: 'derived' } });
		const error = result.nodes[POST].error!;
		expect(error.message).toMatch(
			/refused posting journal R2026-04 for 2026-04 as batch P[0-9A-Z]{14} \(500\): .*4999.* \(VismaId [0-9a-f-]{36}\)/,
		);
		expect(error.message).toContain("Visma.net's own text says what was wrong");
		expect(error.message).not.toContain('Run the workflow again');
		expect(batchesOf(sandbox)).toEqual([]);
		expect(
			sandbox
				.requests()
				.filter(
					(entry) => entry.method === 'POST' && /^\/v2\/journaltransaction\/?$/i.test(entry.path),
				),
		).toHaveLength(1);
	});

	it('Post refuses a reference longer than a line’s Ref. no. (15 characters) before anything is sent', async () => {
		const journal = smallJournal({ reference: 'R2026-04-BAKKERIJ' });
		const result = await run([journal], {
			validate: { checkInVismaNet: false },
			split: {},
			map: {},
		});
		const error = result.nodes[POST].error!;
		expect(error).toBeDefined();
		const issues = (error.context as IDataObject).issues as Array<{
			code: string;
			message: string;
		}>;
		expect(issues.map((issue) => issue.code)).toEqual(['FIELD_TOO_LONG']);
		expect(issues[0].message).toMatch(
			/reference "R2026-04-BAKKERIJ" has 17 characters, but Visma\.net keeps at most 15/,
		);
		expect(journalPosts(sandbox)).toEqual([]);
		expect(batchesOf(sandbox)).toEqual([]);
	});
});
