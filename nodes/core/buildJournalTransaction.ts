/**
 * A journal part as Post books it (`PostingPart`: integer cents, the SUBACCOUNT segments Map
 * Dimensions gave), the key that identifies it in Visma.net (`partKey`), the rule by which Visma.net's
 * codes are compared (`vismaCodeKey`) and the item's error for a batch that cannot be read back
 * (`unreadableBatchIssue`). How a part becomes Visma.net's JSON and how Visma.net's answers are
 * read: `vismaNetModel.ts`.
 */
import {
	contentHash,
	idempotencyKey,
	identityKey,
	isUnreadableBatchNumber,
	isUnreadableLine,
	sumNets,
	type LineDimensions,
	type NetEntry,
	type PartIdentity,
	type ReadBackDifference,
	type ReadBackRules,
	type UnreadableBatch,
} from './idempotency';
import { createIssue, displayValue, shortText, type Issue } from './issues';
import type { SegmentAssignment } from './mapDimensions';
import type { Cents } from './money';
import { toFinancialPeriodText, type FinancialPeriod } from './period';

export interface PostingLine {
	readonly account: string;
	readonly description: string;
	readonly debitCents: Cents;
	readonly creditCents: Cents;
	/** Every segment of the SUBACCOUNT key, in segment order; empty when the company has none. */
	readonly subaccount: readonly SegmentAssignment[];
	/** Visma.net's project of the line, when it has one. */
	readonly project?: string;
	/** The project's task; only with a project. */
	readonly projectTask?: string;
	/** The branch the line books in, when not the batch's own. */
	readonly branch?: string;
}

export interface PostingPart {
	readonly companyId: string;
	readonly reference: string;
	readonly currency: string;
	readonly financialPeriod: FinancialPeriod;
	/** YYYY-MM-DD inside the financial period. */
	readonly transactionDate: string;
	readonly description: string;
	readonly movedFrom?: FinancialPeriod;
	readonly lines: readonly PostingLine[];
}

export interface TransactionOptions {
	readonly hold: boolean;
	readonly ledger?: string;
	readonly branch?: string;
}

/** What identifies a part and what it books: the key written into Visma.net. */
export interface PartKey {
	readonly identity: string;
	readonly content: string;
	readonly nets: ReadonlyMap<string, NetEntry>;
}

/**
 * The segment values of a subaccount in segment order: a list, never a joined text, since values
 * may hold any character ("P-01"), and "A-B" + "C" is not "A" + "B-C".
 */
export function subaccountValues(subaccount: readonly SegmentAssignment[]): string[] {
	// Map Dimensions gives the segments in order: then no sorted copy is needed.
	for (let index = 1; index < subaccount.length; index++) {
		if (subaccount[index - 1].segmentId > subaccount[index].segmentId) {
			return [...subaccount].sort((a, b) => a.segmentId - b.segmentId).map(segmentValueText);
		}
	}
	return subaccount.map(segmentValueText);
}

function segmentValueText(segment: SegmentAssignment): string {
	const value = segment.segmentValue as unknown;
	return value === undefined || value === null ? '' : String(value);
}

/** Runs of whitespace of any kind (a tab, a no-break space): linear, one pass. */
const WHITESPACE_RUN = /\s+/g;

/**
 * The one rule by which account numbers and segment values are compared: Visma.net may give
 * them back in another case, padded to the field's width, or with other whitespace than sent
 * (issue 12), so case, surrounding blanks and runs of whitespace do not count. Zeros do: "010"
 * and "10" are two values. What is sent is never changed by it; only what is compared.
 */
export function vismaCodeKey(code: string): string {
	return code.replace(WHITESPACE_RUN, ' ').trim().toUpperCase();
}

/**
 * The net entry of an account and subaccount (and the line's project, task and branch, when it
 * names them), compared by `vismaCodeKey`.
 */
export function netEntry(
	account: string,
	subaccount: readonly string[],
	netCents: Cents,
	dimensions: LineDimensions = {},
): NetEntry {
	return {
		account: vismaCodeKey(account),
		subaccount: subaccount.map(vismaCodeKey),
		netCents,
		...(dimensions.project ? { project: vismaCodeKey(dimensions.project) } : {}),
		...(dimensions.project && dimensions.projectTask
			? { projectTask: vismaCodeKey(dimensions.projectTask) }
			: {}),
		...(dimensions.branch ? { branch: vismaCodeKey(dimensions.branch) } : {}),
	};
}

/**
 * How Post and Get Posting Status read back what Visma.net fills in itself: `nonProjectCode` is
 * the company's non-project code (Projects preferences, PM101000; Visma.net's default "X"), the
 * project of every line sent without one in a company that uses projects.
 */
export function readBackRules(nonProjectCode: string): ReadBackRules {
	return { nonProjectCode: vismaCodeKey(nonProjectCode) };
}

export function toNetEntries(lines: readonly PostingLine[]): NetEntry[] {
	return [...netEntriesOf(lines)];
}

/** `toNetEntries`, one at a time: no array of half a million entries. */
function* netEntriesOf(lines: readonly PostingLine[]): Generator<NetEntry> {
	for (const line of lines)
		yield netEntry(
			line.account,
			subaccountValues(line.subaccount),
			line.debitCents - line.creditCents,
			line,
		);
}

export function partIdentity(part: PostingPart): PartIdentity {
	return {
		companyId: part.companyId,
		reference: part.reference,
		financialPeriod: toFinancialPeriodText(part.financialPeriod),
		...(part.movedFrom ? { movedFrom: toFinancialPeriodText(part.movedFrom) } : {}),
	};
}

