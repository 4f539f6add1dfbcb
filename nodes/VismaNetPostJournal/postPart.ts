/**
 * Posting one journal part exactly once (journal-contract §5):
 *
 * 1. read the period's GL batches and match this part's idempotency tag;
 * 2. already there with the same content → `alreadyPosted` (and release it if asked and not yet);
 *    there twice → refused, naming both batches; there with other amounts → `onChangedJournal`;
 * 3. otherwise POST once. A POST whose outcome is unknown (timeout, dropped connection, 5xx) is
 *    never sent again blindly: the period is read again, and the batch is reported if it is
 *    there; if not, the item fails and a rerun (which looks first) posts it.
 */
import { NodeApiError, NodeOperationError, type IDataObject, type IExecuteFunctions, type JsonObject } from 'n8n-workflow';

import {
	bodyTotals,
	buildDifferenceTransaction,
	buildJournalTransaction,
	partKey,
	postingKey,
	readPostedBatch,
	type JournalTransactionBody,
	type PartKey,
	type PostingPart,
	type TransactionOptions,
} from '../core/buildJournalTransaction';
import { decidePosting, findSentBatch, readIdempotencyTag, type PostedBatch } from '../core/idempotency';
import { createIssue } from '../core/issues';
import { formatFinancialPeriod, toFinancialPeriodText, toPeriodIdText, toPostPeriodText } from '../core/period';
import { ItemIssuesError } from '../shared/runPerItem';
import {
	createJournalTransaction,
	failureStatus,
	isOutcomeUnknown,
	listJournalTransactions,
	releaseJournalTransaction,
	type RetryPolicy,
} from '../transport';

export type OnChangedJournal = 'fail' | 'differenceJournal';

export interface PostOptions extends TransactionOptions {
	readonly mode: 'post' | 'dryRun';
	readonly release: boolean;
	readonly onChangedJournal: OnChangedJournal;
	readonly itemIndex: number;
	readonly isTwk: boolean;
	readonly policy?: RetryPolicy;
	/**
	 * The GL batches of each period (by periodId) as read in this execution, kept up to date with
	 * what this execution posts, so that many journals in one period cost one read, not one each.
	 * Lives for one execution only (nothing is kept between executions).
	 */
	readonly periodBatches?: Map<string, PostedBatch[]>;
}

export interface VismaResult extends IDataObject {
	status: 'posted' | 'alreadyPosted' | 'dryRun' | 'failed';
	batchNumber: string | null;
	financialPeriod: string;
	postPeriod: string;
	idempotencyKey: string;
}

/** Statuses from which Visma.net releases a batch. */
const RELEASABLE = new Set(['Balanced']);

function baseResult(part: PostingPart, key: PartKey, options: PostOptions): VismaResult {
	return {
		status: 'failed',
		batchNumber: null,
		financialPeriod: toFinancialPeriodText(part.financialPeriod),
		postPeriod: toPostPeriodText(part.financialPeriod),
		// The first posting's key; once Visma.net is read, the key of the batch sent or found.
		idempotencyKey: postingKey(key, 0),
		isTwk: options.isTwk,
		...(part.movedFrom ? { movedFrom: toFinancialPeriodText(part.movedFrom) } : {}),
	};
}

function summaryText(result: VismaResult, totals: { lineCount: number; debitTotal: string; creditTotal: string }, periodLabel: string): string {
	const what = `${totals.lineCount} lines, debit ${totals.debitTotal} = credit ${totals.creditTotal}`;
	switch (result.status) {
		case 'dryRun':
			return `Dry run for ${periodLabel}: ${what}; nothing sent`;
		case 'alreadyPosted':
			return `Already in Visma.net as batch ${result.batchNumber} (${periodLabel}); nothing posted`;
		default:
			return `${result.difference ? 'Difference journal posted' : 'Posted'} as batch ${result.batchNumber} in ${periodLabel}: ${what}${result.released ? ', released' : ''}`;
	}
}

/** The period's batches: from this execution's reading when there is one, else (or when `fresh`) from Visma.net. */
async function readPeriodBatches(context: IExecuteFunctions, part: PostingPart, options: PostOptions, fresh = false): Promise<PostedBatch[]> {
	const periodId = toPeriodIdText(part.financialPeriod);
	const known = fresh ? undefined : options.periodBatches?.get(periodId);
	if (known) return known;
	const dtos = await listJournalTransactions.call(context, periodId, { itemIndex: options.itemIndex, policy: options.policy });
	const batches = dtos.map(readPostedBatch).filter((batch): batch is PostedBatch => batch !== null);
	options.periodBatches?.set(periodId, batches);
	return batches;
}

