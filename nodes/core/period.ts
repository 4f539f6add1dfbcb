/**
 * Periods: the only home of the period rules (journal-contract.md §3).
 *
 * - Payroll periods `(year, period, type)`: months, 4-weekly periods and ISO weeks of the payroll
 *   year, their start and end dates, and their booking date (the end date capped at 31 December).
 * - Financial periods (Visma.net's): `{ year, period }`, their texts `YYYYMM` (`financialPeriod`),
 *   `MMYYYY` (`postPeriod`) and `YYYYPP` (`periodId`), the period of a date (monthly, or from the
 *   list Visma.net gives), and whether a period is open for posting.
 *
 * Dates are plain calendar dates, `YYYY-MM-DD` strings in the API. All arithmetic runs in luxon's
 * UTC zone, so no time zone or daylight-saving change can move a date.
 */

import { DateTime } from 'luxon';

import { createIssue, displayValue, type Issue, type IssueLocation } from './issues';

// ---------------------------------------------------------------------------------------------
// Dates

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** A date at the start of a Visma.net date-time (`2026-01-01T00:00:00`), read as written. */
const LEADING_ISO_DATE = /^(\d{4}-\d{2}-\d{2})(?:$|[T ])/;

export type IsoDateResult = { ok: true; date: string } | { ok: false; reason: string };

/**
 * Texts already known to be real dates (or not): a journal has a handful of distinct dates on
 * hundreds of thousands of lines, and luxon takes microseconds per date. Bounded, and a pure
 * function of the text, so the answers are the same as without it.
 */
const REAL_DATES = new Map<string, boolean>();
const REAL_DATES_LIMIT = 4096;

function isRealDate(value: string): boolean {
	let real = REAL_DATES.get(value);
	if (real === undefined) {
		real = toDateTime(value).isValid;
		if (REAL_DATES.size >= REAL_DATES_LIMIT) REAL_DATES.clear();
		REAL_DATES.set(value, real);
	}
	return real;
}

/** Reads a `YYYY-MM-DD` text that names a real calendar date (no 30 February, no time part). */
export function parseIsoDate(value: unknown): IsoDateResult {
	if (typeof value !== 'string') return { ok: false, reason: 'is not a date text' };
	if (!ISO_DATE.test(value)) return { ok: false, reason: 'is not written as YYYY-MM-DD' };
	if (!isRealDate(value)) return { ok: false, reason: 'is not a real calendar date' };
	return { ok: true, date: value };
}

export function isIsoDate(value: unknown): value is string {
	return parseIsoDate(value).ok;
}

/**
 * Whether `year` is a whole year in which payroll is booked: MIN_PAYROLL_YEAR to MAX_PAYROLL_YEAR.
 * The one year rule for every date, run and period a journal carries, in JSON and in Nmbrs XML.
 */
export function isPayrollYear(year: unknown): year is number {
	return (
		typeof year === 'number' &&
		Number.isInteger(year) &&
		year >= MIN_PAYROLL_YEAR &&
		year <= MAX_PAYROLL_YEAR
	);
}

/** A real `YYYY-MM-DD` date in a payroll year: the rule for the dates of a journal (JSON and XML). */
export function parseBookingDate(value: unknown): IsoDateResult {
	const result = parseIsoDate(value);
	if (!result.ok) return result;
	if (!isPayrollYear(Number(result.date.slice(0, 4)))) {
		return { ok: false, reason: `is not in the years ${MIN_PAYROLL_YEAR} to ${MAX_PAYROLL_YEAR}` };
	}
	return result;
}

export function isBookingDate(value: unknown): value is string {
	return parseBookingDate(value).ok;
}

/** `YYYYMMDD`, as Nmbrs' journal XML writes a date. */
const COMPACT_DATE = /^(\d{4})(\d{2})(\d{2})$/;

/**
 * A date as Nmbrs' journal XML writes it (`YYYYMMDD`, or `YYYY-MM-DD`) as `YYYY-MM-DD`, when it is
 * a booking date by `parseBookingDate`'s rule (the same rule as for canonical JSON); else undefined.
 */
export function toBookingDate(text: string): string | undefined {
	const compact = COMPACT_DATE.exec(text);
	const isoDate = compact ? `${compact[1]}-${compact[2]}-${compact[3]}` : text;
	return isBookingDate(isoDate) ? isoDate : undefined;
}

