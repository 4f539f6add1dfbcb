/**
 * Split TWK by Period: one journal part per financial period (journal-contract §3). The run's own
 * period and every period a retroactive correction (TWK) concerns each become one balanced
 * part, all under the run's reference. A part whose period is closed in Visma.net follows the
 * closed-period policy; a moved part says in its description where it came from.
 */
import { resolveBookingPeriods, type LineBooking } from './bookingPeriods';
import { capIssues, createIssue, describeLines, type Issue } from './issues';
import type { Journal, JournalLine } from './journal';
import {
	financialPeriodEndDate,
	financialPeriodRange,
	findVismaFinancialPeriod,
	firstOpenFinancialPeriodAfter,
	formatFinancialPeriod,
	isFinancialPeriodOpen,
	financialPeriodOfDate,
	isSameFinancialPeriod,
	toFinancialPeriodText,
	type DateRange,
	type FinancialPeriod,
	type PayrollCalendarOptions,
} from './period';
import { periodKeys, validateJournal, type ValidationOptions } from './validateJournal';

export const CLOSED_PERIOD_POLICIES = ['fail', 'firstOpenPeriod', 'runPeriod'] as const;
export type ClosedPeriodPolicy = (typeof CLOSED_PERIOD_POLICIES)[number];

export interface SplitOptions extends ValidationOptions {
	readonly closedPeriodPolicy?: ClosedPeriodPolicy;
}

export interface JournalPart {
	readonly journal: Journal;
	readonly financialPeriod: FinancialPeriod;
	/** The batch date: the part's booking date when it lies in the period, else the period's last day. */
	readonly transactionDate: string;
	/** True when the part is a correction of another period than the run's own. */
	readonly isTwk: boolean;
	/** The period the part concerns, when it was moved out of a closed one. */
	readonly movedFrom?: FinancialPeriod;
	/** The batch description, in the books' language. */
	readonly description: string;
	/** The financial period's first and last day, when Visma.net's periods were read (Post checks the date against them). */
	readonly periodDates?: DateRange;
}

export interface SplitResult {
	readonly parts: readonly JournalPart[];
	readonly issues: readonly Issue[];
}

/** Validates (shape, company, periods, balance per period) and splits one journal item. */
export function splitJournal(input: unknown, options: SplitOptions = {}): SplitResult {
	const policy = options.closedPeriodPolicy ?? 'fail';
	const validated = validateJournal(input, {
		...options,
		accounts: undefined,
		allowClosedPeriods: true,
	});
	if (!validated.journal) return { parts: [], issues: validated.issues };
	return splitByFinancialPeriod(
		validated.journal,
		validated.bookings,
		validated.runFinancialPeriod,
		{ ...options, closedPeriodPolicy: policy },
	);
}

/** Groups placed lines by financial period and applies the closed-period policy. */
export function splitByFinancialPeriod(
	journal: Journal,
	bookings: readonly LineBooking[],
	runPeriod: FinancialPeriod | null,
	options: SplitOptions = {},
): SplitResult {
	const groups = new Map<string, { period: FinancialPeriod; bookings: LineBooking[] }>();
	const keyOf = periodKeys();
	for (const booking of bookings) {
		const key = keyOf(booking.financialPeriod);
		const group = groups.get(key);
		if (group) group.bookings.push(booking);
		else groups.set(key, { period: booking.financialPeriod, bookings: [booking] });
	}
	const issues: Issue[] = [];
	const parts: JournalPart[] = [];
	for (const key of [...groups.keys()].sort()) {
		const group = groups.get(key)!;
		const lines = group.bookings
			.map((booking) => booking.line)
			.filter((line) => line.debitCents !== 0n || line.creditCents !== 0n);
		if (lines.length === 0) continue;
		const target = targetPeriod(journal, group.period, lines, runPeriod, options, issues);
		if (target === null) continue;
		const moved = !isSameFinancialPeriod(target, group.period);
		const isTwk = runPeriod !== null && !isSameFinancialPeriod(group.period, runPeriod);
		const latestBookingDate = group.bookings.reduce(
			(latest, booking) => (booking.bookingDate > latest ? booking.bookingDate : latest),
			'',
		);
		const periodDates = options.financialPeriods
			? financialPeriodRange(target, options.financialPeriods)
			: null;
		parts.push({
			journal: {
				...journal,
				lines: moved ? lines.map((line) => markMoved(line, group.period)) : lines,
			},
			financialPeriod: target,
			transactionDate: transactionDateIn(target, latestBookingDate, options),
			isTwk,
			...(moved ? { movedFrom: group.period } : {}),
			description: describePart(journal.reference, group.period, target, isTwk),
			...(periodDates ? { periodDates } : {}),
		});
	}
	return { parts: issues.length > 0 ? [] : parts, issues: capIssues(issues, journal.reference) };
}