/** What this execution posted joins its reading of the period, as Visma.net now holds it. */
function rememberPosted(part: PostingPart, options: PostOptions, batch: PostedBatch): void {
	const batches = options.periodBatches?.get(toPeriodIdText(part.financialPeriod));
	if (batches && !batches.some((known) => known.batchNumber === batch.batchNumber)) batches.push(batch);
}

function fail(issue: ReturnType<typeof createIssue>, result: VismaResult): never {
	const error = new ItemIssuesError([issue]);
	error.itemJson = { visma: result };
	throw error;
}

async function release(context: IExecuteFunctions, batchNumber: string, result: VismaResult, options: PostOptions, reference: string): Promise<void> {
	let reason: string;
	try {
		const outcome = await releaseJournalTransaction.call(context, batchNumber, { itemIndex: options.itemIndex, policy: options.policy });
		if (outcome.actionResult === 'Done' || outcome.actionResult === 'Queued' || outcome.actionResult === 'InProcess') {
			result.released = true;
			result.releaseResult = outcome.actionResult;
			return;
		}
		reason = outcome.errorInfo ?? outcome.actionResult ?? 'no reason given';
	} catch (error) {
		// Refused (4xx) or not answered: the batch is booked all the same, so the item must say so
		// (status and batch number) rather than fail as if nothing had been posted.
		if (!(error instanceof NodeApiError)) throw new NodeOperationError(context.getNode(), error as Error);
		reason = error.message;
	}
	result.released = false;
	fail(
		createIssue(
			'RELEASE_FAILED',
			{ reference, path: 'visma.batchNumber' },
			`batch ${batchNumber} is in Visma.net but could not be released: ${reason}.`,
			'Release it in Visma.net (Journal transactions), or run the workflow again: the batch is found and released, not posted twice.',
		),
		result,
	);
}

/** Posts one part exactly once, or explains why not; a failure still carries `visma` (status failed or posted). */
export async function postPart(context: IExecuteFunctions, part: PostingPart, options: PostOptions): Promise<VismaResult> {
	const key = partKey(part);
	const result = baseResult(part, key, options);
	try {
		return await postWithKey(context, part, options, key, result);
	} catch (error) {
		return failWithResult(context, error, result);
	}
}

/**
 * Every failure of a part carries what is known of it in Visma.net (`visma.status` failed, or
 * posted with its batch number when only the release failed): Continue On Fail puts it on the item.
 */
function failWithResult(context: IExecuteFunctions, error: unknown, result: VismaResult): never {
	if (error instanceof ItemIssuesError) {
		error.itemJson ??= { visma: result };
		throw error;
	}
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		(error.context as IDataObject).itemJson = { visma: result };
		throw error;
	}
	throw new NodeOperationError(context.getNode(), error instanceof Error ? error : String(error));
}

