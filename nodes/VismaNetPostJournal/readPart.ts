/**
 * Reads a Post item into the part to book: the journal's lines with their subaccounts, the
 * financial period and date that Split TWK by Period gave it (or, for a journal that books in one
 * period only, worked out here), and refuses what must never be sent.
 */
import type { IDataObject } from 'n8n-workflow';

import type { PostingLine, PostingPart } from '../core/buildJournalTransaction';
import { createIssue, type Issue } from '../core/issues';
import { parseJournal } from '../core/journal';
import type { SegmentAssignment } from '../core/mapDimensions';
import { formatAmount, sumCents } from '../core/money';
import {
	formatFinancialPeriod,
	isIsoDate,
	parseFinancialPeriodText,
	validateDateInFinancialPeriod,
	validateFinancialPeriodText,
	validateIsoDate,
	type FinancialPeriod,
	type PayrollCalendarOptions,
	type VismaFinancialPeriod,
} from '../core/period';
import { checkGivenPart, splitJournal } from '../core/splitTwk';
import { checkCompany } from '../core/validateJournal';

export type ReadPartResult =
	| { part: PostingPart; isTwk: boolean; issues: [] }
	| { part: null; issues: Issue[] };

function readSubaccount(raw: unknown): SegmentAssignment[] | null {
	if (raw === undefined || raw === null) return [];
	if (!Array.isArray(raw)) return null;
	const segments: SegmentAssignment[] = [];
	for (const entry of raw) {
		if (!entry || typeof entry !== 'object') return null;
		const { segmentId, segmentValue } = entry as { segmentId?: unknown; segmentValue?: unknown };
		if (
			typeof segmentId !== 'number' ||
			!Number.isInteger(segmentId) ||
			typeof segmentValue !== 'string'
		)
			return null;
		segments.push({ segmentId, segmentValue });
	}
	return segments;
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

export function readPart(json: IDataObject, calendar: PayrollCalendarOptions): ReadPartResult {
	const reference = typeof json.reference === 'string' ? json.reference : undefined;
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
		const subaccount = readSubaccount((rawLines[line.index] as IDataObject).subaccount);
		if (subaccount === null) {
			lineIssues.push(
				createIssue(
					'SUBACCOUNT_INVALID',
					{ reference, lineIndex: line.index, account: line.account, field: 'subaccount' },
					'subaccount must be a list of { segmentId, segmentValue }.',
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
