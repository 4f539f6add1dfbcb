/**
 * Posting one journal part exactly once (journal-contract §5):
 *
 * 1. read the period's GL batches and match this part's idempotency tag;
 * 2. already there with the same content → `alreadyPosted` (and release it if asked and not yet);
 *    there twice → refused, naming both batches; there with other amounts → `onChangedJournal`;
 * 3. otherwise POST once. A POST whose outcome is unknown (timeout, dropped connection, 5xx) is
 *    never sent again blindly: the period is read again, and the batch is reported if it is
 *    there; if not, the item fails and a rerun (which looks first) posts it.
 *
 * With Batch Numbers = derived, step 1 comes last: the part is POSTed first under
 * `derivedBatchNumber(identity, 0)` (one call), and Visma.net's uniqueness of batch numbers is the
 * lock. A refused or unanswered POST is settled by reading the batch under that number (never
 * Visma.net's wording); when it holds this part, the period is read and decided as above, and any
 * posting that follows carries the derived number of its revision.
 */
import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type JsonObject,
} from 'n8n-workflow';

import {
	partKey,
	postingKey,
	readBackDiffersIssue,
	unreadableBatchIssue,
	type PartKey,
	type PostingPart,
	type TransactionOptions,
} from '../core/buildJournalTransaction';
import {
	carriesSentTag,
	decidePosting,
	findSentBatch,
	findUnreadableBatch,
	isHeld,
	readIdempotencyTag,
	settleRace,
	type PostedBatch,
	type ReadBackRules,
	type UnreadableBatch,
} from '../core/idempotency';
import { clip, createIssue, type Issue } from '../core/issues';
import {
	formatFinancialPeriod,
	toFinancialPeriodText,
	toPeriodIdText,
	toPostPeriodText,
} from '../core/period';
import {
	bodyTotals,
	buildDifferenceTransaction,
	buildJournalTransaction,
	descriptionOf,
	offHoldBody,
	readPostedBatch,
	requestedBatchNumber,
	standDownBody,
	withDerivedBatchNumber,
	type JournalTransactionBody,
} from '../core/vismaNetModel';
import {
	createJournalTransaction,
	failureStatus,
	getJournalTransaction,
	isOutcomeUnknown,
	isRefusedWithVismaText,
	listJournalTransactions,
	releaseJournalTransaction,
	updateJournalTransaction,
	type RetryPolicy,
} from '../transport';

export type OnChangedJournal = 'fail' | 'differenceJournal';
/** Who numbers the batches: Visma.net's number series, or `derivedBatchNumber` (journal-contract §5). */
export type BatchNumbers = 'series' | 'derived';

export interface PostOptions extends TransactionOptions {
	readonly mode: 'post' | 'dryRun';
	readonly release: boolean;
	readonly onChangedJournal: OnChangedJournal;
	/** Default `series`. */
	readonly batchNumbers?: BatchNumbers;
	readonly itemIndex: number;
	readonly isTwk: boolean;
	readonly policy?: RetryPolicy;
	/** How lines read back (the non-project code); Visma.net's default when absent. */
	readonly readBack?: ReadBackRules;
	/**
	 * The GL batches of each period (by periodId) as read in this execution, kept up to date with
	 * what this execution posts, so that many journals in one period cost one read, not one each.
	 * Lives for one execution only (nothing is kept between executions).
	 */
	readonly periodBatches?: Map<string, PostedBatch[]>;
}

/**
 * What Post says of a part in Visma.net: the item's `visma` (journal-contract §7). Built up while
 * the part is posted; a failure still carries it (status failed, or posted with its batch number
 * when only the release failed).
 */
export interface VismaResult {
	status: 'posted' | 'alreadyPosted' | 'dryRun' | 'failed';
	batchNumber: string | null;
	financialPeriod: string;
	postPeriod: string;
	idempotencyKey: string;
	isTwk: boolean;
	/** YYYYMM of the period a moved part concerns. */
	movedFrom?: string;
	/** Dry run: the exact body that would be sent. */
	request?: JournalTransactionBody;
	lineCount?: number;
	debitTotal?: string;
	creditTotal?: string;
	summary?: string;
	/** The batch's status in Visma.net, when read (already posted; a failure naming a batch). */
	batchStatus?: string;
	released?: boolean;
	releaseResult?: string;
	/** A difference journal was posted (On Changed Journal: Post Difference Journal). */
	difference?: boolean;
	previousBatchNumbers?: string[];
	/** The POST's outcome was unknown (or named no batch) and the batch was found by reading. */
	recovered?: boolean;
	tookOffHold?: string;
	/** This execution's copy of the part, which lost a race and stood down. */
	heldCopy?: string;
	unmarkedCopies?: string[];
}