/** `DATE_INVALID` when `value` is not a real `YYYY-MM-DD` date, else `null`. */
export function validateIsoDate(value: unknown, location: IssueLocation = {}): Issue | null {
	const result = parseIsoDate(value);
	if (result.ok) return null;
	const what = `${location.field ?? 'the date'} ${displayValue(value)} ${result.reason}.`;
	return createIssue(
		'DATE_INVALID',
		location,
		what,
		'Write dates as YYYY-MM-DD, for example 2026-03-31.',
		value,
	);
}

function toDateTime(isoDate: string): DateTime {
	return DateTime.fromISO(isoDate, { zone: 'utc' });
}

function toIsoText(date: DateTime): string {
	const text = date.toISODate();
	if (text === null)
		throw new RangeError(`period: date out of range (${date.invalidExplanation ?? ''})`);
	return text;
}

function earlierDate(a: string, b: string): string {
	return a <= b ? a : b;
}

function lastDayOfYear(year: number): string {
	return `${padYear(year)}-12-31`;
}

function padYear(year: number): string {
	return String(year).padStart(4, '0');
}

function padTwo(value: number): string {
	return String(value).padStart(2, '0');
}

/** The date part of a Visma.net date or date-time, or `null` when there is none. */
function toVismaDate(text: string | undefined): string | null {
	if (typeof text !== 'string') return null;
	const match = LEADING_ISO_DATE.exec(text.trim());
	return match && isIsoDate(match[1]) ? match[1] : null;
}

// ---------------------------------------------------------------------------------------------
// Payroll periods

export const PAYROLL_PERIOD_TYPES = ['month', '4weeks', 'week'] as const;

export type PayrollPeriodType = (typeof PAYROLL_PERIOD_TYPES)[number];

export interface PayrollPeriod {
	readonly year: number;
	readonly period: number;
	readonly type: PayrollPeriodType;
}

/** How a 53rd ISO week is paid in a 4-weekly payroll. */
export type Week53Handling = 'ownPeriod' | 'partOfPeriod13';

/**
 * Default: week 53 is a period of its own (4-weekly period 14). That is Dutch wage-tax practice:
 * the extra week is a separate one-week wage period (taxed with the weekly table) rather than a
 * 5-week period 13, so payroll software such as Nmbrs pays and journals it separately; the
 * contract's 2026 examples (period 13 = 30 Nov – 27 Dec, week 53 = 28 Dec – 3 Jan) follow it.
 * Companies that add the week to period 13 choose `partOfPeriod13`.
 */
export const DEFAULT_WEEK53: Week53Handling = 'ownPeriod';

export interface PayrollCalendarOptions {
	readonly week53?: Week53Handling;
}

export interface DateRange {
	readonly startDate: string;
	readonly endDate: string;
}

/** Payroll years this package accepts: four digits, and far from luxon's limits. */
export const MIN_PAYROLL_YEAR = 1900;
export const MAX_PAYROLL_YEAR = 2999;

const TYPE_LABELS: Record<PayrollPeriodType, string> = {
	month: 'monthly period',
	'4weeks': '4-weekly period',
	week: 'week',
};

export function isPayrollPeriodType(value: unknown): value is PayrollPeriodType {
	return typeof value === 'string' && (PAYROLL_PERIOD_TYPES as readonly string[]).includes(value);
}

/** 52 or 53: the number of ISO weeks (Monday–Sunday, week 1 holds the first Thursday). */
export function isoWeeksInYear(year: number): number {
	return DateTime.utc(year, 12, 28).weeksInWeekYear;
}

/** 12 months, 52/53 weeks, or 13 4-weekly periods (14 when week 53 is its own period). */
export function periodsInYear(
	year: number,
	type: PayrollPeriodType,
	options: PayrollCalendarOptions = {},
): number {
	if (type === 'month') return 12;
	const weeks = isoWeeksInYear(year);
	if (type === 'week') return weeks;
	return weeks === 53 && week53Of(options) === 'ownPeriod' ? 14 : 13;
}

function week53Of(options: PayrollCalendarOptions): Week53Handling {
	return options.week53 ?? DEFAULT_WEEK53;
}

