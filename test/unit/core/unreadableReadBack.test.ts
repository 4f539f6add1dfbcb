/**
 * Amounts read back from Visma.net that are no whole number of cents (issue 15): never counted as
 * 0. A batch of the part with such an amount stops the decision (`unreadable`), and the item's
 * error says which batch, which line, what was read, that nothing was posted and what to do.
 * Before, such an amount was read as 0, and `decidePosting` took it for a real change.
 */
import {
	partKey,
	unreadableBatchIssue,
	type PostingPart,
} from '../../../nodes/core/buildJournalTransaction';
import {
	buildJournalTransaction,
	readBackCents,
	readPostedBatch,
} from '../../../nodes/core/vismaNetModel';
import {
	decidePosting,
	findUnreadableBatch,
	type PostedBatch,
} from '../../../nodes/core/idempotency';
import { ISSUE_CODES } from '../../../nodes/core/issues';
import { partPostingStatus } from '../../../nodes/core/postingStatus';
import { marchRunPart, postingLine } from '../../helpers/postingParts';

const PART: PostingPart = marchRunPart([
	postingLine('4000', 'Bruto lonen', 150000n, 0n),
	postingLine('1700', 'Loonheffing', 0n, 45000n),
	postingLine('2100', 'Nettolonen', 0n, 105000n),
]);
const KEY = partKey(PART);
const BODY = buildJournalTransaction(PART, { hold: false }, KEY);

/** The part's batch as Visma.net lists it, with line `lineIndex` replaced by what `change` makes of it. */
function readBackChanged(
	lineIndex: number,
	change: (line: Record<string, unknown>) => unknown,
	options: { batchNumber?: string; status?: string; description?: string } = {},
): PostedBatch {
	return readPostedBatch({
		batchNumber: options.batchNumber ?? '000001',
		status: options.status ?? 'Balanced',
		description: options.description ?? (BODY.description as { value: string }).value,
		journalTransactionLines: BODY.journalTransactionLines.map((line, index) => {
			const dto: Record<string, unknown> = {
				lineNumber: index + 1,
				accountNumber: (line.accountNumber as { value: string }).value,
				debitAmountInCurrency: (line.debitAmountInCurrency as { value: number }).value,
				creditAmountInCurrency: (line.creditAmountInCurrency as { value: number }).value,
			};
			return index === lineIndex ? change(dto) : dto;
		}),
	})!;
}

/** The part's batch as Visma.net lists it, with the amounts of line `lineIndex` replaced. */
function readBackWith(
	lineIndex: number,
	amounts: { debit?: unknown; credit?: unknown },
	options: { batchNumber?: string; status?: string; description?: string } = {},
): PostedBatch {
	return readBackChanged(
		lineIndex,
		(dto) => {
			if ('debit' in amounts) dto.debitAmountInCurrency = amounts.debit;
			if ('credit' in amounts) dto.creditAmountInCurrency = amounts.credit;
			return dto;
		},
		options,
	);
}

/** Unreadable amounts: what is read, and the reason given for it. */
const UNREADABLE: Array<[string, unknown, string]> = [
	['null', null, 'is empty'],
	['missing', undefined, 'is missing'],
	['text, even a plain amount', '1050.00', 'is text, where Visma.net gives a number'],
	['text with more than 2 decimals', '1050.005', 'is text, where Visma.net gives a number'],
	['NaN', Number.NaN, 'is NaN'],
	['Infinity', Number.POSITIVE_INFINITY, 'is infinite'],
	['-Infinity', Number.NEGATIVE_INFINITY, 'is infinite'],
	['more than 2 decimals', 1050.005, 'has more than two decimals'],
	['no whole number of cents (0.1 + 0.2)', 0.1 + 0.2, 'has more than two decimals'],
	['a tiny number (1e-7)', 1e-7, 'has more than two decimals'],
	['beyond the cap', 1e20, 'is larger than 10,000,000,000,000'],
	['a boolean', true, 'is not a number'],
	['an object', { value: 1050 }, 'is not a number'],
	['a list', [1050], 'is not a number'],
];

