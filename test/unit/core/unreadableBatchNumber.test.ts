/**
 * A batch of the part read back from Visma.net whose batch number is not text (missing, a number,
 * an object) but that carries this package's tag: never dropped (the part would look unposted and
 * be posted again), but unreadable like a batch with an unreadable line. Nothing is posted or
 * judged, and the item's error says what was read and what to do.
 */
import { partKey, unreadableBatchIssue } from '../../../nodes/core/buildJournalTransaction';
import { decidePosting, findUnreadableBatch } from '../../../nodes/core/idempotency';
import { ISSUE_CODES } from '../../../nodes/core/issues';
import { partPostingStatus } from '../../../nodes/core/postingStatus';
import { buildJournalTransaction, readPostedBatch } from '../../../nodes/core/vismaNetModel';
import { marchRunPart, postingLine } from '../../helpers/postingParts';

const PART = marchRunPart([
	postingLine('4000', 'Bruto lonen', 150000n, 0n),
	postingLine('2100', 'Nettolonen', 0n, 150000n),
]);
const KEY = partKey(PART);
const BODY = buildJournalTransaction(PART, { hold: false }, KEY);
const TAGGED = (BODY.description as { value: string }).value;

function readBack(batchNumber: unknown, description: unknown = TAGGED) {
	return readPostedBatch({
		...(batchNumber === undefined ? {} : { batchNumber }),
		status: 'Balanced',
		description,
		journalTransactionLines: BODY.journalTransactionLines.map((line, index) => ({
			lineNumber: index + 1,
			accountNumber: (line.accountNumber as { value: string }).value,
			debitAmountInCurrency: (line.debitAmountInCurrency as { value: number }).value,
			creditAmountInCurrency: (line.creditAmountInCurrency as { value: number }).value,
		})),
	});
}

describe('readPostedBatch: a batch of the part whose batch number is not text', () => {
	it.each([
		['a number', 1, 'has a batch number that is not text'],
		['null', null, 'has no batch number'],
		['missing', undefined, 'has no batch number'],
		['an object', { value: '000001' }, 'has a batch number that is not text'],
	])('%s: kept, unreadable, and the part is not judged', (_name, batchNumber, reason) => {
		const batch = readBack(batchNumber);
		expect(batch).not.toBeNull();
		expect(batch!.unreadable).toEqual({
			first: { field: 'batchNumber', value: batchNumber, reason },
			count: 1,
		});
		expect(findUnreadableBatch([batch!], KEY.identity)).not.toBeNull();
		expect(decidePosting([batch!], KEY.identity, KEY.nets)).toMatchObject({
			action: 'unreadable',
		});
		expect(partPostingStatus([batch!], KEY.identity).status).toBe('unreadable');
	});

	it('a batch without our tag and without a readable number is none of ours: left out as before', () => {
		expect(readBack(1, 'Salarissen maart')).toBeNull();
		expect(readBack(null, null)).toBeNull();
	});

	it('the item’s error: BATCH_NUMBER_UNREADABLE, what was read, nothing posted, what to do', () => {
		expect(ISSUE_CODES).toContain('BATCH_NUMBER_UNREADABLE');
		const decision = decidePosting([readBack(7)!], KEY.identity, KEY.nets);
		if (decision.action !== 'unreadable')
			throw new Error(`expected unreadable, got ${decision.action}`);
		const issue = unreadableBatchIssue(PART.reference, '2026-03', decision, 'post');
		expect(issue).toMatchObject({
			code: 'BATCH_NUMBER_UNREADABLE',
			path: 'visma.batchNumber',
			field: 'batchNumber',
			value: '7',
		});
		expect(issue.message).toContain(
			'a batch of this part (2026-03) cannot be read back from Visma.net: it has a batch number that is not text (it reads 7).',
		);
		expect(issue.message).toContain('Nothing was posted');
		const status = partPostingStatus([readBack(7)!], KEY.identity);
		expect(status.summary).toBe(
			'a batch of this part has a batch number that cannot be read: the status cannot be judged',
		);
	});
});
