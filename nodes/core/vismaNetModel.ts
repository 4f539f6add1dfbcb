/**
 * Visma.net's model, in one place: its addresses and the endpoints this package calls, the DTOs
 * it sends and reads (named and typed as Visma's OpenAPI document has them,
 * test/fixtures/visma-net/openapi-gl-subset.json, which `vismaNetModel.test.ts` checks them
 * against), and their mapping to and from the core's types. Pure: the HTTP calls are the
 * transport's (`nodes/transport/endpoints.ts`), the credential only points at these addresses.
 *
 * Sent: the `JournalTransactionUpdateDto` to POST, built exactly as the schema has it (wrapped
 * `{ value }` fields, `postPeriod` MMYYYY and `financialPeriod` YYYYMM, unwrapped `operation` and
 * `subaccount`, amounts with two decimals, the run's reference on every line), and the PUT bodies
 * that hold, mark or release a batch. Every text sent (descriptions, references, codes) goes
 * through `sentText`, which neutralises tag-like text (`[vnp:` → `(vnp:`): only the tag
 * `batchDescription` puts first is a tag.
 *
 * Read: a `JournalTransactionDto` into what idempotency compares (`readPostedBatch`), accounts
 * into `AccountInfo` and `AccountKind`, the SUBACCOUNT dimension into `SubaccountSegment`s.
 * Answers are server text: the DTO types say what Visma.net sends, and every reading checks it.
 */
import {
	derivedBatchNumber,
	idempotencyTag,
	neutraliseTagText,
	readIdempotencyTag,
	type LineDimensions,
	type NetEntry,
	type PostedBatch,
	type Unreadable,
	type UnreadableLine,
} from './idempotency';
import {
	netEntry,
	partKey,
	subaccountValues,
	vismaCodeKey,
	type PartKey,
	type PostingLine,
	type PostingPart,
	type TransactionOptions,
} from './buildJournalTransaction';
import { clip, createIssue, displayValue, type Issue } from './issues';
import { isPlainObject } from './journal';
import type { AccountKind, SegmentAssignment, SubaccountSegment } from './mapDimensions';
import { formatAmount, parseAmount, toAmountNumber, type Cents } from './money';
import { toFinancialPeriodText, toPostPeriodText, type FinancialPeriodEntry } from './period';
import type { AccountInfo, BranchInfo } from './validateJournal';

// ─── Addresses and endpoints ────────────────────────────────────────────────────────────────

/** The Visma.net ERP API in production (the credential's Environment: Production). */
export const VISMA_NET_API_URL = 'https://api.finance.visma.net';
/** Visma Connect in production: tokens at `/connect/token`, sign-in at `/connect/authorize`. */
export const VISMA_CONNECT_URL = 'https://connect.visma.com';
export const VISMA_CONNECT_PATHS = {
	token: '/connect/token',
	signIn: '/connect/authorize',
} as const;

/**
 * The scopes the package asks for: read (accounts, periods, segments, batches), create (a
 * journal transaction) and update (hold, release). It never deletes, so never `:delete`.
 */
export const SERVICE_API_SCOPE = [
	'vismanet_erp_service_api:create',
	'vismanet_erp_service_api:read',
	'vismanet_erp_service_api:update',
].join(' ');
export const INTERACTIVE_API_SCOPE = [
	'vismanet_erp_interactive_api:create',
	'vismanet_erp_interactive_api:read',
	'vismanet_erp_interactive_api:update',
	'offline_access',
].join(' ');

/** The endpoints this package calls, below the API base (each one a path of Visma's OpenAPI document). */
export const VISMA_NET_ENDPOINTS = {
	/** GET (list, `periodId`, `module`, paged) and POST. */
	journalTransactions: '/v2/journaltransaction',
	/** GET and PUT one GL batch. */
	journalTransaction: (batchNumber: string) =>
		`/v2/journaltransaction/${encodeURIComponent(batchNumber)}`,
	releaseJournalTransaction: (batchNumber: string) =>
		`/v2/journaltransaction/${encodeURIComponent(batchNumber)}/action/release`,
	accounts: '/v1/account',
	subaccountDimension: '/v1/dimension/SUBACCOUNT',
	financialPeriods: '/v1/financialPeriod',
	ledgers: '/v1/ledger',
	branches: '/v1/branch',
} as const;

// ─── What Visma.net answers (the fields this package reads) ────────────────────────────────────

