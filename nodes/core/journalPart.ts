/**
 * The journal part (journal-contract §4): one financial period's share of a payroll journal, the
 * item between the nodes. Split TWK by Period writes it, Map Dimensions gives each line its
 * `subaccount`, Post Journal Transaction (and the Visma.net node's Get Posting Status) reads it.
 * Here are its schema (`journalPartSchema`, the one list of its fields), its one writer
 * (`writePart`, `writePartLine`) and its one reader (`readPart`, which refuses what must never be
 * sent).
 */
import { z } from 'zod/v3';

import type { PostingLine, PostingPart } from './buildJournalTransaction';
import { createIssue, referenceOf, type Issue } from './issues';
import {
	canonicalJournalSchema,
	canonicalLineSchema,
	FIELD_LIMITS,
	isPlainObject,
	parseJournal,
	toCanonicalHeaderJson,
	toCanonicalLineJson,
	withoutStackTraces,
	type CanonicalLineJson,
	type JournalLine,
} from './journal';
import type { SegmentAssignment } from './mapDimensions';
import { formatAmount, sumCents } from './money';
import {
	formatFinancialPeriod,
	isIsoDate,
	parseFinancialPeriodText,
	toFinancialPeriodText,
	validateDateInFinancialPeriod,
	validateFinancialPeriodText,
	validateIsoDate,
	type FinancialPeriod,
	type PayrollCalendarOptions,
	type VismaFinancialPeriod,
} from './period';
import { checkGivenPart, splitJournal, type JournalPart } from './splitTwk';
import { checkCompany } from './validateJournal';

// ---------------------------------------------------------------------------------------------
// The schema

/** Bounds of a line's `subaccount`: generous for any SUBACCOUNT key, and a bound on the work. */
export const SUBACCOUNT_LIMITS = {
	/** Segments in one subaccount. */
	segments: 32,
	/** Characters of one segment value (a code, as the journal's other codes). */
	segmentValue: FIELD_LIMITS.code,
} as const;

/**
 * A line's `subaccount` as Map Dimensions writes it: every segment of Visma.net's SUBACCOUNT key,
 * in segment order. Absent (or null) is none.
 */
export const subaccountSchema = z
	.array(
		z.object({
			segmentId: z.number().int(),
			segmentValue: z.string().max(SUBACCOUNT_LIMITS.segmentValue),
		}),
	)
	.max(SUBACCOUNT_LIMITS.segments)
	.nullish();

/**
 * `subaccountSchema`'s output (none as []) for a value it surely accepts, or `null` when not
 * sure (the caller then asks the schema): the same checks in plain code, for every line of a
 * part. `test/unit/core/fastPaths.property.test.ts` proves the two agree.
 */
export function readSubaccountFast(raw: unknown): SegmentAssignment[] | null {
	if (raw === undefined || raw === null) return [];
	if (!Array.isArray(raw) || raw.length > SUBACCOUNT_LIMITS.segments) return null;
	const segments = new Array<SegmentAssignment>(raw.length);
	for (let index = 0; index < raw.length; index++) {
		const entry: unknown = raw[index];
		if (!isPlainObject(entry)) return null;
		const { segmentId, segmentValue } = entry;
		if (typeof segmentId !== 'number' || !Number.isInteger(segmentId)) return null;
		if (typeof segmentValue !== 'string' || segmentValue.length > SUBACCOUNT_LIMITS.segmentValue)
			return null;
		segments[index] = { segmentId, segmentValue };
	}
	return segments;
}

/** A line of a part: a canonical line, and the subaccount Map Dimensions gives it. */
export const partLineSchema = canonicalLineSchema.extend({ subaccount: subaccountSchema });

const financialPeriodText = z
	.string()
	.refine(
		(value) => validateFinancialPeriodText(value) === null,
		'must be a financial period YYYYMM',
	);

const dateText = z.string().refine(isIsoDate, 'must be a date YYYY-MM-DD');