/** Loose input, as it may come from JSON: checked by `validatePayrollPeriod`. */
export interface PayrollPeriodInput {
	readonly year: unknown;
	readonly period: unknown;
	readonly type: unknown;
}

/**
 * `PERIOD_INVALID` when the period does not exist ("4-weekly period 14 does not exist in 2027:
 * 2027 has 52 ISO weeks, so 13 periods."), else `null`.
 */
export function validatePayrollPeriod(
	p: PayrollPeriodInput,
	options: PayrollCalendarOptions = {},
	location: IssueLocation = {},
): Issue | null {
	const problem = findPayrollPeriodProblem(p, options);
	if (problem === null) return null;
	return createIssue('PERIOD_INVALID', location, problem.what, problem.todo, problem.value);
}

export function isValidPayrollPeriod(
	p: PayrollPeriodInput,
	options: PayrollCalendarOptions = {},
): p is PayrollPeriod {
	return findPayrollPeriodProblem(p, options) === null;
}

interface PeriodProblem {
	what: string;
	todo: string;
	value: unknown;
}

function findPayrollPeriodProblem(
	p: PayrollPeriodInput,
	options: PayrollCalendarOptions,
): PeriodProblem | null {
	const { year, period, type } = p;
	if (!isPayrollPeriodType(type)) {
		return {
			what: `the period type ${displayValue(type)} is unknown.`,
			todo: 'Use "month", "4weeks" or "week".',
			value: type,
		};
	}
	if (!isPayrollYear(year)) {
		return {
			what: `the payroll year ${displayValue(year)} is not a whole year from ${MIN_PAYROLL_YEAR} to ${MAX_PAYROLL_YEAR}.`,
			todo: 'Give the payroll year as a number, for example 2026.',
			value: year,
		};
	}
	if (typeof period !== 'number' || !Number.isInteger(period)) {
		return {
			what: `the ${TYPE_LABELS[type]} ${displayValue(period)} is not a whole number.`,
			todo: 'Give the period as a number, for example 3.',
			value: period,
		};
	}
	const count = periodsInYear(year, type, options);
	if (period >= 1 && period <= count) return null;
	return {
		what: `${TYPE_LABELS[type]} ${period} does not exist in ${year}: ${explainCount(year, type, count, options)}.`,
		todo: `Use a period from 1 to ${count}.`,
		value: period,
	};
}

function explainCount(
	year: number,
	type: PayrollPeriodType,
	count: number,
	options: PayrollCalendarOptions,
): string {
	if (type === 'month') return 'a year has 12 months';
	const weeks = isoWeeksInYear(year);
	if (type === 'week') return `${year} has ${weeks} ISO weeks`;
	if (weeks === 52) return `${year} has 52 ISO weeks, so ${count} periods`;
	const how =
		week53Of(options) === 'ownPeriod'
			? 'week 53 is paid as a period of its own'
			: 'week 53 is part of period 13 (setting partOfPeriod13)';
	return `${year} has 53 ISO weeks and ${how}, so ${count} periods`;
}

function assertPayrollPeriod(p: PayrollPeriod, options: PayrollCalendarOptions): void {
	const problem = findPayrollPeriodProblem(p, options);
	if (problem !== null) throw new RangeError(`payroll period: ${problem.what}`);
}

/**
 * First and last day of a payroll period. A 4-weekly period k is ISO weeks 4k−3 to 4k of the
 * payroll year (= ISO week-year); period 14 is week 53; with `partOfPeriod13`, period 13 runs
 * to the end of week 53. Throws a RangeError for a period that does not exist: validate first.
 */
export function payrollPeriodRange(
	p: PayrollPeriod,
	options: PayrollCalendarOptions = {},
): DateRange {
	assertPayrollPeriod(p, options);
	if (p.type === 'month') return monthRange(p.year, p.period);
	if (p.type === 'week') return weeksRange(p.year, p.period, p.period);
	const firstWeek = 4 * p.period - 3;
	const lastWeek = Math.min(4 * p.period, isoWeeksInYear(p.year));
	const absorbsWeek53 = p.period === 13 && week53Of(options) === 'partOfPeriod13';
	return weeksRange(p.year, firstWeek, absorbsWeek53 ? isoWeeksInYear(p.year) : lastWeek);
}

function monthRange(year: number, month: number): DateRange {
	const start = DateTime.utc(year, month, 1);
	return { startDate: toIsoText(start), endDate: toIsoText(start.endOf('month')) };
}