describe('readBackCents: an amount read back from Visma.net', () => {
	it.each(UNREADABLE)('refuses %s', (_name, value, reason) => {
		expect(readBackCents(value)).toEqual({ ok: false, reason });
	});

	it.each([
		[1050, 105000n],
		[1050.5, 105050n],
		[0.07, 7n],
		[-3.1, -310n],
		[0, 0n],
		[-0, 0n],
		[99999999999.99, 9999999999999n],
	])('reads %p as %p cents', (value, cents) => {
		expect(readBackCents(value)).toEqual({ ok: true, cents });
	});
});

describe('readPostedBatch: a batch with an unreadable amount', () => {
	it('is read whole when every amount is whole cents', () => {
		const batch = readBackWith(-1, {});
		expect(batch.unreadable).toBeUndefined();
		expect(decidePosting([batch], KEY.identity, KEY.nets)).toMatchObject({
			action: 'alreadyPosted',
			batchNumber: '000001',
		});
	});

	it.each(UNREADABLE)(
		'names the line, its account, the side and what was read: %s',
		(_name, value, reason) => {
			const batch = readBackWith(2, { credit: value });
			expect(batch.unreadable).toEqual({
				first: { line: 3, account: '2100', side: 'credit', value, reason },
				count: 1,
			});
			// Never counted as 0: the line is not among what the batch books.
			expect(batch.entries.map((entry) => entry.account)).toEqual(['4000', '1700']);
		},
	);

	it('counts every unreadable amount and gives the first one (Visma.net’s line number, else the position)', () => {
		const batch = readPostedBatch({
			batchNumber: '000002',
			description: 'x',
			journalTransactionLines: [
				{ accountNumber: '4000', debitAmountInCurrency: 1, creditAmountInCurrency: 0 },
				{ accountNumber: '1700', debitAmountInCurrency: null, creditAmountInCurrency: '5' },
				{
					lineNumber: 7,
					accountNumber: '2100',
					debitAmountInCurrency: 0,
					creditAmountInCurrency: 0.001,
				},
			],
		})!;
		expect(batch.unreadable).toEqual({
			first: { line: 2, account: '1700', side: 'debit', value: null, reason: 'is empty' },
			count: 3,
		});
	});
});

describe('decidePosting: a batch of the part that cannot be read decides nothing', () => {
	it.each(UNREADABLE)('%s: unreadable, never a change or a difference journal', (_name, value) => {
		const decision = decidePosting([readBackWith(2, { credit: value })], KEY.identity, KEY.nets);
		expect(decision).toEqual({
			action: 'unreadable',
			batchNumber: '000001',
			amounts: { first: expect.objectContaining({ line: 3, side: 'credit' }), count: 1 },
			batchCount: 1,
		});
	});

	it('also before a duplicate is judged (its advice rests on the amounts)', () => {
		const decision = decidePosting(
			[readBackWith(-1, {}), readBackWith(0, { debit: 1500.001 }, { batchNumber: '000002' })],
			KEY.identity,
			KEY.nets,
		);
		expect(decision).toMatchObject({ action: 'unreadable', batchNumber: '000002', batchCount: 1 });
	});

	it('leaves a voided batch and another journal’s batch out: they do not count', () => {
		const voided = readBackWith(1, { debit: null }, { batchNumber: '000002', status: 'Voided' });
		const foreign = readBackWith(
			1,
			{ debit: null },
			{ batchNumber: '000003', description: 'Memoriaal handmatig' },
		);
		expect(
			decidePosting([readBackWith(-1, {}), voided, foreign], KEY.identity, KEY.nets),
		).toMatchObject({ action: 'alreadyPosted', batchNumber: '000001' });
		expect(findUnreadableBatch([voided, foreign], KEY.identity)).toBeNull();
		// Nothing of the part readable in Visma.net: posted whole, as before.
		expect(decidePosting([voided, foreign], KEY.identity, KEY.nets)).toMatchObject({
			action: 'post',
		});
	});
});

describe('Get Posting Status: a part with an unreadable batch is not judged', () => {
	it('with and without the journal: status unreadable, naming the batch', () => {
		const batches = [readBackWith(2, { credit: '1050.005' })];
		for (const report of [
			partPostingStatus(batches, KEY.identity, KEY.nets),
			partPostingStatus(batches, KEY.identity),
		]) {
			expect(report.status).toBe('unreadable');
			expect(report.unreadable).toMatchObject({
				batchNumber: '000001',
				amounts: { first: { line: 3, value: '1050.005' }, count: 1 },
				batchCount: 1,
			});
			expect(report.summary).toBe(
				'batch 000001 has amounts that cannot be read (line 3): the status cannot be judged',
			);
		}
	});

	it('a held copy that stood down counts as well', () => {
		const standing = readBackWith(-1, {}, { status: 'Balanced' });
		const copy = readBackWith(0, { debit: Number.NaN }, { batchNumber: '000002', status: 'Hold' });
		expect(partPostingStatus([standing, copy], KEY.identity, KEY.nets)).toMatchObject({
			status: 'unreadable',
			unreadable: { batchNumber: '000002' },
		});
	});
});

