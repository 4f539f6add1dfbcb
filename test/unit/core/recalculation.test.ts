/**
 * Recalculated runs that come back to an earlier content (A→B→A, A→B→A→B): every posting of a
 * part carries a tag no other legitimate posting of it carries, so returning to A is never taken
 * for a race, while two executions that post the same thing from the same state still carry the
 * same tag (a race stays visible as a duplicate). Pure functions only: a "ledger" of batches
 * stands in for Visma.net.
 */
import { partKey, type PostingPart } from '../../../nodes/core/buildJournalTransaction';
import {
	buildDifferenceTransaction,
	buildJournalTransaction,
	type JournalTransactionBody,
} from '../../../nodes/core/vismaNetModel';
import {
	decidePosting,
	findPartBatches,
	readIdempotencyTag,
	sumNets,
	type PostedBatch,
	type PostingDecision,
} from '../../../nodes/core/idempotency';
import { aprilPart } from '../../helpers/postingParts';
import { readBack } from '../../helpers/readBack';

const options = { hold: false };

const A = aprilPart(100000n);
const B = aprilPart(110000n);

/** The body one execution would send after deciding on what it saw, or null when it sends nothing. */
function bodyFor(
	seen: readonly PostedBatch[],
	wanted: PostingPart,
): { decision: PostingDecision; body: JournalTransactionBody | null } {
	const key = partKey(wanted);
	const decision = decidePosting(seen, key.identity, key.nets);
	if (decision.action === 'post')
		return { decision, body: buildJournalTransaction(wanted, options, key, decision.revision) };
	if (decision.action === 'changed')
		return {
			decision,
			body: buildDifferenceTransaction(
				wanted,
				decision.difference,
				options,
				key,
				decision.batchNumbers,
				decision.revision,
			),
		};
	return { decision, body: null };
}

/** One run of Post with On Changed Journal = Post Difference Journal: what it decided; Visma.net gets what it sends. */
function run(ledger: PostedBatch[], wanted: PostingPart): PostingDecision {
	const { decision, body } = bodyFor(ledger, wanted);
	if (body) ledger.push(readBack(String(ledger.length + 1).padStart(6, '0'), body));
	return decision;
}

/** What Visma.net books for the part: the sum of its live batches. */
function booked(ledger: readonly PostedBatch[]) {
	return sumNets(
		findPartBatches(ledger, partKey(A).identity)
			.filter((batch) => batch.status !== 'Voided')
			.flatMap((batch) => batch.entries),
	);
}

describe('a recalculation that comes back to an earlier content', () => {
	it('A→B→A, then a plain rerun of A: already posted (the latest batch holding A), never a duplicate', () => {
		const ledger: PostedBatch[] = [];
		expect(run(ledger, A).action).toBe('post');
		expect(run(ledger, B).action).toBe('changed');
		expect(run(ledger, A).action).toBe('changed');
		expect(ledger.map((batch) => batch.batchNumber)).toEqual(['000001', '000002', '000003']);
		expect(run(ledger, A)).toEqual({
			action: 'alreadyPosted',
			batchNumber: '000003',
			batchNumbers: ['000001', '000002', '000003'],
		});
		expect(booked(ledger)).toEqual(partKey(A).nets);
		expect(ledger).toHaveLength(3);
	});

	it('A→B→A→B: the two difference journals B−A carry equal entries but different tags; a rerun of B posts nothing', () => {
		const ledger: PostedBatch[] = [];
		for (const wanted of [A, B, A, B]) run(ledger, wanted);
		expect(ledger).toHaveLength(4);
		expect(sumNets(ledger[1].entries)).toEqual(sumNets(ledger[3].entries));
		expect(readIdempotencyTag(ledger[1].description)).not.toEqual(
			readIdempotencyTag(ledger[3].description),
		);
		expect(run(ledger, B)).toEqual({
			action: 'alreadyPosted',
			batchNumber: '000004',
			batchNumbers: ['000001', '000002', '000003', '000004'],
		});
		expect(booked(ledger)).toEqual(partKey(B).nets);
	});

	it('every posting of the part carries a tag of its own', () => {
		const ledger: PostedBatch[] = [];
		for (const wanted of [A, B, A, B, A, A, B]) run(ledger, wanted);
		const tags = ledger.map((batch) => JSON.stringify(readIdempotencyTag(batch.description)));
		expect(new Set(tags).size).toBe(ledger.length);
		expect(ledger).toHaveLength(6);
	});
});

describe('a race stays visible', () => {
	it('two executions posting A from nothing carry the same tag: a duplicate, and the later copy is the one to void', () => {
		const ledger: PostedBatch[] = [];
		const first = bodyFor(ledger, A).body!;
		const second = bodyFor(ledger, A).body!;
		expect((first.description as { value: string }).value).toBe(
			(second.description as { value: string }).value,
		);
		ledger.push(readBack('000001', first), readBack('000002', second));
		expect(run(ledger, A)).toEqual({
			action: 'duplicate',
			batchNumbers: ['000001', '000002'],
			copies: ['000002'],
		});
		// Voiding the copy named leaves A booked once.
		ledger[1] = { ...ledger[1], status: 'Voided' };
		expect(run(ledger, A)).toMatchObject({ action: 'alreadyPosted', batchNumber: '000001' });
		expect(booked(ledger)).toEqual(partKey(A).nets);
	});

	it('two executions posting the difference B−A from the same state carry the same tag: a duplicate naming the later copy', () => {
		const ledger: PostedBatch[] = [];
		run(ledger, A);
		const first = bodyFor(ledger, B).body!;
		const second = bodyFor(ledger, B).body!;
		ledger.push(readBack('000002', first), readBack('000003', second));
		expect(run(ledger, B)).toEqual({
			action: 'duplicate',
			batchNumbers: ['000002', '000003'],
			copies: ['000003'],
		});
		ledger[2] = { ...ledger[2], status: 'Voided' };
		expect(run(ledger, B).action).toBe('alreadyPosted');
		expect(booked(ledger)).toEqual(partKey(B).nets);
	});

	it('after a voided batch, the next posting still gets a tag no batch of the part carries (voided ones included)', () => {
		const ledger: PostedBatch[] = [];
		for (const wanted of [A, B, A]) run(ledger, wanted);
		// The bookkeeper voids the last difference journal (A−B): Visma.net holds B again.
		ledger[2] = { ...ledger[2], status: 'Voided' };
		expect(run(ledger, A).action).toBe('changed');
		const tags = ledger.map((batch) => JSON.stringify(readIdempotencyTag(batch.description)));
		expect(new Set(tags).size).toBe(ledger.length);
		expect(run(ledger, A).action).toBe('alreadyPosted');
		expect(booked(ledger)).toEqual(partKey(A).nets);
	});
});