/** Monday of `firstWeek` to Sunday of `lastWeek` of an ISO week-year. */
function weeksRange(weekYear: number, firstWeek: number, lastWeek: number): DateRange {
	const start = DateTime.fromObject(
		{ weekYear, weekNumber: firstWeek, weekday: 1 },
		{ zone: 'utc' },
	);
	const end = DateTime.fromObject({ weekYear, weekNumber: lastWeek, weekday: 7 }, { zone: 'utc' });
	return { startDate: toIsoText(start), endDate: toIsoText(end) };
}

/**
 * The date a payroll period is booked on: its end date, capped at 31 December of the payroll
 * year (4-weekly and weekly periods are booked in the month they end; week 53 of 2026 ends
 * 3 January 2027 and is booked on 2026-12-31).
 */
export function payrollPeriodBookingDate(
	p: PayrollPeriod,
	options: PayrollCalendarOptions = {},
): string {
	return earlierDate(payrollPeriodRange(p, options).endDate, lastDayOfYear(p.year));
}

/** "4-weekly period 13 of 2026 (2026-11-30 – 2026-12-27)": for messages and descriptions. */
export function formatPayrollPeriod(
	p: PayrollPeriod,
	options: PayrollCalendarOptions = {},
): string {
	const { startDate, endDate } = payrollPeriodRange(p, options);
	return `${TYPE_LABELS[p.type]} ${p.period} of ${p.year} (${startDate} – ${endDate})`;
}

// ---------------------------------------------------------------------------------------------
// Financial periods (Visma.net)

export interface FinancialPeriod {
	readonly year: number;
	readonly period: number;
}

/** One entry of `GET /v1/financialPeriod`; dates may be date-times (`2026-01-01T00:00:00`). */
export interface VismaFinancialPeriod extends FinancialPeriod {
	readonly startDate: string;
	readonly endDate: string;
	readonly active?: boolean;
	readonly closedInGeneralLedger?: boolean;
	readonly description?: string;
}

const FINANCIAL_PERIOD_TEXT = /^(\d{4})-?(\d{2})$/;

function assertFinancialPeriod(p: FinancialPeriod): void {
	const yearOk = Number.isInteger(p.year) && p.year >= 0 && p.year <= 9999;
	const periodOk = Number.isInteger(p.period) && p.period >= 1 && p.period <= 99;
	if (!yearOk || !periodOk)
		throw new RangeError(`financial period: ${p.year}/${p.period} cannot be written`);
}

/** `YYYYMM` (Visma.net's `financialPeriod`): `202603`. */
export function toFinancialPeriodText(p: FinancialPeriod): string {
	assertFinancialPeriod(p);
	return `${padYear(p.year)}${padTwo(p.period)}`;
}

/** `MMYYYY` (Visma.net's `postPeriod`): `032026`. */
export function toPostPeriodText(p: FinancialPeriod): string {
	assertFinancialPeriod(p);
	return `${padTwo(p.period)}${padYear(p.year)}`;
}

/** `YYYYPP` (the `periodId` list filter): `202603`. */
export function toPeriodIdText(p: FinancialPeriod): string {
	return toFinancialPeriodText(p);
}

/** `2026-03`: the form people read. */
export function formatFinancialPeriod(p: FinancialPeriod): string {
	assertFinancialPeriod(p);
	return `${padYear(p.year)}-${padTwo(p.period)}`;
}

/** Reads `YYYYMM` (also the human `YYYY-MM`); `null` when it is neither or the period is 00. */
export function parseFinancialPeriodText(text: unknown): FinancialPeriod | null {
	if (typeof text !== 'string') return null;
	const match = FINANCIAL_PERIOD_TEXT.exec(text.trim());
	if (!match) return null;
	const period = Number(match[2]);
	return period >= 1 ? { year: Number(match[1]), period } : null;
}

/** A year has 12 financial periods, or 13 in some companies (journal-contract §3). */
export const MAX_FINANCIAL_PERIODS_PER_YEAR = 13;

/**
 * A financial period text given as input (`financialPeriod`, `movedFrom`): `null` when it is one
 * (`YYYYMM`, or `YYYY-MM`, a year from 1900 to 2999, period 01 to 13), else
 * `PERIOD_INVALID` saying what is expected.
 */