describe('the item’s error: BATCH_AMOUNT_UNREADABLE', () => {
	it('is a code of its own', () => {
		expect(ISSUE_CODES).toContain('BATCH_AMOUNT_UNREADABLE');
	});

	it('says which batch, which line, what was read, that nothing was posted, and what to do', () => {
		const decision = decidePosting([readBackWith(2, { credit: 1050.005 })], KEY.identity, KEY.nets);
		if (decision.action !== 'unreadable')
			throw new Error(`expected unreadable, got ${decision.action}`);
		const issue = unreadableBatchIssue(PART.reference, '2026-03', decision, 'post');
		expect(issue).toEqual({
			code: 'BATCH_AMOUNT_UNREADABLE',
			path: 'visma.batchNumber',
			field: 'creditAmountInCurrency',
			value: '1050.005',
			message:
				'Journal R2026-03: batch 000001 of this part (2026-03) cannot be read back from Visma.net: on line 3 (account 2100) the credit amount reads 1050.005, which has more than two decimals: not an amount in whole cents. ' +
				'Nothing was posted: without its amounts it is not known what Visma.net holds of this part, and taking them as 0 could post a wrong difference journal. ' +
				'Open batch 000001 in Visma.net (Journal transactions) and check the amounts of line 3: correct them there (or void the batch if it must not count), then run the workflow again. ' +
				'If Visma.net shows them right, something between n8n and Visma.net changes its answers: check the API URL in the Visma.net credential.',
		});
	});

	it('counts further amounts and batches, says a missing amount as missing, and for Get Posting Status that nothing was judged', () => {
		const batches = [
			readBackWith(2, { debit: undefined, credit: null }),
			readBackWith(
				1,
				{ debit: 'x' },
				{ batchNumber: '000002', description: `[vnp:${KEY.identity}:0000000000000000:1] verschil` },
			),
		];
		const report = partPostingStatus(batches, KEY.identity);
		const issue = unreadableBatchIssue(PART.reference, '2026-03', report.unreadable!, 'status');
		expect(issue.message).toContain(
			'batch 000001 of this part (2026-03) cannot be read back from Visma.net: on line 3 (account 2100) the debit amount is missing: not an amount in whole cents (the same for 1 more amount of this batch and 1 more batch of this part).',
		);
		expect(issue.message).toContain(
			'Its posting status cannot be judged without its amounts; nothing was changed.',
		);
		expect(issue.message).not.toContain('Nothing was posted');
		// Nothing was read: no value to show.
		expect(issue.value).toBeUndefined();
	});
});

/**
 * A line read back that is no journal line, or has no account number, or a subaccount whose
 * segments cannot be read (issue 15): before, `readPostedBatch` left such a line out silently,
 * so the batch read as booking less than it does, and a rerun could post a wrong difference
 * journal. Now the batch is unreadable like one with an unreadable amount, and the part stops.
 */