/** `MetadataDto`: on each DTO of a list page. */
export interface PageMetadata {
	readonly totalCount?: number;
	readonly maxPageSize?: number;
}

export interface AccountDto {
	accountID?: number;
	accountCD: string;
	description?: string;
	type?: 'Asset' | 'Liability' | 'Income' | 'Expense' | string;
	active?: boolean;
	controlAccountModule?: string | null;
	allowManualEntry?: boolean;
	accountClass?: string;
	metadata?: PageMetadata | null;
}

/** `DtoSegmentValue`: one value of a SUBACCOUNT segment. */
export interface SegmentValueDto {
	valueId: string;
	description?: string;
	active?: boolean;
}

/** `DtoSegment`: one segment of the SUBACCOUNT dimension. */
export interface DimensionSegmentDto {
	segmentId: number;
	description?: string;
	length?: number;
	validate?: boolean;
	segmentValues?: SegmentValueDto[];
}

/** `DtoDimension`: `GET /v1/dimension/SUBACCOUNT?expandSegmentsValues=true`. */
export interface DimensionDto {
	id?: string;
	description?: string;
	length?: number;
	segments?: DimensionSegmentDto[];
}

export interface FinancialPeriodDto {
	year: number;
	/** The period as Visma.net writes it: YYYYPP text, e.g. "202603". */
	period: string | number;
	startDate: string;
	endDate: string;
	description?: string;
	active?: boolean;
	closedInGeneralLedger?: boolean;
}

/**
 * `readVismaFinancialPeriods` (`period.ts`, linked into the Nmbrs package, so it cannot import
 * this file) reads a `FinancialPeriodDto` as a `FinancialPeriodEntry`, every field unchecked: it
 * must name exactly these fields, or this does not compile.
 */
export const FINANCIAL_PERIOD_ENTRY_NAMES_THE_DTO: [keyof FinancialPeriodDto] extends [
	keyof FinancialPeriodEntry,
]
	? [keyof FinancialPeriodEntry] extends [keyof FinancialPeriodDto]
		? true
		: never
	: never = true;

export interface LedgerDto {
	number: string;
	description?: string;
	balanceType?: string;
	currencyId?: string;
}

/** `ledgerInBranchDto`. */
export interface BranchLedgerDto {
	id?: string;
	description?: string;
}

export interface BranchDto {
	number: string;
	name?: string;
	isActive?: boolean;
	ledger?: BranchLedgerDto | null;
}

/** `SegmentDto`: a segment of a journal line's subaccount, as read back. */
export interface LineSegmentDto {
	segmentId?: number;
	segmentValue?: string;
}

/** `subaccountInJournalTransactionLineDto`. */
export interface LineSubaccountDto {
	subaccountNumber?: string;
	segments?: LineSegmentDto[];
}

/** `projectInJournalTransactionLineDto`, `projectTaskInJournalTransactionLineDto`: read back as objects. */
export interface LineProjectDto {
	id?: string;
	description?: string;
}

export interface JournalTransactionLineDto {
	lineNumber?: number;
	accountNumber?: string;
	description?: string;
	referenceNumber?: string;
	transactionDescription?: string;
	debitAmountInCurrency?: number;
	creditAmountInCurrency?: number;
	subaccount?: LineSubaccountDto | null;
	/** The project, or the company's non-project code on a line without one (when it uses projects). */
	project?: LineProjectDto | null;
	projectTask?: LineProjectDto | null;
	/** The branch whose balance the line updates: the batch's own when the line was sent without one. */
	branch?: string;
}

export interface JournalTransactionDto {
	module?: string;
	batchNumber: string;
	status?: string;
	hold?: boolean;
	transactionDate?: string;
	postPeriod?: string;
	financialPeriod?: string;
	ledger?: string;
	currencyId?: string;
	branch?: string;
	description?: string;
	debitTotalInCurrency?: number;
	creditTotalInCurrency?: number;
	journalTransactionLines?: JournalTransactionLineDto[];
	metadata?: PageMetadata | null;
}

/** `ReleaseJournalTransactionActionResultDto`. */
export interface ReleaseResultDto {
	actionId?: string;
	actionResult?: 'Queued' | 'InProcess' | 'Failed' | 'Done' | string;
	errorInfo?: string | null;
}

// ─── What this package sends ─────────────────────────────────────────────────────────────────
// Type aliases, not interfaces: plain JSON, assignable wherever n8n or a validator takes JSON.

/** Visma's `DtoValueOf…`: a field sent as `{ value }`. */
export type DtoValue<T> = {
	value: T;
};