export function validateFinancialPeriodText(
	value: unknown,
	location: IssueLocation = {},
): Issue | null {
	const parsed = parseFinancialPeriodText(value);
	const ok =
		parsed !== null &&
		parsed.period <= MAX_FINANCIAL_PERIODS_PER_YEAR &&
		parsed.year >= MIN_PAYROLL_YEAR &&
		parsed.year <= MAX_PAYROLL_YEAR;
	if (ok) return null;
	return createIssue(
		'PERIOD_INVALID',
		location,
		`${location.field ?? 'the financial period'} ${displayValue(value)} is not a financial period: expected YYYYMM, a year from ${MIN_PAYROLL_YEAR} to ${MAX_PAYROLL_YEAR} and a period from 01 to ${MAX_FINANCIAL_PERIODS_PER_YEAR} (12 months, or 13 periods in some companies), for example 202603.`,
		'Use the output of Split TWK by Period, which sets it.',
		value,
	);
}

export function compareFinancialPeriods(a: FinancialPeriod, b: FinancialPeriod): number {
	return a.year !== b.year ? a.year - b.year : a.period - b.period;
}

export function isSameFinancialPeriod(a: FinancialPeriod, b: FinancialPeriod): boolean {
	return compareFinancialPeriods(a, b) === 0;
}

/**
 * The financial period a date books in. Without `periods`: monthly (the date's year and
 * month). With `periods` (Visma.net's list): the one whose range holds the date, or `null`
 * when none does (the caller reports `FINANCIAL_PERIOD_MISSING`); an empty list holds nothing.
 * Throws a RangeError for a date that is not `YYYY-MM-DD`: validate first.
 */
export function financialPeriodOfDate(
	date: string,
	periods?: readonly VismaFinancialPeriod[],
): FinancialPeriod | null {
	assertIsoDate(date);
	if (periods === undefined)
		return { year: Number(date.slice(0, 4)), period: Number(date.slice(5, 7)) };
	const found = findVismaFinancialPeriodOfDate(date, periods);
	return found === null ? null : { year: found.year, period: found.period };
}

/**
 * The Visma.net period whose range (start and end inclusive) holds the date, or `null`.
 * When several do, the choice is: a period with a real range before a zero-length one (an
 * adjustment period has start = end = the last day of the year), then the one that starts
 * latest (a boundary date shared by two periods belongs to the one it opens), then the lowest
 * period (an adjustment period 13 overlapping December loses to December). Entries whose dates
 * cannot be read are ignored.
 */
export function findVismaFinancialPeriodOfDate<P extends VismaFinancialPeriod>(
	date: string,
	periods: readonly P[],
): P | null {
	assertIsoDate(date);
	const holding = periods
		.map(toDatedPeriod)
		.filter((entry): entry is DatedPeriod<P> => holds(entry, date));
	holding.sort(comparePreference);
	return holding.length > 0 ? holding[0].period : null;
}

interface DatedPeriod<P extends VismaFinancialPeriod> {
	period: P;
	startDate: string;
	endDate: string;
}

function toDatedPeriod<P extends VismaFinancialPeriod>(period: P): DatedPeriod<P> | null {
	const startDate = toVismaDate(period.startDate);
	const endDate = toVismaDate(period.endDate);
	return startDate === null || endDate === null ? null : { period, startDate, endDate };
}

function holds<P extends VismaFinancialPeriod>(
	entry: DatedPeriod<P> | null,
	date: string,
): boolean {
	return entry !== null && entry.startDate <= date && date <= entry.endDate;
}

function comparePreference<P extends VismaFinancialPeriod>(
	a: DatedPeriod<P>,
	b: DatedPeriod<P>,
): number {
	const zeroA = a.startDate === a.endDate ? 1 : 0;
	const zeroB = b.startDate === b.endDate ? 1 : 0;
	if (zeroA !== zeroB) return zeroA - zeroB;
	if (a.startDate !== b.startDate) return a.startDate > b.startDate ? -1 : 1;
	return compareFinancialPeriods(a.period, b.period);
}

function assertIsoDate(date: string): void {
	const result = parseIsoDate(date);
	if (!result.ok) throw new RangeError(`period: date ${JSON.stringify(date)} ${result.reason}`);
}