function targetPeriod(
	journal: Journal,
	period: FinancialPeriod,
	lines: readonly JournalLine[],
	runPeriod: FinancialPeriod | null,
	options: SplitOptions,
	issues: Issue[],
): FinancialPeriod | null {
	const periods = options.financialPeriods;
	if (!periods) return period;
	const visma = findVismaFinancialPeriod(period, periods);
	if (!visma || isFinancialPeriodOpen(visma)) return period;
	const policy = options.closedPeriodPolicy ?? 'fail';
	const where = describeLines(lines.map((line) => line.index));
	const location = {
		reference: journal.reference,
		path: `periods.${toFinancialPeriodText(period)}`,
	};
	const label = formatFinancialPeriod(period);
	if (policy === 'firstOpenPeriod') {
		const next = firstOpenFinancialPeriodAfter(period, periods);
		if (next) return { year: next.year, period: next.period };
		issues.push(
			createIssue(
				'FINANCIAL_PERIOD_CLOSED',
				location,
				`financial period ${label} is closed in Visma.net (${where}) and no open period follows it.`,
				'Open a later period in Visma.net (General ledger > Financial periods).',
			),
		);
		return null;
	}
	if (policy === 'runPeriod') {
		const runVisma = runPeriod ? findVismaFinancialPeriod(runPeriod, periods) : null;
		if (runPeriod && runVisma && isFinancialPeriodOpen(runVisma)) return runPeriod;
		issues.push(
			createIssue(
				'FINANCIAL_PERIOD_CLOSED',
				location,
				`financial period ${label} is closed in Visma.net (${where}) and the run's own period ${runPeriod ? `${formatFinancialPeriod(runPeriod)} is closed too` : 'is not known'}.`,
				runPeriod
					? 'Reopen a period in Visma.net or choose the policy "First Open Period".'
					: 'Give the run its year and period.',
			),
		);
		return null;
	}
	issues.push(
		createIssue(
			'FINANCIAL_PERIOD_CLOSED',
			location,
			`financial period ${label} is closed in Visma.net (${where}).`,
			"Reopen it in Visma.net, or set Closed Period Policy to book such a part in the first open period or in the run's own period.",
		),
	);
	return null;
}

function markMoved(line: JournalLine, from: FinancialPeriod): JournalLine {
	const note = `(TWK ${formatFinancialPeriod(from)})`;
	return { ...line, description: line.description ? `${line.description} ${note}` : note };
}

function transactionDateIn(
	period: FinancialPeriod,
	bookingDate: string,
	options: SplitOptions,
): string {
	const end = financialPeriodEndDate(period, options.financialPeriods) ?? bookingDate;
	const start = startOf(period, options);
	if (bookingDate && bookingDate <= end && (start === null || bookingDate >= start))
		return bookingDate;
	return end;
}

function startOf(period: FinancialPeriod, options: SplitOptions): string | null {
	const visma = options.financialPeriods
		? findVismaFinancialPeriod(period, options.financialPeriods)
		: null;
	if (visma) return visma.startDate.slice(0, 10);
	if (period.period > 12) return null;
	return `${String(period.year).padStart(4, '0')}-${String(period.period).padStart(2, '0')}-01`;
}

/**
 * The batch description, in Dutch as the books are: "Loonjournaal R2026-03 2026-03",
 * "Loonjournaal R2026-03 TWK 2026-01", and for a moved part
 * "Loonjournaal R2026-03 TWK 2026-01 (periode gesloten, geboekt in 2026-03)".
 */