describe('readPostedBatch: a batch with a line that cannot be read', () => {
	const withLine = (lineIndex: number, change: (line: Record<string, unknown>) => unknown) =>
		readBackChanged(lineIndex, change);

	const UNREADABLE_LINES: Array<[string, (line: Record<string, unknown>) => unknown, object]> = [
		['null', () => null, { line: 3, field: 'line', value: null, reason: 'is not a journal line' }],
		['a number', () => 42, { line: 3, field: 'line', value: 42, reason: 'is not a journal line' }],
		[
			'a list',
			(line) => [line],
			{ line: 3, field: 'line', value: expect.any(Array), reason: 'is not a journal line' },
		],
		[
			'no account number',
			(line) => ({ ...line, accountNumber: undefined }),
			{ line: 3, field: 'accountNumber', value: undefined, reason: 'has no account number' },
		],
		[
			'an account number that is no text',
			(line) => ({ ...line, accountNumber: 2100 }),
			{
				line: 3,
				field: 'accountNumber',
				value: 2100,
				reason: 'has an account number that is not text',
			},
		],
		[
			'segments that are no list',
			(line) => ({ ...line, subaccount: { segments: 'A-B' } }),
			{
				line: 3,
				account: '2100',
				field: 'subaccount',
				value: 'A-B',
				reason: 'has subaccount segments that are not a list',
			},
		],
		[
			'a segment without a value',
			(line) => ({ ...line, subaccount: { segments: [{ segmentId: 1, segmentValue: null }] } }),
			{
				line: 3,
				account: '2100',
				field: 'subaccount',
				value: { segmentId: 1, segmentValue: null },
				reason: 'has a subaccount segment without a segment id and value',
			},
		],
	];

	it.each(UNREADABLE_LINES)(
		'%s: the batch is unreadable, naming the line (never left out)',
		(_name, change, first) => {
			const batch = withLine(2, change);
			expect(batch.unreadable).toEqual({ first, count: 1, lineCount: 1 });
			expect(decidePosting([batch], KEY.identity, KEY.nets)).toMatchObject({
				action: 'unreadable',
				batchNumber: '000001',
				batchCount: 1,
			});
		},
	);

	it('a subaccount without segments (a company without subaccounts) is read as before', () => {
		const batch = withLine(2, (line) => ({ ...line, subaccount: null }));
		expect(batch.unreadable).toBeUndefined();
		expect(decidePosting([batch], KEY.identity, KEY.nets)).toMatchObject({
			action: 'alreadyPosted',
		});
	});

	it('the item’s error: BATCH_LINE_UNREADABLE, which batch and line, what was read, nothing posted, what to do', () => {
		expect(ISSUE_CODES).toContain('BATCH_LINE_UNREADABLE');
		const decision = decidePosting(
			[withLine(2, (line) => ({ ...line, accountNumber: 2100 }))],
			KEY.identity,
			KEY.nets,
		);
		if (decision.action !== 'unreadable')
			throw new Error(`expected unreadable, got ${decision.action}`);
		expect(unreadableBatchIssue(PART.reference, '2026-03', decision, 'post')).toEqual({
			code: 'BATCH_LINE_UNREADABLE',
			path: 'visma.batchNumber',
			field: 'accountNumber',
			value: '2100',
			message:
				'Journal R2026-03: batch 000001 of this part (2026-03) cannot be read back from Visma.net: line 3 has an account number that is not text (it reads 2100). ' +
				'Nothing was posted: without all of its lines it is not known what Visma.net holds of this part, and leaving a line out could post a wrong difference journal. ' +
				'Open batch 000001 in Visma.net (Journal transactions) and check line 3: correct it there (or void the batch if it must not count), then run the workflow again. ' +
				'If Visma.net shows it right, something between n8n and Visma.net changes its answers: check the API URL in the Visma.net credential.',
		});
	});

	it('counts unreadable lines and amounts together, and Get Posting Status does not judge the part', () => {
		const batch = readPostedBatch({
			batchNumber: '000001',
			description: (BODY.description as { value: string }).value,
			journalTransactionLines: [
				{ accountNumber: '4000', debitAmountInCurrency: 1500, creditAmountInCurrency: 0 },
				null,
				{ accountNumber: '2100', debitAmountInCurrency: 'x', creditAmountInCurrency: 0 },
			],
		})!;
		expect(batch.unreadable).toEqual({
			first: { line: 2, field: 'line', value: null, reason: 'is not a journal line' },
			count: 2,
			lineCount: 1,
		});
		const report = partPostingStatus([batch], KEY.identity);
		expect(report.status).toBe('unreadable');
		expect(report.summary).toBe(
			'batch 000001 has lines that cannot be read (line 2): the status cannot be judged',
		);
		const issue = unreadableBatchIssue(PART.reference, '2026-03', report.unreadable!, 'status');
		expect(issue.message).toContain(
			'batch 000001 of this part (2026-03) cannot be read back from Visma.net: line 2 is not a journal line (it reads null) (the same for 1 more unreadable value of this batch).',
		);
		expect(issue.message).toContain(
			'Its posting status cannot be judged without all of its lines; nothing was changed.',
		);
	});
});
