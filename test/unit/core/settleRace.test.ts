/**
 * Racing executions with Visma.net's number series (journal-contract §5,
 * docs/race-proof-posting.md): every posting is saved On Hold, and after a fresh reading the
 * lowest batch number of each revision of a part stands. Pure functions: lists of batches stand
 * in for Visma.net, whose readings are prefixes of the save order (assumptions A1 and A2).
 */
import fc from 'fast-check';

import { partKey, type PostingPart } from '../../../nodes/core/buildJournalTransaction';
import {
	buildJournalTransaction,
	readPostedBatch,
	standDownBody,
} from '../../../nodes/core/vismaNetModel';
import {
	decidePosting,
	readIdempotencyTag,
	settleRace,
	type PostedBatch,
} from '../../../nodes/core/idempotency';
import { aprilPart } from '../../helpers/postingParts';

const A = aprilPart(100000n);
const KEY = partKey(A);

/** A batch as Visma.net lists it: the body as sent, under a number and a status. */
function saved(
	batchNumber: string,
	status: string,
	source: PostingPart = A,
	revision = 0,
): PostedBatch {
	const body = buildJournalTransaction(source, { hold: true }, partKey(source), revision);
	const lines = body.journalTransactionLines.map((line) => ({
		accountNumber: (line.accountNumber as { value: string }).value,
		debitAmountInCurrency: (line.debitAmountInCurrency as { value: number }).value,
		creditAmountInCurrency: (line.creditAmountInCurrency as { value: number }).value,
	}));
	return readPostedBatch({
		batchNumber,
		status,
		description: (body.description as { value: string }).value,
		journalTransactionLines: lines,
	})!;
}

describe('settleRace', () => {
	it('two held copies of one posting: the lower number stands, the other stands down and is not counted', () => {
		const first = saved('000007', 'Hold');
		const second = saved('000008', 'Hold');
		const settled = settleRace([second, first], KEY.identity);
		expect(settled.standing.get(0)).toBe(first);
		expect(settled.standDown).toEqual([{ copy: second, standing: first }]);
		expect(settled.counted).toEqual([first]);
		// What remains is one posting of the part: already posted, not a duplicate.
		expect(decidePosting(settled.counted, KEY.identity, KEY.nets).action).toBe('alreadyPosted');
	});

	it('compares numbers by value, not as text: 000010 comes after 9', () => {
		const ten = saved('000010', 'Hold');
		const nine = saved('9', 'Hold');
		expect(settleRace([ten, nine], KEY.identity).standing.get(0)).toBe(nine);
	});

	it('a copy already in the ledger never stands down (it may be booked): decidePosting names it', () => {
		const first = saved('000007', 'Hold');
		const live = saved('000008', 'Balanced');
		const settled = settleRace([first, live], KEY.identity);
		expect(settled.standDown).toEqual([]);
		expect(decidePosting(settled.counted, KEY.identity, KEY.nets).action).toBe('duplicate');
	});

	it('voided batches and other parts are left alone; each revision has its own standing batch', () => {
		const voided = saved('000001', 'Voided');
		const other = saved('000002', 'Hold', aprilPart(100000n, 'R2026-04-B'));
		const rev0 = saved('000003', 'Balanced');
		const rev1 = saved('000004', 'Hold', aprilPart(110000n), 1);
		const rev1Copy = saved('000005', 'Hold', aprilPart(110000n), 1);
		const settled = settleRace([voided, other, rev0, rev1, rev1Copy], KEY.identity);
		expect(settled.standing.get(0)).toBe(rev0);
		expect(settled.standing.get(1)).toBe(rev1);
		expect(settled.standDown.map((entry) => entry.copy)).toEqual([rev1Copy]);
		expect(settled.counted).toEqual([voided, other, rev0, rev1]);
	});

	it('a copy with other amounts (two versions of the journal raced) stands down too', () => {
		const first = saved('000003', 'Hold');
		const recalculated = saved('000004', 'Hold', aprilPart(110000n));
		const settled = settleRace([first, recalculated], KEY.identity);
		expect(settled.standDown.map((entry) => entry.copy)).toEqual([recalculated]);
	});

	it('the mark of a copy says whose duplicate it is and carries no tag, so no reader counts it again', () => {
		const first = saved('000007', 'Hold');
		const copy = saved('000008', 'Hold');
		const body = standDownBody(copy, first);
		const description = (body.description as { value: string }).value;
		expect(description).toBe(
			'Duplicate of batch 000007, never booked: safe to delete. Loonjournaal R2026-04 2026-04',
		);
		expect(body.hold).toEqual({ value: true });
		expect(readIdempotencyTag(description)).toBeNull();
		const marked = { ...copy, description };
		expect(settleRace([first, marked], KEY.identity).standDown).toEqual([]);
	});

	it('every reader reaches the same verdict: a batch that stands in one reading is never stood down in a later one (readings are prefixes of the save order)', () => {
		const kind = fc.record({
			part: fc.integer({ min: 0, max: 1 }),
			revision: fc.integer({ min: 0, max: 2 }),
			held: fc.boolean(),
			voided: fc.boolean(),
		});
		fc.assert(
			fc.property(
				fc.array(kind, { minLength: 1, maxLength: 12 }),
				fc.nat(),
				fc.nat(),
				(kinds, a, b) => {
					const parts = [A, aprilPart(100000n, 'R2026-04-B')];
					// Numbers as a series gives them out, some with fewer leading zeros than others.
					const batches = kinds.map((k, index) =>
						saved(
							index % 3 === 0 ? String(index + 1) : String(index + 1).padStart(6, '0'),
							k.voided ? 'Voided' : k.held ? 'Hold' : 'Balanced',
							parts[k.part],
							k.revision,
						),
					);
					const [early, late] = [a % batches.length, b % batches.length].sort((x, y) => x - y);
					for (const source of parts) {
						const identity = partKey(source).identity;
						const before = settleRace(batches.slice(0, early + 1), identity);
						const after = settleRace(batches.slice(0, late + 1), identity);
						for (const [revision, standing] of before.standing)
							expect(after.standing.get(revision)).toBe(standing);
						const stoodDown = new Set(after.standDown.map((entry) => entry.copy));
						for (const standing of before.standing.values())
							expect(stoodDown.has(standing)).toBe(false);
					}
				},
			),
			{ numRuns: 500, seed: 11 },
		);
	});
});