function describePart(
	reference: string,
	concerns: FinancialPeriod,
	target: FinancialPeriod,
	isTwk: boolean,
): string {
	const what = `Loonjournaal ${reference} ${isTwk ? 'TWK ' : ''}${formatFinancialPeriod(concerns)}`;
	return isSameFinancialPeriod(concerns, target)
		? what
		: `${what} (periode gesloten, geboekt in ${formatFinancialPeriod(target)})`;
}

/** A part as Post is given it: the period it books in, where it was moved from, Visma.net's dates of its period. */
export interface GivenPart {
	readonly financialPeriod: FinancialPeriod;
	readonly movedFrom?: FinancialPeriod;
	/** Visma.net's dates of `financialPeriod` (Split writes them as `financialPeriodDates` when it read the periods). */
	readonly periodDates?: DateRange;
}

/**
 * A journal given with its financial period must be exactly one part of that period, by the
 * rule Split uses (resolveBookingPeriods, and Visma.net's period dates when known): every line
 * that books an amount concerns the period the part concerns (`movedFrom` for a part moved out
 * of a closed period, else `financialPeriod`). Returns the issues that refuse it, none when it is.
 * Visma.net's dates are known for the period a part books in only, so a moved part's lines are
 * placed in calendar months (as Split does when it did not read Visma.net's periods).
 */
export function checkGivenPart(
	journal: Journal,
	given: GivenPart,
	options: PayrollCalendarOptions = {},
): Issue[] {
	const placed = resolveBookingPeriods(journal, options);
	if (placed.issues.length > 0) return capIssues([...placed.issues], journal.reference);
	const concerns = given.movedFrom ?? given.financialPeriod;
	const dates = given.movedFrom ? undefined : given.periodDates;
	const known = dates ? [{ ...given.financialPeriod, ...dates, active: true }] : undefined;
	// Lines outside the part, by the period they concern (or, against Visma.net's dates, the date they are booked on).
	const outside = new Map<string, { indexes: number[]; one: string; many: string }>();
	for (const booking of placed.bookings) {
		if (booking.line.debitCents === 0n && booking.line.creditCents === 0n) continue;
		const period = known
			? financialPeriodOfDate(booking.bookingDate, known)
			: booking.financialPeriod;
		if (period && isSameFinancialPeriod(period, concerns)) continue;
		const key = known ? booking.bookingDate : toFinancialPeriodText(booking.financialPeriod);
		const group = outside.get(key);
		if (group) group.indexes.push(booking.line.index);
		else if (known)
			outside.set(key, {
				indexes: [booking.line.index],
				one: `is booked on ${key}`,
				many: `are booked on ${key}`,
			});
		else
			outside.set(key, {
				indexes: [booking.line.index],
				one: `concerns ${formatFinancialPeriod(booking.financialPeriod)}`,
				many: `concern ${formatFinancialPeriod(booking.financialPeriod)}`,
			});
	}
	if (outside.size === 0) return [];
	const groups = [...outside.keys()].sort().map((key) => {
		const { indexes, one, many } = outside.get(key)!;
		return `${describeLines(indexes)} ${indexes.length === 1 ? one : many}`;
	});
	const label = formatFinancialPeriod(given.financialPeriod);
	const part = given.movedFrom
		? `the part moved from ${formatFinancialPeriod(given.movedFrom)} to financial period ${label} (its lines concern ${formatFinancialPeriod(given.movedFrom)})`
		: `financial period ${label}${dates ? ` (${dates.startDate} – ${dates.endDate})` : ''}`;
	return [
		createIssue(
			'JOURNAL_NOT_SPLIT',
			{ reference: journal.reference, path: 'financialPeriod' },
			`financialPeriod says this item is ${part}, but not every line belongs to it: ${groups.join('; ')}. One transaction holds the lines of one period.`,
			'Run Split TWK by Period before Post Journal Transaction and post its items as they are (financialPeriod, movedFrom and lines unchanged).',
		),
	];
}