/**
 * How posting a part ended: a result, never a side channel. Each failure carries what is known
 * of the part in Visma.net (`visma`), for the item's output under Continue On Fail.
 */
export type PostOutcome =
	/** Posted now (a difference journal too: `visma.difference`), released when asked. */
	| { readonly kind: 'posted'; readonly visma: VismaResult }
	/** Visma.net already holds the part (also when this execution's racing copy stood down). */
	| { readonly kind: 'alreadyPosted'; readonly visma: VismaResult }
	/** Nothing sent: `visma.request` is what would be. */
	| { readonly kind: 'dryRun'; readonly visma: VismaResult }
	/** Visma.net holds the part with other amounts, and On Changed Journal says fail (JOURNAL_CHANGED). */
	| { readonly kind: 'changed'; readonly issues: readonly Issue[]; readonly visma: VismaResult }
	/** Not posted (or posted but not released), for the reasons the issues give. */
	| { readonly kind: 'failed'; readonly issues: readonly Issue[]; readonly visma: VismaResult }
	/** Visma.net refused or did not answer a call (`VismaNetApiError`), or n8n refused one. */
	| {
			readonly kind: 'error';
			readonly error: NodeApiError | NodeOperationError;
			readonly visma: VismaResult;
	  };

/** The item's json form of a result (n8n items hold plain JSON). */
export function vismaJson(visma: VismaResult): IDataObject {
	return visma as unknown as IDataObject;
}

/** How a step ends when the part is in Visma.net (or would be: a dry run): `postPart`'s outcome. */
type Booked = Extract<PostOutcome, { kind: 'posted' | 'alreadyPosted' | 'dryRun' }>;

/** How a step ends when the part stops: JOURNAL_CHANGED, or refused for the reason its issue gives. */
type Stopped = Extract<PostOutcome, { kind: 'changed' | 'failed' }>;

/** What a step returns: the part booked (or a dry run), or stopped; `postPart`'s outcome either way. */
type Step = Booked | Stopped;

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