/** The fields a part has beside the canonical journal's, as Split TWK by Period writes them. */
export const partFieldsSchema = z.object({
	/** The financial period the part books in (`YYYYMM`). */
	financialPeriod: financialPeriodText,
	/** The batch date, inside `financialPeriod`. */
	transactionDate: dateText,
	/** A correction of another period than the run's own. */
	isTwk: z.boolean(),
	/** The period the part concerns, when it was moved out of a closed one. */
	movedFrom: financialPeriodText.optional(),
	/** The batch description. */
	description: z.string(),
	/** Visma.net's first and last day of `financialPeriod`, when Split read Visma.net's periods. */
	financialPeriodDates: z.object({ startDate: dateText, endDate: dateText }).optional(),
	/** Which part of the journal this is: `number` of `of`. */
	part: z.object({ number: z.number().int().min(1), of: z.number().int().min(1) }),
});

/**
 * The journal part as an item carries it: the canonical journal (journal-contract §2), the part's
 * fields, and lines that may hold a subaccount. Post also reads a journal without the part's
 * fields when it books in one financial period only (`readPart`).
 */
export const journalPartSchema = canonicalJournalSchema.extend({
	...partFieldsSchema.shape,
	lines: z.array(partLineSchema).min(1, 'must hold at least one line'),
});

/** Every field of a part, from its schema: the journal's and the part's own. */
export const PART_FIELDS: readonly string[] = Object.freeze(Object.keys(journalPartSchema.shape));

/** A part's line as JSON: a canonical line, with its subaccount once Map Dimensions gave it one. */
export interface PartLineJson extends CanonicalLineJson {
	subaccount?: SegmentAssignment[];
}

// ---------------------------------------------------------------------------------------------
// The writer

/** A journal line as a part's line JSON, with the subaccount Map Dimensions found for it. */
export function writePartLine(
	line: JournalLine,
	subaccount?: readonly SegmentAssignment[],
): PartLineJson {
	const json: PartLineJson = toCanonicalLineJson(line);
	// As Map Dimensions found it (not copied: one per line of a 500,000-line journal).
	if (subaccount !== undefined) json.subaccount = subaccount as SegmentAssignment[];
	return json;
}

/**
 * One part of a split journal as the item's JSON. What the input item carried beside the journal
 * is kept, except the part's own fields (written here) and Validate Journal's `validation`, which
 * is about the whole journal.
 */
export function writePart(
	carried: Readonly<Record<string, unknown>>,
	part: JournalPart,
	position: { readonly number: number; readonly of: number },
	written: { readonly description: string; readonly lines: readonly PartLineJson[] },
): Record<string, unknown> {
	const extra: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(carried))
		if (!PART_FIELDS.includes(key) && key !== 'validation') extra[key] = value;
	const fields: z.input<typeof partFieldsSchema> = {
		financialPeriod: toFinancialPeriodText(part.financialPeriod),
		transactionDate: part.transactionDate,
		isTwk: part.isTwk,
		...(part.movedFrom ? { movedFrom: toFinancialPeriodText(part.movedFrom) } : {}),
		description: written.description,
		...(part.periodDates ? { financialPeriodDates: { ...part.periodDates } } : {}),
		part: { number: position.number, of: position.of },
	};
	return {
		...extra,
		...toCanonicalHeaderJson(part.journal),
		...fields,
		lines: [...written.lines],
	};
}

// ---------------------------------------------------------------------------------------------
// The reader

export type ReadPartResult =
	| { part: PostingPart; isTwk: boolean; issues: [] }
	| { part: null; issues: Issue[] };