/** The Visma.net entry for a period id, or `null` when the list does not have it. */
export function findVismaFinancialPeriod<P extends VismaFinancialPeriod>(
	p: FinancialPeriod,
	periods: readonly P[],
): P | null {
	return periods.find((entry) => isSameFinancialPeriod(entry, p)) ?? null;
}

/** Open for posting: `active` and not `closedInGeneralLedger`. */
export function isFinancialPeriodOpen(p: VismaFinancialPeriod): boolean {
	return p.active === true && p.closedInGeneralLedger !== true;
}

/**
 * The first open period after `p` in (year, period) order, for the "book in the first open
 * period" policy; `null` when the list has none. An open adjustment period counts: it is where
 * Visma.net itself lets the year still be booked.
 */
export function firstOpenFinancialPeriodAfter<P extends VismaFinancialPeriod>(
	p: FinancialPeriod,
	periods: readonly P[],
): P | null {
	const later = periods.filter(
		(entry) => compareFinancialPeriods(entry, p) > 0 && isFinancialPeriodOpen(entry),
	);
	later.sort(compareFinancialPeriods);
	return later.length > 0 ? later[0] : null;
}

/**
 * The first and last day of a financial period. Without `periods`: the calendar month `period`
 * (`null` for a period above 12, whose dates only Visma.net knows). With `periods`: the entry's
 * dates, or `null` when the list lacks the period or its dates cannot be read.
 */
export function financialPeriodRange(
	p: FinancialPeriod,
	periods?: readonly VismaFinancialPeriod[],
): DateRange | null {
	assertFinancialPeriod(p);
	if (periods === undefined) return p.period <= 12 ? monthRange(p.year, p.period) : null;
	const entry = findVismaFinancialPeriod(p, periods);
	const dated = entry === null ? null : toDatedPeriod(entry);
	return dated === null || dated.startDate > dated.endDate
		? null
		: { startDate: dated.startDate, endDate: dated.endDate };
}

/**
 * `DATE_INVALID` when `date` lies outside financial period `p` (its dates as `financialPeriodRange`
 * knows them), else `null`; `null` too when the period's dates are not known.
 */
export function validateDateInFinancialPeriod(
	date: string,
	p: FinancialPeriod,
	periods?: readonly VismaFinancialPeriod[],
	location: IssueLocation = {},
): Issue | null {
	const range = financialPeriodRange(p, periods);
	if (range === null || (range.startDate <= date && date <= range.endDate)) return null;
	return createIssue(
		'DATE_INVALID',
		location,
		`${location.field ?? 'the date'} ${date} lies outside financial period ${formatFinancialPeriod(p)} (${range.startDate} – ${range.endDate}), so Visma.net would book it with a date of another period.`,
		'Use the output of Split TWK by Period, which sets a date inside the period, or correct the date or the period.',
		date,
	);
}

/**
 * The last day of a financial period, a transaction date inside it. Without `periods`: the
 * last day of month `period` (`null` for a period above 12). With `periods`: the entry's end
 * date, or `null` when the list lacks the period or its end date cannot be read.
 */
export function financialPeriodEndDate(
	p: FinancialPeriod,
	periods?: readonly VismaFinancialPeriod[],
): string | null {
	assertFinancialPeriod(p);
	if (periods === undefined) return p.period <= 12 ? monthRange(p.year, p.period).endDate : null;
	const entry = findVismaFinancialPeriod(p, periods);
	return entry === null ? null : toVismaDate(entry.endDate);
}

// ---------------------------------------------------------------------------------------------
// Reading Visma.net's list of financial periods

/** `YYYYPP` or `PPYYYY`: six digits, told apart by the year. */
const SIX_DIGIT_PERIOD = /^(\d{4})(\d{2})$/;
const YEAR_FIRST_PERIOD = /^(\d{4})[-/. ](\d{1,2})$/;
const PERIOD_FIRST_PERIOD = /^(\d{1,2})[-/. ](\d{4})$/;
const BARE_PERIOD = /^\d{1,2}$/;
const YEAR_TEXT = /^\d{4}$/;

export interface VismaFinancialPeriodsReading {
	/** The entries read, in the order given (an entry given twice alike once). */
	readonly periods: VismaFinancialPeriod[];
	/** What contradicts itself, one text per problem: the answer must not be used when there are any. */
	readonly problems: string[];
}

