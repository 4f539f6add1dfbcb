/**
 * Where a journal part stands in Visma.net, read only (the read-only Visma.net node's Get Posting
 * Status and List Payroll Batches): the same reading of the tag and the same verdict on racing
 * copies as Post (`settleRace`, `decidePosting`), without changing anything.
 */
import {
	decidePosting,
	findPartBatches,
	findUnreadableBatch,
	isUnreadableBatchNumber,
	isUnreadableLine,
	readIdempotencyTag,
	settleRace,
	sumNets,
	type NetEntry,
	type PostedBatch,
	type ReadBackRules,
	type UnreadableBatch,
} from './idempotency';

/**
 * What a bookkeeper sees: the status icon of the original integration, per part. `unreadable`: a
 * batch of the part has amounts that cannot be read, so no status can be judged (the node stops
 * the item with `unreadableBatchIssue`).
 */
export type PartPostingStatus =
	| 'missing'
	| 'onHold'
	| 'posted'
	| 'released'
	| 'changed'
	| 'duplicated'
	| 'unreadable';

/** Visma.net statuses of a batch that has been released (posted or waiting to be posted). */
const RELEASED = new Set(['Unposted', 'Posted', 'Completed', 'Released', 'PartiallyReleased']);

export interface PartStatusReport {
	readonly status: PartPostingStatus;
	/** The part's batches that count (voided ones and copies that stood down left out), in Visma.net's order. */
	readonly batchNumbers: readonly string[];
	/** Held copies that lost a race (not counted; safe to delete). */
	readonly heldCopies: readonly string[];
	/** The part's batches by status, e.g. `{ Balanced: ['000003'] }`. */
	readonly batchStatuses: Readonly<Record<string, readonly string[]>>;
	/** A bookkeeper's sentence. */
	readonly summary: string;
	/** With status `unreadable`: the batch whose amounts cannot be read, and the first of them. */
	readonly unreadable?: UnreadableBatch;
}

/**
 * The status of one part. With `wanted` (what the journal should book, per account and
 * subaccount) a part booked with other amounts is `changed`; without it only what Visma.net
 * holds is judged (never `changed`).
 */
export function partPostingStatus(
	batches: readonly PostedBatch[],
	identity: string,
	wanted?: ReadonlyMap<string, NetEntry>,
	rules?: ReadBackRules,
): PartStatusReport {
	const settled = settleRace(batches, identity);
	const mine = findPartBatches(settled.counted, identity).filter(
		(batch) => batch.status !== 'Voided',
	);
	const batchNumbers = mine.map((batch) => batch.batchNumber);
	// Copies that lost a race: still to be marked, or marked as a duplicate of one of the part's batches.
	const marked = payrollBatches(batches).filter(
		(batch) =>
			batch.duplicateOf !== null &&
			batch.status !== 'Voided' &&
			batchNumbers.includes(batch.duplicateOf),
	);
	const heldCopies = [
		...settled.standDown.map((entry) => entry.copy.batchNumber),
		...marked.map((batch) => batch.batchNumber),
	];
	const batchStatuses: Record<string, string[]> = {};
	for (const batch of mine)
		(batchStatuses[batch.status ?? 'unknown'] ??= []).push(batch.batchNumber);
	const report = (status: PartPostingStatus, summary: string): PartStatusReport => ({
		status,
		batchNumbers,
		heldCopies,
		batchStatuses,
		summary,
	});
	const copies =
		heldCopies.length > 0
			? `; held cop${heldCopies.length === 1 ? 'y' : 'ies'} ${heldCopies.join(', ')} (never booked, safe to delete)`
			: '';

	if (mine.length === 0) return report('missing', `not in Visma.net${copies}`);
	const decision = decidePosting(
		settled.counted,
		identity,
		wanted ?? sumNets(mine.flatMap((batch) => batch.entries)),
		rules,
	);
	// Held copies included (decidePosting leaves them out): a batch of the part that cannot be read is never judged.
	const unreadable =
		findUnreadableBatch(batches, identity) ?? (decision.action === 'unreadable' ? decision : null);
	if (unreadable) {
		const { batchNumber, amounts, batchCount } = unreadable;
		return {
			...report(
				'unreadable',
				isUnreadableBatchNumber(amounts.first)
					? `a batch of this part has a batch number that cannot be read: the status cannot be judged${copies}`
					: `batch ${batchNumber} has ${isUnreadableLine(amounts.first) ? 'lines' : 'amounts'} that cannot be read (line ${amounts.first.line}): the status cannot be judged${copies}`,
			),
			unreadable: { batchNumber, amounts, batchCount },
		};
	}
	if (decision.action === 'duplicate') {
		return report(
			'duplicated',
			`in the ledger more than once: batches ${decision.batchNumbers.join(' and ')} carry the same posting${copies}`,
		);
	}
	if (decision.action === 'changed' && decision.readBackDiffers) {
		const { batchNumber, account } = decision.readBackDiffers;
		return report(
			'changed',
			`booked as batch ${batchNumbers.join(', ')}, but Visma.net reads batch ${batchNumber} back with other projects or branches than were sent (account ${account}): check Non-Project Code${copies}`,
		);
	}
	if (decision.action === 'changed' || decision.action === 'post') {
		return report(
			'changed',
			`booked as batch ${batchNumbers.join(', ')} with other amounts than the journal (recalculated after it was sent)${copies}`,
		);
	}
	const list = batchNumbers.join(', ');
	if (mine.some((batch) => batch.status === 'Hold'))
		return report('onHold', `booked as batch ${list}, On Hold (not in the ledger yet)${copies}`);
	if (mine.every((batch) => batch.status !== undefined && RELEASED.has(batch.status)))
		return report('released', `booked and released as batch ${list}${copies}`);
	return report('posted', `booked as batch ${list}, not released yet${copies}`);
}

/** One batch of this package (or a copy that stood down), as List Payroll Batches shows it. */
export interface PayrollBatchSummary {
	readonly batchNumber: string;
	readonly status: string | null;
	/** The part's identity and the posting's revision, from the tag; null for a copy that stood down. */
	readonly identity: string | null;
	readonly revision: number | null;
	/** A copy that lost a race: the batch it is a duplicate of. */
	readonly duplicateOf: string | null;
	readonly description: string;
}

/** "Duplicate of batch N, never booked: safe to delete. …" (standDownBody): the batch it names. */
const DUPLICATE_OF = /^Duplicate of batch (\S{1,30}), never booked: safe to delete\. /;

/** The batches this package wrote (a tag at the start of the description, or the mark of a copy that stood down); others are left out. */
export function payrollBatches(batches: readonly PostedBatch[]): PayrollBatchSummary[] {
	const found: PayrollBatchSummary[] = [];
	for (const batch of batches) {
		const tag = readIdempotencyTag(batch.description);
		const duplicateOf = tag
			? null
			: (DUPLICATE_OF.exec(batch.description.slice(0, 100))?.[1] ?? null);
		if (!tag && !duplicateOf) continue;
		found.push({
			batchNumber: batch.batchNumber,
			status: batch.status ?? null,
			identity: tag?.identity ?? null,
			revision: tag?.revision ?? null,
			duplicateOf,
			description: batch.description,
		});
	}
	return found;
}