/** `SegmentUpdateDto`: one segment of a line's subaccount, sent unwrapped. */
export type SegmentUpdateDto = {
	segmentId: number;
	segmentValue: string;
};

/** `JournalTransactionLineUpdateDto`: one line of a journal transaction to create. */
export type JournalTransactionLineUpdateDto = {
	operation: 'Insert';
	lineNumber: DtoValue<number>;
	accountNumber: DtoValue<string>;
	subaccount?: SegmentUpdateDto[];
	project?: DtoValue<string>;
	projectTask?: DtoValue<string>;
	referenceNumber: DtoValue<string>;
	transactionDescription: DtoValue<string>;
	debitAmountInCurrency: DtoValue<number>;
	creditAmountInCurrency: DtoValue<number>;
	branch?: DtoValue<string>;
};

/** `JournalTransactionUpdateDto`: the body of the POST that creates a GL batch, and of a PUT that changes one. */
export type JournalTransactionUpdateDto = {
	batchNumber?: DtoValue<string>;
	overrideNumberSeries?: DtoValue<boolean>;
	hold?: DtoValue<boolean>;
	transactionDate?: DtoValue<string>;
	postPeriod?: DtoValue<string>;
	financialPeriod?: DtoValue<string>;
	ledger?: DtoValue<string>;
	currencyId?: DtoValue<string>;
	branch?: DtoValue<string>;
	description?: DtoValue<string>;
	journalTransactionLines?: JournalTransactionLineUpdateDto[];
};

/** A journal transaction this package posts: always described (the tag), always with its lines. */
export type JournalTransactionBody = JournalTransactionUpdateDto & {
	description: DtoValue<string>;
	journalTransactionLines: JournalTransactionLineUpdateDto[];
};

/** The PUT that changes a batch: only `hold` and `description`, which set the same value however often they are sent. */
export type JournalTransactionChange = Pick<JournalTransactionUpdateDto, 'hold' | 'description'>;

/** The description a body carries, with its idempotency tag first. */
export function descriptionOf(body: JournalTransactionBody): string {
	return body.description.value;
}

/** The batch number a body asks for (derived batch numbers), if any. */
export function requestedBatchNumber(body: JournalTransactionUpdateDto): string | undefined {
	return body.batchNumber?.value;
}

/** A DTO as it arrives: its fields by Visma's names, each of any type until checked. */
type Unchecked<T> = { [K in keyof T]?: unknown };

// ─── Mapping ────────────────────────────────────────────────────────────────────────────────

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
	/** A project id and a project task id, as a branch. */
	project: 30,
	projectTask: 30,
} as const;

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
	// The lines' own: each value once, however many lines carry it.
	for (const [field, what] of [
		['project', 'a project id'],
		['projectTask', 'a project task id'],
		['branch', 'a branch number'],
	] as const) {
		const seen = new Set<string>();
		for (const line of part.lines) {
			const value = line[field];
			if (value === undefined || seen.has(value)) continue;
			seen.add(value);
			check(
				value,
				VISMA_FIELD_LIMITS[field],
				`lines.${field}`,
				what,
				`Correct the ${field} of these lines in the journal to its id in Visma.net.`,
			);
		}
	}
	return issues;
}

/** Batch descriptions stay well inside Visma.net's field. */
const MAX_DESCRIPTION = 255;
const MAX_LINE_DESCRIPTION = 255;