interface PeriodCandidate {
	readonly year: number;
	readonly period: number;
}

/** The (year, period) readings a `period` value allows: one, or two for six digits. */
function periodCandidates(value: unknown): PeriodCandidate[] | 'bare' | null {
	if (typeof value === 'number') {
		if (!Number.isInteger(value) || value < 0) return null;
		value = String(value);
	}
	if (typeof value !== 'string') return null;
	const text = value.trim();
	if (text.length > 20) return null;
	if (BARE_PERIOD.test(text)) return 'bare';
	const six = SIX_DIGIT_PERIOD.exec(text);
	if (six) {
		return [
			{ year: Number(six[1]), period: Number(six[2]) },
			{ year: Number(text.slice(2)), period: Number(text.slice(0, 2)) },
		];
	}
	const yearFirst = YEAR_FIRST_PERIOD.exec(text);
	if (yearFirst) return [{ year: Number(yearFirst[1]), period: Number(yearFirst[2]) }];
	const periodFirst = PERIOD_FIRST_PERIOD.exec(text);
	if (periodFirst) return [{ year: Number(periodFirst[2]), period: Number(periodFirst[1]) }];
	return null;
}

function yearOf(value: unknown): number | null {
	if (typeof value === 'number')
		return Number.isInteger(value) && value >= 1 && value <= 9999 ? value : null;
	if (typeof value === 'string' && YEAR_TEXT.test(value.trim())) return Number(value.trim());
	return null;
}

/**
 * An entry of `GET /v1/financialPeriod` as it arrives: the fields of Visma.net's
 * `FinancialPeriodDto` (`vismaNetModel.ts`, which checks that they are the same names), each
 * unchecked. This file is linked into the Nmbrs package, so it names them rather than import them.
 */
export interface FinancialPeriodEntry {
	readonly year?: unknown;
	readonly period?: unknown;
	readonly startDate?: unknown;
	readonly endDate?: unknown;
	readonly description?: unknown;
	readonly active?: unknown;
	readonly closedInGeneralLedger?: unknown;
}

/** What an entry's fields must be when they are given (null counts as not given). */
const ENTRY_FIELD_TYPES: ReadonlyArray<
	[keyof FinancialPeriodEntry, string, (value: unknown) => boolean]
> = [
	['year', 'a year', (value) => yearOf(value) !== null],
	['startDate', 'a date', (value) => typeof value === 'string' && toVismaDate(value) !== null],
	['endDate', 'a date', (value) => typeof value === 'string' && toVismaDate(value) !== null],
	['active', 'true or false', (value) => typeof value === 'boolean'],
	['closedInGeneralLedger', 'true or false', (value) => typeof value === 'boolean'],
	['description', 'text', (value) => typeof value === 'string'],
];

/** The fields of an entry given with another type than FinancialPeriodDto's: refused, never dropped. */
function mistypedFields(entry: FinancialPeriodEntry): string[] {
	const problems: string[] = [];
	for (const [field, expected, fits] of ENTRY_FIELD_TYPES) {
		const value = entry[field];
		if (value === undefined || value === null || fits(value)) continue;
		problems.push(
			`Visma.net's financial period ${displayValue(entry.period)}: its ${field} reads ${displayValue(value)}, which is not ${expected}.`,
		);
	}
	return problems;
}

/** Dates within a year of the financial year: a fiscal year may start or end in the calendar year beside it. */
function datesFitYear(year: number, startDate: string, endDate: string): boolean {
	const near = (date: string) => Math.abs(Number(date.slice(0, 4)) - year) <= 1;
	return near(startDate) && near(endDate);
}

/**
 * Reads `GET /v1/financialPeriod` (FinancialPeriodDto[]), whose `period` the spec only calls "the
 * period no and the year": YYYYPP ("202603"), PPYYYY ("032026"), separated ("2026-03", "03/2026"),
 * a bare number (3) or YYYYPP as a number are all read, working from `year`, `startDate` and
 * `endDate` (six digits are YYYYPP or PPYYYY by the year; without a year, by the dates). Entries
 * without dates (or without a year to read them by) are left out, as before; a field given with
 * another type than FinancialPeriodDto's (`closedInGeneralLedger: "true"`) is a problem. An answer that
 * contradicts its own dates is a problem: a period naming another year than its `year`, dates
 * far from its year or ending before they start, a period that is no number, one period given
 * twice with other dates, or periods of a year whose order runs against their dates.
 */
