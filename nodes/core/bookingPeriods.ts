/**
 * Where each journal line lands: its booking date and its financial period (journal-contract §3).
 *
 * A line's booking date is its `bookingDate` if given; else the booking date of the payroll
 * period it concerns (`period`, TWK); else that of the run's own period; else the run's date.
 * The financial period is the one holding that date: a calendar month by default, or one of
 * Visma.net's own periods when they are known.
 */
import { createIssue, type Issue } from './issues';
import type { Journal, JournalLine } from './journal';
import {
	financialPeriodOfDate,
	formatPayrollPeriod,
	payrollPeriodBookingDate,
	validatePayrollPeriod,
	type FinancialPeriod,
	type PayrollCalendarOptions,
	type PayrollPeriod,
	type VismaFinancialPeriod,
} from './period';

export interface BookingPeriodOptions extends PayrollCalendarOptions {
	/** Visma.net's financial periods; when absent, financial periods are calendar months. */
	readonly financialPeriods?: readonly VismaFinancialPeriod[];
}

export interface LineBooking {
	readonly line: JournalLine;
	readonly bookingDate: string;
	readonly financialPeriod: FinancialPeriod;
	/** The payroll period the line concerns, when known. */
	readonly payrollPeriod?: PayrollPeriod;
}

export interface BookingPeriodsResult {
	readonly bookings: readonly LineBooking[];
	/** The financial period of the run's own period (where non-TWK lines land), when known. */
	readonly runFinancialPeriod: FinancialPeriod | null;
	readonly issues: readonly Issue[];
}

/** The run's own payroll period, when the journal says enough to know it. */
export function runPayrollPeriod(journal: Journal): PayrollPeriod | null {
	const run = journal.run;
	if (!run || run.year === undefined || run.period === undefined) return null;
	return { year: run.year, period: run.period, type: run.periodType };
}

/** Resolves the booking date and financial period of every line; lists every line it cannot place. */
export function resolveBookingPeriods(
	journal: Journal,
	options: BookingPeriodOptions = {},
): BookingPeriodsResult {
	const issues: Issue[] = [];
	const runPeriod = runPayrollPeriod(journal);
	let runBookingDate: string | undefined;
	if (runPeriod) {
		const problem = validatePayrollPeriod(runPeriod, options, {
			reference: journal.reference,
			field: 'run.period',
			path: 'run.period',
		});
		if (problem) issues.push(problem);
		else runBookingDate = payrollPeriodBookingDate(runPeriod, options);
	}
	runBookingDate ??= journal.run?.date;
	const runFinancialPeriod = runBookingDate ? placeDate(runBookingDate, options) : null;

	// Per call, by payroll period and by date: a journal has a few of each on many lines.
	const validPeriodDates = new Map<string, string>();
	const placed = new Map<string, FinancialPeriod | null>();
	const bookings: LineBooking[] = [];
	for (const line of journal.lines) {
		const location = { reference: journal.reference, lineIndex: line.index, account: line.account };
		let bookingDate = line.bookingDate;
		let payrollPeriod: PayrollPeriod | undefined;
		if (line.period) {
			payrollPeriod = {
				year: line.period.year,
				period: line.period.period,
				type: journal.run?.periodType ?? 'month',
			};
			const periodKey = `${payrollPeriod.year}|${payrollPeriod.period}`;
			let periodDate = validPeriodDates.get(periodKey);
			if (periodDate === undefined) {
				const problem = validatePayrollPeriod(payrollPeriod, options, {
					...location,
					field: 'period',
				});
				if (problem) {
					issues.push(problem);
					continue;
				}
				periodDate = payrollPeriodBookingDate(payrollPeriod, options);
				validPeriodDates.set(periodKey, periodDate);
			}
			bookingDate ??= periodDate;
		} else if (runPeriod) {
			payrollPeriod = runPeriod;
		}
		bookingDate ??= runBookingDate;
		if (bookingDate === undefined) {
			issues.push(
				createIssue(
					'FIELD_REQUIRED',
					{ ...location, field: 'bookingDate' },
					'it is not known in which period this line is booked: the line has no bookingDate or period, and the run has no year and period or date.',
					'Give the run its year and period (run.year, run.period), or the line a bookingDate.',
				),
			);
			continue;
		}
		let financialPeriod = placed.get(bookingDate);
		if (financialPeriod === undefined) {
			financialPeriod = placeDate(bookingDate, options);
			placed.set(bookingDate, financialPeriod);
		}
		if (financialPeriod === null) {
			issues.push(
				createIssue(
					'FINANCIAL_PERIOD_MISSING',
					{ ...location, field: line.bookingDate ? 'bookingDate' : 'period' },
					`Visma.net has no financial period that holds the booking date ${bookingDate}${payrollPeriod ? ` (${formatPayrollPeriod(payrollPeriod, options)})` : ''}.`,
					'Create the financial year and its periods in Visma.net (General ledger > Financial periods), then run the workflow again.',
				),
			);
			continue;
		}
		bookings.push({
			line,
			bookingDate,
			financialPeriod,
			...(payrollPeriod ? { payrollPeriod } : {}),
		});
	}
	return { bookings, runFinancialPeriod, issues };
}

function placeDate(date: string, options: BookingPeriodOptions): FinancialPeriod | null {
	return financialPeriodOfDate(date, options.financialPeriods);
}