function summaryText(
	result: VismaResult,
	totals: { lineCount: number; debitTotal: string; creditTotal: string },
	periodLabel: string,
): string {
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
async function readPeriodBatches(
	context: IExecuteFunctions,
	part: PostingPart,
	options: PostOptions,
	fresh = false,
): Promise<PostedBatch[]> {
	const periodId = toPeriodIdText(part.financialPeriod);
	const known = fresh ? undefined : options.periodBatches?.get(periodId);
	if (known) return known;
	const dtos = await listJournalTransactions.call(context, periodId, {
		itemIndex: options.itemIndex,
		policy: options.policy,
	});
	const batches = dtos.map(readPostedBatch).filter((batch): batch is PostedBatch => batch !== null);
	options.periodBatches?.set(periodId, batches);
	return batches;
}

/** What this execution posted joins its reading of the period, as Visma.net now holds it. */
function rememberPosted(part: PostingPart, options: PostOptions, batch: PostedBatch): void {
	const batches = options.periodBatches?.get(toPeriodIdText(part.financialPeriod));
	if (batches && !batches.some((known) => known.batchNumber === batch.batchNumber))
		batches.push(batch);
}

function stop(issue: Issue, visma: VismaResult, kind: 'changed' | 'failed' = 'failed'): Stopped {
	return { kind, issues: [issue], visma };
}

/** Releases a batch: what Visma.net did, or why it did not release it. */
async function release(
	context: IExecuteFunctions,
	batchNumber: string,
	options: PostOptions,
): Promise<{ released: true; releaseResult: string } | { released: false; reason: string }> {
	try {
		const outcome = await releaseJournalTransaction.call(context, batchNumber, {
			itemIndex: options.itemIndex,
			policy: options.policy,
		});
		if (
			outcome.actionResult === 'Done' ||
			outcome.actionResult === 'Queued' ||
			outcome.actionResult === 'InProcess'
		)
			return { released: true, releaseResult: outcome.actionResult };
		return {
			released: false,
			reason: outcome.errorInfo ?? outcome.actionResult ?? 'no reason given',
		};
	} catch (error) {
		// Refused (4xx) or not answered: the batch is booked all the same, so the item must say so
		// (status and batch number) rather than fail as if nothing had been posted.
		if (!(error instanceof NodeApiError))
			throw new NodeOperationError(context.getNode(), error as Error);
		return { released: false, reason: error.message };
	}
}

/**
 * Posts one part exactly once, or says why not: every way it can end is an outcome (a fault in
 * the code is still thrown).
 */
export async function postPart(
	context: IExecuteFunctions,
	part: PostingPart,
	options: PostOptions,
): Promise<PostOutcome> {
	const key = partKey(part);
	const result = baseResult(part, key, options);
	try {
		return await postWithKey(context, part, options, key, result);
	} catch (error) {
		if (error instanceof NodeApiError || error instanceof NodeOperationError)
			return { kind: 'error', error, visma: result };
		throw new NodeOperationError(context.getNode(), error instanceof Error ? error : String(error));
	}
}

async function postWithKey(
	context: IExecuteFunctions,
	part: PostingPart,
	options: PostOptions,
	key: PartKey,
	result: VismaResult,
): Promise<Step> {
	const periodLabel = formatFinancialPeriod(part.financialPeriod);
	// The body as sent: On Hold first with Visma.net's number series, under its derived number otherwise.
	const body = buildJournalTransaction(part, sendOptions(options), key);
	const derived = options.batchNumbers === 'derived';
	const numbered = (unnumbered: JournalTransactionBody, revision: number) =>
		derived ? withDerivedBatchNumber(unnumbered, key.identity, revision) : unnumbered;

	if (options.mode === 'dryRun') {
		result.status = 'dryRun';
		result.request = numbered(body, 0);
		const totals = bodyTotals(body);
		Object.assign(result, totals);
		result.summary = summaryText(result, totals, periodLabel);
		return { kind: 'dryRun', visma: result };
	}

	if (derived) {
		// No reading first: Visma.net refuses a second batch with this number, so the POST is the lock.
		const first = numbered(body, 0);
		const sent = await sendDerived(context, part, options, first, result);
		if (sent.kind === 'posted') {
			if (sent.recovered) result.recovered = true;
			return await reportBatch(context, part, options, result, {
				status: 'posted',
				batchNumber: sent.batchNumber,
				body: first,
				entries: [...key.nets.values()],
			});
		}
		if (sent.kind !== 'mine') return sent;
		// The number holds a batch of this part: what to do depends on all of the part's batches.
	}

	return await postFromReading(context, part, options, key, result, body);
}

/** How often an execution decides again when another posting of the part stood in a race: then it fails, and a rerun settles it. */
const MAX_POSTING_ROUNDS = 3;

/**
 * Reads the part's period, settles what racing executions left (`settle`), decides, and posts
 * what is missing: with Visma.net's number series On Hold first (`postHeld`); with derived
 * numbers under the number of the revision.
 */
async function postFromReading(
	context: IExecuteFunctions,
	part: PostingPart,
	options: PostOptions,
	key: PartKey,
	result: VismaResult,
	body: JournalTransactionBody,
): Promise<Step> {
	const periodLabel = formatFinancialPeriod(part.financialPeriod);
	const derived = options.batchNumbers === 'derived';
	let batches = await readPeriodBatches(context, part, options, derived);
	for (let round = 1; ; round++) {
		// Before anything is changed (a held batch taken off hold, a copy marked): a batch of the part
		// whose amounts cannot be read stops the part.
		const unreadable = findUnreadableBatch(batches, key.identity);
		if (unreadable) return unreadableStop(part, unreadable, result);
		const settled = await settle(context, part, options, key, batches, result);
		if (!Array.isArray(settled)) return settled;
		batches = settled;
		const decision = decidePosting(batches, key.identity, key.nets, options.readBack);
		if (decision.action === 'unreadable') return unreadableStop(part, decision, result);

		if (decision.action === 'alreadyPosted') {
			const found = batches.find((batch) => batch.batchNumber === decision.batchNumber);
			return await reportBatch(context, part, options, result, {
				status: 'alreadyPosted',
				batchNumber: decision.batchNumber,
				body,
				found,
			});
		}
		if (decision.action === 'duplicate') return duplicateStop(part, decision, result);
		let toSend: JournalTransactionBody;
		if (decision.action === 'changed') {
			result.previousBatchNumbers = [...decision.batchNumbers];
			if (decision.readBackDiffers)
				return stop(
					readBackDiffersIssue(part.reference, periodLabel, decision.readBackDiffers),
					result,
				);
			if (options.onChangedJournal !== 'differenceJournal') {
				return stop(
					createIssue(
						'JOURNAL_CHANGED',
						{ reference: part.reference, path: 'lines' },
						`this part (${periodLabel}) was posted before as batch ${decision.batchNumbers.join(', ')} with other amounts: the payroll was recalculated after it was sent.`,
						'Set On Changed Journal to "Post Difference Journal" to book only the difference, or correct the batch in Visma.net.',
					),
					result,
					'changed',
				);
			}
			toSend = buildDifferenceTransaction(
				part,
				decision.difference,
				sendOptions(options),
				key,
				decision.batchNumbers,
				decision.revision,
			);
			result.difference = true;
		} else {
			toSend = buildJournalTransaction(part, sendOptions(options), key, decision.revision);
		}
		result.idempotencyKey = postingKey(key, decision.revision);
		const entries =
			decision.action === 'changed' ? [...decision.difference.values()] : [...key.nets.values()];

		if (derived)
			return await postDerivedRevision(
				context,
				part,
				options,
				result,
				body,
				withDerivedBatchNumber(toSend, key.identity, decision.revision),
				entries,
			);

		if (round > MAX_POSTING_ROUNDS) {
			return stop(
				createIssue(
					'POSTING_RACE',
					{ reference: part.reference, path: 'visma.batchNumber' },
					`other executions posted other versions of this part (${periodLabel}) at the same moment, ${MAX_POSTING_ROUNDS} times over; nothing of this execution is booked.`,
					'Make sure only one workflow posts this payroll, then run it again: it books what is missing, once.',
				),
				result,
			);
		}
		const outcome = await postHeld(
			context,
			part,
			options,
			key,
			result,
			toSend,
			batches,
			decision.revision,
			entries,
		);
		if (outcome.kind !== 'again') return outcome;
		// Another posting of this revision, with other amounts, stood: decide again on what is there now.
		batches = outcome.batches;
	}
}

/** What is sent: with Visma.net's number series every posting is saved On Hold first (the race protection). */
function sendOptions(options: PostOptions): TransactionOptions {
	return options.batchNumbers === 'derived' ? options : { ...options, hold: true };
}

function unreadableStop(part: PostingPart, found: UnreadableBatch, result: VismaResult): Stopped {
	return stop(
		unreadableBatchIssue(
			part.reference,
			formatFinancialPeriod(part.financialPeriod),
			found,
			'post',
		),
		result,
	);
}

function duplicateStop(
	part: PostingPart,
	decision: { batchNumbers: readonly string[]; copies: readonly string[] },
	result: VismaResult,
): Stopped {
	const { batchNumbers, copies } = decision;
	const keep = batchNumbers.filter((batchNumber) => !copies.includes(batchNumber));
	return stop(
		createIssue(
			'JOURNAL_DUPLICATED',
			{ reference: part.reference, path: 'visma.batchNumber' },
			`this part (${formatFinancialPeriod(part.financialPeriod)}) is in Visma.net more than once: batches ${batchNumbers.join(' and ')} carry the same tag (the same posting), and they are not On Hold.`,
			copies.length > 0
				? `Void only the later copy: batch ${copies.join(' and batch ')} (Journal transactions, Void); keep batch ${keep.join(' and batch ')}. Then run the workflow again; nothing more is posted.`
				: 'They carry the same tag but book different amounts, so neither is a plain copy: void nothing yet, compare the batches in Visma.net (Journal transactions) and correct them by hand.',
		),
		result,
	);
}

/** Derived numbers: the posting of a revision, sent under its own number (Visma.net refuses it a second time). */
async function postDerivedRevision(
	context: IExecuteFunctions,
	part: PostingPart,
	options: PostOptions,
	result: VismaResult,
	body: JournalTransactionBody,
	toSend: JournalTransactionBody,
	entries: PostedBatch['entries'],
): Promise<Step> {
	const sent = await sendDerived(context, part, options, toSend, result);
	if (sent.kind === 'posted') {
		if (sent.recovered) result.recovered = true;
		return await reportBatch(context, part, options, result, {
			status: 'posted',
			batchNumber: sent.batchNumber,
			body: toSend,
			entries,
		});
	}
	if (sent.kind !== 'mine') return sent;
	// Another execution posted this very posting a moment ago: it is there once.
	if (carriesSentTag(sent.batch, descriptionOf(toSend)))
		return await reportBatch(context, part, options, result, {
			status: 'alreadyPosted',
			batchNumber: sent.batch.batchNumber,
			body,
			found: sent.batch,
		});
	return stop(
		createIssue(
			'BATCH_NUMBER_TAKEN',
			{ reference: part.reference, path: 'visma.batchNumber' },
			`batch ${sent.batch.batchNumber}, the number of this posting of the part (${formatFinancialPeriod(part.financialPeriod)}), holds another posting of it: the journal changed in Visma.net while it was being posted.`,
			'Run the workflow again: it reads the part’s batches and posts only what is missing.',
		),
		result,
	);
}

/**
 * What racing executions (or an interrupted one) left of this part, put right before anything
 * is decided (`settleRace`): a held copy beaten by a lower batch of its revision is marked as a
 * duplicate and stays on hold; the batch that stands is taken off hold (unless Post keeps its
 * batches on hold). Anyone may do either: every reader reaches the same verdict. Returns the
 * batches to decide on, and keeps this execution's reading of the period up to date.
 */
async function settle(
	context: IExecuteFunctions,
	part: PostingPart,
	options: PostOptions,
	key: PartKey,
	batches: PostedBatch[],
	result: VismaResult,
): Promise<PostedBatch[] | Stopped> {
	const { standing, standDown, counted } = settleRace(batches, key.identity);
	const toComplete = options.hold ? [] : [...standing.values()].filter(isHeld);
	if (standDown.length === 0 && toComplete.length === 0) return batches;
	const request = { itemIndex: options.itemIndex, policy: options.policy };
	for (const { copy, standing: first } of standDown) {
		try {
			await updateJournalTransaction.call(context, copy.batchNumber, standDownBody(copy, first), {
				...request,
				operation: `marking batch ${copy.batchNumber} as a duplicate of batch ${first.batchNumber}`,
			});
		} catch (error) {
			// The mark only tells people: the copy is On Hold, and every reader leaves it there.
			if (!(error instanceof NodeApiError))
				throw new NodeOperationError(context.getNode(), error as Error);
			result.unmarkedCopies = [...(result.unmarkedCopies ?? []), copy.batchNumber];
		}
	}
	const completed = new Map<PostedBatch, PostedBatch>();
	for (const batch of toComplete) {
		try {
			await updateJournalTransaction.call(context, batch.batchNumber, offHoldBody(), {
				...request,
				operation: `taking GL batch ${batch.batchNumber} off hold`,
			});
		} catch (error) {
			if (!(error instanceof NodeApiError))
				throw new NodeOperationError(context.getNode(), error as Error);
			return stop(
				createIssue(
					'HOLD_NOT_CLEARED',
					{ reference: part.reference, path: 'visma.batchNumber' },
					`batch ${batch.batchNumber} of this part (${formatFinancialPeriod(part.financialPeriod)}) is in Visma.net On Hold, and could not be taken off hold: ${error.message}.`,
					'Run the workflow again: it finds the batch and takes it off hold (nothing is posted twice). Or clear Hold on the batch in Visma.net (Journal transactions).',
				),
				{ ...result, batchNumber: batch.batchNumber, batchStatus: 'Hold' },
			);
		}
		completed.set(batch, { ...batch, status: 'Balanced' });
		if (readIdempotencyTag(batch.description)?.content === key.content)
			result.tookOffHold = batch.batchNumber;
	}
	const settled = counted.map((batch) => completed.get(batch) ?? batch);
	options.periodBatches?.set(toPeriodIdText(part.financialPeriod), settled);
	return settled;
}

/** A posting On Hold: the part's step, or `again` (another posting of this revision stood: decide again). */
type HeldOutcome = Step | { kind: 'again'; batches: PostedBatch[] };

/**
 * Posts one posting of the part On Hold, reads the period again and settles: when this batch
 * has the lowest number of its revision it stands (taken off hold, released when asked); else
 * it stood down, and the batch that stands is reported when it books this very posting.
 * Visma.net's answer to the POST only names a batch: the reading says what was saved.
 */
async function postHeld(
	context: IExecuteFunctions,
	part: PostingPart,
	options: PostOptions,
	key: PartKey,
	result: VismaResult,
	toSend: JournalTransactionBody,
	before: readonly PostedBatch[],
	revision: number,
	entries: PostedBatch['entries'],
): Promise<HeldOutcome> {
	const periodLabel = formatFinancialPeriod(part.financialPeriod);
	const operation = `posting journal ${part.reference} for ${periodLabel}`;
	const sentDescription = descriptionOf(toSend);
	// What was there before this POST: the batch it saved must be a new one.
	const readBefore = new Set(before.map((batch) => batch.batchNumber));
	let answered: string | undefined;
	let unknown: Error | undefined;
	try {
		({ batchNumber: answered } = await createJournalTransaction.call(context, toSend, {
			operation,
			itemIndex: options.itemIndex,
			policy: options.policy,
		}));
	} catch (error) {
		if (!isOutcomeUnknown(error)) throw new NodeApiError(context.getNode(), error as JsonObject);
		// The POST may or may not have been booked: look, never guess.
		unknown = error as Error;
	}
	const fresh = await readPeriodBatches(context, part, options, true);
	const isNew = (batch: PostedBatch) => !readBefore.has(batch.batchNumber);
	const named =
		answered === undefined
			? undefined
			: fresh.find((batch) => sameBatchNumber(batch.batchNumber, answered));
	// The batch this POST saved: the one Visma.net named when it carries the tag sent, else a new batch that does.
	const saved =
		named && isNew(named) && carriesSentTag(named, sentDescription)
			? named
			: fresh.find(
					(batch) => batch.batchNumber === findSentBatch(fresh, sentDescription, readBefore),
				);
	if (!saved) {
		if (!unknown && named && isNew(named) && readIdempotencyTag(named.description) === null) {
			return stop(
				createIssue(
					'TAG_NOT_KEPT',
					{ reference: part.reference, path: 'visma.batchNumber' },
					`Visma.net saved ${operation} as batch ${named.batchNumber}, but not with the tag this package puts at the start of the batch description (it reads back as "${clip(named.description, 60)}"). Without the tag a rerun cannot see that the journal is there and would post it again.`,
					`Batch ${named.batchNumber} is On Hold and not booked: delete it in Visma.net (Journal transactions). Do not run the workflow again until the batch description keeps the text as sent (check the description field's length and any customisation of it in Visma.net).`,
				),
				{ ...result, batchNumber: named.batchNumber, batchStatus: 'Hold' },
			);
		}
		return stop(
			createIssue(
				'POST_OUTCOME_UNKNOWN',
				{ reference: part.reference, path: 'visma.batchNumber' },
				unknown
					? isRefusedWithVismaText(unknown)
						? `${unknown.message}; the batch is not in Visma.net.`
						: `Visma.net did not confirm ${operation} (${unknown.message}), and the batch is not in Visma.net.`
					: `Visma.net answered ${operation}${answered === undefined ? ' without naming the new batch (no usable Location header)' : ` with batch ${answered}`}, but no new batch of this journal is in Visma.net's ${periodLabel} batches.`,
				unknown && (isRedirect(unknown) || isRefusedWithVismaText(unknown))
					? `${(unknown as NodeApiError).description ?? ''}`
					: unknown
						? 'Run the workflow again: it looks in Visma.net first, so the journal is posted once and never twice.'
						: 'Check in Visma.net (Journal transactions) whether the journal is there, then run the workflow again: it looks in Visma.net first, and a batch of this journal left On Hold is completed, never posted twice. If this repeats, check that the API URL in the credential is Visma.net itself or a proxy that passes its answers on unchanged.',
			),
			result,
		);
	}
	if (unknown || saved !== named) result.recovered = true;
	const settled = await settle(context, part, options, key, fresh, result);
	if (!Array.isArray(settled)) return settled;
	const stands = settleRace(settled, key.identity).standing.get(revision);
	if (stands?.batchNumber === saved.batchNumber) {
		delete result.tookOffHold;
		return await reportBatch(context, part, options, result, {
			status: 'posted',
			batchNumber: saved.batchNumber,
			body: toSend,
			entries,
		});
	}
	// This copy lost the race and stood down (On Hold, marked); the batch that stands decides.
	result.heldCopy = saved.batchNumber;
	if (stands && carriesSentTag(stands, sentDescription)) {
		return await reportBatch(context, part, options, result, {
			status: 'alreadyPosted',
			batchNumber: stands.batchNumber,
			body: toSend,
			found: stands,
		});
	}
	return { kind: 'again', batches: settled };
}

/** The part's batch in Visma.net: posted by this execution, or found there already. */
type ReportedBatch =
	| {
			readonly status: 'posted';
			readonly batchNumber: string;
			/** The body sent. */
			readonly body: JournalTransactionBody;
			/** What the batch books, as this execution's reading of the period will hold it. */
			readonly entries: PostedBatch['entries'];
	  }
	| {
			readonly status: 'alreadyPosted';
			readonly batchNumber: string;
			/** The part's body, for its totals. */
			readonly body: JournalTransactionBody;
			/** The batch as read, when it was. */
			readonly found: PostedBatch | undefined;
	  };

/**
 * The part's batch reported: one this execution posted (remembered for the execution's other
 * items) or one Visma.net already holds (its key and status as read); released when asked and,
 * for a batch found, when its status allows it.
 */
async function reportBatch(
	context: IExecuteFunctions,
	part: PostingPart,
	options: PostOptions,
	result: VismaResult,
	batch: ReportedBatch,
): Promise<Step> {
	const { batchNumber, body } = batch;
	result.status = batch.status;
	result.batchNumber = batchNumber;
	if (batch.status === 'posted') {
		rememberPosted(part, options, {
			batchNumber,
			description: descriptionOf(body),
			status: options.hold ? 'Hold' : 'Balanced',
			entries: batch.entries,
		});
	}
	const totals = bodyTotals(body);
	Object.assign(result, totals);
	let releasable = true;
	if (batch.status === 'alreadyPosted') {
		const foundTag = readIdempotencyTag(batch.found?.description);
		if (foundTag) result.idempotencyKey = postingKey(partKey(part), foundTag.revision);
		const batchStatus = batch.found?.status;
		if (batchStatus) result.batchStatus = batchStatus;
		releasable = batchStatus !== undefined && RELEASABLE.has(batchStatus);
	}
	if (options.release && !options.hold && releasable) {
		const released = await release(context, batchNumber, options);
		result.released = released.released;
		if (!released.released) {
			return stop(
				createIssue(
					'RELEASE_FAILED',
					{ reference: part.reference, path: 'visma.batchNumber' },
					`batch ${batchNumber} is in Visma.net but could not be released: ${released.reason}.`,
					'Release it in Visma.net (Journal transactions), or run the workflow again: the batch is found and released, not posted twice.',
				),
				result,
			);
		}
		result.releaseResult = released.releaseResult;
	}
	result.summary = summaryText(result, totals, formatFinancialPeriod(part.financialPeriod));
	return { kind: batch.status, visma: result };
}

/** What to tick when Visma.net refuses a derived batch number because the series does not allow it. */
export const MANUAL_NUMBERING_ADVICE =
	'In Visma.net open Number series (CS201010), the GL batch number series, tick Allow manual numbering on imports, or set Post’s Batch Numbers to Visma.net’s number series.';

type DerivedOutcome =
	| { kind: 'posted'; batchNumber: string; recovered: boolean }
	| { kind: 'mine'; batch: PostedBatch }
	| Stopped;

/** The batch Visma.net holds under `batchNumber`, or null when it holds none (404). */
async function readBatch(
	context: IExecuteFunctions,
	batchNumber: string,
	options: PostOptions,
): Promise<PostedBatch | null> {
	try {
		return readPostedBatch(
			await getJournalTransaction.call(context, batchNumber, {
				itemIndex: options.itemIndex,
				policy: options.policy,
			}),
		);
	} catch (error) {
		if (failureStatus(error) === 404) return null;
		throw error instanceof NodeApiError
			? error
			: new NodeOperationError(context.getNode(), error as Error);
	}
}

/**
 * POSTs a body carrying its derived batch number. Visma.net's wording of a refusal is never read:
 * whatever it refused or left unanswered, the batch under the number says what happened. With
 * this posting's tag it was booked (by this POST, or a racing execution's); with another tag of
 * this part it is `mine` (the caller decides with all of the part's batches); with no batch or
 * another part's, the item fails.
 */
async function sendDerived(
	context: IExecuteFunctions,
	part: PostingPart,
	options: PostOptions,
	body: JournalTransactionBody,
	result: VismaResult,
): Promise<DerivedOutcome> {
	const number = requestedBatchNumber(body);
	if (number === undefined)
		throw new RangeError('sendDerived: the body carries no derived batch number');
	const sentDescription = descriptionOf(body);
	const periodLabel = formatFinancialPeriod(part.financialPeriod);
	const operation = `posting journal ${part.reference} for ${periodLabel} as batch ${number}`;
	let refusal: NodeApiError | undefined;
	let unknown: Error | undefined;
	let answered = false;
	let otherNumber: string | undefined;
	try {
		const { batchNumber } = await createJournalTransaction.call(context, body, {
			operation,
			itemIndex: options.itemIndex,
			policy: options.policy,
		});
		if (batchNumber !== undefined && sameBatchNumber(batchNumber, number))
			return { kind: 'posted', batchNumber, recovered: false };
		// No number, or another one than the derived number (a broken proxy, or a Visma.net that did
		// not take the number): only the batch under the derived number can confirm the booking.
		otherNumber = batchNumber;
		unknown = new Error(
			batchNumber === undefined
				? 'answered without a usable Location header'
				: `answered with batch ${batchNumber}, not the derived number ${number}`,
		);
		answered = true;
	} catch (error) {
		if (isOutcomeUnknown(error)) unknown = error as Error;
		else refusal = new NodeApiError(context.getNode(), error as JsonObject);
	}
	const found = await readBatch(context, number, options);
	const identity = partKey(part).identity;
	if (found && readIdempotencyTag(found.description)?.identity === identity) {
		// Answered 2xx without a number, or not answered, and this very posting is there: booked by this POST.
		// (Read under the derived number: a batch read back without its number is the one asked for.)
		if (!refusal && carriesSentTag(found, sentDescription))
			return { kind: 'posted', batchNumber: found.batchNumber || number, recovered: !answered };
		return { kind: 'mine', batch: found };
	}
	if (found) {
		return stop(
			createIssue(
				'BATCH_NUMBER_TAKEN',
				{ reference: part.reference, path: 'visma.batchNumber' },
				`batch number ${number}, derived from this part (${periodLabel}), is taken in Visma.net by a batch that is not this part’s.`,
				'Check batch ' +
					number +
					' in Visma.net (Journal transactions). To post this journal, set Post’s Batch Numbers to Visma.net’s number series: a rerun then looks in Visma.net first and posts it once.',
			),
			result,
		);
	}
	if (refusal) {
		// Refused, and no batch holds the number: the refusal was about something else, or the
		// series does not allow manual numbering. Visma.net's message says which; the advice covers the second.
		refusal.description = [
			refusal.description,
			`If Visma.net refused the batch number ${number} itself (derived batch numbers): ${MANUAL_NUMBERING_ADVICE}`,
		]
			.filter(Boolean)
			.join(' ');
		throw refusal;
	}
	return stop(
		createIssue(
			'POST_OUTCOME_UNKNOWN',
			{ reference: part.reference, path: 'visma.batchNumber' },
			isRefusedWithVismaText(unknown)
				? `${(unknown as Error).message}; batch ${number} is not in Visma.net.`
				: `Visma.net did not confirm ${operation} (${unknown?.message ?? 'no answer'}), and batch ${number} is not in Visma.net.`,
			isRedirect(unknown) || isRefusedWithVismaText(unknown)
				? `${(unknown as NodeApiError).description ?? ''}`
				: otherNumber !== undefined
					? `Check batch ${otherNumber} in Visma.net (Journal transactions). If it holds this journal, Visma.net did not take the derived batch number: set Post’s Batch Numbers to Visma.net’s number series before running again (a rerun then finds batch ${otherNumber} and posts nothing). Otherwise check that the API URL in the credential is Visma.net itself or a proxy that passes its answers on unchanged.`
					: `Run the workflow again: it posts the part under the same batch number ${number}, which Visma.net accepts once only.`,
		),
		result,
	);
}

/** Batch numbers as Visma.net may echo them: without surrounding blanks, in any case. */
function sameBatchNumber(a: string, b: string): boolean {
	return a.trim().toUpperCase() === b.trim().toUpperCase();
}

/** A 3xx answer: its description says to correct the API URL before running again. */
function isRedirect(error: unknown): boolean {
	const status = failureStatus(error);
	return status !== undefined && status >= 300 && status < 400;
}