async function postWithKey(context: IExecuteFunctions, part: PostingPart, options: PostOptions, key: PartKey, result: VismaResult): Promise<VismaResult> {
	const periodLabel = formatFinancialPeriod(part.financialPeriod);
	const body = buildJournalTransaction(part, options, key);

	if (options.mode === 'dryRun') {
		result.status = 'dryRun';
		result.request = body as IDataObject;
		Object.assign(result, bodyTotals(body));
		result.summary = summaryText(result, bodyTotals(body), periodLabel);
		return result;
	}

	const batches = await readPeriodBatches(context, part, options);
	// What was there before this POST: a batch found after an unknown outcome must be a new one.
	const readBefore = new Set(batches.map((batch) => batch.batchNumber));
	const decision = decidePosting(batches, key.identity, key.nets);
	let toSend: JournalTransactionBody = body;

	if (decision.action === 'alreadyPosted') {
		result.status = 'alreadyPosted';
		result.batchNumber = decision.batchNumber;
		Object.assign(result, bodyTotals(body));
		const found = batches.find((batch) => batch.batchNumber === decision.batchNumber);
		const foundTag = readIdempotencyTag(found?.description);
		if (foundTag) result.idempotencyKey = postingKey(key, foundTag.revision);
		if (found?.status) result.batchStatus = found.status;
		if (options.release && !options.hold && found?.status && RELEASABLE.has(found.status)) {
			await release(context, decision.batchNumber, result, options, part.reference);
		}
		result.summary = summaryText(result, bodyTotals(body), periodLabel);
		return result;
	}
	if (decision.action === 'duplicate') {
		const { batchNumbers, copies } = decision;
		const keep = batchNumbers.filter((batchNumber) => !copies.includes(batchNumber));
		fail(
			createIssue(
				'JOURNAL_DUPLICATED',
				{ reference: part.reference, path: 'visma.batchNumber' },
				`this part (${periodLabel}) is in Visma.net more than once: batches ${batchNumbers.join(' and ')} carry the same tag (the same posting). Two runs of the workflow may have posted at the same moment.`,
				copies.length > 0
					? `Void only the later copy: batch ${copies.join(' and batch ')} (Journal transactions, Void); keep batch ${keep.join(' and batch ')}. Then run the workflow again; nothing more is posted.`
					: 'They carry the same tag but book different amounts, so neither is a plain copy: void nothing yet, compare the batches in Visma.net (Journal transactions) and correct them by hand.',
			),
			result,
		);
	}
	if (decision.action === 'changed') {
		result.previousBatchNumbers = [...decision.batchNumbers];
		if (options.onChangedJournal !== 'differenceJournal') {
			fail(
				createIssue(
					'JOURNAL_CHANGED',
					{ reference: part.reference, path: 'lines' },
					`this part (${periodLabel}) was posted before as batch ${decision.batchNumbers.join(', ')} with other amounts: the payroll was recalculated after it was sent.`,
					'Set On Changed Journal to "Post Difference Journal" to book only the difference, or correct the batch in Visma.net.',
				),
				result,
			);
		}
		toSend = buildDifferenceTransaction(part, decision.difference, options, key, decision.batchNumbers, decision.revision);
		result.difference = true;
	} else {
		toSend = buildJournalTransaction(part, options, key, decision.revision);
	}
	result.idempotencyKey = postingKey(key, decision.revision);

	const operation = `posting journal ${part.reference} for ${periodLabel}`;
	let batchNumber: string | undefined;
	try {
		({ batchNumber } = await createJournalTransaction.call(context, toSend as unknown as IDataObject, { operation, itemIndex: options.itemIndex, policy: options.policy }));
	} catch (error) {
		if (!isOutcomeUnknown(error)) throw new NodeApiError(context.getNode(), error as JsonObject);
		// The POST may or may not have been booked: look, never guess.
		const recovered = await findAfterUnknownOutcome(context, part, toSend, readBefore, options);
		if (!recovered) {
			fail(
				createIssue(
					'POST_OUTCOME_UNKNOWN',
					{ reference: part.reference, path: 'visma.batchNumber' },
					`Visma.net did not confirm ${operation} (${(error as Error).message}), and the batch is not in Visma.net.`,
					isRedirect(error)
						? `${(error as NodeApiError).description ?? ''}`
						: 'Run the workflow again: it looks in Visma.net first, so the journal is posted once and never twice.',
				),
				result,
			);
		}
		batchNumber = recovered;
		result.recovered = true;
	}
	if (!batchNumber) {
		// Answered 2xx, but without a Location that names the batch: only the period itself can
		// confirm it was booked. Not found there, nothing is known to be booked: never "posted".
		const found = await findAfterUnknownOutcome(context, part, toSend, readBefore, options);
		if (!found) {
			fail(
				createIssue(
					'POST_OUTCOME_UNKNOWN',
					{ reference: part.reference, path: 'visma.batchNumber' },
					`Visma.net answered ${operation} without naming the new batch (no usable Location header), and the batch is not in Visma.net's ${periodLabel} batches.`,
					'Check in Visma.net (Journal transactions) whether the journal is there, then run the workflow again: it looks in Visma.net first, so the journal is posted once and never twice. If this repeats, check that the API URL in the credential is Visma.net itself or a proxy that passes its answers on unchanged.',
				),
				result,
			);
		}
		batchNumber = found;
	}
	result.status = 'posted';
	result.batchNumber = batchNumber;
	rememberPosted(part, options, {
		batchNumber,
		description: (toSend.description as { value: string }).value,
		status: options.hold ? 'Hold' : 'Balanced',
		entries: decision.action === 'changed' ? [...decision.difference.values()] : [...key.nets.values()],
	});
	Object.assign(result, bodyTotals(toSend));
	if (options.release && !options.hold) await release(context, batchNumber, result, options, part.reference);
	result.summary = summaryText(result, bodyTotals(toSend), periodLabel);
	return result;
}

/** A 3xx answer: its description says to correct the API URL before running again. */
function isRedirect(error: unknown): boolean {
	const status = failureStatus(error);
	return status !== undefined && status >= 300 && status < 400;
}

/**
 * After an unknown outcome: the batch with exactly the tag sent (part, content and revision) that
 * was not in the period before this POST, if Visma.net booked it.
 */
async function findAfterUnknownOutcome(
	context: IExecuteFunctions,
	part: PostingPart,
	sent: JournalTransactionBody,
	readBefore: ReadonlySet<string>,
	options: PostOptions,
): Promise<string | null> {
	const batches = await readPeriodBatches(context, part, options, true);
	return findSentBatch(batches, (sent.description as { value: string }).value, readBefore);
}