function wrap<T>(value: T): DtoValue<T> {
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
export function standDownBody(copy: PostedBatch, standing: PostedBatch): JournalTransactionChange {
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
export function offHoldBody(): JournalTransactionChange {
	return { hold: wrap(false) };
}

function lineBody(
	line: PostingLine,
	lineNumber: number,
	reference: string,
	options: TransactionOptions,
): JournalTransactionLineUpdateDto {
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
		...(line.project ? { project: wrap(sentText(line.project)) } : {}),
		...(line.project && line.projectTask ? { projectTask: wrap(sentText(line.projectTask)) } : {}),
		referenceNumber: wrap(sentText(reference)),
		transactionDescription: wrap(sentText(line.description || reference, MAX_LINE_DESCRIPTION)),
		debitAmountInCurrency: wrap(toAmountNumber(line.debitCents)),
		creditAmountInCurrency: wrap(toAmountNumber(line.creditCents)),
		...(line.branch || options.branch
			? { branch: wrap(sentText(line.branch || (options.branch as string))) }
			: {}),
	};
}

function headerBody(
	part: PostingPart,
	description: string,
	options: TransactionOptions,
): Omit<JournalTransactionBody, 'journalTransactionLines'> {
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
	// The journal's own spelling of each account, subaccount, project, task and branch, found by
	// the compared form; what only Visma.net holds is sent as read back.
	const segmentsOf = new Map<string, readonly SegmentAssignment[]>();
	const spelling = new Map<string, string>();
	const spell = (code: string | undefined) =>
		code === undefined ? undefined : (spelling.get(code) ?? code);
	for (const line of part.lines) {
		segmentsOf.set(
			JSON.stringify(subaccountValues(line.subaccount).map(vismaCodeKey)),
			line.subaccount,
		);
		for (const code of [line.account, line.project, line.projectTask, line.branch])
			if (code !== undefined) spelling.set(vismaCodeKey(code), code);
	}
	const lines: PostingLine[] = [...difference.values()].sort(compareNets).map((entry) => ({
		account: spell(entry.account) as string,
		description: `Verschil herberekening ${part.reference}`,
		debitCents: entry.netCents > 0n ? entry.netCents : 0n,
		creditCents: entry.netCents < 0n ? -entry.netCents : 0n,
		subaccount:
			segmentsOf.get(JSON.stringify(entry.subaccount)) ??
			segmentsFromValues(entry.subaccount, part),
		project: spell(entry.project),
		projectTask: spell(entry.projectTask),
		branch: spell(entry.branch),
	}));
	const description = `${part.description} — verschil t.o.v. batch ${postedBatchNumbers.join(', ')}`;
	return {
		...headerBody(part, batchDescription(description, key, revision), options),
		journalTransactionLines: lines.map((line, index) =>
			lineBody(line, index + 1, part.reference, options),
		),
	};
}

/**
 * Difference lines by account, then subaccount (segment by segment), then project, task and
 * branch, as a bookkeeper reads them.
 */
function compareNets(a: NetEntry, b: NetEntry): number {
	if (a.account !== b.account) return a.account.localeCompare(b.account);
	for (let index = 0; index < Math.min(a.subaccount.length, b.subaccount.length); index++) {
		const order = a.subaccount[index].localeCompare(b.subaccount[index]);
		if (order !== 0) return order;
	}
	if (a.subaccount.length !== b.subaccount.length) return a.subaccount.length - b.subaccount.length;
	for (const field of ['project', 'projectTask', 'branch'] as const) {
		const order = (a[field] ?? '').localeCompare(b[field] ?? '');
		if (order !== 0) return order;
	}
	return 0;
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
		debit += sentCents(line.debitAmountInCurrency.value);
		credit += sentCents(line.creditAmountInCurrency.value);
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
	const batch = dto as Unchecked<JournalTransactionDto>;
	const description = typeof batch.description === 'string' ? batch.description : '';
	const batchNumber = typeof batch.batchNumber === 'string' ? batch.batchNumber : undefined;
	// A batch of ours without a batch number as text is kept, unreadable: left out, its part would look unposted.
	if (batchNumber === undefined && readIdempotencyTag(description) === null) return null;
	const lines = Array.isArray(batch.journalTransactionLines) ? batch.journalTransactionLines : [];
	const branch =
		typeof batch.branch === 'string' && batch.branch.trim() !== ''
			? vismaCodeKey(batch.branch)
			: undefined;
	const entries: NetEntry[] = [];
	let first: Unreadable | undefined =
		batchNumber === undefined
			? {
					field: 'batchNumber',
					value: batch.batchNumber,
					reason:
						batch.batchNumber === undefined || batch.batchNumber === null
							? 'has no batch number'
							: 'has a batch number that is not text',
				}
			: undefined;
	let unreadableCount = first ? 1 : 0;
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
		const line = raw as Unchecked<JournalTransactionLineDto>;
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
		const dimensions = readLineDimensions(line, branch);
		if (!dimensions.ok) {
			lineUnreadable({ line: lineNumber, account, ...dimensions.unreadable });
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
			netEntry(
				account,
				subaccountValues(segments.segments),
				debit.cents - credit.cents,
				dimensions.dimensions,
			),
		);
	});
	return {
		batchNumber: batchNumber ?? '',
		description,
		...(typeof batch.status === 'string' ? { status: batch.status } : {}),
		...(branch === undefined ? {} : { branch }),
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
 * A line's project, project task and branch as read back: the project and task as Visma.net
 * gives them (`{ id, description }`), the branch as text; absent, null or an empty id is none, and
 * so is the batch's own branch (`batchBranch`, compared form), which Visma.net gives every line
 * sent without one. Any other form cannot be read (never dropped: the line would read as booked
 * without it).
 */
function readLineDimensions(
	line: Unchecked<JournalTransactionLineDto>,
	batchBranch: string | undefined,
):
	| { ok: true; dimensions: LineDimensions }
	| { ok: false; unreadable: Pick<UnreadableLine, 'field' | 'value' | 'reason'> } {
	const dimensions: { -readonly [K in keyof LineDimensions]: LineDimensions[K] } = {};
	for (const field of ['project', 'projectTask'] as const) {
		const raw: unknown = line[field];
		if (raw === undefined || raw === null) continue;
		const id: unknown = isPlainObject(raw) ? raw.id : undefined;
		if (!isPlainObject(raw) || (id !== undefined && id !== null && typeof id !== 'string'))
			return {
				ok: false,
				unreadable: {
					field,
					value: raw,
					reason: `has a ${field === 'project' ? 'project' : 'project task'} that is not { id, description }`,
				},
			};
		if (typeof id === 'string' && id.trim() !== '') dimensions[field] = id;
	}
	const branch: unknown = line.branch;
	if (branch !== undefined && branch !== null) {
		if (typeof branch !== 'string')
			return {
				ok: false,
				unreadable: { field: 'branch', value: branch, reason: 'has a branch that is not text' },
			};
		if (branch.trim() !== '' && vismaCodeKey(branch) !== batchBranch) dimensions.branch = branch;
	}
	return { ok: true, dimensions };
}

/**
 * The segments of a line's subaccount as read back: none when the line has no subaccount or no
 * segments (a company without subaccounts); a segment without a numeric id and a text value, or
 * segments that are no list, cannot be read (never dropped: the subaccount would read as another).
 */
function readSegments(
	subaccount: unknown,
):
	| { ok: true; segments: SegmentAssignment[] }
	| { ok: false; unreadable: { value: unknown; reason: string } } {
	const raw =
		subaccount && typeof subaccount === 'object'
			? (subaccount as Unchecked<LineSubaccountDto>).segments
			: undefined;
	if (raw === undefined || raw === null) return { ok: true, segments: [] };
	if (!Array.isArray(raw))
		return {
			ok: false,
			unreadable: { value: raw, reason: 'has subaccount segments that are not a list' },
		};
	const segments: SegmentAssignment[] = [];
	for (const segment of raw as unknown[]) {
		const read = segment as Unchecked<LineSegmentDto> | null;
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

/** A branch as Validate Journal checks a line's branch; null when the answer names no branch. */
export function toBranchInfo(dto: BranchDto): BranchInfo | null {
	if (typeof dto.number !== 'string' || dto.number.trim() === '') return null;
	return {
		number: dto.number.trim(),
		active: dto.isActive !== false,
		...(typeof dto.name === 'string' && dto.name ? { name: dto.name } : {}),
	};
}

/** An account as Validate Journal checks it: active, open to manual entries (no control account). */
export function toAccountInfo(dto: AccountDto): AccountInfo {
	const controlModule =
		typeof dto.controlAccountModule === 'string' ? dto.controlAccountModule.trim() : '';
	return {
		number: dto.accountCD,
		active: dto.active !== false,
		acceptsManualEntries: controlModule === '' && dto.allowManualEntry !== false,
		...(dto.description ? { description: dto.description } : {}),
	};
}

/** Income and expense accounts are profit and loss; assets and liabilities the balance sheet. */
export function toAccountKind(dto: AccountDto): AccountKind | undefined {
	if (dto.type === 'Income' || dto.type === 'Expense') return 'profitAndLoss';
	if (dto.type === 'Asset' || dto.type === 'Liability') return 'balanceSheet';
	return undefined;
}

/** The SUBACCOUNT dimension's segments as Map Dimensions works with them. */
export function toSubaccountSegments(dimension: DimensionDto): SubaccountSegment[] {
	return (dimension.segments ?? []).map((segment) => ({
		segmentId: segment.segmentId,
		description: segment.description ?? '',
		length: segment.length ?? 0,
		...(segment.validate === undefined ? {} : { validate: segment.validate }),
		values: (segment.segmentValues ?? []).map((value) => ({
			value: value.valueId,
			...(value.description ? { description: value.description } : {}),
			...(value.active === undefined ? {} : { active: value.active }),
		})),
	}));
}