export function partKey(part: PostingPart): PartKey {
	const identity = identityKey(partIdentity(part));
	const nets = sumNets(netEntriesOf(part.lines));
	const content = contentHash(nets);
	return { identity, content, nets };
}

/** The key of one posting of the part (`visma.idempotencyKey`): the tag it carries, without brackets. */
export function postingKey(key: Pick<PartKey, 'identity' | 'content'>, revision: number): string {
	return idempotencyKey(key.identity, key.content, revision);
}

/** "project P-01 (task T1), branch 2", or "without a project" / "no branch of its own". */
function describeDimensions(dimensions: LineDimensions): string {
	const project = dimensions.project
		? `project ${shortText(dimensions.project)}${dimensions.projectTask ? ` (task ${shortText(dimensions.projectTask)})` : ''}`
		: 'without a project';
	return dimensions.branch ? `${project}, branch ${shortText(dimensions.branch)}` : project;
}

/**
 * The item's error when the part's latest posting meant exactly this journal, yet Visma.net reads
 * its lines back with other projects or branches (`decidePosting`'s `readBackDiffers`): nothing
 * is posted, since a difference journal would read back the same.
 */
export function readBackDiffersIssue(
	reference: string,
	periodLabel: string,
	found: ReadBackDifference,
): Issue {
	const read = describeDimensions(found.readBack).replace(/^without a project/, 'no project');
	return createIssue(
		'READ_BACK_DIMENSIONS_DIFFER',
		{ reference, path: 'visma.batchNumber' },
		`batch ${found.batchNumber} of this part (${periodLabel}) was posted to book exactly this journal, yet Visma.net reads it back with other projects or branches than were sent (account ${shortText(found.account)}: sent ${describeDimensions(found.sent)}, reads back ${read}). Nothing was posted: another difference journal would read back the same.`,
		'If the company’s non-project code (Project accounting preferences, PM101000) is not X, set Non-Project Code in this node’s options to it. If a line of the batch was changed by hand in Visma.net, correct it there.',
	);
}

/**
 * The item's error when a batch of the part read back from Visma.net has an amount that is no
 * whole number of cents (`decidePosting`'s `unreadable`): which batch, which line, what was read,
 * that nothing was posted (`post`) or judged (`status`), and what to do.
 */
export function unreadableBatchIssue(
	reference: string,
	periodLabel: string,
	found: UnreadableBatch,
	reading: 'post' | 'status',
): Issue {
	const { first, count, lineCount } = found.amounts;
	const proxy =
		'something between n8n and Visma.net changes its answers: check the API URL in the Visma.net credential.';
	if (isUnreadableBatchNumber(first)) {
		return createIssue(
			'BATCH_NUMBER_UNREADABLE',
			{ reference, path: 'visma.batchNumber', field: first.field },
			`a batch of this part (${periodLabel}) cannot be read back from Visma.net: it ${first.reason} (it reads ${displayValue(first.value)}). ${
				reading === 'post'
					? 'Nothing was posted: a batch that cannot be named can be neither completed nor compared, and leaving it out could post the part twice.'
					: 'Its posting status cannot be judged; nothing was changed.'
			}`,
			`Look up this part's batches in Visma.net (Journal transactions, description starting with the tag): if Visma.net shows their numbers, ${proxy}`,
			first.value,
		);
	}
	const account =
		first.account === undefined ? '' : ` (account ${shortText(first.account.trim())})`;
	const more = lineCount === undefined ? 'amount' : 'unreadable value';
	const others = [
		...(count > 1 ? [`${count - 1} more ${more}${count === 2 ? '' : 's'} of this batch`] : []),
		...(found.batchCount > 1
			? [`${found.batchCount - 1} more batch${found.batchCount === 2 ? '' : 'es'} of this part`]
			: []),
	];
	const same = others.length > 0 ? ` (the same for ${others.join(' and ')})` : '';
	if (isUnreadableLine(first)) {
		return createIssue(
			'BATCH_LINE_UNREADABLE',
			{ reference, path: 'visma.batchNumber', field: first.field },
			`batch ${found.batchNumber} of this part (${periodLabel}) cannot be read back from Visma.net: line ${first.line}${account} ${first.reason} (it reads ${first.value === undefined ? 'nothing' : displayValue(first.value)})${same}. ${
				reading === 'post'
					? 'Nothing was posted: without all of its lines it is not known what Visma.net holds of this part, and leaving a line out could post a wrong difference journal.'
					: 'Its posting status cannot be judged without all of its lines; nothing was changed.'
			}`,
			`Open batch ${found.batchNumber} in Visma.net (Journal transactions) and check line ${first.line}: correct it there (or void the batch if it must not count), then run the workflow again. If Visma.net shows it right, ${proxy}`,
			first.value,
		);
	}
	const consequence =
		reading === 'post'
			? 'Nothing was posted: without its amounts it is not known what Visma.net holds of this part, and taking them as 0 could post a wrong difference journal.'
			: 'Its posting status cannot be judged without its amounts; nothing was changed.';
	return createIssue(
		'BATCH_AMOUNT_UNREADABLE',
		{ reference, path: 'visma.batchNumber', field: `${first.side}AmountInCurrency` },
		`batch ${found.batchNumber} of this part (${periodLabel}) cannot be read back from Visma.net: on line ${first.line}${account} the ${first.side} amount ${first.value === undefined ? 'is missing' : `reads ${displayValue(first.value)}, which ${first.reason}`}: not an amount in whole cents${same}. ${consequence}`,
		`Open batch ${found.batchNumber} in Visma.net (Journal transactions) and check the amounts of line ${first.line}: correct them there (or void the batch if it must not count), then run the workflow again. If Visma.net shows them right, ${proxy}`,
		first.value,
	);
}
