/**
 * Visma.net's journal transaction, both ways: the `JournalTransactionUpdateDto` to POST, built
 * exactly as Visma's OpenAPI schema has it (wrapped `{ value }` fields, `postPeriod` MMYYYY and
 * `financialPeriod` YYYYMM, unwrapped `operation` and `subaccount`, amounts with two decimals,
 * the run's reference on every line), and a `JournalTransactionDto` read back into what
 * idempotency compares. With transport/, the only place that spells Visma.net's fields.
 *
 * Every text sent (descriptions, references, codes) goes through `sentText`, which neutralises
 * tag-like text (`[vnp:` → `(vnp:`): only the tag `batchDescription` puts first is a tag.
 */
import {
	contentHash,
	derivedBatchNumber,
	idempotencyKey,
	idempotencyTag,
	identityKey,
	neutraliseTagText,
	readIdempotencyTag,
	sumNets,
	type NetEntry,
	type PartIdentity,
	type PostedBatch,
	isUnreadableLine,
	type UnreadableAmount,
	type UnreadableBatch,
	type UnreadableLine,
} from './idempotency';
import { clip, createIssue, displayValue, shortText, type Issue } from './issues';
import type { SegmentAssignment } from './mapDimensions';
import { formatAmount, parseAmount, toAmountNumber, type Cents } from './money';
import { toFinancialPeriodText, toPostPeriodText, type FinancialPeriod } from './period';