/** A line's subaccount by `subaccountSchema`: the segments, or why not. */
function readSubaccount(raw: unknown): SegmentAssignment[] | string {
	const fast = readSubaccountFast(raw);
	if (fast !== null) return fast;
	const read = withoutStackTraces(() => subaccountSchema.safeParse(raw));
	if (read.success) return read.data ?? [];
	const tooBig = read.error.issues.find((issue) => issue.code === 'too_big');
	if (tooBig && tooBig.code === 'too_big' && tooBig.type === 'array')
		return `subaccount has ${(raw as unknown[]).length} segments; at most ${SUBACCOUNT_LIMITS.segments} are accepted.`;
	if (tooBig && tooBig.code === 'too_big' && tooBig.type === 'string') {
		const value: unknown = (raw as Array<{ segmentValue?: unknown }>)[Number(tooBig.path[0])]
			?.segmentValue;
		const length = typeof value === 'string' ? value.length : 0;
		return `a segmentValue of subaccount is ${length.toLocaleString('en-US')} characters long; at most ${SUBACCOUNT_LIMITS.segmentValue} characters are accepted.`;
	}
	return 'subaccount must be a list of { segmentId, segmentValue }.';
}

/**
 * The period's dates as Split TWK by Period gives them when it read Visma.net's periods
 * (`financialPeriodDates`); without them the period is a calendar month (period.ts).
 */
function periodDatesOf(raw: unknown, period: FinancialPeriod): VismaFinancialPeriod[] | undefined {
	if (!raw || typeof raw !== 'object') return undefined;
	const { startDate, endDate } = raw as { startDate?: unknown; endDate?: unknown };
	if (!isIsoDate(startDate) || !isIsoDate(endDate)) return undefined;
	return [{ ...period, startDate, endDate }];
}

/**
 * Reads an item into the part to book: the journal's lines with their subaccounts, the financial
 * period and date that Split TWK by Period gave it (or, for a journal that books in one period
 * only, Split's own part of it), and refuses what must never be sent.
 */