export function readVismaFinancialPeriods(
	entries: readonly unknown[],
): VismaFinancialPeriodsReading {
	const periods: VismaFinancialPeriod[] = [];
	const problems: string[] = [];
	const seen = new Map<string, VismaFinancialPeriod>();
	for (const entry of entries) {
		if (!entry || typeof entry !== 'object') continue;
		const dto = entry as FinancialPeriodEntry;
		const mistyped = mistypedFields(dto);
		if (mistyped.length > 0) {
			problems.push(...mistyped);
			continue;
		}
		const startDate = typeof dto.startDate === 'string' ? toVismaDate(dto.startDate) : null;
		const endDate = typeof dto.endDate === 'string' ? toVismaDate(dto.endDate) : null;
		if (startDate === null || endDate === null) continue;
		const givenYear = yearOf(dto.year);
		const shown = `Visma.net's financial period ${displayValue(dto.period)} (${startDate} – ${endDate})`;
		if (endDate < startDate) {
			problems.push(`${shown} ends (${endDate}) before it starts (${startDate}).`);
			continue;
		}
		const candidates = periodCandidates(dto.period);
		let read: PeriodCandidate | null = null;
		if (candidates === 'bare') {
			if (givenYear === null) continue;
			read = { year: givenYear, period: Number(String(dto.period).trim()) };
		} else if (candidates !== null) {
			const fitting =
				givenYear !== null
					? candidates.filter((candidate) => candidate.year === givenYear)
					: candidates.filter((candidate) => datesFitYear(candidate.year, startDate, endDate));
			if (fitting.length === 0) {
				problems.push(
					givenYear !== null
						? `${shown}: period ${displayValue(dto.period)} names the year ${candidates[0].year}, but its year is ${givenYear}.`
						: `${shown}: period ${displayValue(dto.period)} names no year near its dates.`,
				);
				continue;
			}
			read = fitting[0];
		}
		if (read === null || !Number.isInteger(read.period) || read.period < 1 || read.period > 99) {
			problems.push(
				`${shown}: period ${displayValue(dto.period)} is not a period number (expected YYYYPP, PPYYYY or YYYY-PP).`,
			);
			continue;
		}
		if (!datesFitYear(read.year, startDate, endDate)) {
			problems.push(
				`${shown}: its dates ${startDate} – ${endDate} lie outside its year ${read.year}.`,
			);
			continue;
		}
		const period: VismaFinancialPeriod = {
			year: read.year,
			period: read.period,
			startDate: dto.startDate as string,
			endDate: dto.endDate as string,
			...(typeof dto.active === 'boolean' ? { active: dto.active } : {}),
			...(typeof dto.closedInGeneralLedger === 'boolean'
				? { closedInGeneralLedger: dto.closedInGeneralLedger }
				: {}),
			...(typeof dto.description === 'string' && dto.description
				? { description: dto.description }
				: {}),
		};
		const key = `${read.year}:${read.period}`;
		const earlier = seen.get(key);
		if (earlier) {
			if (
				toVismaDate(earlier.startDate) !== startDate ||
				toVismaDate(earlier.endDate) !== endDate
			) {
				problems.push(
					`${shown}: period ${formatFinancialPeriod(read)} is given twice with other dates (${toVismaDate(earlier.startDate)} – ${toVismaDate(earlier.endDate)} and ${startDate} – ${endDate}).`,
				);
			}
			continue;
		}
		seen.set(key, period);
		periods.push(period);
	}
	const ordered = [...periods].sort(compareFinancialPeriods);
	for (let index = 1; index < ordered.length; index++) {
		const before = ordered[index - 1];
		const after = ordered[index];
		if (before.year !== after.year) continue;
		const beforeStart = toVismaDate(before.startDate) as string;
		const afterStart = toVismaDate(after.startDate) as string;
		if (afterStart < beforeStart) {
			problems.push(
				`Visma.net's financial periods run against their dates: period ${formatFinancialPeriod(after)} starts (${afterStart}) before period ${formatFinancialPeriod(before)} (${beforeStart}).`,
			);
		}
	}
	return { periods, problems };
}