export interface PostingLine {
	readonly account: string;
	readonly description: string;
	readonly debitCents: Cents;
	readonly creditCents: Cents;
	/** Every segment of the SUBACCOUNT key, in segment order; empty when the company has none. */
	readonly subaccount: readonly SegmentAssignment[];
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

/** Visma.net's request body (JournalTransactionUpdateDto), as plain JSON. */
export type JournalTransactionBody = Record<string, unknown> & {
	journalTransactionLines: Array<Record<string, unknown>>;
};

/** What identifies a part and what it books: the key written into Visma.net. */
export interface PartKey {
	readonly identity: string;
	readonly content: string;
	readonly nets: ReadonlyMap<string, NetEntry>;
}

/**
 * Lengths of the fields Visma.net keeps in the ERP beneath (its OpenAPI document gives none):
 * a line's Ref. no. (`referenceNumber`) 15, a currency 5, a ledger 10, a branch 30 (UTF-16
 * units, as the database counts). Longer values would be cut or refused, so they are refused
 * here, before anything is sent (`checkSendLimits`). Descriptions are clipped instead (below).
 */
export const VISMA_FIELD_LIMITS = {
	referenceNumber: 15,
	currencyId: 5,
	ledger: 10,
	branch: 30,
} as const;

/** Batch descriptions stay well inside Visma.net's field. */
const MAX_DESCRIPTION = 255;
const MAX_LINE_DESCRIPTION = 255;

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

/** The net entry of an account and subaccount, compared by `vismaCodeKey`. */
function netEntry(account: string, subaccount: readonly string[], netCents: Cents): NetEntry {
	return { account: vismaCodeKey(account), subaccount: subaccount.map(vismaCodeKey), netCents };
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

/**
 * `FIELD_TOO_LONG` for every value of a part (and the node's ledger and branch) longer than
 * Visma.net keeps (`VISMA_FIELD_LIMITS`); empty when all fit. Checked before anything is sent.
 */
export function checkSendLimits(
	part: PostingPart,
	options: Pick<TransactionOptions, 'ledger' | 'branch'>,
): Issue[] {
	const issues: Issue[] = [];
	const check = (
		value: string | undefined,
		limit: number,
		path: string,
		what: string,
		todo: string,
	) => {
		if (value === undefined || value.length <= limit) return;
		issues.push(
			createIssue(
				'FIELD_TOO_LONG',
				{ reference: part.reference, path, field: path },
				`the ${path} ${displayValue(value)} has ${value.length} characters, but Visma.net keeps at most ${limit} in ${what}; it would be cut or refused, so nothing was sent.`,
				todo,
				value,
			),
		);
	};
	check(
		part.reference,
		VISMA_FIELD_LIMITS.referenceNumber,
		'reference',
		"a line's Ref. no. (referenceNumber), where every line carries the reference",
		'Shorten the reference: in the Nmbrs Trigger, choose a shorter Reference Format (the default R{year}-{period:02} gives 8 characters).',
	);
	check(
		part.currency,
		VISMA_FIELD_LIMITS.currencyId,
		'currency',
		'a currency id',
		'Use the currency id of Visma.net (Currencies), such as EUR.',
	);
	check(
		options.ledger,
		VISMA_FIELD_LIMITS.ledger,
		'ledger',
		'a ledger id',
		'Set Ledger to the ledger id of Visma.net (Ledgers), such as L.',
	);
	check(
		options.branch,
		VISMA_FIELD_LIMITS.branch,
		'branch',
		'a branch number',
		'Set Branch to the branch number of Visma.net (Branches).',
	);
	return issues;
}

function wrap<T>(value: T): { value: T } {
	return { value };
}

/** Every text sent to Visma.net, but the tag itself: tag-like text neutralised, then clipped to `max`. */
function sentText(text: string, max = Number.POSITIVE_INFINITY): string {
	return clip(neutraliseTagText(text), max);
}

/**
 * The batch description: the idempotency tag first (never cut off, and the only place it is
 * read), one space, then the human text clipped to what is left of Visma.net's field.
 */
export function batchDescription(
	description: string,
	key: Pick<PartKey, 'identity' | 'content'>,
	revision: number,
): string {
	const tag = idempotencyTag(key.identity, key.content, revision);
	return `${tag} ${sentText(description, MAX_DESCRIPTION - tag.length - 1)}`;
}

/**
 * The body of the PUT that marks a copy that stood down after a race (`settleRace`): its
 * description says whose duplicate it is and that it is safe to delete, and it no longer starts
 * with the tag, so no reader counts the copy as the part's again. It stays on hold.
 */
export function standDownBody(copy: PostedBatch, standing: PostedBatch): Record<string, unknown> {
	const tag = readIdempotencyTag(copy.description);
	const human = tag
		? copy.description.slice(copy.description.indexOf(']') + 1).trim()
		: copy.description;
	return {
		hold: wrap(true),
		description: wrap(
			sentText(
				`Duplicate of batch ${standing.batchNumber}, never booked: safe to delete. ${human}`,
				MAX_DESCRIPTION,
			),
		),
	};
}

/** The body of the PUT that takes the batch of a part that stands off hold, so that it can be booked. */
export function offHoldBody(): Record<string, unknown> {
	return { hold: wrap(false) };
}

function lineBody(
	line: PostingLine,
	lineNumber: number,
	reference: string,
	options: TransactionOptions,
): Record<string, unknown> {
	return {
		operation: 'Insert',
		lineNumber: wrap(lineNumber),
		accountNumber: wrap(sentText(line.account)),
		...(line.subaccount.length > 0
			? {
					subaccount: line.subaccount.map((segment) => ({
						segmentId: segment.segmentId,
						segmentValue: sentText(segment.segmentValue),
					})),
				}
			: {}),
		referenceNumber: wrap(sentText(reference)),
		transactionDescription: wrap(sentText(line.description || reference, MAX_LINE_DESCRIPTION)),
		debitAmountInCurrency: wrap(toAmountNumber(line.debitCents)),
		creditAmountInCurrency: wrap(toAmountNumber(line.creditCents)),
		...(options.branch ? { branch: wrap(sentText(options.branch)) } : {}),
	};
}

function headerBody(
	part: PostingPart,
	description: string,
	options: TransactionOptions,
): Record<string, unknown> {
	return {
		hold: wrap(options.hold),
		transactionDate: wrap(`${part.transactionDate}T00:00:00`),
		postPeriod: wrap(toPostPeriodText(part.financialPeriod)),
		financialPeriod: wrap(toFinancialPeriodText(part.financialPeriod)),
		...(options.ledger ? { ledger: wrap(sentText(options.ledger)) } : {}),
		currencyId: wrap(sentText(part.currency)),
		...(options.branch ? { branch: wrap(sentText(options.branch)) } : {}),
		description: wrap(description),
	};
}

/**
 * The POST body of one journal part, tagged with its idempotency key and `revision` (0 when
 * nothing of the part was in Visma.net; decidePosting says which).
 */
export function buildJournalTransaction(
	part: PostingPart,
	options: TransactionOptions,
	key: PartKey = partKey(part),
	revision = 0,
): JournalTransactionBody {
	return {
		...headerBody(part, batchDescription(part.description, key, revision), options),
		journalTransactionLines: part.lines.map((line, index) =>
			lineBody(line, index + 1, part.reference, options),
		),
	};
}

/**
 * The body with Visma.net told to take this posting's derived batch number instead of its number
 * series (`overrideNumberSeries`, which needs *Allow manual numbering on imports* on the series).
 */
export function withDerivedBatchNumber(
	body: JournalTransactionBody,
	identity: string,
	revision: number,
): JournalTransactionBody {
	return {
		...body,
		overrideNumberSeries: wrap(true),
		batchNumber: wrap(derivedBatchNumber(identity, revision)),
	};
}

/**
 * The POST body of a difference journal: only what changed per account and subaccount since
 * the part was posted (balanced, since both versions balance), under the same reference, tagged
 * with the new content so that a rerun finds it, and with the revision decidePosting gave (above
 * every earlier batch of the part, so that returning to an earlier content is never a duplicate).
 */
export function buildDifferenceTransaction(
	part: PostingPart,
	difference: ReadonlyMap<string, NetEntry>,
	options: TransactionOptions,
	key: PartKey,
	postedBatchNumbers: readonly string[],
	revision: number,
): JournalTransactionBody {
	// The journal's own spelling of each account and subaccount, found by the compared form.
	const segmentsOf = new Map<string, readonly SegmentAssignment[]>();
	const accountsOf = new Map<string, string>();
	for (const line of part.lines) {
		segmentsOf.set(
			JSON.stringify(subaccountValues(line.subaccount).map(vismaCodeKey)),
			line.subaccount,
		);
		accountsOf.set(vismaCodeKey(line.account), line.account);
	}
	const lines: PostingLine[] = [...difference.values()].sort(compareNets).map((entry) => ({
		account: accountsOf.get(entry.account) ?? entry.account,
		description: `Verschil herberekening ${part.reference}`,
		debitCents: entry.netCents > 0n ? entry.netCents : 0n,
		creditCents: entry.netCents < 0n ? -entry.netCents : 0n,
		subaccount:
			segmentsOf.get(JSON.stringify(entry.subaccount)) ??
			segmentsFromValues(entry.subaccount, part),
	}));
	const description = `${part.description} — verschil t.o.v. batch ${postedBatchNumbers.join(', ')}`;
	return {
		...headerBody(part, batchDescription(description, key, revision), options),
		journalTransactionLines: lines.map((line, index) =>
			lineBody(line, index + 1, part.reference, options),
		),
	};
}

/** Difference lines by account, then subaccount (segment by segment), as a bookkeeper reads them. */
function compareNets(a: NetEntry, b: NetEntry): number {
	if (a.account !== b.account) return a.account.localeCompare(b.account);
	for (let index = 0; index < Math.min(a.subaccount.length, b.subaccount.length); index++) {
		const order = a.subaccount[index].localeCompare(b.subaccount[index]);
		if (order !== 0) return order;
	}
	return a.subaccount.length - b.subaccount.length;
}

/** Segments for a subaccount that only the posted side has: its values whole, with the part's segment ids. */
function segmentsFromValues(values: readonly string[], part: PostingPart): SegmentAssignment[] {
	const ids =
		part.lines[0]?.subaccount.map((segment) => segment.segmentId).sort((a, b) => a - b) ?? [];
	return values.map((segmentValue, index) => ({
		segmentId: ids[index] ?? index + 1,
		segmentValue,
	}));
}

/** Totals of a body this package built, for the summary a bookkeeper reads. */
export function bodyTotals(body: JournalTransactionBody): {
	lineCount: number;
	debitTotal: string;
	creditTotal: string;
} {
	let debit = 0n;
	let credit = 0n;
	for (const line of body.journalTransactionLines) {
		debit += sentCents((line.debitAmountInCurrency as { value?: unknown } | undefined)?.value);
		credit += sentCents((line.creditAmountInCurrency as { value?: unknown } | undefined)?.value);
	}
	return {
		lineCount: body.journalTransactionLines.length,
		debitTotal: formatAmount(debit),
		creditTotal: formatAmount(credit),
	};
}

/** An amount of a body built here (`toAmountNumber`): always whole cents, so anything else is a bug. */
function sentCents(value: unknown): Cents {
	const read = readBackCents(value);
	if (!read.ok)
		throw new RangeError(
			`bodyTotals: an amount of the body ${read.reason}: ${displayValue(value)}`,
		);
	return read.cents;
}

/**
 * An amount read back from Visma.net, in cents: a JSON number (as its schema types every amount)
 * that is a whole number of cents, within the cap of `parseAmount`. Anything else is refused with
 * its reason, never read as 0 or rounded: null or a missing amount, text (even "12.50"), NaN,
 * Infinity, more than two decimals (12.345, 0.1 + 0.2).
 */
export function readBackCents(
	value: unknown,
): { ok: true; cents: Cents } | { ok: false; reason: string } {
	if (value === undefined) return { ok: false, reason: 'is missing' };
	if (value === null) return { ok: false, reason: 'is empty' };
	if (typeof value === 'string')
		return { ok: false, reason: 'is text, where Visma.net gives a number' };
	if (typeof value !== 'number') return { ok: false, reason: 'is not a number' };
	const result = parseAmount(value);
	return result.ok ? result : { ok: false, reason: result.reason };
}

/**
 * A `JournalTransactionDto` from Visma.net's list, read into what idempotency compares: account
 * numbers and segment values by `vismaCodeKey`, as the part's own nets are. Nothing is left out
 * or guessed: an amount that is no whole number of cents (`readBackCents`), or a line that cannot
 * be read whole (no journal line, no account number, subaccount segments that cannot be read), is
 * never counted; the batch comes back with `unreadable` (the first such thing and how many), and
 * no decision is made on it.
 */
export function readPostedBatch(dto: unknown): PostedBatch | null {
	if (!dto || typeof dto !== 'object') return null;
	const batch = dto as {
		batchNumber?: unknown;
		description?: unknown;
		status?: unknown;
		journalTransactionLines?: unknown;
	};
	if (typeof batch.batchNumber !== 'string') return null;
	const lines = Array.isArray(batch.journalTransactionLines) ? batch.journalTransactionLines : [];
	const entries: NetEntry[] = [];
	let first: UnreadableAmount | UnreadableLine | undefined;
	let unreadableCount = 0;
	let unreadableLines = 0;
	const lineUnreadable = (found: UnreadableLine) => {
		unreadableCount++;
		unreadableLines++;
		first ??= found;
	};
	lines.forEach((raw: unknown, position: number) => {
		if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
			lineUnreadable({
				line: position + 1,
				field: 'line',
				value: raw,
				reason: 'is not a journal line',
			});
			return;
		}
		const line = raw as {
			lineNumber?: unknown;
			accountNumber?: unknown;
			debitAmountInCurrency?: unknown;
			creditAmountInCurrency?: unknown;
			subaccount?: { segments?: unknown } | null;
		};
		const lineNumber =
			typeof line.lineNumber === 'number' &&
			Number.isSafeInteger(line.lineNumber) &&
			line.lineNumber > 0
				? line.lineNumber
				: position + 1;
		if (typeof line.accountNumber !== 'string') {
			lineUnreadable({
				line: lineNumber,
				field: 'accountNumber',
				value: line.accountNumber,
				reason:
					line.accountNumber === undefined || line.accountNumber === null
						? 'has no account number'
						: 'has an account number that is not text',
			});
			return;
		}
		const account = line.accountNumber;
		const segments = readSegments(line.subaccount);
		if (!segments.ok) {
			lineUnreadable({ line: lineNumber, account, field: 'subaccount', ...segments.unreadable });
			return;
		}
		const debit = readBackCents(line.debitAmountInCurrency);
		const credit = readBackCents(line.creditAmountInCurrency);
		if (!debit.ok || !credit.ok) {
			for (const [side, read, value] of [
				['debit', debit, line.debitAmountInCurrency],
				['credit', credit, line.creditAmountInCurrency],
			] as const) {
				if (read.ok) continue;
				unreadableCount++;
				first ??= { line: lineNumber, account, side, value, reason: read.reason };
			}
			return;
		}
		entries.push(
			netEntry(account, subaccountValues(segments.segments), debit.cents - credit.cents),
		);
	});
	return {
		batchNumber: batch.batchNumber,
		description: typeof batch.description === 'string' ? batch.description : '',
		...(typeof batch.status === 'string' ? { status: batch.status } : {}),
		entries,
		...(first
			? {
					unreadable: {
						first,
						count: unreadableCount,
						...(unreadableLines > 0 ? { lineCount: unreadableLines } : {}),
					},
				}
			: {}),
	};
}

/**
 * The segments of a line's subaccount as read back: none when the line has no subaccount or no
 * segments (a company without subaccounts); a segment without a numeric id and a text value, or
 * segments that are no list, cannot be read (never dropped: the subaccount would read as another).
 */
function readSegments(
	subaccount: { segments?: unknown } | null | undefined,
):
	| { ok: true; segments: SegmentAssignment[] }
	| { ok: false; unreadable: { value: unknown; reason: string } } {
	const raw = subaccount && typeof subaccount === 'object' ? subaccount.segments : undefined;
	if (raw === undefined || raw === null) return { ok: true, segments: [] };
	if (!Array.isArray(raw))
		return {
			ok: false,
			unreadable: { value: raw, reason: 'has subaccount segments that are not a list' },
		};
	const segments: SegmentAssignment[] = [];
	for (const segment of raw as unknown[]) {
		const read = segment as { segmentId?: unknown; segmentValue?: unknown } | null;
		if (
			!read ||
			typeof read !== 'object' ||
			typeof read.segmentId !== 'number' ||
			typeof read.segmentValue !== 'string'
		)
			return {
				ok: false,
				unreadable: {
					value: segment,
					reason: 'has a subaccount segment without a segment id and value',
				},
			};
		segments.push({ segmentId: read.segmentId, segmentValue: read.segmentValue });
	}
	return { ok: true, segments };
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
	const proxy =
		'something between n8n and Visma.net changes its answers: check the API URL in the Visma.net credential.';
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