export function readPart(
	json: Readonly<Record<string, unknown>>,
	calendar: PayrollCalendarOptions,
): ReadPartResult {
	const reference = referenceOf(json);
	if (json.error !== undefined || (Array.isArray(json.errors) && json.errors.length > 0)) {
		return {
			part: null,
			issues: [
				createIssue(
					'ITEM_HAS_ERRORS',
					{ reference, path: 'errors' },
					'the item carries errors from an earlier step, so it is not posted.',
					'Send only the Valid output of Validate Journal (and successful items of the other nodes) to Post Journal Transaction.',
				),
			],
		};
	}
	const refusals = checkCompany(json, reference);
	const { journal, issues } = parseJournal(json);
	if (!journal || refusals.length > 0) return { part: null, issues: [...refusals, ...issues] };

	const lineIssues: Issue[] = [];
	const rawLines = json.lines as unknown[];
	const lines: PostingLine[] = [];
	for (const line of journal.lines) {
		if (line.debitCents === 0n && line.creditCents === 0n) continue;
		const subaccount = readSubaccount(
			(rawLines[line.index] as { subaccount?: unknown }).subaccount,
		);
		if (typeof subaccount === 'string') {
			lineIssues.push(
				createIssue(
					'SUBACCOUNT_INVALID',
					{ reference, lineIndex: line.index, account: line.account, field: 'subaccount' },
					subaccount,
					'Let Map Dimensions fill it, or leave it out.',
				),
			);
			continue;
		}
		lines.push({
			account: line.account,
			description: line.description,
			debitCents: line.debitCents,
			creditCents: line.creditCents,
			subaccount,
			...(line.project === undefined ? {} : { project: line.project }),
			...(line.projectTask === undefined ? {} : { projectTask: line.projectTask }),
			...(line.branch === undefined ? {} : { branch: line.branch }),
		});
	}
	if (lineIssues.length > 0) return { part: null, issues: lineIssues };

	// A period given must be one: a wrong one is refused, never replaced by a period worked out here.
	const periodIssues = (['financialPeriod', 'movedFrom'] as const)
		.filter((field) => json[field] !== undefined && json[field] !== null)
		.map((field) => validateFinancialPeriodText(json[field], { reference, path: field, field }))
		.filter((issue): issue is Issue => issue !== null);
	if (periodIssues.length > 0) return { part: null, issues: periodIssues };

	let financialPeriod = parseFinancialPeriodText(json.financialPeriod);
	const movedFrom = parseFinancialPeriodText(json.movedFrom);
	if (financialPeriod) {
		// Given (by Split, or by hand): every line must belong to that one part, by Split's own rule.
		const periodDates = periodDatesOf(json.financialPeriodDates, financialPeriod)?.[0];
		const notOnePart = checkGivenPart(
			journal,
			{
				financialPeriod,
				...(movedFrom ? { movedFrom } : {}),
				...(periodDates ? { periodDates } : {}),
			},
			calendar,
		);
		if (notOnePart.length > 0) return { part: null, issues: notOnePart };
	}
	// A date given must be one: a wrong one is refused, never replaced by a date worked out here.
	const dateIssue =
		json.transactionDate === undefined || json.transactionDate === null
			? null
			: validateIsoDate(json.transactionDate, {
					reference,
					path: 'transactionDate',
					field: 'transactionDate',
				});
	if (dateIssue) return { part: null, issues: [dateIssue] };
	let transactionDate = isIsoDate(json.transactionDate) ? json.transactionDate : undefined;
	let description =
		typeof json.description === 'string' && json.description.trim()
			? json.description.trim()
			: undefined;
	let isTwk = json.isTwk === true;
	if (!financialPeriod) {
		// Not split: fine when the whole journal books in one period; otherwise it must be split first.
		const split = splitJournal(json, calendar);
		if (split.issues.length > 0) return { part: null, issues: [...split.issues] };
		if (split.parts.length !== 1) {
			return {
				part: null,
				issues: [
					createIssue(
						'JOURNAL_NOT_SPLIT',
						{ reference, path: 'financialPeriod' },
						`the journal books in ${split.parts.length} financial periods (${split.parts.map((part) => formatFinancialPeriod(part.financialPeriod)).join(', ')}), and one transaction holds one period.`,
						'Put Split TWK by Period before Post Journal Transaction.',
					),
				],
			};
		}
		const only = split.parts[0];
		financialPeriod = only.financialPeriod;
		transactionDate ??= only.transactionDate;
		description ??= only.description;
		isTwk = only.isTwk;
	}
	if (!transactionDate) {
		return {
			part: null,
			issues: [
				createIssue(
					'FIELD_REQUIRED',
					{ reference, path: 'transactionDate', field: 'transactionDate' },
					'the transaction date is missing or not a date.',
					'Use the output of Split TWK by Period, which sets it.',
				),
			],
		};
	}
	const outside = validateDateInFinancialPeriod(
		transactionDate,
		financialPeriod,
		periodDatesOf(json.financialPeriodDates, financialPeriod),
		{
			reference,
			path: 'transactionDate',
			field: 'transactionDate',
		},
	);
	if (outside) return { part: null, issues: [outside] };
	const debit = sumCents(lines.map((line) => line.debitCents));
	const credit = sumCents(lines.map((line) => line.creditCents));
	if (debit !== credit) {
		return {
			part: null,
			issues: [
				createIssue(
					'JOURNAL_UNBALANCED',
					{ reference, path: 'lines' },
					`the transaction for ${formatFinancialPeriod(financialPeriod)} does not balance (debit ${formatAmount(debit)}, credit ${formatAmount(credit)}).`,
					'Validate the journal with Validate Journal and split it with Split TWK by Period before posting.',
				),
			],
		};
	}
	return {
		part: {
			companyId: journal.company.id,
			reference: journal.reference,
			currency: journal.currency,
			financialPeriod,
			transactionDate,
			description:
				description ??
				`Loonjournaal ${journal.reference} ${formatFinancialPeriod(financialPeriod)}`,
			...(movedFrom ? { movedFrom } : {}),
			lines,
		},
		isTwk,
		issues: [],
	};
}
